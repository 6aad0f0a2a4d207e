/**
 * NumericStateStoreProvider through the plain StateStore contract (key and value tuples),
 * and against MemoryStateStoreProvider on the same random operation sequences.
 */
import { describe, expect, it } from "vitest";
import type { Value } from "../expressions/types";
import { SparkException } from "../util/errors";
import { mulberry32 } from "../util/prng";
import { MemoryStateStoreProvider } from "./MemoryStateStoreProvider";
import type { NumericStateFormat } from "./NumericStateFormat";
import { NumericStateStore, NumericStateStoreProvider } from "./NumericStateStoreProvider";
import type { StateKey, StateStore, StateStoreProvider } from "./StateStore";

type Tuple = readonly Value[];

const FORMAT: NumericStateFormat = { keys: ["window", "number"], values: ["number", "nullableNumber", "pair"] };

const w = (start: number, end: number): Value => ({ start, end });

function provider(format: NumericStateFormat = FORMAT, retain?: number): NumericStateStoreProvider<Tuple> {
  return new NumericStateStoreProvider<Tuple>(format, retain);
}

/** The entries of a store in a canonical order (by their JSON, with NaN and -0 spelled out). */
function sortedEntries(store: StateStore<Tuple>): [StateKey, Tuple][] {
  return [...store.entries()]
    .map((e) => ({ e, c: canon(e) }))
    .sort((a, b) => (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
    .map(({ e }) => e);
}

/** The entries of a store as sorted canonical strings (a fast comparison for the model test). */
function entryStrings(store: StateStore<Tuple>): string[] {
  return [...store.entries()].map(canon).sort();
}

function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" && (Number.isNaN(x) || !Number.isFinite(x)) ? String(x) : x));
}

async function errorClassOf(f: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(SparkException);
    return (e as SparkException).errorClass;
  }
  throw new Error("expected an error");
}

