/**
 * Large snapshots are serialized in slices and written after their commit, in the background
 * (Spark's maintenance task), so no batch waits for a multi-megabyte snapshot. Forced here with
 * backgroundSnapshotMinKeys: 1.
 * - the snapshot of version v is written after the write holding v's delta and its commit entry,
 *   never with it and never before it; a version whose commit write failed gets none;
 * - purges count only snapshots already written; `close()` waits for the last one; a failed
 *   snapshot write is reported by the next commit;
 * - a crash at any write, background ones included, then a restart, rebuilds the same state.
 */
import { describe, expect, it } from "vitest";
import { F, ManualClock, MemoryFileSystem, SparkSession } from "../../index";
import { MemoryCheckpointFileManager, type CheckpointFile, type CheckpointFileManager } from "./CheckpointFileManager";
import { PersistentCheckpointStore, preloadCheckpoint } from "./PersistentCheckpointStore";
import { serializeSnapshotInSlices } from "./PersistentStateStoreProvider";

type Value = [number, number];
const DIR = "state/0/0";

/** Records every write (paths, in order) and fails the writes `fail` picks. */
class RecordingFiles implements CheckpointFileManager {
  readonly writes: string[][] = [];
  fail: (paths: string[]) => boolean = () => false;
  constructor(readonly inner: MemoryCheckpointFileManager = new MemoryCheckpointFileManager("cp")) {}
  get root(): string {
    return this.inner.root;
  }
  read(p: string) {
    return this.inner.read(p);
  }
  list(d: string) {
    return this.inner.list(d);
  }
  async write(files: readonly CheckpointFile[]): Promise<void> {
    const paths = files.map((f) => f.path);
    // A write is asynchronous, as on a disk: the batch goes on meanwhile.
    await new Promise((r) => setTimeout(r, 1));
    if (this.fail(paths)) throw new Error(`injected failure writing ${paths.join(" + ")}`);
    this.writes.push(paths);
    await this.inner.write(files);
  }
  delete(p: readonly string[]) {
    return this.inner.delete(p);
  }
  deleteAll() {
    return this.inner.deleteAll();
  }
}

async function store(fm: CheckpointFileManager, conf: { minDeltasForSnapshot?: number; minVersionsToRetain?: number } = {}): Promise<PersistentCheckpointStore> {
  return new PersistentCheckpointStore(fm, await preloadCheckpoint(fm), { backgroundSnapshotMinKeys: 1, minDeltasForSnapshot: 3, ...conf });
}

/** One batch: `puts` into operator 0's store, commit, commit log entry. */
async function batch(s: PersistentCheckpointStore, batchId: number, puts: Array<[number, Value]>): Promise<void> {
  const st = await s.stateStoreProvider<Value>(0).getStore(batchId);
  for (const [k, v] of puts) st.put([k], v);
  await st.commit();
  await s.putCommit(batchId, { nextBatchWatermarkMs: 0 });
}

async function stateAt(fm: CheckpointFileManager, version: number): Promise<string[]> {
  const s = await store(fm);
  const st = await s.stateStoreProvider<Value>(0).getStore(version);
  const out = [...st.entries()].map((e) => JSON.stringify(e)).sort();
  st.abort();
  return out;
}

describe("background snapshots", () => {
  it("writes a snapshot after the write of its version's delta and commit entry, never with it", async () => {
    const fm = new RecordingFiles();
    const s = await store(fm);
    for (let b = 0; b < 7; b++) await batch(s, b, [[b % 4, [b, 0]]]);
    await s.close();
    const commit = (b: number) => fm.writes.findIndex((w) => w.includes(`commits/${b}`));
    const snap = (v: number) => fm.writes.findIndex((w) => w.includes(`${DIR}/${v}.snapshot`));
    expect(fm.writes[commit(2)]).toEqual([`${DIR}/3.delta`, "commits/2"]);
    expect(fm.writes[snap(3)]).toEqual([`${DIR}/3.snapshot`]);
    expect(snap(3)).toBeGreaterThan(commit(2));
    expect(snap(6)).toBeGreaterThan(commit(5));
    expect(await stateAt(fm, 7)).toEqual(await stateAt(fm.inner, 7));
  });

  it("close() waits for the last snapshot; a version whose commit write failed gets none", async () => {
    const fm = new RecordingFiles();
    const s = await store(fm);
    for (let b = 0; b < 3; b++) await batch(s, b, [[b, [b, 0]]]);
    await s.close();
    expect(fm.inner.files.has(`${DIR}/3.snapshot`)).toBe(true);

    const fm2 = new RecordingFiles();
    fm2.fail = (paths) => paths.includes("commits/2");
    const s2 = await store(fm2);
    await batch(s2, 0, [[0, [0, 0]]]);
    await batch(s2, 1, [[1, [1, 0]]]);
    await expect(batch(s2, 2, [[2, [2, 0]]])).rejects.toThrow(/injected failure/);
    await s2.close();
    expect([...fm2.inner.files.keys()].filter((p) => p.endsWith(".snapshot"))).toEqual([]);
  });

  it("the next commit reports a failed snapshot write; the deltas still rebuild the state", async () => {
    const fm = new RecordingFiles();
    fm.fail = (paths) => paths.some((p) => p.endsWith(".snapshot"));
    const s = await store(fm);
    for (let b = 0; b < 3; b++) await batch(s, b, [[b, [b, 0]]]);
    // The background write of snapshot 3 fails while the stream is idle.
    await new Promise((r) => setTimeout(r, 30));
    await expect(batch(s, 3, [[3, [3, 0]]])).rejects.toThrow(/injected failure writing state\/0\/0\/3\.snapshot/);
    await s.close();
    // Batch 3 itself was committed before the error was reported.
    expect(fm.inner.files.has("commits/3")).toBe(true);
    expect(await stateAt(fm.inner, 4)).toEqual(['[[0],[0,0]]', '[[1],[1,0]]', '[[2],[2,0]]', '[[3],[3,0]]']);
  });

  it("purges count only snapshots already written: every retained version stays loadable", async () => {
    for (const pauseMs of [0, 5]) {
      const fm = new RecordingFiles();
      const s = await store(fm, { minDeltasForSnapshot: 3, minVersionsToRetain: 2 });
      for (let b = 0; b < 12; b++) {
        await batch(s, b, [[b % 3, [b, 0]]]);
        // Without pauses the snapshots are still being written when the next batches purge.
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      }
      await s.close();
      for (const v of [11, 12]) expect(await stateAt(fm.inner, v)).toEqual(await stateAt(fm, v));
      const names = [...fm.inner.files.keys()].filter((p) => p.startsWith(`${DIR}/`)).sort();
      expect(names).toContain(`${DIR}/12.snapshot`);
      if (pauseMs > 0) expect(names).toEqual([`${DIR}/12.delta`, `${DIR}/12.snapshot`, `${DIR}/9.snapshot`, `${DIR}/10.delta`, `${DIR}/11.delta`].sort());
    }
  });

  it("serializes a snapshot in slices, with a macrotask between them, and stops when cancelled", async () => {
    const keys = Array.from({ length: 12 }, (_, i) => [i]);
    const values = keys.map(([i]) => [i, 1]);
    const text = await serializeSnapshotInSlices({ path: "x", keys, values }, () => false, 5);
    expect(text?.split("\n")).toEqual(["v1", ...keys.map((k, i) => JSON.stringify({ k, v: values[i] })), '{"end":12}']);
    let slices = 0;
    expect(await serializeSnapshotInSlices({ path: "x", keys, values }, () => ++slices === 2, 5)).toBeUndefined();
  });
});

