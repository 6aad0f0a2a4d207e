/**
 * Issue 9's "checkpoint cost" scenario, shared by the Node benchmark (run.ts) and its test:
 * a streaming aggregation in update mode whose state holds `numKeys` keys, persisted through a
 * CheckpointFileManager, then a series of batches each of which changes `fraction` of the keys.
 *
 * Query (PySpark spelling): `input.groupBy("k").agg(count("*"), sum("v"))`, update mode,
 * `checkpointLocation` set, `foreachBatch` sink that drops the rows, manual trigger.
 * Batch 0 adds one row per key (the state reaches `numKeys` rows: version 1); each later
 * batch adds one row for each of `fraction × numKeys` distinct keys picked at random (seeded),
 * so the delta of that version holds exactly that many keys.
 *
 * Per batch it records the progress figures Spark reports (`stateOperators[0].commitTimeMs`,
 * `durationMs.commitOffsets`, `durationMs.walCommit`, `durationMs.triggerExecution`) and,
 * through a timing wrapper around the file manager, the exact time of the state+commit write
 * and the bytes of the state files it wrote (`<v>.delta`, `<v>.snapshot`).
 */
import { F, MemoryStream, SparkSession, ManualClock, type CheckpointStore } from "../../index";
import type { CheckpointFile, CheckpointFileManager } from "../../checkpoint/persistent/CheckpointFileManager";
import { PersistentCheckpointStore, preloadCheckpoint, type PreloadedCheckpoint } from "../../checkpoint/persistent/PersistentCheckpointStore";
import { mulberry32 } from "../../util/prng";

/** One measured batch. */
export interface BatchFigures {
  batchId: number;
  /** The state version the batch committed (batchId + 1). */
  version: number;
  /** Keys the batch changed. */
  changedKeys: number;
  /** Progress `stateOperators[0].commitTimeMs` (the store's commit: stages delta/snapshot), ms, rounded. */
  commitTimeMs: number;
  /** Progress `durationMs.commitOffsets` (state commit + state files and commit log written), ms. */
  commitOffsetsMs: number;
  /** Progress `durationMs.walCommit` (offsets/N written), ms. */
  walCommitMs: number;
  /** Progress `durationMs.triggerExecution`, ms. */
  triggerExecutionMs: number;
  /** The write that carried `commits/N` (state files + commit log entry), ms, unrounded. */
  commitWriteMs: number;
  /** Bytes (UTF-16 code units = characters) of `<version>.delta`. */
  deltaBytes: number;
  /** Bytes of `<version>.snapshot` when this batch's version has one, else 0. */
  snapshotBytes: number;
  /** Whether the snapshot went into the commit's write (small) rather than a background write (large). */
  snapshotInCommit: boolean;
  /** Duration of the background snapshot write, ms (NaN when none). */
  snapshotWriteMs: number;
}

/** What one run (one backend, one state size, one fraction) measured. */
export interface ScenarioResult {
  numKeys: number;
  fraction: number;
  batches: BatchFigures[];
  /** Time to rebuild the state from the checkpoint (a restart: snapshot + deltas), ms. */
  recoveryMs: number;
  /** Whether the recovered state equals the state before the restart. */
  recoveredEqual: boolean;
}

/** Options of one run. */
export interface ScenarioOptions {
  numKeys: number;
  fraction: number;
  /** Measured batches after the initial one (default 40: snapshots at versions 10, 20, 30, 40). */
  batches?: number;
  /** spark.sql.streaming.stateStore.minDeltasForSnapshot (default 10). */
  minDeltasForSnapshot?: number;
  seed?: number;
  /** Builds the checkpoint store (default PersistentCheckpointStore): A/B runs against another implementation. */
  storeFactory?: (fm: CheckpointFileManager, preloaded: PreloadedCheckpoint, options: { minDeltasForSnapshot: number }) => PersistentCheckpointStore;
}

/** Wraps a file manager, recording each write's duration and files. */
export class TimedFileManager implements CheckpointFileManager {
  /** Every write: its files' paths and sizes, and how long it took. */
  readonly writes: { files: { path: string; size: number }[]; ms: number }[] = [];
  constructor(private readonly inner: CheckpointFileManager) {}
  get root(): string {
    return this.inner.root;
  }
  read(path: string): Promise<string | undefined> {
    return this.inner.read(path);
  }
  list(dir: string): Promise<string[]> {
    return this.inner.list(dir);
  }
  async write(files: readonly CheckpointFile[]): Promise<void> {
    const t0 = performance.now();
    await this.inner.write(files);
    this.writes.push({ files: files.map((f) => ({ path: f.path, size: f.text.length })), ms: performance.now() - t0 });
  }
  delete(paths: readonly string[]): Promise<void> {
    return this.inner.delete(paths);
  }
  deleteAll(): Promise<void> {
    return this.inner.deleteAll();
  }
}

