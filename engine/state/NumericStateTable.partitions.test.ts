/**
 * NumericStateTable, partitioned mode (constructor's `partitionBy`): entries split by
 * floor(key[slot] / width), each partition with its own hash slots; `partitionValues`,
 * `partitionEntries`, `dropPartition`, and their interplay with the undo logs
 * (takeLog / rollBack / drop / rollBackOpen / willWrite).
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../util/prng";
import { NumericStateTable, type UndoLog } from "./NumericStateTable";

type KeyParts = readonly (number | null)[];

const WIDTH = 1000;

/** A partitioned table of keys [id, time] (partition slot 1, width 1000 by default) and `vw` value slots. */
class PTable {
  readonly table: NumericStateTable;
  private readonly key: Float64Array;
  private readonly nulls: Uint8Array;

  constructor(kw = 2, vw = 1, slot = 1, width = WIDTH, expected?: number) {
    this.table = new NumericStateTable(kw, vw, expected, { slot, width });
    this.key = new Float64Array(kw);
    this.nulls = new Uint8Array(kw);
  }

  private encode(parts: KeyParts): void {
    parts.forEach((p, i) => {
      this.key[i] = p ?? 0;
      this.nulls[i] = p === null ? 1 : 0;
    });
  }

  find(parts: KeyParts): number {
    this.encode(parts);
    return this.table.find(this.key, this.nulls, this.table.hashOf(this.key, this.nulls));
  }

  findNoNulls(parts: readonly number[]): number {
    this.encode(parts);
    return this.table.findNoNulls(this.key, this.table.hashOf(this.key, this.nulls));
  }

  insert(parts: KeyParts): number {
    this.encode(parts);
    return this.table.insert(this.key, this.nulls, this.table.hashOf(this.key, this.nulls));
  }

  /** Inserts (or finds, logging the old value) and sets the value. */
  put(parts: KeyParts, value: readonly number[]): number {
    let e = this.find(parts);
    if (e < 0) e = this.insert(parts);
    else this.table.willWrite(e);
    this.table.data.set(value, this.table.valueOffset(e));
    return e;
  }

  value(e: number): number[] {
    const at = this.table.valueOffset(e);
    return Array.from(this.table.data.subarray(at, at + this.table.vw));
  }

  get(parts: KeyParts): number[] | undefined {
    const e = this.find(parts);
    return e < 0 ? undefined : this.value(e);
  }

  remove(parts: KeyParts): boolean {
    const e = this.find(parts);
    if (e < 0) return false;
    this.table.remove(e);
    return true;
  }

  keyOf(e: number): (number | null)[] {
    const kw = this.table.kw;
    const at = this.table.keyOffset(e);
    const out: (number | null)[] = [];
    for (let k = 0; k < kw; k++) out.push(this.table.keyNulls[e * kw + k] === 1 ? null : (this.table.data[at + k] as number));
    return out;
  }

  /** Every live entry as "key → value" strings, sorted. */
  dump(): string[] {
    const out: string[] = [];
    this.table.forEachEntry((e) => out.push(`${JSON.stringify(this.keyOf(e))}=${JSON.stringify(this.value(e))}`));
    return out.sort();
  }

  /** Partition values holding at least one live entry, sorted (NaN last). */
  livePartitions(): number[] {
    return sortValues(this.table.partitionValues().filter((v) => this.table.partitionEntries(v).length > 0));
  }

  /** The keys of partition v's live entries, sorted. */
  partitionKeys(v: number): string[] {
    return this.table.partitionEntries(v).map((e) => JSON.stringify(this.keyOf(e))).sort();
  }
}

function sortValues(vs: number[]): number[] {
  return [...vs].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
}

function partitionOf(parts: KeyParts, slot = 1, width = WIDTH): number {
  const t = parts[slot];
  return t === null || t === undefined ? NaN : Math.floor(t / width);
}

/** Checks the structural invariants of a table against the live entries. */
function checkInvariants(t: PTable): void {
  const live = t.table.liveEntries();
  expect(live.length).toBe(t.table.size);
  // Every live entry is findable, and lives in exactly one partition's listing, once.
  const seen = new Map<number, number>();
  for (const v of t.table.partitionValues()) {
    for (const e of t.table.partitionEntries(v)) {
      expect(t.table.alive[e]).toBe(1);
      const pv = partitionOf(t.keyOf(e));
      expect(Object.is(pv, v) || (Number.isNaN(pv) && Number.isNaN(v))).toBe(true);
      seen.set(e, (seen.get(e) ?? 0) + 1);
    }
  }
  for (const e of live) {
    expect(seen.get(e)).toBe(1);
    expect(t.find(t.keyOf(e))).toBe(e);
  }
  expect(seen.size).toBe(live.length);
}

