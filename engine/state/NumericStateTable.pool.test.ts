/**
 * NumericStateTable grows into arrays a released table gave back (stateArrayPool), holding
 * whatever that table wrote: the table must read them as if fresh (null flags, alive flags
 * and compaction marks zero past what it copied).
 */
import { describe, expect, it } from "vitest";
import { NumericStateTable, stateArrayPool } from "./NumericStateTable";

/** Fills the pool with dirty arrays of the sizes a growing table of 3 key and 1 value slots asks for. */
function dirtyPool(): void {
  for (let cap = 1024; cap < 400_000; cap = Math.ceil(cap * 1.5)) {
    stateArrayPool.give(new Float64Array(cap * 5).fill(NaN));
    stateArrayPool.give(new Uint8Array(cap * 3).fill(1));
    stateArrayPool.give(new Uint8Array(cap).fill(1));
    // Small numbers: what compaction marks hold (a stale mark equal to the current one hides an entry).
    for (let k = 0; k < 3; k++) stateArrayPool.give(Int32Array.from({ length: cap }, (_, i) => (i % 3) + 1));
  }
}

describe("NumericStateTable over pooled arrays", () => {
  it("keeps every entry through growth into dirty arrays, then removal, rollback and partition drops", () => {
    dirtyPool();
    const before = stateArrayPool.size;
    const t = new NumericStateTable(3, 1, 1024, { slot: 1, width: 1 });
    const key = new Float64Array(3);
    const nulls = new Uint8Array(3);
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      key.set([0, 60 * (i % 4), i * 7]);
      const e = t.findOrInsertNoNulls(key, t.hashOf(key, nulls));
      expect(t.inserted).toBe(true);
      t.data[t.valueOffset(e)] = i;
    }
    // It grew into pooled arrays.
    expect(stateArrayPool.size).toBeLessThan(before);
    expect(t.size).toBe(n);
    expect(t.liveEntries().length).toBe(n);
    for (let i = 0; i < n; i += 97) {
      key.set([0, 60 * (i % 4), i * 7]);
      const e = t.findNoNulls(key, t.hashOf(key, nulls));
      expect(e).toBeGreaterThanOrEqual(0);
      expect(t.data[t.valueOffset(e)]).toBe(i);
      expect(t.keyNulls[e * 3 + 2]).toBe(0);
    }
    t.drop(t.takeLog());
    // Ten entries of partition 180 removed and freed: listing the partition compacts it.
    for (const e of t.partitionEntries(180).slice(0, 10)) t.remove(e);
    t.drop(t.takeLog());
    expect(t.partitionEntries(180).length).toBe(n / 4 - 10);
    // Remove a quarter, roll the removal back, then drop a partition for good.
    for (const e of t.partitionEntries(0)) t.remove(e);
    expect(t.size).toBe(n - 10 - n / 4);
    t.rollBackOpen();
    expect(t.size).toBe(n - 10);
    expect(t.dropPartition(60)).toBe(n / 4);
    t.drop(t.takeLog());
    expect(t.partitionEntries(0).length).toBe(n / 4);
    expect(t.partitionEntries(120).length).toBe(n / 4);
  });

  it("a released table gives its arrays to the pool and holds nothing", () => {
    const t = new NumericStateTable(3, 1);
    const key = new Float64Array(3);
    const nulls = new Uint8Array(3);
    for (let i = 0; i < 50_000; i++) {
      key.set([0, 60, i]);
      t.findOrInsertNoNulls(key, t.hashOf(key, nulls));
    }
    const before = stateArrayPool.size;
    const bytes = t.data.byteLength;
    t.release();
    expect(stateArrayPool.size).toBeGreaterThanOrEqual(before + bytes);
    expect([t.size, t.data.length, t.liveEntries().length]).toEqual([0, 0, 0]);
  });
});
