/**
 * NumericStateTable: a typed-array hash table of numeric keys (nullable parts) to numeric
 * value slots, with an undo log per version (rollBack / drop).
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../util/prng";
import { NumericStateTable, type UndoLog } from "./NumericStateTable";

type KeyParts = readonly (number | null)[];

/** A thin helper over a table: keys given as arrays of numbers and nulls. */
class Harness {
  readonly table: NumericStateTable;
  private readonly key: Float64Array;
  private readonly nulls: Uint8Array;

  constructor(keyWidth: number, valueWidth: number, expected?: number) {
    this.table = new NumericStateTable(keyWidth, valueWidth, expected);
    this.key = new Float64Array(keyWidth);
    this.nulls = new Uint8Array(keyWidth);
  }

  private encode(parts: KeyParts): void {
    expect(parts.length).toBe(this.table.kw);
    parts.forEach((p, i) => {
      this.key[i] = p ?? 0;
      this.nulls[i] = p === null ? 1 : 0;
    });
  }

  find(parts: KeyParts): number {
    this.encode(parts);
    return this.table.find(this.key, this.nulls, this.table.hashOf(this.key, this.nulls));
  }

  insert(parts: KeyParts): number {
    this.encode(parts);
    return this.table.insert(this.key, this.nulls, this.table.hashOf(this.key, this.nulls));
  }

  /** Inserts (or finds) the key and sets its value slots, logging the old value first. */
  put(parts: KeyParts, value: readonly number[]): number {
    let e = this.find(parts);
    if (e < 0) e = this.insert(parts);
    else this.table.willWrite(e);
    // Read the array after insert: it is reallocated when the table grows.
    this.table.data.set(value, this.table.valueOffset(e));
    return e;
  }

