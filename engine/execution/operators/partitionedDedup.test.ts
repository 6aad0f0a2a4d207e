/**
 * Deduplication over the numeric state (an in-memory checkpoint: NumericStateStoreProvider;
 * dropDuplicates with the event time among the keys: a table partitioned by event time in
 * 1-second partitions, evicted partition by partition) against the same query over a Node
 * directory checkpoint (tuple-based PersistentStateStoreProvider), batch by batch: rows
 * emitted, numRowsTotal / Updated / Removed / DroppedByWatermark, numDroppedDuplicateRows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, memoryCheckpointStore, type CheckpointStore, type DataFrame, type StreamingQuery } from "../../index";
import { openFileCheckpointStore } from "../../checkpoint/file/FileCheckpointStore";
import { NumericStateStoreProvider } from "../../state/NumericStateStoreProvider";
import { NumericStateTable, type UndoLog } from "../../state/NumericStateTable";
import { mulberry32 } from "../../util/prng";

const dirs: string[] = [];
const sessions: SparkSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sessions.splice(0)) {
    try {
      for (const q of [...s.streams.active]) await q.stop();
    } catch {
      /* best effort */
    }
    await s.stop();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Kind = "memory" | "file";
type InRow = { key: number | null; t: number | null };
/**
 * A script step: rows added as one batch (then processAllAvailable); a restart; rows added
 * and their data batch (`noData` false) or the no-data batch that follows it (`noData`
 * true) halted after the sink and before the state commit, then re-run by a restart; rows
 * added and the `nth` commit-log write from now failing (the state version is committed
 * already: the restart re-runs the batch on a state rolled back by one committed version).
 */
type Step =
  | { add: InRow[] }
  | { restart: true }
  | { haltAdd: InRow[]; noData: boolean }
  | { failCommitAdd: InRow[]; nth: number };