/** `count` distinct keys in [0, n), seeded (a partial Fisher–Yates shuffle). */
export function pickKeys(n: number, count: number, next: () => number, perm: Int32Array): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (n - i));
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
    out[i] = perm[i] as number;
  }
  return out;
}

/**
 * Runs the scenario on a fresh checkpoint held by `fm` (which must be empty). `reopen` opens
 * the same checkpoint again for the restart that measures recovery.
 */
export async function runScenario(fm: CheckpointFileManager, reopen: () => Promise<CheckpointFileManager>, opts: ScenarioOptions): Promise<ScenarioResult> {
  const { numKeys, fraction } = opts;
  const batches = opts.batches ?? 40;
  const next = mulberry32(opts.seed ?? 42);
  const perm = new Int32Array(numKeys);
  for (let i = 0; i < numKeys; i++) perm[i] = i;
  const timed = new TimedFileManager(fm);
  const confOpts = { minDeltasForSnapshot: opts.minDeltasForSnapshot ?? 10 };
  const makeStore = opts.storeFactory ?? ((f, pre, o) => new PersistentCheckpointStore(f, pre, o));
  const store = makeStore(timed, await preloadCheckpoint(timed), confOpts);
  const spark = SparkSession.builder()
    .clock(new ManualClock(1_700_000_000_000))
    .output(() => undefined)
    .checkpointStores(() => store as CheckpointStore)
    .getOrCreate();
  const input = new MemoryStream(spark, { k: "long", v: "long" });
  const query = input
    .toDF()
    .groupBy("k")
    .agg(F.count("*").as("n"), F.sum("v").as("s"))
    .writeStream.outputMode("update")
    .option("checkpointLocation", fm.root)
    .trigger({ manual: true })
    .foreachBatch(() => undefined)
    .start();
  const all = new Float64Array(numKeys);
  for (let i = 0; i < numKeys; i++) all[i] = i;
  input.addColumns({ k: all, v: all });
  await query.processAllAvailable();
  const k = Math.max(1, Math.round(numKeys * fraction));
  const figures: BatchFigures[] = [];
  for (let b = 0; b < batches; b++) {
    const keys = pickKeys(numKeys, k, next, perm);
    input.addColumns({ k: keys, v: keys });
    await query.processAllAvailable();
    const p = query.lastProgress;
    if (p === null) throw new Error("no progress");
    const version = p.batchId + 1;
    const commitWrite = timed.writes.find((w) => w.files.some((f) => f.path === `commits/${p.batchId}`));
    const sizeOf = (suffix: string) => commitWrite?.files.find((f) => f.path.endsWith(`/${version}.${suffix}`))?.size ?? 0;
    figures.push({
      batchId: p.batchId,
      version,
      changedKeys: k,
      commitTimeMs: p.stateOperators[0]?.commitTimeMs ?? NaN,
      commitOffsetsMs: p.durationMs.commitOffsets ?? NaN,
      walCommitMs: p.durationMs.walCommit ?? NaN,
      triggerExecutionMs: p.durationMs.triggerExecution ?? NaN,
      commitWriteMs: commitWrite?.ms ?? NaN,
      deltaBytes: sizeOf("delta"),
      // Filled in below: a large snapshot is written after the commit, in the background.
      snapshotBytes: 0,
      snapshotInCommit: sizeOf("snapshot") > 0,
      snapshotWriteMs: NaN,
    });
  }
  // The state as the running query holds it; stopping waits for the last background snapshot.
  const before = await stateOf(store, figures[figures.length - 1]?.version ?? 1);
  await query.stop();
  await spark.stop();
  for (const b of figures) {
    const w = timed.writes.find((x) => x.files.some((f) => f.path.endsWith(`/${b.version}.snapshot`)));
    b.snapshotBytes = w?.files.find((f) => f.path.endsWith(`/${b.version}.snapshot`))?.size ?? 0;
    if (w !== undefined && !b.snapshotInCommit) b.snapshotWriteMs = w.ms;
  }
  // The same state rebuilt by a restart.
  const fm2 = await reopen();
  const store2 = makeStore(fm2, await preloadCheckpoint(fm2), confOpts);
  await store2.open();
  const t0 = performance.now();
  const after = await stateOf(store2, figures[figures.length - 1]?.version ?? 1);
  const recoveryMs = performance.now() - t0;
  await store2.close();
  return { numKeys, fraction, batches: figures, recoveryMs, recoveredEqual: before === after };
}

/** A canonical text of the state at `version` (sorted entries). */
async function stateOf(store: PersistentCheckpointStore, version: number): Promise<string> {
  const s = await store.stateStoreProvider<unknown>(0).getStore(version);
  const lines: string[] = [];
  for (const [k, v] of s.entries()) lines.push(JSON.stringify([k, v]));
  s.abort();
  return lines.sort().join("\n");
}
