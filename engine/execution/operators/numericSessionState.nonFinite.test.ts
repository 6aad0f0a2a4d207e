/**
 * Times that are not finite make no session: to_timestamp of ±Infinity or NaN is null (as
 * Spark's cast of a double), and a session window drops a row whose time is not finite. (A
 * review found that a −∞ session start took the key of its group key's directory entry in the
 * numeric session state, whose directories have start −∞: the session went missing and the
 * next batch read it as the directory.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, memoryCheckpointStore, type Row } from "../../index";
import { NumericStateStoreProvider } from "../../state/NumericStateStoreProvider";
import { plain } from "../../test/plainValue";

const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) {
    for (const q of [...s.streams.active]) await q.stop().catch(() => undefined);
    await s.stop();
  }
});

describe("session windows over times that are not finite", () => {
  it("to_timestamp(−Infinity) is null: the row makes no session, and the group key's sessions merge as usual (complete mode)", async () => {
    const spark = SparkSession.builder().appName("neg-inf-session").clock(new ManualClock(0)).output(() => undefined).getOrCreate();
    sessions.push(spark);
    const location = `neg-inf-session-${Date.now()}`;
    const input = new MemoryStream(spark, { d: "double", k: "int" } as const);
    const df = input
      .toDF()
      .withColumn("t", F.toTimestamp(F.col("d")))
      .groupBy(F.sessionWindow(F.col("t"), "5 seconds"), F.col("k"))
      .agg(F.count("*").as("n"));
    const out: Record<string, unknown>[][] = [];
    const q = df.writeStream
      .foreachBatch(async (b, _id) => {
        out.push(((await b.collect()) as Row[]).map((r) => plain(r) as Record<string, unknown>));
      })
      .outputMode("complete")
      .trigger({ manual: true })
      .option("checkpointLocation", location)
      .start();
    input.addData([{ d: 100, k: 1 }, { d: -Infinity, k: 1 }]);
    await q.processAllAvailable();
    input.addData([{ d: 101, k: 1 }]);
    const err = await q.processAllAvailable().then(
      () => null,
      (e: unknown) => e,
    );
    expect(memoryCheckpointStore(location).stateStoreProvider<unknown>(0)).toBeInstanceOf(NumericStateStoreProvider);
    expect(err).toBeNull();
    const starts = (rows: Record<string, unknown>[]) =>
      rows.map((r) => [(r.session_window as { start: number }).start, r.n]).sort((a, b) => (a[0] as number) - (b[0] as number));
    // With the −∞ row taken for a session, batch 1 gave [100, 105] and [101, 106] apart.
    expect(out.map(starts)).toEqual([[[100_000, 1]], [[100_000, 2]]]);
  });

  it("to_timestamp of a double: seconds, and null for ±Infinity and NaN", async () => {
    const spark = SparkSession.builder().appName("to-ts").output(() => undefined).getOrCreate();
    sessions.push(spark);
    const rows = (await spark
      .createDataFrame([{ d: 1.5 }, { d: -Infinity }, { d: Infinity }, { d: NaN }], { d: "double" })
      .select(F.toTimestamp(F.col("d")).as("t"))
      .collect()) as Row[];
    expect(rows.map((r) => plain(r.t))).toEqual([1500, null, null, null]);
  });

  it("a timestamp column's ±Infinity and NaN make no session (complete mode)", async () => {
    const spark = SparkSession.builder().appName("non-finite-ts").clock(new ManualClock(0)).output(() => undefined).getOrCreate();
    sessions.push(spark);
    const input = new MemoryStream(spark, { t: "timestamp", k: "int" } as const);
    const out: Row[] = [];
    const q = input
      .toDF()
      .groupBy(F.sessionWindow(F.col("t"), "5 seconds"), F.col("k"))
      .agg(F.count("*").as("n"))
      .writeStream.foreachBatch(async (b) => {
        out.push(...((await b.collect()) as Row[]));
      })
      .outputMode("complete")
      .trigger({ manual: true })
      .start();
    input.addData([{ t: 100_000, k: 1 }, { t: -Infinity, k: 1 }, { t: Infinity, k: 1 }, { t: NaN, k: 1 }, { t: 101_000, k: 1 }]);
    await q.processAllAvailable();
    expect(out.map((r) => [(plain(r.session_window) as { start: number; end: number }).start, (plain(r.session_window) as { end: number }).end, r.n])).toEqual([[100_000, 106_000, 2]]);
  });
});
