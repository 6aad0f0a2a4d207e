/**
 * The checkpoint-cost scenario on a small state (it must keep measuring what it claims):
 * every batch's delta holds exactly the changed keys, snapshots come every 10 versions, and
 * a restart rebuilds the same state.
 */
import { describe, expect, it } from "vitest";
import { MemoryCheckpointFileManager } from "../../checkpoint/persistent/CheckpointFileManager";
import { runScenario } from "./scenario";
import { summarize } from "./summary";

describe("checkpoint-cost scenario", () => {
  it("measures deltas of the changed keys only, snapshots every 10 versions, and an exact recovery", async () => {
    const fm = new MemoryCheckpointFileManager("cost");
    const r = await runScenario(fm, () => Promise.resolve(fm), { numKeys: 2_000, fraction: 0.05, batches: 22 });
    expect(r.recoveredEqual).toBe(true);
    expect(r.batches.map((b) => b.version)).toEqual(Array.from({ length: 22 }, (_, i) => i + 2));
    expect(r.batches.filter((b) => b.snapshotBytes > 0).map((b) => b.version)).toEqual([10, 20]);
    for (const b of r.batches) {
      expect(b.changedKeys).toBe(100);
      // One line per changed key (`{"k":[1234],"v":[3,1234]}`, ~25 characters), nothing per unchanged key.
      expect(b.deltaBytes).toBeGreaterThan(100 * 20);
      expect(b.deltaBytes).toBeLessThan(100 * 32 + 20);
    }
    const row = summarize("memory", r);
    expect(row.deltaToSnapshot).toBeGreaterThan(0.04);
    expect(row.deltaToSnapshot).toBeLessThan(0.06);
  });
});
