/**
 * The Node directory checkpoint: Spark's layout and text formats, restart after the last
 * commit, re-run of an uncommitted batch, state deltas + snapshots, purge, named errors.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, type Row } from "../../index";
import { openFileCheckpointStore } from "../../checkpoint/file/FileCheckpointStore";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "cp-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const sessions: SparkSession[] = [];

function session(conf: Record<string, string> = {}): SparkSession {
  let b = SparkSession.builder()
    .clock(new ManualClock(1_700_000_000_000))
    .output(() => undefined)
    .checkpointStores((loc) => openFileCheckpointStore(loc, { minDeltasForSnapshot: 3 }));
  for (const [k, v] of Object.entries(conf)) b = b.config(k, v);
  const s = b.getOrCreate();
  sessions.push(s);
  return s;
}

async function runCounts(spark: SparkSession, input: MemoryStream, cp: string): Promise<Row[]> {
  const q = input
    .toDF()
    .groupBy("value")
    .agg(F.count("*").as("n"))
    .writeStream.format("memory")
    .queryName("counts")
    .outputMode("complete")
    .trigger({ manual: true })
    .option("checkpointLocation", cp)
    .start();
  await q.processAllAvailable();
  await q.stop();
  return (await spark.table("counts").collect()) as Row[];
}

describe("FileCheckpointStore", () => {
  it("writes Spark's layout and resumes state after a restart", async () => {
    const cp = join(tempDir(), "counts");
    const spark = session();
    const input = new MemoryStream(spark, { value: "long" });
    input.addData(1, 2, 2);
    const first = await runCounts(spark, input, cp);
    expect(first.sort((a, b) => Number(a.value) - Number(b.value))).toEqual([
      { value: 1, n: 1 },
      { value: 2, n: 2 },
    ]);
    expect(readdirSync(cp).sort()).toEqual(["commits", "metadata", "offsets", "state"]);
    const offsets = readFileSync(join(cp, "offsets", "0"), "utf8").split("\n");
    expect(offsets[0]).toBe("v1");
    expect(JSON.parse(offsets[1] as string)).toMatchObject({ batchWatermarkMs: 0, batchTimestampMs: 1_700_000_000_000 });
    expect(offsets[2]).toBe("0");
    expect(readFileSync(join(cp, "commits", "0"), "utf8")).toBe('v1\n{"nextBatchWatermarkMs":0}');
    expect(JSON.parse(readFileSync(join(cp, "metadata"), "utf8"))).toHaveProperty("id");
    expect(readdirSync(join(cp, "state", "0", "0"))).toContain("1.delta");

    input.addData(2, 3);
    const second = await runCounts(spark, input, cp);
    expect(second.sort((a, b) => Number(a.value) - Number(b.value))).toEqual([
      { value: 1, n: 1 },
      { value: 2, n: 3 },
      { value: 3, n: 1 },
    ]);
  });

  it("keeps the query id across restarts and gives each run a new runId", async () => {
    const cp = join(tempDir(), "ids");
    const spark = session();
    const input = new MemoryStream(spark, { value: "long" });
    const start = () => input.toDF().writeStream.format("memory").queryName("ids").trigger({ manual: true }).option("checkpointLocation", cp).start();
    const q1 = start();
    input.addData(1);
    await q1.processAllAvailable();
    await q1.stop();
    const q2 = start();
    expect(q2.id).toBe(q1.id);
    expect(q2.runId).not.toBe(q1.runId);
    await q2.stop();
  });

  it("rebuilds state from snapshots and deltas, and purges past minBatchesToRetain", async () => {
    const cp = join(tempDir(), "purge");
    const spark = session({ "spark.sql.streaming.minBatchesToRetain": "2" });
    const input = new MemoryStream(spark, { value: "long" });
    const q = input
      .toDF()
      .groupBy("value")
      .count()
      .writeStream.format("memory")
      .queryName("p")
      .outputMode("complete")
      .trigger({ manual: true })
      .option("checkpointLocation", cp)
      .start();
    for (let i = 0; i < 8; i++) {
      input.addData(i % 3);
      await q.processAllAvailable();
    }
    await q.stop();
    const state = readdirSync(join(cp, "state", "0", "0")).filter((n) => n !== "_metadata");
    expect(state).toContain("6.snapshot");
    expect(readdirSync(join(cp, "offsets")).sort()).toEqual(["6", "7"]);
    expect(readdirSync(join(cp, "commits")).sort()).toEqual(["6", "7"]);
    expect(state.sort()).toEqual(["6.snapshot", "7.delta", "8.delta"]);
    // A fresh store loads version 8 from snapshot 6 + deltas 7, 8.
    const store = openFileCheckpointStore(cp);
    const p = store.stateStoreProvider<unknown>(0);
    const s = await p.getStore(8);
    expect(s.numKeys()).toBe(3);
  });
});

/** Runs a counting query on `cp` with data 1, 2 (two batches), then stops. */
async function seed(spark: SparkSession, cp: string): Promise<MemoryStream> {
  const input = new MemoryStream(spark, { value: "long" });
  input.addData(1);
  await runCounts(spark, input, cp);
  input.addData(2);
  await runCounts(spark, input, cp);
  return input;
}

async function failureOf(start: () => { processAllAvailable(): Promise<void>; stop(): Promise<void> }): Promise<string> {
  const q = start();
  try {
    await q.processAllAvailable();
  } catch (e) {
    return (e as Error).message;
  } finally {
    await q.stop();
  }
  return "no error";
}

