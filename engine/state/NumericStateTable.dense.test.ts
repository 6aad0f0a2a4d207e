/**
 * NumericStateTable's dense partitions (`denseSlot`): a table that indexes partitions by an
 * integer key slot must answer every operation exactly as one that hashes them all — same
 * entry ids, same `inserted`, same live entries, keys and values — through partitions turning
 * dense, keys that do not fit (a fraction, NaN, a null, another window, a key far out of range)
 * turning them back, removals, undo logs rolled back and dropped, and expiry by watermark.
 * Entry ids may differ (a partition compacted at another time frees its ids in another order):
 * entries are compared by key.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../util/prng";
import { NumericStateTable, type UndoLog } from "./NumericStateTable";

/** Keys [window start, window end, id]: partitioned by the end, dense by the id (slot 2). */
const KW = 3;

function tables(): [NumericStateTable, NumericStateTable] {
  return [new NumericStateTable(KW, 1, 1024, { slot: 1, width: 1 }, 2), new NumericStateTable(KW, 1, 1024, { slot: 1, width: 1 })];
}

interface Odds {
  /** Chance that a key does not fit a dense partition. */
  readonly odd: number;
}

function randomKey(rnd: () => number, end: number, o: Odds, key: Float64Array, nulls: Uint8Array): void {
  key[0] = end - 60;
  key[1] = end;
  key[2] = Math.floor(rnd() * 2000);
  nulls.fill(0);
  if (rnd() >= o.odd) return;
  const kind = Math.floor(rnd() * 6);
  if (kind === 0) key[2] += 0.5;
  else if (kind === 1) key[2] = NaN;
  else if (kind === 2) key[0] = end - 30;
  else if (kind === 3) key[2] = 1e9 + Math.floor(rnd() * 10);
  else if (kind === 4) key[2] = -Math.floor(rnd() * 5000);
  else nulls[2] = 1;
}

/** Ids 0..n−1 in window [start, end) of table t (through `key`). */
function insertIds(t: NumericStateTable, key: Float64Array, start: number, end: number, n = 1000): void {
  for (let id = 0; id < n; id++) {
    key.set([start, end, id]);
    t.findOrInsertKey(key);
  }
}

/** Entry e's key and null flags. */
function keyOf(t: NumericStateTable, e: number): string {
  const k = t.keyOffset(e);
  return `${Array.from(t.data.subarray(k, k + KW)).join(",")}|${Array.from(t.keyNulls.subarray(e * KW, e * KW + KW)).join("")}`;
}

/** Every live entry's key and value, sorted. */
function snapshot(t: NumericStateTable): string[] {
  return Array.from(t.liveEntries(), (e) => `${keyOf(t, e)}=${t.data[t.valueOffset(e)]}`).sort();
}

/** The live entry of table t with the key of entry e of table `from`. */
function sameEntry(t: NumericStateTable, from: NumericStateTable, e: number): number {
  const k = from.keyOffset(e);
  const key = from.data.slice(k, k + KW);
  const nulls = from.keyNulls.slice(e * KW, e * KW + KW);
  return t.find(key, nulls, t.hashOf(key, nulls));
}

