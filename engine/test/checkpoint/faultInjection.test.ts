/**
 * Exactly-once under crashes, in process: the query is killed at every write of the batch
 * protocol — the offsets (WAL) write, the state deltas, the commit entry, the sink's part
 * file, the sink's _spark_metadata entry — i.e. after the offsets write, inside the sink
 * write, after it and before the commit, and after the commit. After each crash a new
 * session restarts the query from the same checkpoint and file system, and the file sink's
 * output and the state store must equal those of a run without faults: zero rows lost, zero
 * duplicated. (Spark: "Recovering from Failures with Checkpointing"; FileStreamSinkSuite.)
 */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { F, ManualClock, MemoryFileSystem, SparkSession, type Row } from "../../index";
import { MemoryCheckpointFileManager, type CheckpointFile, type CheckpointFileManager } from "../../checkpoint/persistent/CheckpointFileManager";
import { PersistentCheckpointStore, preloadCheckpoint } from "../../checkpoint/persistent/PersistentCheckpointStore";
import type { VirtualFileSystem } from "../../fs/VirtualFileSystem";
import { openCheckpointDb } from "../../checkpoint/idb/checkpointDb";
import { IdbCheckpointFileManager } from "../../checkpoint/idb/IdbCheckpointFileManager";

class Crash extends Error {
  constructor(readonly at: string) {
    super(`injected crash before ${at}`);
  }
}

/** Counts every durable write; throws Crash at write number `crashAt`. */
class FaultPlan {
  writes: string[] = [];
  constructor(private readonly crashAt: number) {}
  point(what: string): void {
    this.writes.push(what);
    if (this.writes.length === this.crashAt) throw new Crash(what);
  }
}

/** A checkpoint file manager that crashes before any single file (a crash can split a multi-file write, as SIGKILL in Node). */
class FaultyCheckpointFiles implements CheckpointFileManager {
  constructor(
    private readonly inner: CheckpointFileManager,
    private readonly plan: FaultPlan,
    private readonly atomicWrites = false,
  ) {}
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
    if (this.atomicWrites) {
      // IndexedDB: a write is one transaction, so a crash comes before or after all of it.
      this.plan.point(`checkpoint ${files.map((f) => f.path).join(" + ")}`);
      await this.inner.write(files);
      return;
    }
    for (const f of files) {
      this.plan.point(`checkpoint ${f.path}`);
      await this.inner.write([f]);
    }
  }
  delete(p: readonly string[]) {
    return this.inner.delete(p);
  }
  deleteAll() {
    return this.inner.deleteAll();
  }
}

/** The file system with a crash point before each write. */
function faultyFs(inner: MemoryFileSystem, plan: FaultPlan): VirtualFileSystem {
  return {
    list: (d) => inner.list(d),
    stat: (p) => inner.stat(p),
    readText: (p) => inner.readText(p),
    listSync: (d) => inner.listSync(d),
    readTextSync: (p) => inner.readTextSync(p),
    delete: (p) => inner.delete(p),
    writeText: async (p, t, m) => {
      plan.point(`file ${p.replace(/part-00000-[0-9a-f-]+/, "part-00000-<uuid>")}`);
      await inner.writeText(p, t, m);
    },
  };
}

const INPUT: [string, string, number][] = [
  ["in/1.json", '{"t":"2024-01-01 00:00:01","k":"a"}\n{"t":"2024-01-01 00:00:02","k":"b"}\n', 1000],
  ["in/2.json", '{"t":"2024-01-01 00:00:07","k":"a"}\n{"t":"2024-01-01 00:00:12","k":"a"}\n', 2000],
  ["in/3.json", '{"t":"2024-01-01 00:00:15","k":"b"}\n{"t":"2024-01-01 00:00:03","k":"b"}\n', 3000],
  ["in/4.json", '{"t":"2024-01-01 00:00:31","k":"c"}\n', 4000],
];

/** Runs the query until idle (or a crash); returns normally either way. */
async function runOnce(disk: MemoryFileSystem, cp: CheckpointFileManager, plan: FaultPlan | null): Promise<"done" | "crashed"> {
  const fs = plan === null ? disk : faultyFs(disk, plan);
  const fm = plan === null ? cp : new FaultyCheckpointFiles(cp, plan, cp instanceof IdbCheckpointFileManager);
  const preloaded = await preloadCheckpoint(cp);
  const spark = SparkSession.builder()
    .clock(new ManualClock(1_700_000_000_000))
    .output(() => undefined)
    .fileSystem(fs)
    .checkpointStores(() => new PersistentCheckpointStore(fm, preloaded, { minDeltasForSnapshot: 2 }))
    .getOrCreate();
  const q = spark.readStream
    .format("json")
    .schema({ t: "timestamp", k: "string" })
    .option("maxFilesPerTrigger", 1)
    .load("in")
    .withWatermark("t", "5 seconds")
    .groupBy(F.window("t", "10 seconds"), "k")
    .count()
    .select(F.col("window").getField("start").as("start"), "k", "count")
    .writeStream.format("json")
    .option("path", "out")
    .option("checkpointLocation", "cp")
    .trigger({ manual: true })
    .start();
  try {
    for (let i = 0; i < 12; i++) await q.step();
    return "done";
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Crash) return "crashed";
    throw e;
  } finally {
    await spark.stop();
  }
}

/**
 * Phase 2, never faulted: one more file that moves the watermark far ahead. Spark runs no
 * no-data batch right after a restart (its lastExecution is empty), so windows that a crashed
 * run had not yet evicted are emitted here; after it, every run must agree.
 */
async function finalPhase(disk: MemoryFileSystem, cp: CheckpointFileManager): Promise<void> {
  await disk.writeText("in/5.json", '{"t":"2024-01-01 00:01:00","k":"d"}\n', 5000);
  expect(await runOnce(disk, cp, null)).toBe("done");
}