describe("NumericStateTable partitioned: keys and partitions", () => {
  it("keys with equal other parts in different partitions are distinct entries", () => {
    const t = new PTable();
    const a = t.put([7, 500], [1]);
    const b = t.put([7, 1500], [2]);
    const c = t.put([7, 1999.5], [3]); // same partition as b, different time
    const d = t.put([7, -0.5], [4]); // partition −1
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(t.table.size).toBe(4);
    expect(t.get([7, 500])).toEqual([1]);
    expect(t.get([7, 1500])).toEqual([2]);
    expect(t.get([7, 1999.5])).toEqual([3]);
    expect(t.get([7, -0.5])).toEqual([4]);
    expect(t.find([7, 1000])).toBe(-1);
    expect(t.find([7, 2500])).toBe(-1);
    expect(t.findNoNulls([7, 1500])).toBe(b);
    expect(t.findNoNulls([7, 2500])).toBe(-1);
    expect(sortValues(t.table.partitionValues())).toEqual([-1, 0, 1]);
    expect(t.partitionKeys(1)).toEqual(["[7,1500]", "[7,1999.5]"]);
    expect(t.partitionKeys(0)).toEqual(["[7,500]"]);
    expect(t.partitionKeys(-1)).toEqual(["[7,-0.5]"]);
    expect(t.table.partitionEntries(5)).toEqual([]);
    checkInvariants(t);
  });

  it("partition boundaries: floor(time / width), exactly on a boundary belongs to the upper partition", () => {
    const t = new PTable();
    for (const time of [0, 999, 999.999, 1000, 1000.001, 2000, -1000, -1000.5, -0.001]) t.put([1, time], [time]);
    expect(t.partitionKeys(0)).toEqual(["[1,0]", "[1,999.999]", "[1,999]"]);
    expect(t.partitionKeys(1)).toEqual(["[1,1000.001]", "[1,1000]"]);
    expect(t.partitionKeys(2)).toEqual(["[1,2000]"]);
    expect(t.partitionKeys(-1)).toEqual(["[1,-0.001]", "[1,-1000]"]);
    expect(t.partitionKeys(-2)).toEqual(["[1,-1000.5]"]);
    checkInvariants(t);
  });

  it("a partition slot other than the last, and a width other than 1000", () => {
    const t = new PTable(3, 1, 0, 60);
    t.put([59, 1, 2], [1]);
    t.put([60, 1, 2], [2]);
    t.put([119, 1, 2], [3]);
    t.put([59, 1, 3], [4]);
    expect(sortValues(t.table.partitionValues())).toEqual([0, 1]);
    expect(t.table.partitionEntries(0).length).toBe(2);
    expect(t.table.partitionEntries(1).length).toBe(2);
    expect(t.get([60, 1, 2])).toEqual([2]);
    expect(t.get([61, 1, 2])).toBeUndefined();
    expect(t.table.dropPartition(0)).toBe(2);
    expect(t.get([59, 1, 2])).toBeUndefined();
    expect(t.get([119, 1, 2])).toEqual([3]);
  });

  it("a null partition key goes to a NaN partition that no watermark reaches", () => {
    const t = new PTable();
    const a = t.put([1, null], [10]);
    const b = t.put([2, null], [20]);
    const c = t.put([1, 0], [30]); // same id, time 0: a different key in partition 0
    const d = t.put([null, null], [40]);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(t.get([1, null])).toEqual([10]);
    expect(t.get([1, 0])).toEqual([30]);
    expect(t.get([null, null])).toEqual([40]);
    const values = t.table.partitionValues();
    expect(values.filter((v) => Number.isNaN(v)).length).toBe(1);
    expect(t.partitionKeys(NaN)).toEqual(["[1,null]", "[2,null]", "[null,null]"]);
    // The eviction rule of numericDeduplicateState: a partition goes once v·width ≤ watermark.
    for (const wm of [-Infinity, 0, 1e15, Number.MAX_VALUE, Infinity]) {
      const expired = values.filter((v) => v * WIDTH <= wm);
      expect(expired.some((v) => Number.isNaN(v))).toBe(false);
    }
    // A NaN time (not null) lands in the NaN partition too, as a distinct key.
    const n = t.put([1, NaN], [50]);
    expect(n).not.toBe(a);
    expect(t.get([1, NaN])).toEqual([50]);
    expect(t.get([1, null])).toEqual([10]);
    expect(t.table.partitionEntries(NaN).length).toBe(4);
    checkInvariants(t);
    // The NaN partition can still be dropped explicitly.
    expect(t.table.dropPartition(NaN)).toBe(4);
    expect(t.get([1, null])).toBeUndefined();
    expect(t.get([1, 0])).toEqual([30]);
    checkInvariants(t);
  });
});

