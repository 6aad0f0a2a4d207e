/**
 * The persisted state store's cost contract (issue 9) and its recovery:
 * - a version that changed k of N keys writes a delta of O(k) bytes, whatever N;
 * - a snapshot only every minDeltasForSnapshot versions, in the same write as its commit entry;
 * - snapshot + deltas rebuild exactly the state that was committed (in memory, and in IndexedDB
 *   through fake-indexeddb), including snapshots written by a provider that loaded its state;
 * - the directory is listed once, not on every batch's purge.
 */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { openCheckpointDb } from "../idb/checkpointDb";
import { IdbCheckpointFileManager } from "../idb/IdbCheckpointFileManager";
import { MemoryCheckpointFileManager, type CheckpointFile, type CheckpointFileManager } from "./CheckpointFileManager";
import { PersistentCheckpointStore, preloadCheckpoint } from "./PersistentCheckpointStore";
import { PersistentStateStoreProvider, type StateStoreConf } from "./PersistentStateStoreProvider";
import { mulberry32 } from "../../util/prng";

type Value = [number, number];
const DIR = "state/0/0";

function provider(fm: CheckpointFileManager, conf: Partial<StateStoreConf> = {}): PersistentStateStoreProvider<Value> {
  return new PersistentStateStoreProvider<Value>(fm, DIR, { minDeltasForSnapshot: 10, minVersionsToRetain: 100, ...conf });
}

/** Commits one version through `p` (puts, then removes), writes its staged files as the checkpoint store would; returns them. */
async function commitVersion(p: PersistentStateStoreProvider<Value>, fm: CheckpointFileManager, version: number, puts: Array<[number, Value]>, removes: number[] = []): Promise<CheckpointFile[]> {
  const s = await p.getStore(version);
  for (const [k, v] of puts) s.put([k], v);
  for (const k of removes) s.remove([k]);
  expect(await s.commit()).toBe(version + 1);
  const files = p.takeStagedFiles();
  await fm.write(files);
  p.written(files);
  return files;
}

/** The state of a store as a sorted list, comparable with toEqual. */
async function stateAt(p: PersistentStateStoreProvider<Value>, version: number): Promise<Array<[number, Value]>> {
  const s = await p.getStore(version);
  const out: Array<[number, Value]> = [];
  for (const [k, v] of s.entries()) out.push([k[0] as number, v]);
  s.abort();
  return out.sort((a, b) => a[0] - b[0]);
}

function sortedModel(m: Map<number, Value>): Array<[number, Value]> {
  return [...m].sort((a, b) => a[0] - b[0]);
}

