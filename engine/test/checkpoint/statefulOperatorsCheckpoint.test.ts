/**
 * Issue 4's state operators (dedup, session windows, stream-stream joins) over a persisted
 * checkpoint (the Node directory store): their state goes through the StateStore /
 * StateStoreProvider interfaces as JSON, and a restarted query resumes it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, type DataFrame, type Row } from "../../index";
import { openFileCheckpointStore } from "../../checkpoint/file/FileCheckpointStore";

const dirs: string[] = [];
const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function session(): SparkSession {
  const s = SparkSession.builder()
    .clock(new ManualClock(0))
    .output(() => undefined)
    .checkpointStores((loc) => openFileCheckpointStore(loc, { minDeltasForSnapshot: 2 }))
    .getOrCreate();
  sessions.push(s);
  return s;
}

let runs = 0;

/** Runs `df` to completion of the available data on checkpoint `cp`, then stops; returns the rows this run wrote. */
async function run(spark: SparkSession, df: DataFrame, cp: string, mode: "append" | "complete"): Promise<Row[]> {
  const name = `out${++runs}`;
  const q = df.writeStream.format("memory").queryName(name).outputMode(mode).trigger({ manual: true }).option("checkpointLocation", cp).start();
  await q.processAllAvailable();
  await q.stop();
  return (await spark.table(name).collect()) as Row[];
}

describe("issue-4 operators on a persisted checkpoint", () => {
  it("dedup, session-window and stream-stream join state survive a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp4-"));
    dirs.push(dir);
    const spark = session();

    const words = new MemoryStream(spark, { value: "string" });
    const dedup = words.toDF().dropDuplicates();
    words.addData("a", "b", "a");
    expect((await run(spark, dedup, join(dir, "dedup"), "append")).map((r) => r.value).sort()).toEqual(["a", "b"]);
    words.addData("b", "c");
    expect((await run(spark, dedup, join(dir, "dedup"), "append")).map((r) => r.value)).toEqual(["c"]);

    const ev = new MemoryStream(spark, { k: "string", t: "long" });
    const sess = ev
      .toDF()
      .groupBy(F.col("k"), F.sessionWindow(F.col("t").cast("timestamp"), "10 seconds").as("s"))
      .count()
      .select(F.col("k"), F.col("s").getField("start").cast("long").as("start"), F.col("s").getField("end").cast("long").as("end"), F.col("count"));
    ev.addData({ k: "x", t: 1 }, { k: "x", t: 5 });
    expect(await run(spark, sess, join(dir, "session"), "complete")).toEqual([{ k: "x", start: 1, end: 15, count: 2 }]);
    ev.addData({ k: "x", t: 14 });
    expect(await run(spark, sess, join(dir, "session"), "complete")).toEqual([{ k: "x", start: 1, end: 24, count: 3 }]);

    const a = new MemoryStream(spark, { value: "long" });
    const b = new MemoryStream(spark, { value: "long" });
    const joined = a.toDF().select(F.col("value").as("k"), F.lit("a").as("x")).join(b.toDF().select(F.col("value").as("k"), F.lit("b").as("y")), "k");
    a.addData(1, 2);
    expect(await run(spark, joined, join(dir, "join"), "append")).toEqual([]);
    b.addData(2);
    expect(await run(spark, joined, join(dir, "join"), "append")).toEqual([{ k: 2, x: "a", y: "b" }]);
  });
});