describe("NumericStateTable partitioned: dropPartition", () => {
  it("removes exactly the live entries, appends them to out, updates size; data stays readable this version", () => {
    const t = new PTable();
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(t.put([i, 1000 + i], [i * 10]));
    for (let i = 0; i < 5; i++) t.put([i, 2000 + i], [i]);
    t.remove([3, 1003]);
    expect(t.table.size).toBe(14);
    const out: number[] = [42];
    expect(t.table.dropPartition(1, out)).toBe(9);
    expect(out[0]).toBe(42);
    expect(out.slice(1).sort((x, y) => x - y)).toEqual(ids.filter((_, i) => i !== 3).sort((x, y) => x - y));
    expect(t.table.size).toBe(5);
    expect(t.table.partitionValues()).toEqual([2]);
    expect(t.table.partitionEntries(1)).toEqual([]);
    for (let i = 0; i < 10; i++) {
      expect(t.find([i, 1000 + i])).toBe(-1);
      const e = ids[i] as number;
      expect(t.table.alive[e]).toBe(i === 3 ? 2 : 3); // removed alone (2) or dropped with its partition (3): both revivable by a rollback
      // Still readable: key and value.
      expect(t.keyOf(e)).toEqual([i, 1000 + i]);
      expect(t.value(e)).toEqual([i * 10]);
    }
    for (let i = 0; i < 5; i++) expect(t.get([i, 2000 + i])).toEqual([i]);
    // Dropping again, or an unknown partition: nothing.
    expect(t.table.dropPartition(1)).toBe(0);
    expect(t.table.dropPartition(77, out)).toBe(0);
    expect(out.length).toBe(10);
    // Inserts in this version never reuse the dropped ids.
    const fresh: number[] = [];
    for (let i = 0; i < 20; i++) fresh.push(t.put([100 + i, 1500], [1]));
    expect(fresh.some((e) => ids.includes(e))).toBe(false);
    for (let i = 0; i < 10; i++) expect(t.value(ids[i] as number)).toEqual([i * 10]);
    checkInvariants(t);
  });

  it("the same key inserted again after its partition was dropped (a new partition, same value)", () => {
    const t = new PTable();
    const a = t.put([1, 1100], [1]);
    t.table.dropPartition(1);
    expect(t.find([1, 1100])).toBe(-1);
    const b = t.put([1, 1100], [2]);
    expect(b).not.toBe(a);
    expect(t.get([1, 1100])).toEqual([2]);
    expect(t.table.partitionEntries(1)).toEqual([b]);
    expect(t.table.size).toBe(1);
    checkInvariants(t);
  });
});

describe("NumericStateTable partitioned: partitions kept at hand", () => {
  it("partitions whose values share a cache slot (0, 8, −8, 16) stay apart, through drops, re-creation and a rollback", () => {
    const t = new PTable();
    const values = [0, 8, -8, 16];
    const put = (v: number, id: number, x: number) => t.put([id, v * WIDTH + 1], [x]);
    for (const v of values) put(v, 1, v);
    for (const v of values) expect(t.get([1, v * WIDTH + 1])).toEqual([v]);
    const before = t.table.takeLog();
    // Drop 8 right after using it (it is the recent one), then re-create it with another key.
    t.get([1, 8 * WIDTH + 1]);
    t.table.dropPartition(8);
    expect(t.find([1, 8 * WIDTH + 1])).toBe(-1);
    put(8, 2, 80);
    expect(t.get([2, 8 * WIDTH + 1])).toEqual([80]);
    expect(t.find([1, 8 * WIDTH + 1])).toBe(-1);
    for (const v of [0, -8, 16]) expect(t.get([1, v * WIDTH + 1])).toEqual([v]);
    checkInvariants(t);
    // Roll back the drop and the re-creation: the old partition 8 is back, the new key gone.
    t.table.rollBackOpen();
    expect(t.get([1, 8 * WIDTH + 1])).toEqual([8]);
    expect(t.find([2, 8 * WIDTH + 1])).toBe(-1);
    checkInvariants(t);
    t.table.drop(before);
  });
});