  /** Writes value slot j of entry e in place (the caller logged it with willWrite). */
  setSlot(e: number, j: number, v: number): void {
    this.table.data[this.table.valueOffset(e) + j] = v;
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

  /** The stored key of entry e (nulls as null). */
  keyOf(e: number): (number | null)[] {
    const kw = this.table.kw;
    const out: (number | null)[] = [];
    const at = this.table.keyOffset(e);
    for (let k = 0; k < kw; k++) out.push(this.table.keyNulls[e * kw + k] === 1 ? null : (this.table.data[at + k] as number));
    return out;
  }
}

/** A model key: NaN groups with NaN, -0 with 0, null apart from every number. */
function modelKey(parts: KeyParts): string {
  return parts.map((p) => (p === null ? "null" : Number.isNaN(p) ? "NaN" : String(p === 0 ? 0 : p))).join("|");
}

describe("NumericStateTable lookups", () => {
  it("find on an empty table returns -1", () => {
    const h = new Harness(2, 1);
    expect(h.find([1, 2])).toBe(-1);
    expect(h.table.size).toBe(0);
  });

  it("an inserted key is found at the id insert returned, with its key stored", () => {
    const h = new Harness(2, 1);
    const a = h.insert([1, 2]);
    const b = h.insert([2, 1]);
    expect(a).not.toBe(b);
    expect(h.find([1, 2])).toBe(a);
    expect(h.find([2, 1])).toBe(b);
    expect(h.keyOf(a)).toEqual([1, 2]);
    expect(h.table.size).toBe(2);
  });

  it("null parts are distinct from 0 and from each other's positions", () => {
    const h = new Harness(2, 1);
    const ids = [h.insert([null, 0]), h.insert([0, null]), h.insert([0, 0]), h.insert([null, null])];
    expect(new Set(ids).size).toBe(4);
    expect(h.find([null, 0])).toBe(ids[0]);
    expect(h.find([0, null])).toBe(ids[1]);
    expect(h.find([0, 0])).toBe(ids[2]);
    expect(h.find([null, null])).toBe(ids[3]);
    expect(h.keyOf(ids[3] as number)).toEqual([null, null]);
    expect(h.find([null, 1])).toBe(-1);
  });

  it("NaN keys find NaN keys (Spark normalizes NaN in grouping keys)", () => {
    const h = new Harness(1, 1);
    const e = h.insert([NaN]);
    expect(h.find([NaN])).toBe(e);
    expect(h.find([0])).toBe(-1);
    expect(h.find([null])).toBe(-1);
    const h2 = new Harness(2, 1);
    const e2 = h2.insert([NaN, 3]);
    expect(h2.find([NaN, 3])).toBe(e2);
    expect(h2.find([NaN, 4])).toBe(-1);
  });

  it("-0 and 0 are the same key", () => {
    const h = new Harness(1, 1);
    const e = h.insert([-0]);
    expect(h.find([0])).toBe(e);
    const f = new Harness(1, 1);
    const e2 = f.insert([0]);
    expect(f.find([-0])).toBe(e2);
  });

  it("keys that differ only below 1 are told apart", () => {
    const h = new Harness(1, 1);
    const ids = [1, 1.25, 1.5, 1.75].map((k) => h.insert([k]));
    [1, 1.25, 1.5, 1.75].forEach((k, i) => expect(h.find([k])).toBe(ids[i]));
    expect(h.find([1.1])).toBe(-1);
  });

  it("large, negative and infinite keys round-trip", () => {
    const h = new Harness(1, 1);
    const keys = [2 ** 53, -(2 ** 53), 2 ** 32, -(2 ** 32), 2 ** 32 + 1, -1, Infinity, -Infinity, Number.MIN_VALUE, 1e300];
    const ids = keys.map((k) => h.insert([k]));
    keys.forEach((k, i) => {
      expect(h.find([k])).toBe(ids[i]);
      expect(h.keyOf(ids[i] as number)).toEqual([k]);
    });
  });
});

describe("NumericStateTable findNoNulls", () => {
  function findNoNulls(h: Harness, parts: readonly number[]): number {
    const key = Float64Array.from(parts);
    return h.table.findNoNulls(key, h.table.hashOf(key, new Uint8Array(parts.length)));
  }

  it("finds what find finds for keys without nulls (NaN with NaN, -0 with 0)", () => {
    const h = new Harness(2, 1);
    const a = h.insert([1, 2]);
    const b = h.insert([NaN, -0]);
    expect(findNoNulls(h, [1, 2])).toBe(a);
    expect(findNoNulls(h, [NaN, 0])).toBe(b);
    expect(findNoNulls(h, [2, 1])).toBe(-1);
  });

  it("does not take a key with a null part for the key with 0 there", () => {
    const h = new Harness(2, 1);
    const a = h.insert([1, 0]);
    const n = h.insert([1, null]);
    expect(n).not.toBe(a);
    expect(findNoNulls(h, [1, 0])).toBe(a);
    h.table.remove(a);
    // Only [1, null] is left: its stored slot is 0, but it is not the key [1, 0].
    expect(findNoNulls(h, [1, 0])).toBe(-1);
    expect(h.find([1, null])).toBe(n);
  });
});

describe("NumericStateTable values", () => {
  it("a new entry's value slots are zero", () => {
    const h = new Harness(1, 3);
    const e = h.insert([7]);
    expect(h.value(e)).toEqual([0, 0, 0]);
  });

  it("a reused id's value slots are zeroed again on insert", () => {
    const h = new Harness(1, 2);
    const e = h.put([1], [5, 6]);
    h.table.remove(e);
    const log = h.table.takeLog();
    h.table.drop(log);
    const e2 = h.insert([2]);
    expect(e2).toBe(e);
    expect(h.value(e2)).toEqual([0, 0]);
  });

  it("in-place edits after willWrite are rolled back to the version's first value", () => {
    const h = new Harness(1, 2);
    const e = h.put([1], [10, 20]);
    h.table.takeLog();
    expect(h.table.willWrite(e)).toBe(true);
    h.setSlot(e, 0, 11);
    expect(h.table.willWrite(e)).toBe(false);
    h.setSlot(e, 1, 21);
    h.table.willWrite(e);
    h.setSlot(e, 0, 12);
    expect(h.value(e)).toEqual([12, 21]);
    h.table.rollBackOpen();
    expect(h.value(e)).toEqual([10, 20]);
    expect(h.find([1])).toBe(e);
  });

  it("willWrite reports only the version's first write of an entry that existed before it", () => {
    const h = new Harness(1, 1);
    const old = h.insert([1]);
    h.table.takeLog();
    const fresh = h.insert([2]);
    expect(h.table.willWrite(fresh)).toBe(false);
    expect(h.table.willWrite(old)).toBe(true);
    expect(h.table.willWrite(old)).toBe(false);
    h.table.takeLog();
    expect(h.table.willWrite(old)).toBe(true);
  });

  it("rolls back two committed versions newest first", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [1]);
    const l1 = h.table.takeLog();
    h.put([1], [2]);
    const l2 = h.table.takeLog();
    h.put([1], [3]);
    const l3 = h.table.takeLog();
    expect(h.value(e)).toEqual([3]);
    h.table.rollBack(l3);
    expect(h.value(e)).toEqual([2]);
    h.table.rollBack(l2);
    expect(h.value(e)).toEqual([1]);
    h.table.rollBack(l1);
    expect(h.find([1])).toBe(-1);
    expect(h.table.size).toBe(0);
  });