describe("source metadata", () => {
  it("the rate source's start time is written to sources/0/0 and kept across restarts", async () => {
    const cp = join(tempDir(), "rate");
    const clock = new ManualClock(1_700_000_000_000);
    const spark = SparkSession.builder().clock(clock).output(() => undefined).checkpointStores((loc) => openFileCheckpointStore(loc)).getOrCreate();
    sessions.push(spark);
    const start = () =>
      spark.readStream.format("rate").option("rowsPerSecond", 1).load().writeStream.format("memory").queryName("r").trigger({ manual: true }).option("checkpointLocation", cp).start();
    const q1 = start();
    clock.advance(2000);
    await q1.processAllAvailable();
    await q1.stop();
    const text = readFileSync(join(cp, "sources", "0", "0"), "utf8");
    expect(text).toBe('v1\n{"startTimeMs":1700000000000}');
    clock.advance(5000);
    const q2 = start();
    await q2.processAllAvailable();
    await q2.stop();
    expect(readFileSync(join(cp, "sources", "0", "0"), "utf8")).toBe(text);
    expect((await spark.table("r").collect()).length).toBeGreaterThan(0);
  });
});

describe("damaged checkpoints fail with a named error, never restart from zero", () => {
  const restart = (_spark: SparkSession, input: MemoryStream, cp: string) => () =>
    input.toDF().groupBy("value").agg(F.count("*").as("n")).writeStream.format("memory").queryName("counts").outputMode("complete").trigger({ manual: true }).option("checkpointLocation", cp).start();

  it("a truncated offsets entry: MALFORMED_LOG_FILE", async () => {
    const cp = join(tempDir(), "trunc");
    const spark = session();
    const input = await seed(spark, cp);
    writeFileSync(join(cp, "offsets", "1"), "v1\n{\"batchWatermarkMs\":0,\"batchTi");
    expect(await failureOf(restart(spark, input, cp))).toMatch(/\[MALFORMED_LOG_FILE\].*offsets\/1/);
  });

  it("an unknown version header: INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION", async () => {
    const cp = join(tempDir(), "version");
    const spark = session();
    const input = await seed(spark, cp);
    writeFileSync(join(cp, "commits", "1"), 'v99\n{"nextBatchWatermarkMs":0}');
    expect(await failureOf(restart(spark, input, cp))).toMatch(/INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION.*v99/);
  });

  it("a gap in batch ids: CHECKPOINT_BATCH_GAP", async () => {
    const cp = join(tempDir(), "gap");
    const spark = session();
    const input = await seed(spark, cp);
    input.addData(3);
    await runCounts(spark, input, cp);
    rmSync(join(cp, "offsets", "1"));
    expect(await failureOf(restart(spark, input, cp))).toMatch(/\[CHECKPOINT_BATCH_GAP\].*batch 1 is missing/);
  });

  it("a missing state version: CANNOT_LOAD_STATE_STORE", async () => {
    const cp = join(tempDir(), "state");
    const spark = session();
    const input = await seed(spark, cp);
    rmSync(join(cp, "state", "0", "0", "2.delta"));
    input.addData(5);
    expect(await failureOf(restart(spark, input, cp))).toMatch(/CANNOT_LOAD_STATE_STORE.CANNOT_READ_DELTA_FILE_NOT_EXISTS.*2\.delta/);
  });

  it("resetFileCheckpoint is the explicit way to start over", async () => {
    const cp = join(tempDir(), "reset");
    const spark = session();
    const input = await seed(spark, cp);
    const { resetFileCheckpoint } = await import("../../node");
    await resetFileCheckpoint(cp);
    expect(existsSync(cp)).toBe(false);
    input.addData(7);
    const q = restart(spark, input, cp)();
    await q.processAllAvailable();
    await q.stop();
    expect(readFileSync(join(cp, "offsets", "0"), "utf8").split("\n")[2]).toBe("2");
  });
});

describe("incompatible restarts fail with an error naming the change", () => {
  it("changed grouping keys: STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE", async () => {
    const cp = join(tempDir(), "keys");
    const spark = session();
    const input = await seed(spark, cp);
    const msg = await failureOf(() =>
      input.toDF().groupBy(F.col("value").cast("string").as("s")).agg(F.count("*").as("n")).writeStream.format("memory").queryName("x").outputMode("complete").trigger({ manual: true }).option("checkpointLocation", cp).start(),
    );
    expect(msg).toMatch(/\[STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE\] Provided key schema does not match existing state key schema.*struct<value:bigint> and new key_schema=struct<.*:string>/);
  });

  it("changed aggregates: STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE", async () => {
    const cp = join(tempDir(), "aggs");
    const spark = session();
    const input = await seed(spark, cp);
    const msg = await failureOf(() =>
      input.toDF().groupBy("value").agg(F.count("*").as("n"), F.max("value").as("m")).writeStream.format("memory").queryName("x").outputMode("complete").trigger({ manual: true }).option("checkpointLocation", cp).start(),
    );
    expect(msg).toMatch(/\[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE\]/);
  });

  it("a removed stateful operator: STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA", async () => {
    const cp = join(tempDir(), "ops");
    const spark = session();
    const input = await seed(spark, cp);
    const msg = await failureOf(() => input.toDF().writeStream.format("memory").queryName("x").trigger({ manual: true }).option("checkpointLocation", cp).start());
    expect(msg).toMatch(/STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA.*OperatorName: stateStoreSave.*current batch: \[\]/);
  });

  it("a changed number of sources", async () => {
    const cp = join(tempDir(), "sources");
    const spark = session();
    const input = await seed(spark, cp);
    const other = new MemoryStream(spark, { value: "long" });
    const msg = await failureOf(() =>
      input.toDF().union(other.toDF()).groupBy("value").agg(F.count("*").as("n")).writeStream.format("memory").queryName("x").outputMode("complete").trigger({ manual: true }).option("checkpointLocation", cp).start(),
    );
    expect(msg).toMatch(/sources/);
  });
});