describe("NumericStateTable partitioned: more partitions in turn than it keeps at hand", () => {
  it("12 partitions probed round-robin (more than the 8 kept at hand), some dropped while at hand and re-created, a null one among them", () => {
    const t = new PTable();
    // Window ends a minute apart: every value a multiple of 8 (they once all shared one slot).
    const values = Array.from({ length: 12 }, (_, i) => (i + 1) * 60);
    const time = (v: number): number => v * WIDTH + 7;
    for (let round = 0; round < 3; round++) for (const v of values) t.put([round, time(v)], [v * 10 + round]);
    t.put([0, null], [-1]);
    for (let round = 0; round < 3; round++) for (const v of values) expect(t.get([round, time(v)])).toEqual([v * 10 + round]);
    expect(t.get([0, null])).toEqual([-1]);
    // Drop three partitions right after probing them (they are at hand), then probe all again.
    for (const v of [values[2], values[9], values[11]] as number[]) {
      t.get([0, time(v)]);
      expect(t.table.dropPartition(v)).toBe(3);
    }
    for (const v of values) {
      const gone = v === values[2] || v === values[9] || v === values[11];
      for (let round = 0; round < 3; round++) expect(t.find([round, time(v)]) >= 0).toBe(!gone);
      if (!gone) expect(t.get([1, time(v)])).toEqual([v * 10 + 1]);
    }
    // Re-created with other keys, the old keys stay absent.
    t.put([7, time(values[9] as number)], [99]);
    expect(t.get([7, time(values[9] as number)])).toEqual([99]);
    expect(t.find([0, time(values[9] as number)])).toBe(-1);
    expect(t.get([0, null])).toEqual([-1]);
    checkInvariants(t);
  });
});

describe("NumericStateTable partitioned: rollBack of a version that dropped partitions", () => {
  it("brings every dropped entry back, findable, with its value", () => {
    const t = new PTable(2, 2);
    for (let i = 0; i < 300; i++) t.put([i, 1000 + (i % 1000)], [i, -i]);
    for (let i = 0; i < 50; i++) t.put([i, 5000], [i, 0]);
    const before = t.dump();
    const log1 = t.table.takeLog();
    t.table.drop(log1);
    expect(t.table.dropPartition(1)).toBe(300);
    expect(t.table.dropPartition(5)).toBe(50);
    expect(t.table.size).toBe(0);
    const log2 = t.table.takeLog();
    t.table.rollBack(log2);
    expect(t.table.size).toBe(350);
    expect(t.dump()).toEqual(before);
    expect(sortValues(t.table.partitionValues())).toEqual([1, 5]);
    expect(t.table.partitionEntries(1).length).toBe(300);
    for (let i = 0; i < 300; i++) expect(t.get([i, 1000 + (i % 1000)])).toEqual([i, -i]);
    checkInvariants(t);
    // The table keeps working: more inserts into the restored partition, a remove.
    for (let i = 300; i < 2000; i++) t.put([i, 1000 + (i % 1000)], [i, -i]);
    expect(t.remove([5, 1005])).toBe(true);
    expect(t.table.partitionEntries(1).length).toBe(1999);
    checkInvariants(t);
  });

  it("also when the same version inserted new keys with the dropped partition's value (a new partition)", () => {
    const t = new PTable();
    for (let i = 0; i < 100; i++) t.put([i, 1000 + i], [i]);
    const before = t.dump();
    t.table.drop(t.table.takeLog());
    expect(t.table.dropPartition(1)).toBe(100);
    // New partition with value 1: same keys (another entry each) and new keys.
    for (let i = 0; i < 100; i += 2) t.put([i, 1000 + i], [-1]);
    for (let i = 0; i < 30; i++) t.put([1000 + i, 1500], [-2]);
    expect(t.table.size).toBe(80);
    expect(t.table.partitionEntries(1).length).toBe(80);
    checkInvariants(t);
    // The new partition dropped as well, then a third one.
    expect(t.table.dropPartition(1)).toBe(80);
    t.put([5, 1005], [-3]);
    checkInvariants(t);
    t.table.rollBack(t.table.takeLog());
    expect(t.dump()).toEqual(before);
    expect(t.table.size).toBe(100);
    expect(t.livePartitions()).toEqual([1]);
    expect(t.table.partitionEntries(1).length).toBe(100);
    for (let i = 0; i < 100; i++) expect(t.get([i, 1000 + i])).toEqual([i]);
    expect(t.find([1000, 1500])).toBe(-1);
    checkInvariants(t);
  });

  it("also when entries of that partition had been removed one by one before the drop (same version and an earlier one)", () => {
    const t = new PTable();
    for (let i = 0; i < 60; i++) t.put([i, 3000 + i * 10], [i]);
    const v0 = t.dump();
    const log0 = t.table.takeLog();
    t.table.drop(log0);
    // Version 1 removes 0..9 and updates 10..19.
    for (let i = 0; i < 10; i++) expect(t.remove([i, 3000 + i * 10])).toBe(true);
    for (let i = 10; i < 20; i++) t.put([i, 3000 + i * 10], [i * 100]);
    const v1 = t.dump();
    const log1 = t.table.takeLog();
    // Version 2 removes 20..29, updates 30..39, then drops the partition.
    for (let i = 20; i < 30; i++) expect(t.remove([i, 3000 + i * 10])).toBe(true);
    for (let i = 30; i < 40; i++) t.put([i, 3000 + i * 10], [-i]);
    const out: number[] = [];
    expect(t.table.dropPartition(3, out)).toBe(40);
    const expectedIds = [...Array.from({ length: 10 }, (_, k) => 10 + k), ...Array.from({ length: 30 }, (_, k) => 30 + k)];
    expect(out.map((e) => t.keyOf(e)[0] as number).sort((a, b) => a - b)).toEqual(expectedIds);
    expect(t.table.size).toBe(0);
    const log2 = t.table.takeLog();
    t.table.rollBack(log2);
    expect(t.dump()).toEqual(v1);
    expect(t.table.size).toBe(50);
    for (let i = 0; i < 10; i++) expect(t.find([i, 3000 + i * 10])).toBe(-1);
    for (let i = 20; i < 30; i++) expect(t.get([i, 3000 + i * 10])).toEqual([i]);
    checkInvariants(t);
    t.table.rollBack(log1);
    expect(t.dump()).toEqual(v0);
    expect(t.table.partitionEntries(3).length).toBe(60);
    checkInvariants(t);
  });

  it("rollBackOpen of a version that inserted into, removed from and dropped a partition", () => {
    const t = new PTable();
    for (let i = 0; i < 20; i++) t.put([i, 7000 + i], [i]);
    const before = t.dump();
    t.table.drop(t.table.takeLog());
    t.put([100, 7100], [1]); // inserted then dropped with the partition
    t.put([101, 7101], [1]);
    t.remove([101, 7101]); // inserted, removed, then the partition dropped
    t.put([3, 7003], [33]);
    t.remove([4, 7004]);
    expect(t.table.dropPartition(7)).toBe(20);
    t.put([100, 7100], [2]); // new partition 7
    t.table.rollBackOpen();
    expect(t.dump()).toEqual(before);
    expect(t.find([100, 7100])).toBe(-1);
    expect(t.find([101, 7101])).toBe(-1);
    checkInvariants(t);
  });
});