  it("writes after a rollBack are logged again (a second rollBack restores them too)", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [1]);
    h.table.takeLog();
    h.put([1], [2]);
    h.table.rollBackOpen();
    expect(h.value(e)).toEqual([1]);
    h.put([1], [3]);
    h.table.rollBackOpen();
    expect(h.value(e)).toEqual([1]);
  });
});

describe("NumericStateTable rollBack of inserts and removes", () => {
  it("rolling back an insert removes the key", () => {
    const h = new Harness(1, 1);
    h.put([1], [1]);
    h.table.takeLog();
    h.put([2], [2]);
    expect(h.table.size).toBe(2);
    h.table.rollBackOpen();
    expect(h.find([2])).toBe(-1);
    expect(h.get([1])).toEqual([1]);
    expect(h.table.size).toBe(1);
  });

  it("rolling back a remove restores the key at its id with its value", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [42]);
    h.put([2], [43]);
    h.table.takeLog();
    expect(h.remove([1])).toBe(true);
    expect(h.find([1])).toBe(-1);
    expect(h.table.size).toBe(1);
    h.table.rollBackOpen();
    expect(h.find([1])).toBe(e);
    expect(h.value(e)).toEqual([42]);
    expect(h.table.size).toBe(2);
  });

  it("an edit then a remove of one entry in one version rolls back to the old value", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [5]);
    h.table.takeLog();
    h.put([1], [6]);
    h.remove([1]);
    h.table.rollBackOpen();
    expect(h.find([1])).toBe(e);
    expect(h.value(e)).toEqual([5]);
  });

  it("insert then remove of a key in one version rolls back to no key", () => {
    const h = new Harness(1, 1);
    h.put([1], [1]);
    h.table.takeLog();
    h.put([2], [2]);
    h.remove([2]);
    expect(h.table.size).toBe(1);
    h.table.rollBackOpen();
    expect(h.find([2])).toBe(-1);
    expect(h.table.size).toBe(1);
    expect(h.table.liveEntries().length).toBe(1);
  });

  it("remove then reinsert of a key in one version gets a new id; rollBack restores the old entry", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [7]);
    h.table.takeLog();
    h.remove([1]);
    const e2 = h.put([1], [8]);
    expect(e2).not.toBe(e);
    expect(h.get([1])).toEqual([8]);
    expect(h.table.size).toBe(1);
    h.table.rollBackOpen();
    expect(h.find([1])).toBe(e);
    expect(h.value(e)).toEqual([7]);
    expect(h.table.size).toBe(1);
    expect(Array.from(h.table.liveEntries())).toEqual([e]);
  });

  it("an id freed by rolling back an insert is reused, and a freed id is never handed out twice", () => {
    const h = new Harness(1, 1);
    h.table.takeLog();
    const e = h.put([1], [1]);
    h.put([1], [2]);
    h.remove([1]);
    h.table.rollBackOpen();
    const a = h.insert([10]);
    const b = h.insert([11]);
    expect(a).not.toBe(b);
    expect(h.find([10])).toBe(a);
    expect(h.find([11])).toBe(b);
    expect([a, b]).toContain(e);
  });
});