/** Fails the `failAt`-th putCommit (counting from when it is set); otherwise the store itself. */
class CommitFault {
  failAt = 0;
  wrap(store: CheckpointStore): CheckpointStore {
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === "putCommit") {
          return (batchId: number, c: Parameters<CheckpointStore["putCommit"]>[1]): Promise<void> => {
            if (this.failAt > 0 && --this.failAt === 0) return Promise.reject(new Error(`injected failure writing commits/${batchId}`));
            return target.putCommit(batchId, c);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === "function" ? (v as (...args: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

interface BatchRecord {
  batchId: number;
  watermark: string | undefined;
  rows: string[];
  numRowsTotal: number;
  numRowsUpdated: number;
  numRowsRemoved: number;
  numRowsDroppedByWatermark: number;
  numDroppedDuplicateRows: number | undefined;
  /** The same counts of the state operators further from the sink (a chain), in progress order. */
  others: string[];
}

let uniq = 0;

function newSession(kind: Kind, fault: CommitFault): { spark: SparkSession; location: string } {
  let b = SparkSession.builder()
    .appName(`partitionedDedup-${++uniq}`)
    .clock(new ManualClock(0))
    .output(() => undefined);
  let location = `partitioned-dedup-memory-${uniq}-${Date.now()}`;
  if (kind === "file") {
    const dir = mkdtempSync(join(tmpdir(), "pdedup-"));
    dirs.push(dir);
    location = join(dir, "cp");
    b = b.checkpointStores((loc) => fault.wrap(openFileCheckpointStore(loc, { minDeltasForSnapshot: 2 })));
  } else {
    b = b.checkpointStores((loc) => fault.wrap(memoryCheckpointStore(loc)));
  }
  const spark = b.getOrCreate();
  sessions.push(spark);
  return { spark, location };
}

type Build = (input: DataFrame) => DataFrame;

/** Event time from `t` (seconds, a double: fractional milliseconds survive the cast). */
function withEventTime(input: DataFrame, delay: string): DataFrame {
  return input.withColumn("eventTime", F.col("t").cast("timestamp")).withWatermark("eventTime", delay);
}

const dedupKeyTime =
  (delay: string): Build =>
  (input) =>
    withEventTime(input, delay).dropDuplicates(["key", "eventTime"]).select(F.col("key"), F.col("t"));

const dedupWithinWatermark =
  (delay: string): Build =>
  (input) =>
    withEventTime(input, delay).dropDuplicatesWithinWatermark(["key"]).select(F.col("key"), F.col("t"));

const dedupKeyOnly =
  (delay: string): Build =>
  (input) =>
    withEventTime(input, delay).dropDuplicates(["key"]).select(F.col("key"), F.col("t"));

interface RunResult {
  batches: BatchRecord[];
  location: string;
}

/** Runs `steps` on a fresh query of `kind`; returns every batch's record, by batch id. */
async function run(kind: Kind, build: Build, steps: readonly Step[]): Promise<RunResult> {
  const fault = new CommitFault();
  const { spark, location } = newSession(kind, fault);
  const input = new MemoryStream(spark, { key: "long", t: "double" });
  const df = build(input.toDF());
  const rows = new Map<number, string[]>();
  const records = new Map<number, BatchRecord>();
  const start = (): StreamingQuery =>
    df.writeStream
      .foreachBatch(async (b, id) => {
        const rs = await b.collect();
        rows.set(
          id,
          rs.map((r) => JSON.stringify(r)),
        );
      })
      .outputMode("append")
      .trigger({ manual: true })
      .option("checkpointLocation", location)
      .start();
  const collect = (q: StreamingQuery): void => {
    for (const p of q.recentProgress) {
      const op = p.stateOperators[0];
      if (op === undefined) throw new Error(`batch ${p.batchId} has no state operator progress`);
      records.set(p.batchId, {
        batchId: p.batchId,
        watermark: p.eventTime.watermark,
        rows: [],
        numRowsTotal: op.numRowsTotal,
        numRowsUpdated: op.numRowsUpdated,
        numRowsRemoved: op.numRowsRemoved,
        numRowsDroppedByWatermark: op.numRowsDroppedByWatermark,
        numDroppedDuplicateRows: op.customMetrics.numDroppedDuplicateRows,
        others: p.stateOperators
          .slice(1)
          .map((o) =>
            JSON.stringify([o.operatorName, o.numRowsTotal, o.numRowsUpdated, o.numRowsRemoved, o.numRowsDroppedByWatermark, o.customMetrics.numDroppedDuplicateRows]),
          ),
      });
    }
  };
  let q = start();
  for (const step of steps) {
    if ("restart" in step) {
      collect(q);
      await q.stop();
      q = start();
    } else if ("add" in step) {
      input.addData(step.add);
      await q.processAllAvailable();
    } else if ("failCommitAdd" in step) {
      fault.failAt = step.nth;
      input.addData(step.failCommitAdd);
      const failed = await q.processAllAvailable().then(
        () => null,
        (e: unknown) => e,
      );
      expect(String(failed)).toContain("injected failure");
      expect(fault.failAt).toBe(0);
      collect(q);
      await q.stop();
      q = start();
      await q.processAllAvailable();
    } else {
      input.addData(step.haltAdd);
      if (step.noData) await q.step();
      const halted = q.haltInNextBatch();
      const stepping = q.step().then(
        () => null,
        (e: unknown) => e,
      );
      const first = await Promise.race([halted.then(() => "halted"), stepping.then(() => "stepped")]);
      if (first !== "halted") throw new Error("the script's halted step had no batch to run");
      collect(q);
      await q.stop();
      await stepping;
      q = start();
      await q.processAllAvailable();
    }
  }
  collect(q);
  await q.stop();
  const batches = [...records.values()]
    .sort((a, b) => a.batchId - b.batchId)
    .map((r) => ({ ...r, rows: (rows.get(r.batchId) ?? []).slice().sort() }));
  return { batches, location };
}

/** Both runs; asserts they agree batch by batch and that the memory run used the numeric state. */
async function compare(build: Build, steps: readonly Step[], partitioned: boolean | null): Promise<BatchRecord[]> {
  const mem = await run("memory", build, steps);
  const file = await run("file", build, steps);
  expect(mem.batches.length).toBeGreaterThan(0);
  for (let i = 0; i < Math.max(mem.batches.length, file.batches.length); i++) {
    expect({ kind: "memory", ...mem.batches[i] }).toEqual({ kind: "memory", ...file.batches[i] });
  }
  if (partitioned !== null) {
    const provider = memoryCheckpointStore(mem.location).stateStoreProvider<unknown>(0);
    expect(provider).toBeInstanceOf(NumericStateStoreProvider);
    const table = (provider as NumericStateStoreProvider<unknown>).table;
    expect(table.partitionSlot >= 0).toBe(partitioned);
    // The table's live entries are what the last batch reported.
    expect(table.size).toBe(mem.batches[mem.batches.length - 1]?.numRowsTotal);
  }
  return mem.batches;
}

const row = (key: number | null, t: number | null): InRow => ({ key, t });
const out = (key: number | null, t: number | null): string => JSON.stringify({ key, t });

describe("dropDuplicates(key, eventTime) on the partitioned numeric state vs the tuple state", () => {
  it("fractional ms, second boundaries, watermark inside a second and on a boundary, duplicates, late rows, nulls, restart", async () => {
    const steps: Step[] = [
      // Batch 0: wm 0. Duplicates within the batch (also of a null event time).
      {
        add: [row(1, 1.0), row(1, 1.0), row(1, 1.0005), row(2, 1.9999995), row(3, 2.0), row(1, null), row(1, null), row(2, 0.5), row(null, 1.5), row(null, 1.5)],
      },
      // Batch 1 (late wm 0): a duplicate across batches; max 5000.5 → wm 3000.5 (inside second 3).
      { add: [row(1, 1.0), row(4, 5.0005), row(5, 3.0), row(6, 3.0005), row(7, 3.0006), row(8, 3.5)] },
      // Batch 3 (late wm 3000.5): a duplicate, late rows (exactly on the watermark too), max 6000 → wm 4000 (a boundary).
      { add: [row(7, 3.0006), row(5, 3.0), row(6, 3.0005), row(9, 6.0), row(10, 4.0), row(11, 4.001), row(2, null)] },
      { restart: true },
      // After the restart: duplicates of kept keys, of a null key, a late row exactly at the watermark, new nulls.
      { add: [row(11, 4.001), row(12, 4.0), row(1, null), row(13, null), row(14, 7.9999), row(14, 7.9999)] },
      // A jump: wm 18000 evicts every timed key below it, partition by partition.
      { add: [row(1, 20.0)] },
      { add: [row(1, 20.0), row(1, 18.0), row(1, 18.0001), row(2, null), row(20, 19.9999)] },
      { restart: true },
      { add: [row(20, 19.9999), row(1, 20.0), row(21, 21.0)] },
    ];
    const batches = await compare(dedupKeyTime("2 seconds"), steps, true);
    // A few hand-checked facts (the tuple path agrees with them too).
    const b0 = batches[0] as BatchRecord;
    expect(b0.rows).toEqual([out(1, 1.0), out(1, 1.0005), out(2, 1.9999995), out(3, 2.0), out(1, null), out(2, 0.5), out(null, 1.5)].sort());
    expect(b0.numDroppedDuplicateRows).toBe(3);
    expect(b0.numRowsTotal).toBe(7);
    const b1 = batches[1] as BatchRecord;
    expect(b1.rows).toEqual([out(4, 5.0005), out(5, 3.0), out(6, 3.0005), out(7, 3.0006), out(8, 3.5)].sort());
    expect(b1.numDroppedDuplicateRows).toBe(1);
    // The no-data batch at wm 3000.5: partitions 0, 1, 2 whole (1@1000, 1@1000.5, 2@1999.9995,
    // 3@2000, 2@500, null@1500) and 5@3000, 6@3000.5 of partition 3.
    const b2 = batches[2] as BatchRecord;
    expect(b2.watermark).toBe("1970-01-01T00:00:03.000Z");
    expect(b2.numRowsRemoved).toBe(8);
    expect(b2.numRowsTotal).toBe(12 - 8);
    const b3 = batches[3] as BatchRecord;
    expect(b3.numRowsDroppedByWatermark).toBe(2);
    expect(b3.numDroppedDuplicateRows).toBe(1);
    // Null event times are never evicted: 1@null, 2@null, 13@null stay to the end.
    const b4 = batches[4] as BatchRecord;
    // The no-data batch at wm 4000 (a boundary): partition 3 whole (7@3000.6, 8@3500) and 10@4000 of partition 4.
    expect(b4.numRowsRemoved).toBe(3);
    expect(b4.numRowsTotal).toBe(5);
    const b5 = batches[5] as BatchRecord;
    expect(b5.rows).toEqual([out(13, null), out(14, 7.9999)].sort());
    expect(b5.numRowsDroppedByWatermark).toBe(1);
    expect(b5.numDroppedDuplicateRows).toBe(3);
    const b10 = batches[10] as BatchRecord;
    expect(b10.rows).toEqual([out(21, 21.0)]);
    expect(b10.numDroppedDuplicateRows).toBe(2);
    // Only the null event times (1, 2, 13) and the keys above the last watermark stay.
    const last = batches[batches.length - 1] as BatchRecord;
    expect(last.rows).toEqual([]);
    expect(last.numRowsTotal).toBe(6);
  });

  it("a batch halted before its state commit (a data batch, and a no-data batch dropping partitions) is re-run on restart", async () => {
    const steps: Step[] = [
      { add: Array.from({ length: 50 }, (_, i) => row(i % 7, 1 + i / 10)) },
      { add: [row(100, 3.25), row(101, 4.0)] },
      // The data batch is halted (aborted: its inserts rolled back), then re-run.
      { haltAdd: [row(3, 1.3), row(200, 9.5), row(201, 5.9999), row(202, 6.0)], noData: false },
      // The no-data batch after this one moves the watermark from 8500 to 11500 and drops partitions 8..10: halted, re-run.
      { haltAdd: [row(200, 9.5), row(203, 10.0), row(204, 11.5), row(205, 12.5)], noData: true },
      { add: [row(203, 10.0), row(206, 12.5), row(202, 6.0), row(209, 11.6)] },
      { haltAdd: [row(207, 20.0)], noData: true },
      { add: [row(207, 20.0), row(208, 19.9)] },
    ];
    const batches = await compare(dedupKeyTime("1 second"), steps, true);
    expect(batches.some((b) => b.numRowsRemoved >= 10)).toBe(true);
  });

  it("a commit-log write failing after the state version was committed: the re-run rolls a committed version (that dropped partitions) back", async () => {
    const steps: Step[] = [
      { add: Array.from({ length: 80 }, (_, i) => row(i % 9, 1 + i / 20)) },
      { add: [row(100, 3.25), row(101, 4.0), row(102, 4.9995)] },
      // The data batch's commit fails: re-run on the version before it.
      { failCommitAdd: [row(3, 1.3), row(103, 6.5), row(104, 5.9999), row(105, 6.0)], nth: 1 },
      // The following no-data batch (watermark 7000: drops partitions 1..5, entry by entry in 6? none ≤ 7000 there) fails its commit.
      { failCommitAdd: [row(103, 6.5), row(106, 8.0), row(107, 7.0), row(108, 7.0005)], nth: 2 },
      // New keys with the time of an evicted partition value reach a new partition (late here, so dropped), others survive.
      { add: [row(106, 8.0), row(109, 10.5), row(110, 9.0)] },
      { failCommitAdd: [row(111, 20.0)], nth: 2 },
      { restart: true },
      { add: [row(111, 20.0), row(112, 19.5), row(110, 9.0)] },
    ];
    // Watch the numeric provider: a getStore below its latest version rolls committed versions back.
    const rolledBackCommitted: number[] = [];
    const origGetStore = NumericStateStoreProvider.prototype.getStore;
    vi.spyOn(NumericStateStoreProvider.prototype, "getStore").mockImplementation(function (this: NumericStateStoreProvider<unknown>, version: number) {
      if (version < this.latestVersion()) rolledBackCommitted.push(version);
      return origGetStore.call(this, version);
    });
    const partitionDropsRolledBack: number[] = [];
    const origRollBack = NumericStateTable.prototype.rollBack;
    vi.spyOn(NumericStateTable.prototype, "rollBack").mockImplementation(function (this: NumericStateTable, log: UndoLog) {
      let drops = 0;
      // Op 4: a partition dropped (NumericStateTable's PARTITION_DROPPED).
      for (let i = 0; i < log.n; i++) if (log.ops[i] === 4) drops++;
      if (drops > 0) partitionDropsRolledBack.push(drops);
      origRollBack.call(this, log);
    });
    const batches = await compare(dedupKeyTime("1 second"), steps, true);
    expect(batches.some((b) => b.numRowsRemoved >= 20)).toBe(true);
    expect(rolledBackCommitted.length).toBe(3);
    expect(partitionDropsRolledBack.length).toBeGreaterThanOrEqual(2);
  });

  it("dropDuplicatesWithinWatermark and keys without the event time: a failed commit-log write re-runs on a rolled-back state", async () => {
    const steps: Step[] = [
      { add: [row(1, 1.0), row(2, 1.5), row(3, 2.0), row(4, null)] },
      { failCommitAdd: [row(1, 2.0), row(5, 6.0)], nth: 2 },
      { add: [row(1, 6.5), row(2, 2.5), row(6, 7.0), row(4, null)] },
    ];
    await compare(dedupWithinWatermark("2 seconds"), steps, false);
    // Without eviction there is no no-data batch: fail the data batch's commit instead.
    await compare(
      dedupKeyOnly("2 seconds"),
      steps.map((st) => ("failCommitAdd" in st ? { ...st, nth: 1 } : st)),
      false,
    );
  });

  /** Seeded batches of rows over keys 0..keys−1, times from `startS` seconds on (nulls, seconds, whole and fractional ms, late ones). */
  function randomSteps(seed: number, startS: number, keys: number, batches: number, maxRows = 30, faults = false): Step[] {
    const rnd = mulberry32(seed);
    const steps: Step[] = [];
    let base = startS;
    for (let b = 0; b < batches; b++) {
      if (b > 0 && rnd() < 0.2) steps.push({ restart: true });
      const n = 1 + Math.floor(rnd() * maxRows);
      const rows: InRow[] = [];
      for (let i = 0; i < n; i++) {
        const r = rnd();
        let t: number | null;
        if (r < 0.06) t = null;
        else if (r < 0.3) t = Math.floor(base + rnd() * 4); // exactly on a second
        else if (r < 0.5) t = Math.round((base + rnd() * 4) * 1000) / 1000; // whole ms
        else t = Math.round((base - 2 + rnd() * 6) * 1e6) / 1e6; // fractional ms, some late
        rows.push(row(rnd() < 0.03 ? null : Math.floor(rnd() * keys), t));
      }
      // Repeat a few rows (duplicates within the batch).
      for (let i = 0; i < 3; i++) rows.push(rows[Math.floor(rnd() * rows.length)] as InRow);
      const f = faults ? rnd() : 1;
      steps.push(f < 0.15 ? { failCommitAdd: rows, nth: 1 } : f < 0.3 ? { haltAdd: rows, noData: false } : { add: rows });
      base += rnd() * 2.5;
    }
    return steps;
  }

  it("randomized batches (seeded) with restarts: the same rows and metrics, batch by batch", async () => {
    for (const seed of [7, 99]) await compare(dedupKeyTime("1500 milliseconds"), randomSteps(seed, 0, 5, 14), true);
    // Present-day epoch times (1.7e12 ms): fractional ms near the limit of a double's precision.
    await compare(dedupKeyTime("1500 milliseconds"), randomSteps(3, 1_700_000_000, 5, 14), true);
  });

  it("randomized, larger batches with failed commits and halted batches re-run", async () => {
    await compare(dedupKeyTime("1 second"), randomSteps(21, 0, 60, 16, 600, true), true);
    await compare(dedupWithinWatermark("1 second"), randomSteps(22, 0, 60, 16, 600, true), false);
  });

  it("randomized: dropDuplicates on the event time alone, and on every column (the event time among them)", async () => {
    const timeOnly: Build = (input) => withEventTime(input, "1 second").dropDuplicates(["eventTime"]).select(F.col("key"), F.col("t"));
    await compare(timeOnly, randomSteps(11, 0, 5, 12), true);
    const allColumns: Build = (input) => withEventTime(input, "1 second").dropDuplicates().select(F.col("key"), F.col("t"));
    await compare(allColumns, randomSteps(12, 0, 3, 12), true);
  });

  it("randomized: two deduplications chained (dropDuplicates(key, eventTime), then dropDuplicatesWithinWatermark(key))", async () => {
    const chain: Build = (input) =>
      withEventTime(input, "2 seconds").dropDuplicates(["key", "eventTime"]).dropDuplicatesWithinWatermark(["key"]).select(F.col("key"), F.col("t"));
    const batches = await compare(chain, randomSteps(13, 0, 6, 12), null);
    expect(batches.every((b) => b.others.length === 1)).toBe(true);
  });
});

describe("NaN event times", () => {
  // cast(double NaN as timestamp) is null, as in Spark (it once gave NaN, and the batch failed
  // in reportProgress after its state and commit were written).
  it("a NaN `t` cast to a timestamp is a null event time (Spark), not a failed query", async () => {
    const steps: Step[] = [
      { add: [row(1, NaN), row(1, NaN), row(2, 1.0)] },
      { add: [row(1, NaN), row(3, 10.0)] },
      { add: [row(4, 20.0)] },
    ];
    const batches = await compare(dedupKeyTime("2 seconds"), steps, true);
    expect((batches[0] as BatchRecord).numDroppedDuplicateRows).toBe(1);
    // Like a null event time: never evicted.
    expect((batches[batches.length - 1] as BatchRecord).numRowsTotal).toBe(2);
  });
});

describe("dropDuplicatesWithinWatermark (numeric state, not partitioned; value-based expiry) vs the tuple state", () => {
  it("keys expire at first event time + delay; fractional ms; boundaries; late rows; nulls; restart", async () => {
    const steps: Step[] = [
      { add: [row(1, 1.0), row(1, 1.5), row(2, 1.0005), row(3, null), row(3, null), row(4, 2.0)] },
      // max 4000.5 → wm 2000.5: 1 (expires 3000) stays, duplicates dropped.
      { add: [row(1, 2.5), row(5, 4.0005), row(3, 10)] },
      // max 5000 → wm 3000 exactly: 1 (expiry 3000) and 2 (expiry 3000.5? no: 3000.5 > 3000) — only 1 goes.
      { add: [row(1, 2.9), row(6, 5.0), row(2, 2.0)] },
      { restart: true },
      { add: [row(1, 3.0001), row(2, 3.1), row(3, null), row(7, 9.0)] },
      { add: [row(2, 9.0), row(4, 8.0), row(8, null)] },
      { restart: true },
      { add: [row(8, null), row(4, 8.5), row(9, 20.0)] },
    ];
    const batches = await compare(dedupWithinWatermark("2 seconds"), steps, false);
    const b0 = batches[0] as BatchRecord;
    expect(b0.rows).toEqual([out(1, 1.0), out(2, 1.0005), out(3, null), out(4, 2.0)].sort());
    expect(b0.numDroppedDuplicateRows).toBe(2);
  });

  it("randomized batches (seeded) with restarts", async () => {
    const rnd = mulberry32(5);
    const steps: Step[] = [];
    let base = 0;
    for (let b = 0; b < 12; b++) {
      if (b > 0 && rnd() < 0.25) steps.push({ restart: true });
      const rows: InRow[] = [];
      const n = 1 + Math.floor(rnd() * 25);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        const t = r < 0.08 ? null : r < 0.4 ? Math.floor(base + rnd() * 3) : Math.round((base - 1 + rnd() * 4) * 1e6) / 1e6;
        rows.push(row(Math.floor(rnd() * 8), t));
      }
      steps.push({ add: rows });
      base += rnd() * 2;
    }
    await compare(dedupWithinWatermark("1 second"), steps, false);
  });
});

describe("dropDuplicates on keys without the event time (numeric state, never evicted) vs the tuple state", () => {
  it("late rows dropped, duplicates across batches and restarts, no eviction", async () => {
    const steps: Step[] = [
      { add: [row(1, 1.0), row(1, 2.0), row(2, 1.5), row(null, 1.0), row(null, 3.0)] },
      { add: [row(3, 10.0), row(2, 9.0)] },
      { add: [row(1, 1.0), row(4, 1.0), row(5, 11.0)] },
      { restart: true },
      { add: [row(5, 30.0), row(6, 30.0), row(null, 30.0)] },
      { add: [row(7, 100.0)] },
    ];
    const batches = await compare(dedupKeyOnly("2 seconds"), steps, false);
    for (const b of batches) expect(b.numRowsRemoved).toBe(0);
    expect(batches.map((b) => b.numRowsTotal)).toEqual([...batches.map((b) => b.numRowsTotal)].sort((a, b) => a - b));
    // 1, 2, null, 3, 5, 6, 7: 4@1.0 came after the watermark reached 8000 (late).
    expect((batches[batches.length - 1] as BatchRecord).numRowsTotal).toBe(7);
  });
});