describe("NumericStateTable partitioned: drop of a log with dropped partitions", () => {
  it("frees the ids: later inserts reuse them, and a reused id is listed once in partitionEntries", () => {
    const t = new PTable();
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push(t.put([i, 1000 + i], [i]));
    t.table.drop(t.table.takeLog());
    t.table.dropPartition(1);
    const log = t.table.takeLog();
    t.table.drop(log);
    for (const e of ids) expect(t.table.alive[e]).toBe(0);
    // Reinsert into the same partition value (a new partition) and into another one.
    const again: number[] = [];
    for (let i = 0; i < 60; i++) again.push(t.put([i, 1000 + i], [-i]));
    const other: number[] = [];
    for (let i = 0; i < 40; i++) other.push(t.put([i, 2000 + i], [i]));
    expect([...again, ...other].every((e) => ids.includes(e))).toBe(true);
    expect(new Set([...again, ...other]).size).toBe(100);
    const p1 = t.table.partitionEntries(1);
    expect(new Set(p1).size).toBe(p1.length);
    expect(p1.sort((a, b) => a - b)).toEqual([...again].sort((a, b) => a - b));
    expect(t.table.partitionEntries(2).sort((a, b) => a - b)).toEqual([...other].sort((a, b) => a - b));
    for (let i = 0; i < 60; i++) expect(t.get([i, 1000 + i])).toEqual([-i]);
    checkInvariants(t);
  });

  it("an id removed, freed and reused in the same partition is listed once", () => {
    const t = new PTable();
    const a = t.put([1, 1100], [1]);
    t.put([2, 1200], [2]);
    t.table.drop(t.table.takeLog());
    t.remove([1, 1100]);
    t.table.drop(t.table.takeLog());
    expect(t.table.alive[a]).toBe(0);
    const b = t.put([3, 1300], [3]);
    expect(b).toBe(a);
    const p1 = t.table.partitionEntries(1);
    expect(p1.length).toBe(2);
    expect(new Set(p1).size).toBe(2);
    // Dropped: each counted once.
    const out: number[] = [];
    expect(t.table.dropPartition(1, out)).toBe(2);
    expect(new Set(out).size).toBe(2);
    expect(t.table.size).toBe(0);
  });
});