class Crash extends Error {}

/** Crashes before write number `crashAt` (1-based), background snapshot writes included. */
class CrashingFiles extends RecordingFiles {
  count = 0;
  constructor(
    inner: MemoryCheckpointFileManager,
    private readonly crashAt: number,
  ) {
    super(inner);
  }
  override async write(files: readonly CheckpointFile[]): Promise<void> {
    if (++this.count === this.crashAt) throw new Crash(`crash before ${files.map((f) => f.path).join(" + ")}`);
    await super.write(files);
  }
}

describe("background snapshots under crashes", () => {
  const INPUT = Array.from({ length: 8 }, (_, i) => [`in/${i}.json`, `{"k":"${"abcde"[i % 5]}"}\n{"k":"${"fg"[i % 2]}"}\n`, 1000 * (i + 1)] as const);

  async function run(disk: MemoryFileSystem, fm: CheckpointFileManager): Promise<"done" | "crashed"> {
    const preloaded = await preloadCheckpoint(fm);
    const spark = SparkSession.builder()
      .clock(new ManualClock(1_700_000_000_000))
      .output(() => undefined)
      .fileSystem(disk)
      .checkpointStores(() => new PersistentCheckpointStore(fm, preloaded, { backgroundSnapshotMinKeys: 1, minDeltasForSnapshot: 2 }))
      .getOrCreate();
    const q = spark.readStream
      .format("json")
      .schema({ k: "string" })
      .option("maxFilesPerTrigger", 1)
      .load("in")
      .groupBy("k")
      .agg(F.count("*").as("n"))
      .writeStream.format("memory")
      .queryName(`q${Math.random().toString(36).slice(2)}`)
      .outputMode("update")
      .option("checkpointLocation", "cp")
      .trigger({ manual: true })
      .start();
    try {
      for (let i = 0; i < 10; i++) await q.step();
      await q.stop();
      return "done";
    } catch (e) {
      if ((e as { cause?: unknown }).cause instanceof Crash) return "crashed";
      throw e;
    } finally {
      await spark.stop();
    }
  }

  async function disk(): Promise<MemoryFileSystem> {
    const d = new MemoryFileSystem();
    for (const [p, t, m] of INPUT) await d.writeText(p, t, m);
    return d;
  }

  async function finalState(cp: MemoryCheckpointFileManager): Promise<string[]> {
    const s = new PersistentCheckpointStore(cp, await preloadCheckpoint(cp));
    await s.open();
    return stateAt(cp, (await s.latestCommittedBatchId()) + 1);
  }

  it("a crash before any write, then a restart, rebuilds the state of a run without faults", async () => {
    const clean = new MemoryCheckpointFileManager("cp");
    const counting = new CrashingFiles(clean, Number.POSITIVE_INFINITY);
    expect(await run(await disk(), counting)).toBe("done");
    const expected = await finalState(clean);
    expect(expected.length).toBe(7);
    expect(counting.writes.some((w) => w.length === 1 && w[0]?.endsWith(".snapshot"))).toBe(true);
    for (let crashAt = 1; crashAt <= counting.count; crashAt++) {
      const cp = new MemoryCheckpointFileManager("cp");
      const d = await disk();
      const outcome = await run(d, new CrashingFiles(cp, crashAt));
      // A crash in the last background snapshot write is only seen by close(), which never rejects.
      expect(["crashed", "done"]).toContain(outcome);
      expect(await run(d, cp)).toBe("done");
      expect(await finalState(cp), `after a crash before write #${crashAt}`).toEqual(expected);
    }
  });
});