describe("NumericStateStore: get, put, remove, entries, numKeys", () => {
  it("a new provider is at version 0 with an empty store", async () => {
    const p = provider();
    expect(p.latestVersion()).toBe(0);
    const s = await p.getStore(0);
    expect(s.version).toBe(0);
    expect(s.numKeys()).toBe(0);
    expect([...s.entries()]).toEqual([]);
    expect(s.get([w(0, 10), 1])).toBeUndefined();
  });

  it("put then get returns the value tuple by format part (number, nullableNumber, pair)", async () => {
    const s = await provider().getStore(0);
    s.put([w(0, 10), 1], [3, 4.5, [9, 2]]);
    s.put([w(0, 10), 2], [0, null, [0, 0]]);
    expect(s.get([w(0, 10), 1])).toEqual([3, 4.5, [9, 2]]);
    expect(s.get([w(0, 10), 2])).toEqual([0, null, [0, 0]]);
    expect(s.get([w(0, 10), 3])).toBeUndefined();
    expect(s.numKeys()).toBe(2);
  });

  it("put of an existing key replaces its value", async () => {
    const s = await provider().getStore(0);
    s.put([w(0, 10), 1], [1, null, [1, 1]]);
    s.put([w(0, 10), 1], [2, 7, [3, 2]]);
    expect(s.get([w(0, 10), 1])).toEqual([2, 7, [3, 2]]);
    expect(s.numKeys()).toBe(1);
  });

  it("null key parts (a null window, a null number) are keys of their own", async () => {
    const s = await provider().getStore(0);
    s.put([null, 0], [1, null, [0, 0]]);
    s.put([w(0, 0), null], [2, null, [0, 0]]);
    s.put([null, null], [3, null, [0, 0]]);
    s.put([w(0, 0), 0], [4, null, [0, 0]]);
    expect(s.numKeys()).toBe(4);
    expect(s.get([null, 0])?.[0]).toBe(1);
    expect(s.get([w(0, 0), null])?.[0]).toBe(2);
    expect(s.get([null, null])?.[0]).toBe(3);
    expect(s.get([w(0, 0), 0])?.[0]).toBe(4);
    expect(sortedEntries(s).map(([k]) => k)).toEqual(
      expect.arrayContaining([
        [null, 0],
        [{ start: 0, end: 0 }, null],
        [null, null],
        [{ start: 0, end: 0 }, 0],
      ]),
    );
  });

  it("windows are compared by start and end", async () => {
    const s = await provider().getStore(0);
    s.put([w(0, 10), 1], [1, null, [0, 0]]);
    expect(s.get([w(0, 11), 1])).toBeUndefined();
    expect(s.get([w(1, 10), 1])).toBeUndefined();
    expect(s.get([{ start: 0, end: 10 }, 1])).toEqual([1, null, [0, 0]]);
  });

  it("NaN keys group with NaN, -0 with 0 (as MemoryStateStoreProvider)", async () => {
    const format: NumericStateFormat = { keys: ["number"], values: ["number"] };
    const n = await provider(format).getStore(0);
    const m = await new MemoryStateStoreProvider<Tuple>().getStore(0);
    for (const s of [n, m]) {
      s.put([NaN], [1]);
      s.put([NaN], [2]);
      s.put([-0], [3]);
      s.put([0], [4]);
      expect(s.numKeys()).toBe(2);
      expect(s.get([NaN])).toEqual([2]);
      expect(s.get([-0])).toEqual([4]);
    }
  });

  it("remove deletes a key; removing a missing key is a no-op", async () => {
    const s = await provider().getStore(0);
    s.put([w(0, 10), 1], [1, null, [0, 0]]);
    s.put([w(0, 10), 2], [2, null, [0, 0]]);
    s.remove([w(0, 10), 1]);
    s.remove([w(0, 10), 99]);
    expect(s.get([w(0, 10), 1])).toBeUndefined();
    expect(s.numKeys()).toBe(1);
    expect([...s.entries()]).toEqual([[[{ start: 0, end: 10 }, 2], [2, null, [0, 0]]]]);
  });

  it("entries decode every key and value tuple", async () => {
    const s = await provider().getStore(0);
    const expected: [StateKey, Tuple][] = [];
    for (let i = 0; i < 50; i++) {
      const k: StateKey = [i % 7 === 0 ? null : w(i * 10, i * 10 + 10), i % 5 === 0 && i % 7 !== 0 ? null : i - 25];
      const v: Tuple = [i, i % 3 === 0 ? null : i / 3, [i * 1.5, i]];
      s.put(k, v);
      expected.push([k, v]);
    }
    expect(sortedEntries(s)).toEqual(expected.sort((a, b) => (canon(a) < canon(b) ? -1 : 1)));
    expect(s.numKeys()).toBe(50);
  });

  it("memoryUsedBytes is positive and grows with the state", async () => {
    const s = await provider().getStore(0);
    const empty = s.memoryUsedBytes();
    expect(empty).toBeGreaterThan(0);
    for (let i = 0; i < 5000; i++) s.put([w(i, i + 1), i], [i, i, [i, 1]]);
    expect(s.memoryUsedBytes()).toBeGreaterThan(empty);
  });

  it("exposes the provider's table and format to operators that know the format", async () => {
    const p = provider();
    const s = await p.getStore(0);
    expect(s).toBeInstanceOf(NumericStateStore);
    const ns = s as NumericStateStore<Tuple>;
    expect(ns.format).toBe(FORMAT);
    expect(ns.table).toBe(p.table);
    expect(ns.table.kw).toBe(3);
    expect(ns.table.vw).toBe(5);
  });
});