/** A file's entries (`{"k":[…],"v":…}` lines) as a sorted state; removals dropped. */
function parseStateFile(text: string): Array<[number, Value]> {
  const lines = text.split("\n");
  expect(lines[0]).toBe("v1");
  const out: Array<[number, Value]> = [];
  let count = 0;
  for (const line of lines.slice(1)) {
    const rec = JSON.parse(line) as { k?: number[]; v?: Value; r?: number; end?: number };
    if (rec.end !== undefined) {
      expect(rec.end).toBe(count);
      break;
    }
    count++;
    if (rec.r !== 1) out.push([(rec.k as number[])[0] as number, rec.v as Value]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

describe("PersistentStateStoreProvider: deltas are deltas", () => {
  it("a version that changed k of N keys writes O(k) bytes, the same for N = 1,000 and N = 50,000", async () => {
    const perKey = new Map<string, number>();
    for (const n of [1_000, 50_000]) {
      const fm = new MemoryCheckpointFileManager("cp");
      const p = provider(fm);
      // Values of a fixed width, so that line lengths depend on neither n nor k.
      const all: Array<[number, Value]> = [];
      for (let i = 0; i < n; i++) all.push([100_000 + i, [1, 1_000_000]]);
      await commitVersion(p, fm, 0, all);
      let version = 1;
      for (const k of [10, 100, 1_000]) {
        const puts: Array<[number, Value]> = [];
        for (let i = 0; i < k; i++) puts.push([100_000 + ((i * 7) % n), [2, 2_000_000]]);
        const files = await commitVersion(p, fm, version++, puts);
        expect(files.map((f) => f.path)).toEqual([`${DIR}/${version}.delta`]);
        const bytes = (files[0] as CheckpointFile).text.length;
        perKey.set(`${n}/${k}`, bytes / k);
        // Each changed key is one line of ~40 characters; nothing else grows with the state.
        expect(bytes).toBeLessThan(k * 40 + 40);
        expect(bytes).toBeGreaterThan(k * 30);
      }
    }
    // The bytes per changed key do not depend on the state's size.
    for (const k of [10, 100, 1_000]) {
      expect(perKey.get(`50000/${k}`)).toBeCloseTo(perKey.get(`1000/${k}`) as number, 5);
    }
  });

  it("a removal is one line too, and an unchanged key is not written", async () => {
    const fm = new MemoryCheckpointFileManager("cp");
    const p = provider(fm);
    await commitVersion(p, fm, 0, [
      [1, [1, 1]],
      [2, [1, 2]],
      [3, [1, 3]],
    ]);
    const files = await commitVersion(p, fm, 1, [[1, [2, 5]]], [3]);
    const lines = (files[0] as CheckpointFile).text.split("\n");
    expect([lines[0], lines[3]]).toEqual(["v1", '{"end":2}']);
    expect(lines.slice(1, 3).sort()).toEqual(['{"k":[1],"v":[2,5]}', '{"k":[3],"r":1}']);
  });

  it("writes a snapshot only every minDeltasForSnapshot versions (Spark's default 10), in the same write as the commit entry", async () => {
    const fm = new MemoryCheckpointFileManager("cp");
    const writes: string[][] = [];
    const recording: CheckpointFileManager = {
      root: fm.root,
      read: (p) => fm.read(p),
      list: (d) => fm.list(d),
      write: (files) => {
        writes.push(files.map((f) => f.path));
        return fm.write(files);
      },
      delete: (p) => fm.delete(p),
      deleteAll: () => fm.deleteAll(),
    };
    const store = new PersistentCheckpointStore(recording, await preloadCheckpoint(recording));
    const p = store.stateStoreProvider<Value>(0);
    for (let batch = 0; batch < 25; batch++) {
      const s = await p.getStore(batch);
      for (let i = 0; i < 50; i++) s.put([(batch * 13 + i) % 200], [batch, i]);
      await s.commit();
      await store.putCommit(batch, { nextBatchWatermarkMs: 0 });
    }
    const snapshots = [...fm.files.keys()].filter((k) => k.endsWith(".snapshot")).sort();
    expect(snapshots).toEqual([`${DIR}/10.snapshot`, `${DIR}/20.snapshot`]);
    // Version 10 is committed by batch 9: its delta, its snapshot and commits/9 in one write.
    expect(writes.find((w) => w.includes("commits/9"))).toEqual([`${DIR}/10.delta`, `${DIR}/10.snapshot`, "commits/9"]);
    expect(writes.find((w) => w.includes("commits/10"))).toEqual([`${DIR}/11.delta`, "commits/10"]);
    // The snapshot holds the state of its version, every key once.
    expect(parseStateFile(fm.files.get(`${DIR}/20.snapshot`) as string)).toEqual(await stateAt(provider(fm), 20));
  });

  it("lists the state directory once, not on every batch's purge", async () => {
    const fm = new MemoryCheckpointFileManager("cp");
    let lists = 0;
    const counting: CheckpointFileManager = {
      root: fm.root,
      read: (p) => fm.read(p),
      list: (d) => {
        if (d === DIR) lists++;
        return fm.list(d);
      },
      write: (f) => fm.write(f),
      delete: (p) => fm.delete(p),
      deleteAll: () => fm.deleteAll(),
    };
    const store = new PersistentCheckpointStore(counting, await preloadCheckpoint(counting), { minDeltasForSnapshot: 3, minVersionsToRetain: 4 });
    await store.open();
    const p = store.stateStoreProvider<Value>(0);
    for (let batch = 0; batch < 30; batch++) {
      const s = await p.getStore(batch);
      s.put([batch % 7], [batch, 0]);
      await s.commit();
      await store.putCommit(batch, { nextBatchWatermarkMs: 0 });
    }
    expect(lists).toBeLessThanOrEqual(2); // init, and the first load (version 0 needs none)
    // Purged as before: the newest snapshot at or below the oldest version kept, and what follows it.
    const state = (await fm.list(DIR)).filter((n) => n !== "_metadata").sort((a, b) => parseInt(a) - parseInt(b));
    expect(state).toEqual(["27.snapshot", "28.delta", "29.delta", "30.delta", "30.snapshot"]);
    expect(await stateAt(provider(fm), 30)).toEqual(await stateAt(p as PersistentStateStoreProvider<Value>, 30));
  });
});

describe("PersistentStateStoreProvider: recovery from snapshot + deltas", () => {
  /** Random puts, removes and aborted stores over `versions` versions; returns the model state of every version. */
  async function randomHistory(p: PersistentStateStoreProvider<Value>, fm: CheckpointFileManager, from: number, versions: number, start: Map<number, Value>, next: () => number): Promise<Map<number, Map<number, Value>>> {
    const model = new Map(start);
    const history = new Map<number, Map<number, Value>>([[from, new Map(model)]]);
    for (let v = from; v < from + versions; v++) {
      // An aborted attempt first (a batch that failed): it must leave no trace.
      if (next() < 0.3) {
        const s = await p.getStore(v);
        for (let i = 0; i < 20; i++) s.put([Math.floor(next() * 500)], [-1, -1]);
        for (let i = 0; i < 5; i++) s.remove([Math.floor(next() * 500)]);
        s.abort();
      }
      const puts: Array<[number, Value]> = [];
      const removes: number[] = [];
      for (let i = 0; i < 40; i++) {
        const k = Math.floor(next() * 500);
        const val: Value = [v, Math.round(next() * 1e9) / 1e3];
        puts.push([k, val]);
      }
      for (let i = 0; i < 10; i++) removes.push(Math.floor(next() * 500));
      await commitVersion(p, fm, v, puts, removes);
      for (const [k, val] of puts) model.set(k, val);
      for (const k of removes) model.delete(k);
      history.set(v + 1, new Map(model));
    }
    return history;
  }

  it("rebuilds every retained version exactly (in memory)", async () => {
    const fm = new MemoryCheckpointFileManager("cp");
    const next = mulberry32(7);
    const history = await randomHistory(provider(fm), fm, 0, 35, new Map(), next);
    const fresh = provider(fm);
    for (const v of [35, 31, 30, 29, 21, 20, 11, 10, 9, 1, 0]) {
      expect(await stateAt(fresh, v)).toEqual(sortedModel(history.get(v) as Map<number, Value>));
    }
    // Every snapshot on its own is the state of its version.
    for (const v of [10, 20, 30]) {
      expect(parseStateFile(fm.files.get(`${DIR}/${v}.snapshot`) as string)).toEqual(sortedModel(history.get(v) as Map<number, Value>));
    }
  });

  it("a provider that loaded its state from files writes correct snapshots (IndexedDB, fake-indexeddb)", async () => {
    const dbName = `provider-recovery-${Date.now()}`;
    const db = await openCheckpointDb(dbName);
    const fm = new IdbCheckpointFileManager(db, "recovery");
    const next = mulberry32(11);
    // Run 1: versions 1..15 (snapshot 10), then "crash".
    const h1 = await randomHistory(provider(fm), fm, 0, 15, new Map(), next);
    // Run 2: a fresh provider loads 15 from snapshot 10 + deltas 11..15, continues to 25 (snapshot 20).
    const p2 = provider(fm);
    expect(await stateAt(p2, 15)).toEqual(sortedModel(h1.get(15) as Map<number, Value>));
    const h2 = await randomHistory(p2, fm, 15, 10, h1.get(15) as Map<number, Value>, next);
    db.close();
    // Run 3: another database connection (a reload) reads snapshot 20 alone, and 25 from 20 + deltas.
    const db3 = await openCheckpointDb(dbName);
    const fm3 = new IdbCheckpointFileManager(db3, "recovery");
    expect(parseStateFile((await fm3.read(`${DIR}/20.snapshot`)) as string)).toEqual(sortedModel(h2.get(20) as Map<number, Value>));
    const p3 = provider(fm3);
    expect(await stateAt(p3, 25)).toEqual(sortedModel(h2.get(25) as Map<number, Value>));
    expect(await stateAt(p3, 20)).toEqual(sortedModel(h2.get(20) as Map<number, Value>));
    expect(await stateAt(p3, 12)).toEqual(sortedModel(h1.get(12) as Map<number, Value>));
    db3.close();
  });

  it("reads snapshots and deltas of earlier writers (field order, line order) and carries their entries into later snapshots", async () => {
    const fm = new MemoryCheckpointFileManager("cp");
    await fm.write([
      { path: `${DIR}/10.snapshot`, text: 'v1\n{"v":[1,1],"k":[1]}\n{"k":[2],"v":[1,2]}\n{"end":2}' },
      { path: `${DIR}/11.delta`, text: 'v1\n{"k":[2],"r":1}\n{"k":[3],"v":[1,3]}\n{"end":2}' },
    ]);
    const p = provider(fm);
    expect(await stateAt(p, 11)).toEqual([
      [1, [1, 1]],
      [3, [1, 3]],
    ]);
    for (let v = 11; v < 20; v++) await commitVersion(p, fm, v, [[4, [v, 4]]]);
    expect(parseStateFile(fm.files.get(`${DIR}/20.snapshot`) as string)).toEqual([
      [1, [1, 1]],
      [3, [1, 3]],
      [4, [19, 4]],
    ]);
  });
});