describe("NumericStateTable removed entries and id reuse", () => {
  it("a removed entry's key and value stay readable in the same version", () => {
    const h = new Harness(2, 2);
    const e = h.put([3, null], [1.5, 2.5]);
    h.table.remove(e);
    expect(h.find([3, null])).toBe(-1);
    expect(h.keyOf(e)).toEqual([3, null]);
    expect(h.value(e)).toEqual([1.5, 2.5]);
    // Inserts in the same version do not overwrite it.
    for (let k = 0; k < 100; k++) h.put([k, k], [k, k]);
    expect(h.keyOf(e)).toEqual([3, null]);
    expect(h.value(e)).toEqual([1.5, 2.5]);
  });

  it("remove of a removed entry is a no-op", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [1]);
    h.put([2], [2]);
    h.table.remove(e);
    h.table.remove(e);
    expect(h.table.size).toBe(1);
    h.table.rollBackOpen();
    expect(h.table.size).toBe(0);
  });

  it("a removed id is not reused while the log that removed it is kept, and is reused after drop", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [1]);
    const l0 = h.table.takeLog();
    h.table.remove(e);
    const l1 = h.table.takeLog();
    const later: number[] = [];
    for (let k = 2; k < 10; k++) later.push(h.insert([k]));
    expect(later).not.toContain(e);
    const l2 = h.table.takeLog();
    h.table.drop(l0);
    expect(h.insert([100])).not.toBe(e);
    h.table.drop(l1);
    expect(h.insert([101])).toBe(e);
    expect(h.value(e)).toEqual([0]);
    h.table.drop(l2);
  });

  it("dropping a log whose removal was rolled back frees nothing", () => {
    const h = new Harness(1, 1);
    const e = h.put([1], [1]);
    h.table.takeLog();
    h.table.remove(e);
    const l = h.table.takeLog();
    h.table.rollBack(l);
    h.table.drop(l);
    const e2 = h.insert([2]);
    expect(e2).not.toBe(e);
    expect(h.get([1])).toEqual([1]);
  });

  it("liveEntries and forEachEntry list the live ids in id order", () => {
    const h = new Harness(1, 1);
    const ids = [1, 2, 3, 4].map((k) => h.insert([k]));
    h.table.remove(ids[1] as number);
    const seen: number[] = [];
    h.table.forEachEntry((e) => seen.push(e));
    expect(Array.from(h.table.liveEntries())).toEqual([ids[0], ids[2], ids[3]]);
    expect(seen).toEqual([ids[0], ids[2], ids[3]]);
  });

  it("changedEntries lists the version's inserts, writes and removes in order", () => {
    const h = new Harness(1, 1);
    const a = h.put([1], [1]);
    const b = h.put([2], [1]);
    h.table.takeLog();
    h.put([2], [5]);
    h.remove([1]);
    const c = h.put([3], [1]);
    const log: UndoLog = h.table.takeLog();
    expect(Array.from(log.changedEntries())).toEqual([b, a, c]);
  });
});

describe("NumericStateTable growth", () => {
  it("grows past 1024 entries and keeps every key and value", () => {
    const h = new Harness(1, 1);
    for (let k = 0; k < 5000; k++) h.put([k], [k * 2]);
    expect(h.table.size).toBe(5000);
    const wrong: number[] = [];
    for (let k = 0; k < 5000; k++) if (h.get([k])?.[0] !== k * 2) wrong.push(k);
    expect(wrong).toEqual([]);
    expect(h.find([5000])).toBe(-1);
  });

  it("a table sized for more entries than 1024 starts large", () => {
    const small = new NumericStateTable(1, 1);
    const big = new NumericStateTable(1, 1, 5000);
    expect(big.byteSize()).toBeGreaterThan(small.byteSize() * 4);
  });

  it("50k random keys match a Map model, and a rollBack of the growth version restores the old state", () => {
    const r = mulberry32(12345);
    const h = new Harness(2, 2);
    const model = new Map<string, number[]>();
    const base: KeyParts[] = [];
    for (let i = 0; i < 500; i++) {
      const k: KeyParts = [Math.floor(r() * 1e6), r() < 0.1 ? null : Math.floor(r() * 100)];
      if (model.has(modelKey(k))) continue;
      base.push(k);
      model.set(modelKey(k), [i, -i]);
      h.put(k, [i, -i]);
    }
    const before = new Map(model);
    h.table.takeLog();
    const added: KeyParts[] = [];
    for (let i = 0; i < 50_000; i++) {
      const k: KeyParts = [r() < 0.5 ? Math.floor(r() * 1e9) - 5e8 : r() * 1e6, r() < 0.05 ? null : Math.floor(r() * 4)];
      const v = [r() * 100, i];
      model.set(modelKey(k), v);
      h.put(k, v);
      added.push(k);
    }
    expect(h.table.size).toBe(model.size);
    const all = [...base, ...added];
    expect(all.map((k) => h.get(k))).toEqual(all.map((k) => model.get(modelKey(k))));
    const live = new Set<string>();
    h.table.forEachEntry((e) => live.add(modelKey(h.keyOf(e))));
    expect(live).toEqual(new Set(model.keys()));

    h.table.rollBackOpen();
    expect(h.table.size).toBe(before.size);
    expect(base.map((k) => h.get(k))).toEqual(base.map((k) => before.get(modelKey(k))));
    expect(added.filter((k) => !before.has(modelKey(k)) && h.find(k) >= 0)).toEqual([]);
  });
});

