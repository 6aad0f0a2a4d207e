/**
 * The first batch of a tumbling count has no last batch to tell how many groups it makes per
 * row: its first rows are sampled (`sampledGroupsPerRow`) to choose between going straight to
 * the state (many groups) and a partial aggregation first (few).
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../util/prng";
import { sampledGroupsPerRow } from "./numericAggregationState";

function rows(n: number, keys: number, msPerRow: number): { times: Float64Array; ids: Float64Array } {
  const rnd = mulberry32(7);
  const times = new Float64Array(n);
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    times[i] = 1_700_000_040_000 + i * msPerRow;
    ids[i] = Math.floor(rnd() * keys);
  }
  return { times, ids };
}

describe("sampledGroupsPerRow", () => {
  it("tells 1e5 keys (nearly a group a row) from 1e3 (under half)", () => {
    const many = rows(100_000, 100_000, 1);
    const few = rows(100_000, 1_000, 1);
    expect(sampledGroupsPerRow(many.times, [many.ids], 100_000, 60_000, 0)).toBeGreaterThan(0.95);
    expect(sampledGroupsPerRow(few.times, [few.ids], 100_000, 60_000, 0)).toBeLessThan(0.5);
  });

  it("counts one key in two windows as two groups, and only the first rows", () => {
    const one = rows(4096, 1, 1000);
    // 2048 rows a second apart from a whole minute span 35 one-minute windows: one group each.
    expect(sampledGroupsPerRow(one.times, [one.ids], 4096, 60_000, 0) * 2048).toBe(Math.ceil(2048 / 60));
    expect(sampledGroupsPerRow(one.times, [one.ids], 0, 60_000, 0)).toBe(0);
  });
});