describe("NumericStateStore: schema mismatches", () => {
  const bad: { what: string; key: StateKey; value: Tuple }[] = [
    { what: "a key with too few parts", key: [w(0, 1)], value: [1, null, [0, 0]] },
    { what: "a key with too many parts", key: [w(0, 1), 1, 2], value: [1, null, [0, 0]] },
    { what: "a string in a number key part", key: [w(0, 1), "a"], value: [1, null, [0, 0]] },
    { what: "a boolean in a number key part", key: [w(0, 1), true], value: [1, null, [0, 0]] },
    { what: "a number in a window key part", key: [5, 1], value: [1, null, [0, 0]] },
    { what: "a window without end", key: [{ start: 0 }, 1], value: [1, null, [0, 0]] },
    { what: "a value with too few parts", key: [w(0, 1), 1], value: [1, null] },
    { what: "null in a number value part", key: [w(0, 1), 1], value: [null, null, [0, 0]] },
    { what: "a string in a nullableNumber part", key: [w(0, 1), 1], value: [1, "x", [0, 0]] },
    { what: "a number in a pair part", key: [w(0, 1), 1], value: [1, null, 3] },
    { what: "a pair with a null half", key: [w(0, 1), 1], value: [1, null, [0, null]] },
  ];
  for (const b of bad) {
    it(`put of ${b.what} throws STATE_STORE_SCHEMA_MISMATCH`, async () => {
      const s = await provider().getStore(0);
      expect(await errorClassOf(() => s.put(b.key, b.value))).toBe("STATE_STORE_SCHEMA_MISMATCH");
    });
  }

  it("put of a value that is not a tuple throws STATE_STORE_SCHEMA_MISMATCH", async () => {
    const s = await provider({ keys: ["number"], values: ["number"] }).getStore(0);
    expect(await errorClassOf(() => s.put([1], 5 as unknown as Tuple))).toBe("STATE_STORE_SCHEMA_MISMATCH");
  });

  it("get and remove of a wrongly-shaped key throw STATE_STORE_SCHEMA_MISMATCH", async () => {
    const s = await provider().getStore(0);
    expect(await errorClassOf(() => s.get([1]))).toBe("STATE_STORE_SCHEMA_MISMATCH");
    expect(await errorClassOf(() => s.remove(["a", 1]))).toBe("STATE_STORE_SCHEMA_MISMATCH");
  });

  it("aborting after a rejected put leaves the committed state as it was", async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    s0.put([w(0, 1), 1], [1, 2, [3, 4]]);
    await s0.commit();
    const s1 = await p.getStore(1);
    expect(await errorClassOf(() => s1.put([w(0, 1), 1], [9, 9, "x"]))).toBe("STATE_STORE_SCHEMA_MISMATCH");
    expect(await errorClassOf(() => s1.put([w(0, 1), 2], [9, 9, "x"]))).toBe("STATE_STORE_SCHEMA_MISMATCH");
    s1.abort();
    const s2 = await p.getStore(1);
    expect(sortedEntries(s2)).toEqual([[[{ start: 0, end: 1 }, 1], [1, 2, [3, 4]]]]);
  });
});