describe("NumericStateTable against a Map model (random inserts, edits, removes, rollBacks)", () => {
  /** Keys from a small domain with many equal hashes (fractions) and nulls, so probe chains are long and deletions shift them. */
  function randomKey(r: () => number, domain: number): KeyParts {
    const a = r() < 0.05 ? null : Math.floor(r() * domain) + (r() < 0.3 ? Math.floor(r() * 4) / 4 : 0);
    const b = r() < 0.05 ? null : r() < 0.02 ? NaN : Math.floor(r() * 3);
    return [a, b];
  }

  function check(h: Harness, model: Map<string, number[]>, probes: readonly KeyParts[]): void {
    expect(h.table.size).toBe(model.size);
    const live = new Map<string, number[]>();
    const duplicates: string[] = [];
    const unreachable: number[] = [];
    h.table.forEachEntry((e) => {
      const k = modelKey(h.keyOf(e));
      if (live.has(k)) duplicates.push(k);
      live.set(k, h.value(e));
      // Every live entry is reachable by its key (probe chains intact).
      if (h.find(h.keyOf(e)) !== e) unreachable.push(e);
    });
    expect(duplicates).toEqual([]);
    expect(unreachable).toEqual([]);
    expect(live).toEqual(model);
    expect(probes.map((k) => h.get(k))).toEqual(probes.map((k) => model.get(modelKey(k))));
    // findNoNulls agrees with find for the keys without nulls.
    const noNulls = probes.filter((k) => !k.includes(null)) as (readonly number[])[];
    expect(noNulls.map((k) => h.table.findNoNulls(Float64Array.from(k), h.table.hashOf(Float64Array.from(k), new Uint8Array(k.length))))).toEqual(noNulls.map((k) => h.find(k)));
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: every key stays findable through removes and rollBacks`, () => {
      const r = mulberry32(seed);
      const domain = seed * 700;
      const h = new Harness(2, 2);
      let model = new Map<string, number[]>();
      /** Committed versions: the model and the undo log that turns the next version back into it. */
      let committed = new Map(model);
      const kept: { log: UndoLog; model: Map<string, number[]> }[] = [];
      const probes: KeyParts[] = [];
      for (let step = 0; step < 40; step++) {
        const ops = 50 + Math.floor(r() * 1500);
        for (let i = 0; i < ops; i++) {
          const k = randomKey(r, domain);
          if (probes.length < 300) probes.push(k);
          const u = r();
          if (u < 0.55) {
            const v = [Math.floor(r() * 1000), step];
            h.put(k, v);
            model.set(modelKey(k), v);
          } else {
            expect(h.remove(k)).toBe(model.has(modelKey(k)));
            model.delete(modelKey(k));
          }
        }
        const u = r();
        if (u < 0.15) {
          h.table.rollBackOpen();
          model = new Map(committed);
        } else if (u < 0.25 && kept.length > 0) {
          // Roll back this version and the last committed one (a restart re-running a batch).
          h.table.rollBackOpen();
          const last = kept.pop() as { log: UndoLog; model: Map<string, number[]> };
          h.table.rollBack(last.log);
          model = new Map(last.model);
          committed = new Map(model);
        } else {
          kept.push({ log: h.table.takeLog(), model: committed });
          committed = new Map(model);
          // Keep one committed log, as the provider does with retainVersions = 1.
          while (kept.length > 1) h.table.drop((kept.shift() as { log: UndoLog }).log);
        }
        check(h, model, probes);
      }
    });
  }
});

describe("NumericStateTable.reserve", () => {
  it("grows once to fit the entries to come; they go in without growing again", () => {
    const h = new Harness(2, 1);
    for (let i = 0; i < 10; i++) h.put([i, 0], [i]);
    h.table.reserve(5000);
    const data = h.table.data;
    expect(data.length).toBeGreaterThanOrEqual(5010 * h.table.stride);
    for (let i = 10; i < 5000; i++) h.put([i, 1], [i]);
    expect(h.table.data).toBe(data);
    // Room already there for the last ten: no growth.
    h.table.reserve(10);
    expect(h.table.data).toBe(data);
    for (let i = 5000; i < 5010; i++) h.put([i, 1], [i]);
    expect(h.table.data).toBe(data);
    expect(h.table.size).toBe(5010);
    for (let i = 0; i < 10; i++) expect(h.value(h.find([i, 0]))).toEqual([i]);
    for (let i = 10; i < 5010; i++) expect(h.value(h.find([i, 1]))).toEqual([i]);
  });

  it("grows by half when full, keeping every entry (capacities need not be powers of two)", () => {
    const h = new Harness(2, 1);
    let data = h.table.data;
    const sizes: number[] = [data.length / h.table.stride];
    for (let i = 0; i < 6000; i++) {
      h.put([i, 2], [i * 3]);
      if (h.table.data !== data) {
        data = h.table.data;
        sizes.push(data.length / h.table.stride);
      }
    }
    expect(sizes).toEqual([1024, 1536, 2304, 3456, 5184, 7776]);
    for (let i = 0; i < 6000; i++) expect(h.value(h.find([i, 2]))).toEqual([i * 3]);
  });
});