describe("NumericStateTable partitioned: many partitions with growth", () => {
  it("20 partitions × 5,000 keys: every key findable, partition listings exact; drop half, roll back, drop, reuse", () => {
    const t = new PTable(2, 1);
    const P = 20;
    const N = 5000;
    // Interleaved inserts: every partition grows its slots many times.
    for (let i = 0; i < N; i++) for (let p = 0; p < P; p++) t.put([i, p * 1000 + (i % 1000) + 0.25], [p * N + i]);
    expect(t.table.size).toBe(P * N);
    expect(sortValues(t.table.partitionValues())).toEqual(Array.from({ length: P }, (_, p) => p));
    for (let p = 0; p < P; p++) expect(t.table.partitionEntries(p).length).toBe(N);
    for (let i = 0; i < N; i += 7) for (let p = 0; p < P; p++) expect(t.get([i, p * 1000 + (i % 1000) + 0.25])).toEqual([p * N + i]);
    expect(t.find([0, 0])).toBe(-1);
    expect(t.find([N, 0.25])).toBe(-1);
    const all = t.dump();
    t.table.drop(t.table.takeLog());
    // Drop the even partitions, then roll back.
    let dropped = 0;
    for (let p = 0; p < P; p += 2) dropped += t.table.dropPartition(p);
    expect(dropped).toBe((P / 2) * N);
    expect(t.table.size).toBe((P / 2) * N);
    for (let i = 0; i < N; i += 11) {
      expect(t.find([i, (i % 1000) + 0.25])).toBe(-1);
      expect(t.get([i, 1000 + (i % 1000) + 0.25])).toEqual([N + i]);
    }
    t.table.rollBack(t.table.takeLog());
    expect(t.table.size).toBe(P * N);
    expect(t.dump()).toEqual(all);
    // Drop them for good and commit twice: the ids are reused by new keys.
    for (let p = 0; p < P; p += 2) t.table.dropPartition(p);
    const log = t.table.takeLog();
    t.table.drop(log);
    for (let i = 0; i < (P / 2) * N; i++) t.put([i, 100_000 + i], [i]);
    // No new id beyond those ever allocated: every insert reused a dropped id.
    const live = t.table.liveEntries();
    expect(live.length).toBe(P * N);
    expect(Math.max(...Array.from(live))).toBeLessThan(P * N);
    let listed = 0;
    for (const v of t.table.partitionValues()) {
      const es = t.table.partitionEntries(v);
      expect(new Set(es).size).toBe(es.length);
      listed += es.length;
    }
    expect(listed).toBe(P * N);
    for (let i = 0; i < (P / 2) * N; i += 13) expect(t.get([i, 100_000 + i])).toEqual([i]);
    for (let i = 0; i < N; i += 13) expect(t.get([i, 3000 + (i % 1000) + 0.25])).toEqual([3 * N + i]);
  });

  it("many keys sharing one partition and one non-time part (all of a partition's hashes equal) stay correct", () => {
    // The partition slot is left out of the hash: keys [1, t] with t in one second all collide.
    const t = new PTable();
    for (let i = 0; i < 2000; i++) t.put([1, 1000 + i / 2], [i]);
    expect(t.table.size).toBe(2000);
    for (let i = 0; i < 2000; i += 3) expect(t.get([1, 1000 + i / 2])).toEqual([i]);
    for (let i = 0; i < 2000; i += 2) expect(t.remove([1, 1000 + i / 2])).toBe(true);
    for (let i = 1; i < 2000; i += 2) expect(t.get([1, 1000 + i / 2])).toEqual([i]);
    for (let i = 0; i < 2000; i += 2) expect(t.find([1, 1000 + i / 2])).toBe(-1);
    checkInvariants(t);
  });
});

describe("NumericStateTable partitioned: hashing within a partition", () => {
  // A partition shares floor(key[slot] / width), not the time itself: keys that differ only in
  // their time within one partition (one device's events of one second, dropDuplicates on the
  // event time alone) must still hash apart, or each probe walks one cluster of them.
  it("keys that differ only in their time within one partition get different hashes", () => {
    const t = new NumericStateTable(2, 0, 1024, { slot: 1, width: 1000 });
    const key = new Float64Array(2);
    const nulls = new Uint8Array(2);
    const hashes = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      key[0] = 1;
      key[1] = 5000 + (i / 2_000) * 999;
      hashes.add(t.hashOf(key, nulls));
    }
    expect(hashes.size).toBeGreaterThan(1_990);
  });
});