describe("NumericStateStoreProvider versions", () => {
  it("commit makes version + 1 and the next store sees the changes", async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    s0.put([w(0, 10), 1], [1, null, [1, 1]]);
    expect(s0.hasCommitted).toBe(false);
    expect(await s0.commit()).toBe(1);
    expect(s0.hasCommitted).toBe(true);
    expect(p.latestVersion()).toBe(1);
    const s1 = await p.getStore(1);
    expect(s1.version).toBe(1);
    expect(s1.get([w(0, 10), 1])).toEqual([1, null, [1, 1]]);
  });

  it("abort rolls back puts, replacements and removes of the open version", async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    s0.put([w(0, 10), 1], [1, 1, [1, 1]]);
    s0.put([w(0, 10), 2], [2, 2, [2, 2]]);
    await s0.commit();
    const before = sortedEntries(await p.getStore(1));
    const s1 = await p.getStore(1);
    s1.put([w(0, 10), 1], [10, null, [10, 10]]);
    s1.remove([w(0, 10), 2]);
    s1.put([w(0, 10), 3], [3, 3, [3, 3]]);
    s1.put([w(0, 10), 2], [20, 20, [20, 20]]);
    s1.abort();
    expect(s1.hasCommitted).toBe(false);
    expect(p.latestVersion()).toBe(1);
    const again = await p.getStore(1);
    expect(sortedEntries(again)).toEqual(before);
    expect(again.numKeys()).toBe(2);
  });

  it("a store cannot be updated or committed after commit or abort", async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    await s0.commit();
    expect(await errorClassOf(() => s0.put([w(0, 1), 1], [1, null, [0, 0]]))).toBe("STATE_STORE_NOT_UPDATING");
    expect(await errorClassOf(() => s0.commit())).toBe("STATE_STORE_NOT_UPDATING");
    const s1 = await p.getStore(1);
    s1.abort();
    expect(await errorClassOf(() => s1.remove([w(0, 1), 1]))).toBe("STATE_STORE_NOT_UPDATING");
    expect(await errorClassOf(() => (s1 as NumericStateStore<Tuple>).table)).toBe("STATE_STORE_NOT_UPDATING");
    s1.abort(); // a second abort is a no-op
    expect(p.latestVersion()).toBe(1);
  });

  it("opening a store aborts the one still open", async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    s0.put([w(0, 1), 1], [1, null, [0, 0]]);
    const again = await p.getStore(0);
    expect(again.numKeys()).toBe(0);
    expect(await errorClassOf(() => s0.put([w(0, 1), 2], [1, null, [0, 0]]))).toBe("STATE_STORE_NOT_UPDATING");
  });

  it("getStore(latest - 1) rolls back one committed version", async () => {
    const p = provider();
    const s0 = await p.getStore(0);
    s0.put([w(0, 10), 1], [1, 1, [1, 1]]);
    s0.put([w(0, 10), 2], [2, 2, [2, 2]]);
    await s0.commit();
    const v1 = sortedEntries(await p.getStore(1));
    const s1 = await p.getStore(1);
    s1.put([w(0, 10), 1], [5, 5, [5, 5]]);
    s1.remove([w(0, 10), 2]);
    s1.put([w(0, 10), 3], [3, null, [3, 3]]);
    expect(await s1.commit()).toBe(2);
    const back = await p.getStore(1);
    expect(back.version).toBe(1);
    expect(p.latestVersion()).toBe(1);
    expect(sortedEntries(back)).toEqual(v1);
    // Version 2 is gone (a getStore aborts the open store, even one that then rejects) …
    expect(await errorClassOf(() => p.getStore(2))).toBe("CANNOT_LOAD_STATE_STORE");
    expect(back.hasCommitted).toBe(false);
    // … and re-running the batch commits a new version 2.
    const rerun = await p.getStore(1);
    expect(sortedEntries(rerun)).toEqual(v1);
    rerun.put([w(0, 10), 4], [4, 4, [4, 4]]);
    expect(await rerun.commit()).toBe(2);
    expect(sortedEntries(await p.getStore(2)).map(([k]) => k[1])).toEqual([1, 2, 4]);
  });

  it("rejects versions older than the retained one, newer than the latest, and negative ones", async () => {
    const p = provider();
    for (let v = 0; v < 3; v++) {
      const s = await p.getStore(v);
      s.put([w(v, v + 1), v], [v, null, [0, 0]]);
      await s.commit();
    }
    expect(p.latestVersion()).toBe(3);
    expect(await errorClassOf(() => p.getStore(1))).toBe("CANNOT_LOAD_STATE_STORE");
    expect(await errorClassOf(() => p.getStore(0))).toBe("CANNOT_LOAD_STATE_STORE");
    expect(await errorClassOf(() => p.getStore(4))).toBe("CANNOT_LOAD_STATE_STORE");
    expect(await errorClassOf(() => p.getStore(-1))).toBe("CANNOT_LOAD_STATE_STORE");
    // A rejected getStore changes nothing.
    expect(p.latestVersion()).toBe(3);
    expect((await p.getStore(3)).numKeys()).toBe(3);
  });

  it("retainVersions = 2 can roll back two committed versions", async () => {
    const p = provider(FORMAT, 2);
    for (let v = 0; v < 3; v++) {
      const s = await p.getStore(v);
      s.put([w(v, v + 1), v], [v, null, [0, 0]]);
      await s.commit();
    }
    expect(await errorClassOf(() => p.getStore(0))).toBe("CANNOT_LOAD_STATE_STORE");
    const s1 = await p.getStore(1);
    expect(sortedEntries(s1).map(([k]) => k[1])).toEqual([0]);
  });

  it("a key removed in a retained version is readable again after rolling it back, with its old value", async () => {
    const p = provider({ keys: ["number"], values: ["nullableNumber"] });
    const s0 = await p.getStore(0);
    for (let i = 0; i < 100; i++) s0.put([i], [i]);
    await s0.commit();
    const s1 = await p.getStore(1);
    for (let i = 0; i < 100; i += 2) s1.remove([i]);
    await s1.commit();
    // Version 2: new keys may not take the ids of the keys removed in version 1 (still retained).
    const s2 = await p.getStore(2);
    for (let i = 100; i < 200; i++) s2.put([i], [i]);
    await s2.commit();
    expect((await p.getStore(3)).numKeys()).toBe(150);
    const back = await p.getStore(2);
    expect(back.numKeys()).toBe(50);
    for (let i = 0; i < 100; i++) expect(back.get([i])).toEqual(i % 2 === 0 ? undefined : [i]);
  });
});

