/** "Make late data happen": events typed by hand reach the next batch, through the offsets. */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../index";
import { newSession, stopAllSessions } from "../test/streamTest";

afterEach(stopAllSessions);

describe("inject", () => {
  it("the events source reads an injected event in the next batch, and the watermark view sees it dropped", async () => {
    const { spark, clock } = newSession({ startMs: 1_000_000 });
    const events = spark.readStream.format("events").option("eventsPerSecond", 5).option("lateFraction", 0).option("maxDelay", "1 second").option("seed", 3).load();
    const q = events
      .withWatermark("eventTime", "5 seconds")
      .groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key"))
      .count()
      .writeStream.format("memory").queryName("injected").outputMode("update").trigger({ manual: true }).start();
    q.lateRows();
    clock.advance(30_000);
    await q.step(); // 150 events, watermark ≈ 1,024 s afterwards
    await q.step(); // the no-data batch that brings it in
    q.inject({ eventTimeMs: 1_000_500, key: "late-key", value: 7 });
    await q.step();
    const p = q.lastProgress!;
    expect(p.numInputRows).toBe(1);
    expect(p.sources[0]!.endOffset).toEqual({ seconds: 30, injected: 1 });
    expect(p.stateOperators[0]!.numRowsDroppedByWatermark).toBe(1);
    const trace = q.lateRows()!;
    expect(trace.counts).toEqual({ total: 1, onTime: 0, lateCounted: 0, dropped: 1 });
    expect(trace.points[0]!.values).toEqual([1_000_500, "late-key", 7, 1_030_000]); // arrival: the clock at inject()
    // An on-time injected event is counted in its window.
    q.inject({ eventTimeMs: 1_029_000, key: "late-key", value: 1 });
    await q.step();
    const rows = await spark.sql("select * from injected where key = 'late-key'").collect();
    expect(rows.map((r) => r.count)).toEqual([1]);
  });

  it("a MemoryStream takes the event time in its timestamp column", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { ts: "timestamp", word: "string", n: "long" });
    const q = input.toDF().writeStream.format("memory").queryName("mem_injected").trigger({ manual: true }).start();
    q.inject({ eventTimeMs: 5_000, key: "a", value: 2 });
    await q.step();
    const rows = await spark.sql("select * from mem_injected").collect();
    expect(rows.map((r) => [(r.ts as Date).getTime(), r.word, r.n])).toEqual([[5_000, "a", 2]]);
  });

  it("a source that cannot take events says so", async () => {
    const { spark } = newSession();
    const q = spark.readStream.format("rate").load().writeStream.format("memory").queryName("no_inject").trigger({ manual: true }).start();
    expect(() => q.inject({ eventTimeMs: 0, key: null, value: null })).toThrow(/None of this query's sources takes events by hand \(RateStreamV2/);
    const input = new MemoryStream(spark, { value: "long" });
    const q2 = input.toDF().writeStream.format("memory").queryName("no_ts").trigger({ manual: true }).start();
    expect(() => q2.inject({ eventTimeMs: 0, key: null, value: null })).toThrow(/no timestamp column/);
  });
});