async function outputOf(disk: MemoryFileSystem): Promise<Row[]> {
  const spark = SparkSession.builder().output(() => undefined).fileSystem(disk).getOrCreate();
  const rows = (await (await spark.read.schema({ start: "timestamp", k: "string", count: "long" }).json("out")).collect()) as Row[];
  await spark.stop();
  return rows.map((r) => ({ ...r, start: (r.start as Date).toISOString() })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function stateOf(cp: CheckpointFileManager): Promise<string[]> {
  const store = new PersistentCheckpointStore(cp, await preloadCheckpoint(cp));
  await store.open();
  const version = (await store.latestCommittedBatchId()) + 1;
  const s = await store.stateStoreProvider<unknown>(0).getStore(version);
  return [...s.entries()].map((e) => JSON.stringify(e)).sort();
}

async function freshDisk(): Promise<MemoryFileSystem> {
  const disk = new MemoryFileSystem();
  for (const [p, t, m] of INPUT) await disk.writeText(p, t, m);
  return disk;
}

describe("fault injection at every step of the batch protocol", () => {
  it("a crash at any write, then a restart, gives the same sink output and state as a run without faults", async () => {
    const cleanDisk = await freshDisk();
    const cleanCp = new MemoryCheckpointFileManager("cp");
    const counting = new FaultPlan(Number.POSITIVE_INFINITY);
    expect(await runOnce(cleanDisk, cleanCp, counting)).toBe("done");
    const steps = [...counting.writes];
    await finalPhase(cleanDisk, cleanCp);
    const expected = await outputOf(cleanDisk);
    const expectedState = await stateOf(cleanCp);
    expect(expected).toEqual([
      { start: "2024-01-01T00:00:00.000Z", k: "a", count: 2 },
      { start: "2024-01-01T00:00:00.000Z", k: "b", count: 2 },
      { start: "2024-01-01T00:00:10.000Z", k: "a", count: 1 },
      { start: "2024-01-01T00:00:10.000Z", k: "b", count: 1 },
      { start: "2024-01-01T00:00:30.000Z", k: "c", count: 1 },
    ]);
    // Every kind of step is a crash point.
    expect(steps).toContain("checkpoint offsets/0");
    expect(steps).toContain("checkpoint commits/0");
    expect(steps.some((s) => s.startsWith("checkpoint state/0/0/"))).toBe(true);
    expect(steps.some((s) => s.startsWith("file out/part-00000-"))).toBe(true);
    expect(steps).toContain("file out/_spark_metadata/0");

    for (let crashAt = 1; crashAt <= steps.length; crashAt++) {
      const disk = await freshDisk();
      const cp = new MemoryCheckpointFileManager("cp");
      expect(await runOnce(disk, cp, new FaultPlan(crashAt)), `crash before ${steps[crashAt - 1]}`).toBe("crashed");
      expect(await runOnce(disk, cp, null)).toBe("done");
      await finalPhase(disk, cp);
      expect(await outputOf(disk), `output after a crash before ${steps[crashAt - 1]} (#${crashAt})`).toEqual(expected);
      expect(await stateOf(cp), `state after a crash before ${steps[crashAt - 1]} (#${crashAt})`).toEqual(expectedState);
    }
  });

  it("two crashes in a row (the restart crashes too) still lose and duplicate nothing", async () => {
    const cleanDisk = await freshDisk();
    const cleanCp = new MemoryCheckpointFileManager("cp");
    await runOnce(cleanDisk, cleanCp, null);
    await finalPhase(cleanDisk, cleanCp);
    const expected = await outputOf(cleanDisk);
    for (const [a, b] of [
      [3, 2],
      [5, 4],
      [8, 1],
    ] as const) {
      const disk = await freshDisk();
      const cp = new MemoryCheckpointFileManager("cp");
      await runOnce(disk, cp, new FaultPlan(a));
      await runOnce(disk, cp, new FaultPlan(b));
      expect(await runOnce(disk, cp, null)).toBe("done");
      await finalPhase(disk, cp);
      expect(await outputOf(disk)).toEqual(expected);
    }
  });
});

let dbCounter = 0;

describe("fault injection with the IndexedDB checkpoint (crash points per transaction)", () => {
  it("a crash before any transaction, then a reload, gives the same output and state", async () => {
    const newCheckpoint = async () => new IdbCheckpointFileManager(await openCheckpointDb(`fault-${++dbCounter}`), "cp");
    const cleanDisk = await freshDisk();
    const cleanCp = await newCheckpoint();
    const counting = new FaultPlan(Number.POSITIVE_INFINITY);
    expect(await runOnce(cleanDisk, cleanCp, counting)).toBe("done");
    const steps = [...counting.writes];
    await finalPhase(cleanDisk, cleanCp);
    const expected = await outputOf(cleanDisk);
    const expectedState = await stateOf(cleanCp);
    expect(steps.some((s) => /^checkpoint state\/0\/0\/\d+\.delta .*\+ commits\/\d+$/.test(s))).toBe(true);
    for (let crashAt = 1; crashAt <= steps.length; crashAt++) {
      const disk = await freshDisk();
      const cp = await newCheckpoint();
      expect(await runOnce(disk, cp, new FaultPlan(crashAt))).toBe("crashed");
      expect(await runOnce(disk, cp, null)).toBe("done");
      await finalPhase(disk, cp);
      expect(await outputOf(disk), `output after a crash before ${steps[crashAt - 1]}`).toEqual(expected);
      expect(await stateOf(cp), `state after a crash before ${steps[crashAt - 1]}`).toEqual(expectedState);
    }
  });
});