function run(seed: number, o: Odds, steps: number): { denseSeen: number } {
  const rnd = mulberry32(seed);
  const [dense, hashed] = tables();
  const both = [dense, hashed] as const;
  const key = new Float64Array(KW);
  const nulls = new Uint8Array(KW);
  const logs: UndoLog[][] = [];
  let base = 60;
  let denseSeen = 0;
  for (let step = 0; step < steps; step++) {
    const r = rnd();
    // Rows of the current window and the next two, mostly the current one.
    const end = base + 60 * (rnd() < 0.8 ? 0 : Math.floor(rnd() * 3));
    randomKey(rnd, end, o, key, nulls);
    const hasNull = nulls.includes(1);
    if (r < 0.9) {
      if (!hasNull && rnd() < 0.7) {
        const a = dense.findOrInsertKey(key);
        const b = hashed.findOrInsertNoNulls(key, hashed.hashOf(key, nulls));
        expect([keyOf(dense, a), dense.inserted]).toEqual([keyOf(hashed, b), hashed.inserted]);
        for (const [t, e] of [
          [dense, a],
          [hashed, b],
        ] as const) {
          if (!t.inserted) t.willWrite(e);
          t.data[t.valueOffset(e)] += 1;
        }
      } else {
        const a = dense.find(key, nulls, dense.hashOf(key, nulls));
        const b = hashed.find(key, nulls, hashed.hashOf(key, nulls));
        expect(a < 0 ? "" : keyOf(dense, a)).toBe(b < 0 ? "" : keyOf(hashed, b));
        if (a < 0) expect(keyOf(dense, dense.insert(key, nulls, dense.hashOf(key, nulls)))).toBe(keyOf(hashed, hashed.insert(key, nulls, hashed.hashOf(key, nulls))));
      }
    } else if (r < 0.95) {
      const live = hashed.liveEntries();
      if (live.length > 0) {
        const e = live[Math.floor(rnd() * live.length)] as number;
        const d = sameEntry(dense, hashed, e);
        expect(d).toBeGreaterThanOrEqual(0);
        dense.remove(d);
        hashed.remove(e);
      }
    } else if (r < 0.975) {
      // Commit a version: keep the last two logs, drop older ones.
      logs.push(both.map((t) => t.takeLog()));
      while (logs.length > 2) {
        const old = logs.shift() as UndoLog[];
        both.forEach((t, i) => t.drop(old[i] as UndoLog));
      }
    } else if (r < 0.98) {
      // Abort the open version, sometimes the last committed one too.
      for (const t of both) t.rollBackOpen();
      const last = rnd() < 0.5 ? logs.pop() : undefined;
      if (last !== undefined) both.forEach((t, i) => t.rollBack(last[i] as UndoLog));
    } else if (r < 0.9995) {
      // Look up a removed or expired key too: both miss it.
      const a = dense.find(key, nulls, dense.hashOf(key, nulls));
      const b = hashed.find(key, nulls, hashed.hashOf(key, nulls));
      expect(a < 0 ? "" : keyOf(dense, a)).toBe(b < 0 ? "" : keyOf(hashed, b));
    } else {
      // The watermark passes the current window: expire it, move on.
      expect(dense.removeUpTo(base)).toBe(hashed.removeUpTo(base));
      base += 60;
    }
    denseSeen = Math.max(denseSeen, dense.densePartitions());
    if (step % 997 === 0) {
      expect(dense.size).toBe(hashed.size);
      expect(snapshot(dense)).toEqual(snapshot(hashed));
    }
  }
  expect(snapshot(dense)).toEqual(snapshot(hashed));
  expect(hashed.densePartitions()).toBe(0);
  return { denseSeen };
}

describe("NumericStateTable dense partitions", () => {
  it("answer as hashed ones when every key fits: partitions turn dense and later ones start dense", () => {
    const { denseSeen } = run(1, { odd: 0 }, 60_000);
    expect(denseSeen).toBeGreaterThanOrEqual(2);
  });

  it("answer as hashed ones when some keys do not fit (fractions, NaN, nulls, another window, far ids)", () => {
    for (const [seed, odd] of [
      [2, 0.0005],
      [3, 0.002],
      [4, 0.02],
    ] as const) {
      run(seed, { odd }, 40_000);
    }
  });

  it("find a key by its integer, and miss what a dense partition cannot hold", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    insertIds(t, key, 0, 60);
    expect(t.densePartitions()).toBe(1);
    for (const probe of [-0, 999, 0.5, NaN, Infinity, 1000, -1, 2 ** 40]) {
      key.set([0, 60, probe]);
      const expected = Number.isInteger(probe) && probe >= 0 && probe < 1000;
      expect(t.find(key, nulls, t.hashOf(key, nulls)) >= 0).toBe(expected);
    }
    // The same id in another window of the same end is another key: the partition hashes.
    key.set([30, 60, 5]);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(-1);
    const e = t.findOrInsertKey(key);
    expect(t.inserted).toBe(true);
    expect(t.densePartitions()).toBe(0);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(e);
    key.set([0, 60, 5]);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBeGreaterThanOrEqual(0);
    expect(t.size).toBe(1001);
  });

  it("a key whose integer is taken, inserted without a find first, leaves the other findable", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    insertIds(t, key, 0, 60);
    key.set([30, 60, 7]);
    const other = t.insert(key, nulls, t.hashOf(key, nulls));
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(other);
    key.set([0, 60, 7]);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBeGreaterThanOrEqual(0);
    expect(t.densePartitions()).toBe(0);
  });

  it("an id far out of a dense partition's range turns it back to hashing, not into a huge index", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    insertIds(t, key, 0, 60);
    const before = t.byteSize();
    key.set([0, 60, 1e7]);
    const far = t.findOrInsertKey(key);
    expect(t.densePartitions()).toBe(0);
    expect(t.byteSize() - before).toBeLessThan(1e6);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(far);
  });

  it("partitions whose keys cannot be dense do not keep another partition from turning dense", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    // Ten partitions whose ids repeat across two windows of one end: each hashes for good.
    for (let end = 60; end <= 600; end += 60) {
      for (let id = 0; id < 600; id++) {
        key.set([end - (id % 2 === 0 ? 60 : 30), end, id >> 1]);
        t.findOrInsertKey(key);
      }
    }
    expect(t.densePartitions()).toBe(0);
    insertIds(t, key, 6000, 6060);
    expect(t.densePartitions()).toBe(1);
    expect(t.size).toBe(10 * 600 + 1000);
  });

  it("a null is not the integer its slot holds", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    insertIds(t, key, 0, 60);
    expect(t.densePartitions()).toBe(1);
    nulls[2] = 1;
    for (const v of [0, 5]) {
      key.set([0, 60, v]);
      expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(-1);
    }
    const e = t.insert(key, nulls, t.hashOf(key, nulls));
    expect(t.densePartitions()).toBe(0);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(e);
    nulls[2] = 0;
    expect(t.find(key, nulls, t.hashOf(key, nulls))).not.toBe(e);
  });

  for (const [what, odd] of [
    ["a fraction", [0, 60, 2.5]],
    ["NaN", [0, 60, NaN]],
    ["two keys with one integer", [30, 60, 7]],
    ["an id far out of range", [0, 60, 1e7]],
  ] as const) {
    it(`a hashed partition holding ${what} stays hashed as it grows`, () => {
      const [t] = tables();
      const key = new Float64Array(KW);
      const nulls = new Uint8Array(KW);
      key.set(odd);
      const oddEntry = t.findOrInsertKey(key);
      insertIds(t, key, 0, 60);
      expect(t.densePartitions()).toBe(0);
      key.set(odd);
      expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(oddEntry);
      expect(t.size).toBe(1001);
    });
  }

  it("a removed key an undo log may bring back keeps its own offset", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    key.set([30, 60, 7]);
    const removed = t.findOrInsertKey(key);
    t.drop(t.takeLog());
    t.remove(removed);
    // [0, 60, 7] would take the removed key's offset: the partition must not turn dense.
    insertIds(t, key, 0, 60);
    expect(t.densePartitions()).toBe(0);
    t.rollBackOpen();
    key.set([30, 60, 7]);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(removed);
    expect(t.size).toBe(1);
  });

  it("a removed key is not found in a partition that turned dense, and comes back with a rollback", () => {
    const [t] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    key.set([0, 60, 7]);
    const removed = t.findOrInsertKey(key);
    t.drop(t.takeLog());
    t.remove(removed);
    for (let id = 100; id < 1100; id++) {
      key.set([0, 60, id]);
      t.findOrInsertKey(key);
    }
    expect(t.densePartitions()).toBe(1);
    key.set([0, 60, 7]);
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(-1);
    t.rollBackOpen();
    expect(t.find(key, nulls, t.hashOf(key, nulls))).toBe(removed);
    expect(t.size).toBe(1);
  });
});