describe("NumericStateTable partitioned: randomized model test", () => {
  type Model = Map<string, number[]>;

  function copy(m: Model): Model {
    return new Map([...m].map(([k, v]) => [k, [...v]]));
  }

  function modelDump(m: Model): string[] {
    return [...m].map(([k, v]) => `${k}=${JSON.stringify(v)}`).sort();
  }

  for (const seed of [1, 2, 3, 42, 2024]) {
    it(`seed ${seed}: insert / update / remove / dropPartition / commit / abort / roll back`, () => {
      const rnd = mulberry32(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const t = new PTable(2, 2);
      /** The open version's state. */
      let model: Model = new Map();
      /** The last committed version's state, and the one before (what rolling back the last log gives). */
      let committed: Model = new Map();
      let beforeCommitted: Model = new Map();
      let lastLog: UndoLog | null = null;
      /** Committed versions rolled back that had dropped a partition; dropped logs that had. */
      let rolledBackDrops = 0;
      let droppedLogsWithDrops = 0;
      const hasPartitionDrop = (log: UndoLog): boolean => Array.from(log.ops.subarray(0, log.n)).includes(4);
      const randomTime = (): number | null => {
        const r = rnd();
        if (r < 0.05) return null;
        const sec = int(12) - 2;
        const frac = rnd() < 0.3 ? 0 : rnd() < 0.5 ? int(1000) : int(1000) + int(1000) / 1000;
        return sec * 1000 + frac;
      };
      const randomKey = (): (number | null)[] => [rnd() < 0.03 ? null : int(40), randomTime()];
      const keyString = (k: KeyParts) => JSON.stringify(k);
      const liveKeys = (): (number | null)[][] => [...model.keys()].map((k) => JSON.parse(k) as (number | null)[]);

      for (let step = 0; step < 1500; step++) {
        const op = rnd();
        if (op < 0.35) {
          const k = randomKey();
          const v = [int(1000), step];
          if (t.find(k) < 0) {
            expect(model.has(keyString(k))).toBe(false);
            const e = t.insert(k);
            // A fresh entry's value slots are zero.
            expect(t.value(e)).toEqual([0, 0]);
            t.table.data.set(v, t.table.valueOffset(e));
          } else {
            expect(model.has(keyString(k))).toBe(true);
            t.put(k, v);
          }
          model.set(keyString(k), v);
        } else if (op < 0.5) {
          const keys = liveKeys();
          if (keys.length > 0) {
            const k = keys[int(keys.length)] as (number | null)[];
            const e = t.find(k);
            expect(e).toBeGreaterThanOrEqual(0);
            t.table.willWrite(e);
            const slot = int(2);
            const nv = int(1_000_000);
            t.table.data[t.table.valueOffset(e) + slot] = nv;
            // A second willWrite of the same version does nothing harmful.
            t.table.willWrite(e);
            const mv = [...(model.get(keyString(k)) as number[])];
            mv[slot] = nv;
            model.set(keyString(k), mv);
          }
        } else if (op < 0.62) {
          const keys = liveKeys();
          const k = keys.length > 0 && rnd() < 0.9 ? (keys[int(keys.length)] as (number | null)[]) : randomKey();
          expect(t.remove(k)).toBe(model.has(keyString(k)));
          model.delete(keyString(k));
        } else if (op < 0.7) {
          const values = t.table.partitionValues();
          const v = values.length > 0 && rnd() < 0.9 ? (values[int(values.length)] as number) : int(12) - 2;
          const expected = liveKeys().filter((k) => Object.is(partitionOf(k), v) || (Number.isNaN(v) && Number.isNaN(partitionOf(k))));
          const out: number[] = [];
          expect(t.table.dropPartition(v, out)).toBe(expected.length);
          expect(out.map((e) => keyString(t.keyOf(e))).sort()).toEqual(expected.map(keyString).sort());
          // Dropped entries still readable in this version.
          for (const e of out) expect(t.value(e)).toEqual(model.get(keyString(t.keyOf(e))));
          for (const k of expected) model.delete(keyString(k));
        } else if (op < 0.85) {
          // Commit: keep only the last log, drop the one before (NumericStateStoreProvider, retainVersions 1).
          const log = t.table.takeLog();
          if (lastLog !== null) {
            if (hasPartitionDrop(lastLog)) droppedLogsWithDrops++;
            t.table.drop(lastLog);
          }
          lastLog = log;
          beforeCommitted = committed;
          committed = copy(model);
        } else if (op < 0.93) {
          t.table.rollBackOpen();
          model = copy(committed);
        } else {
          // Re-run the last committed version: abort the open one, roll the committed one back.
          t.table.rollBackOpen();
          if (lastLog !== null) {
            if (hasPartitionDrop(lastLog)) rolledBackDrops++;
            t.table.rollBack(lastLog);
            lastLog = null;
            committed = beforeCommitted;
          }
          model = copy(committed);
        }
        expect(t.table.size).toBe(model.size);
        expect(t.dump()).toEqual(modelDump(model));
        if (step % 25 === 0 || op >= 0.62) {
          for (const k of liveKeys()) expect(t.get(k)).toEqual(model.get(keyString(k)));
          // Partition listings are exact.
          const byPart = new Map<string, string[]>();
          for (const k of liveKeys()) {
            const p = String(partitionOf(k));
            byPart.set(p, [...(byPart.get(p) ?? []), keyString(k)]);
          }
          const listed = new Map<string, string[]>();
          for (const v of t.table.partitionValues()) {
            const ks = t.partitionKeys(v);
            if (ks.length > 0) listed.set(String(v), ks);
          }
          expect([...listed.keys()].sort()).toEqual([...byPart.keys()].sort());
          for (const [p, ks] of byPart) expect(listed.get(p)).toEqual(ks.sort());
          checkInvariants(t);
        }
      }
      // The interesting paths were taken.
      expect(rolledBackDrops).toBeGreaterThan(0);
      expect(droppedLogsWithDrops).toBeGreaterThan(0);
    });
  }
});

describe("NumericStateTable partitioned: removeUpTo", () => {
  function table(): { t: NumericStateTable; put: (k: number, time: number | null) => number } {
    const t = new NumericStateTable(2, 1, 1024, { slot: 1, width: 1000 });
    const key = new Float64Array(2);
    const nulls = new Uint8Array(2);
    return {
      t,
      put(k, time) {
        key[0] = k;
        key[1] = time ?? 0;
        nulls[1] = time === null ? 1 : 0;
        return t.insert(key, nulls, t.hashOf(key, nulls));
      },
    };
  }

  it("removes whole partitions below the limit and, in the partition it falls in, only the entries at or below it", () => {
    const { t, put } = table();
    const below = [put(1, 100), put(2, 999.5), put(3, 1000), put(4, 1500.25)];
    const above = [put(5, 1500.5), put(6, 1999), put(7, 2000)];
    const never = put(8, null);
    const out: number[] = [];
    expect(t.removeUpTo(1500.25, out)).toBe(4);
    expect(new Set(out)).toEqual(new Set(below));
    for (const e of below) expect(t.alive[e]).not.toBe(1);
    for (const e of [...above, never]) expect(t.alive[e]).toBe(1);
    expect(t.size).toBe(4);
  });

  it("drops the partition the limit falls in at once when all of it is at or below the limit, and rolls back", () => {
    const { t, put } = table();
    const es = [put(1, 3000), put(2, 3000), put(3, 3000.5)];
    t.takeLog();
    const out: number[] = [];
    expect(t.removeUpTo(3000.5, out)).toBe(3);
    expect(t.partitionValues()).toEqual([]);
    t.rollBackOpen();
    expect(t.size).toBe(3);
    expect(new Set(t.partitionEntries(3))).toEqual(new Set(es));
  });

  it("an unpartitioned table removes nothing", () => {
    const t = new NumericStateTable(1, 1);
    t.insert(Float64Array.of(1), new Uint8Array(1), t.hashOf(Float64Array.of(1), new Uint8Array(1)));
    expect(t.removeUpTo(Infinity)).toBe(0);
    expect(t.size).toBe(1);
  });
});

describe("NumericStateTable: a key's partition at the edges of a time range", () => {
  it("puts every time in floor(time / width), just below, at and just above a boundary, with fractional widths", () => {
    for (const width of [1000, 60_000, 0.1, 3]) {
      const t = new PTable(2, 1, 1, width);
      const times: number[] = [];
      for (const q of [-2, -1, 0, 1, 5, 2 ** 40]) {
        const b = q * width;
        // Rows in time order (the last partition is kept at hand), then out of order.
        for (const x of [b - Math.abs(b) * 2 ** -50 - 1e-9, b - Math.abs(b) * 2 ** -53, b, b + Math.abs(b) * 2 ** -52, b + width / 2]) times.push(x);
      }
      const order = [...times, ...[...times].reverse()];
      order.forEach((x, i) => t.put([i % 3, x], [i]));
      let found = 0;
      for (const x of new Set(times)) {
        for (let id = 0; id < 3; id++) {
          const e = t.find([id, x]);
          if (e < 0) continue;
          found++;
          expect(t.table.partitionEntries(Math.floor(x / width)), `${x} / ${width}`).toContain(e);
        }
      }
      // One entry per distinct (id, time): each was put twice, and found in its own partition.
      expect(found).toBe(t.table.size);
      for (const v of t.table.partitionValues()) for (const e of t.table.partitionEntries(v)) expect(Math.floor((t.keyOf(e)[1] as number) / width)).toBe(v);
    }
  });
});