/** One random step of the model test, applied the same way to both stores. */
type Op = { kind: "put"; key: StateKey; value: Tuple } | { kind: "remove"; key: StateKey } | { kind: "get"; key: StateKey };

function randomOp(r: () => number, domain: number): Op {
  const start = Math.floor(r() * domain) * 10;
  const key: StateKey = [r() < 0.03 ? null : w(start, start + 10), r() < 0.05 ? null : Math.floor(r() * 5) - 2];
  const u = r();
  if (u < 0.55) return { kind: "put", key, value: [Math.floor(r() * 100), r() < 0.3 ? null : r() * 10 - 5, [Math.floor(r() * 1000), Math.floor(r() * 10)]] };
  if (u < 0.85) return { kind: "remove", key };
  return { kind: "get", key };
}

describe("NumericStateStoreProvider agrees with MemoryStateStoreProvider", () => {
  for (const seed of [11, 22, 33, 44, 55]) {
    it(`seed ${seed}: same entries after every commit, abort and getStore`, async () => {
      const r = mulberry32(seed);
      const domain = 20 + seed * 10;
      const numeric: StateStoreProvider<Tuple> = provider();
      const memory: StateStoreProvider<Tuple> = new MemoryStateStoreProvider<Tuple>();
      const compare = (a: StateStore<Tuple>, b: StateStore<Tuple>, at: string): void => {
        expect(entryStrings(a), at).toEqual(entryStrings(b));
        expect(a.numKeys(), at).toBe(b.numKeys());
      };
      for (let step = 0; step < 60; step++) {
        const latest = numeric.latestVersion();
        expect(latest).toBe(memory.latestVersion());
        const u = r();
        // Mostly the latest version; sometimes the one before (a re-run batch), or an unavailable one.
        const version = u < 0.15 && latest > 0 ? latest - 1 : u < 0.2 && latest > 1 ? latest - 2 : latest;
        const [n, m] = await Promise.allSettled([numeric.getStore(version), memory.getStore(version)]);
        expect(n.status, `getStore(${version}) at step ${step}`).toBe(m.status);
        if (n.status !== "fulfilled" || m.status !== "fulfilled") {
          expect(n.status).toBe("rejected");
          continue;
        }
        const ns = n.value;
        const ms = m.value;
        compare(ns, ms, `after getStore(${version}) at step ${step}`);
        const ops = Math.floor(r() * 300);
        for (let i = 0; i < ops; i++) {
          const op = randomOp(r, domain);
          if (op.kind === "put") {
            ns.put(op.key, op.value);
            ms.put(op.key, op.value);
          } else if (op.kind === "remove") {
            ns.remove(op.key);
            ms.remove(op.key);
          } else if (canon(ns.get(op.key)) !== canon(ms.get(op.key))) {
            expect(ns.get(op.key), `get ${canon(op.key)} at step ${step}`).toEqual(ms.get(op.key));
          }
        }
        compare(ns, ms, `before the end of step ${step}`);
        if (r() < 0.2) {
          ns.abort();
          ms.abort();
          compare(await numeric.getStore(version), await memory.getStore(version), `after abort at step ${step}`);
        } else {
          const [nv, mv] = await Promise.all([ns.commit(), ms.commit()]);
          expect(nv).toBe(mv);
          compare(await numeric.getStore(nv), await memory.getStore(mv), `after commit at step ${step}`);
        }
      }
    });
  }
});
