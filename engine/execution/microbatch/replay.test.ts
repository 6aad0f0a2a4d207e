/** "Replay with this watermark delay": the same recorded input, another delay, the live query untouched. */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream, type DataFrame } from "../../index";
import { newSession, stopAllSessions } from "../../test/streamTest";

afterEach(stopAllSessions);

async function watermarkDemo(mode: "append" | "update") {
  const { spark, clock } = newSession({ startMs: 1_700_000_000_000 });
  const events = spark.readStream.format("events").option("eventsPerSecond", 20).option("keys", 3).option("maxDelay", "4 seconds")
    .option("lateFraction", 0.1).option("lateness", "30 seconds").option("seed", 7).load();
  const q = events
    .withWatermark("eventTime", "10 seconds")
    .groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key"))
    .agg(F.count("*").as("events"))
    .writeStream.format("memory").queryName(`demo_${mode}`).outputMode(mode).trigger({ manual: true }).start();
  for (let i = 0; i < 12; i++) {
    clock.advance(5_000);
    await q.step();
  }
  return { spark, q };
}

const sortKey = (r: Record<string, unknown>) => JSON.stringify([r.window, r.key]);
const sorted = <T extends Record<string, unknown>>(rows: T[]) => [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

describe("StreamingQuery.replay", () => {
  it("with the query's own delay, gives the live result (append)", async () => {
    const { spark, q } = await watermarkDemo("append");
    const live = await spark.sql("select * from demo_append").collect();
    const same = await q.replay("10 seconds");
    expect(same.lastBatchId).toBe(q.lastProgress!.batchId);
    expect(JSON.stringify(sorted(same.rows))).toBe(JSON.stringify(sorted(live)));
    const liveDropped = q.recentProgress.reduce((s, p) => s + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
    expect(same.droppedByWatermark).toBe(liveDropped);
    expect(liveDropped).toBeGreaterThan(0);
  });

  it("a longer delay drops nothing of 30 s lateness and emits fewer windows; the live query runs on", async () => {
    const { spark, q } = await watermarkDemo("append");
    const short = await q.replay("10 seconds");
    const long = await q.replay("45 seconds");
    expect(long.droppedByWatermark).toBe(0);
    expect(long.rows.length).toBeLessThan(short.rows.length);
    expect(long.batches.at(-1)!.watermarkMs).toBeLessThan(short.batches.at(-1)!.watermarkMs);
    // Windows emitted by both count at least as many events with the longer delay.
    const longByKey = new Map(long.rows.map((r) => [sortKey(r), r.events as number]));
    for (const r of short.rows) {
      const l = longByKey.get(sortKey(r));
      if (l !== undefined) expect(l).toBeGreaterThanOrEqual(r.events as number);
    }
    expect(q.isActive).toBe(true);
    const before = (await spark.sql("select * from demo_append").collect()).length;
    await q.step();
    expect((await spark.sql("select * from demo_append").collect()).length).toBeGreaterThanOrEqual(before);
  });

  it("update mode keeps the newest row per key", async () => {
    const { spark, q } = await watermarkDemo("update");
    const r = await q.replay(10_000);
    expect(r.keyColumns).toEqual(["window", "key"]);
    const keys = r.rows.map(sortKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(r.rows.length).toBeGreaterThan(0);
    void spark;
  });

  it("says why it cannot run", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const q = input.toDF().writeStream.format("memory").queryName("nothing_yet").trigger({ manual: true }).start();
    await expect(q.replay("5 seconds")).rejects.toThrow(/No batch has been committed yet/);
    await expect(q.replay("five seconds")).rejects.toThrow();
  });
});

/**
 * A replay with delay D gives what a query written with D gives on the same input and
 * triggers: the delay reaches dropDuplicatesWithinWatermark through the column metadata, and
 * no-data batches follow the replay's own watermark where the live run had an idle trigger.
 */
describe("replay equals a query written with that delay", () => {
  type Build = (spark: ReturnType<typeof newSession>["spark"], delay: string) => { df: DataFrame; feeds: Array<() => void> };
  const ev = (spark: ReturnType<typeof newSession>["spark"], delay: string) => {
    const input = new MemoryStream(spark, { t: "long", key: "string" });
    return { input, df: input.toDF().withColumn("eventTime", F.col("t").cast("timestamp")).withWatermark("eventTime", delay) };
  };
  async function run(build: Build, delay: string) {
    const { spark, clock } = newSession({ startMs: 1_000_000 });
    const { df, feeds } = build(spark, delay);
    const name = `ref_${Math.random().toString(36).slice(2)}`;
    const q = df.writeStream.format("memory").queryName(name).outputMode("append").trigger({ manual: true }).start();
    for (const feed of feeds) {
      feed();
      clock.advance(1000);
      await q.processAllAvailable();
    }
    return { q, rows: await spark.sql(`select * from ${name}`).collect() };
  }
  const key = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
  const cases: Array<[string, Build, string, string]> = [
    ["dropDuplicatesWithinWatermark after a projection, 60 s → 5 s", (spark, d) => {
      const { input, df } = ev(spark, d);
      return { df: df.withColumn("x", F.lit(1)).dropDuplicatesWithinWatermark(["key"]), feeds: [() => input.addData({ t: 10, key: "a" }, { t: 40, key: "b" }), () => input.addData({ t: 41, key: "c" }), () => input.addData({ t: 42, key: "a" })] };
    }, "60 seconds", "5 seconds"],
    ["windows, 100 s → 0 s: the replay's own no-data batches close windows and drop late rows", (spark, d) => {
      const { input, df } = ev(spark, d);
      return { df: df.groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key")).count(), feeds: [() => input.addData({ t: 10, key: "a" }), () => input.addData({ t: 25, key: "b" }), () => input.addData({ t: 12, key: "a" }), () => input.addData({ t: 80, key: "c" })] };
    }, "100 seconds", "0 seconds"],
  ];
  for (const [name, build, live, other] of cases) {
    it(name, async () => {
      const { q } = await run(build, live);
      const replay = await q.replay(other);
      const ref = await run(build, other);
      expect(key(replay.rows)).toEqual(key(ref.rows));
      const refDropped = ref.q.recentProgress.reduce((s, p) => s + p.stateOperators.reduce((x, o) => x + o.numRowsDroppedByWatermark, 0), 0);
      expect(replay.droppedByWatermark).toBe(refDropped);
    });
  }
});