describe("NumericStateTable dense partitions: cases a review found", () => {
  it("a partition turned back to hashing keeps hash slots for the removed entries a rollback relinks", () => {
    // Run in a child process: on failure rollBackOpen never returns (link probes a full slot array forever).
    const url = new URL("./NumericStateTable.ts", import.meta.url).href;
    const code = `
      const { NumericStateTable } = await import(${JSON.stringify(url)});
      const t = new NumericStateTable(3, 1, 1024, { slot: 1, width: 1 }, 2);
      const key = new Float64Array(3);
      const ids = [];
      for (let id = 0; id < 1000; id++) { key.set([0, 60, id]); ids.push(t.findOrInsertKey(key)); }
      if (t.densePartitions() !== 1) throw new Error("not dense");
      t.drop(t.takeLog());
      // 990 removed (alive 2, an undo log may bring them back); 10 left.
      for (let i = 10; i < 1000; i++) t.remove(ids[i]);
      // A fraction: the partition hashes, its slots sized for the 10 live entries (64 slots).
      key.set([0, 60, 2.5]);
      t.findOrInsertKey(key);
      if (t.densePartitions() !== 0) throw new Error("still dense");
      // The abort relinks the 990 removed entries into those 64 slots.
      t.rollBackOpen();
      process.stdout.write(String(t.size));
    `;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { timeout: 8_000, encoding: "utf8" });
    expect(r.error?.message ?? r.stderr).toBe("");
    expect(r.stdout).toBe("1000");
  });

  it("a key just below a dense range of ids past 2^53 goes in as in a hashed table (no RangeError)", () => {
    const [dense, hashed] = tables();
    const key = new Float64Array(KW);
    const nulls = new Uint8Array(KW);
    // 256 ids from 2^53 in steps of 2 (doubles there are even), spanning 513: the partition turns dense
    // (before ids past 2^50 were kept hashed) with an index of 577 places (odd).
    for (let i = 0; i <= 256; i++) {
      if (i === 255) continue;
      key.set([0, 60, 2 ** 53 + 2 * i]);
      dense.findOrInsertKey(key);
      hashed.findOrInsertNoNulls(key, hashed.hashOf(key, nulls));
    }
    // 2^53 + 577 rounds down to 2^53 + 576: extending the index to the left copies 577 ids into 576 places.
    key.set([0, 60, 2 ** 53 - 1]);
    const b = hashed.findOrInsertNoNulls(key, hashed.hashOf(key, nulls));
    const a = dense.findOrInsertKey(key);
    expect([keyOf(dense, a), dense.inserted]).toEqual([keyOf(hashed, b), hashed.inserted]);
    expect(snapshot(dense)).toEqual(snapshot(hashed));
  });
});
