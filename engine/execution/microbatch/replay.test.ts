/** "Replay with this watermark delay": the same recorded input, another delay, the live query untouched. */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
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
