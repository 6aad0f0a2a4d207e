import { describe, expect, it } from "vitest";
import { NumericHeads } from "./JoinExec";

/** Builds a table over `keys`, returning `first` answers for `probes` before and after `done()`. */
function answers(keys: readonly number[], probes: readonly number[]): { hashed: number[]; indexed: number[] } {
  const t = new NumericHeads(keys.length);
  const next = new Int32Array(keys.length).fill(-1);
  keys.forEach((k, j) => t.add(k, j, next));
  const hashed = probes.map((v) => t.first(v));
  t.done();
  return { hashed, indexed: probes.map((v) => t.first(v)) };
}

const edgeProbes = [0, -0, 1, -1, 1e-17, -1e-17, 0.5, 2.5, 1 + 1e-9, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 2 ** 31, -(2 ** 31) - 1];

describe("NumericHeads", () => {
  const cases: { name: string; keys: number[] }[] = [
    { name: "ids 0…999", keys: Array.from({ length: 1000 }, (_, i) => i) },
    { name: "ids 0…999 shuffled, with duplicates", keys: Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1000) },
    { name: "a range below zero", keys: Array.from({ length: 500 }, (_, i) => i - 250) },
    { name: "-1 and 0 only", keys: [-1, 0] },
    { name: "sparse keys (hashed only)", keys: Array.from({ length: 100 }, (_, i) => i * 1_000_003) },
    { name: "fractional keys (hashed only)", keys: [0.5, 1, 1.5, -2] },
    { name: "-0 as a key", keys: [-0, 3] },
  ];
  for (const c of cases) {
    it(`finds the same first rows with keys indexed directly as hashed: ${c.name}`, () => {
      const probes = [...new Set([...c.keys, ...c.keys.map((k) => k + 1), ...c.keys.map((k) => k - 1), ...edgeProbes])];
      const { hashed, indexed } = answers(c.keys, probes);
      expect(indexed).toEqual(hashed);
      // And the hashed answers are right: the first row with an === key.
      expect(hashed).toEqual(probes.map((v) => c.keys.findIndex((k) => k === v)));
    });
  }

  it("a fraction whose offset from a negative range rounds to a whole number finds nothing", () => {
    // 1e-17 − (−1) is 1 in floating point: an unguarded offset would return key 0's row.
    const { indexed } = answers([-1, 0], [1e-17, -1e-17, 5e-324]);
    expect(indexed).toEqual([-1, -1, -1]);
  });
});
