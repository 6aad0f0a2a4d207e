/**
 * Triggers: once, availableNow, processingTime on a ManualClock, and the playground's
 * manual trigger (step()).
 *
 * Sources:
 * - docs/streaming/apis-on-dataframes-and-datasets.md, "Triggers": processing-time
 *   micro-batches "kicked off at the user-specified intervals"; One-time ("process all the
 *   available data and then stop on its own", deprecated); Available-now ("process all the
 *   available data and then stop ... in (possibly) multiple micro-batches").
 * - EventTimeWatermarkSuite "event time and watermark metrics with Trigger.Once (SPARK-24699)":
 *   Trigger.Once runs one batch per start and no no-data batch.
 * - StreamSuite / ProcessingTimeExecutor: batches start at multiples of the interval
 *   (`nextBatchTime = (now / interval + 1) * interval`), the first one at once.
 * - MicroBatchExecution with AvailableNow: after the data, a no-data batch runs when the
 *   watermark moved, then the query terminates.
 * - RatePerMicroBatchStream: with availableNow, exactly one batch of rowsPerBatch.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  AdvanceManualClock,
  AwaitTermination,
  CheckNewAnswer,
  Execute,
  StartStream,
  assertRows,
  eventually,
  newSession,
  recentProgress,
  startCollecting,
  stopAllSessions,
  testStream,
  ticks,
  isoOfSeconds,
  type Row,
  type StreamingQuery,
} from "../streamTest";

afterEach(stopAllSessions);

function windowedCount() {
  const { spark, clock } = newSession();
  const input = new MemoryStream(spark, { value: "long" });
  const df = input
    .toDF()
    .withColumn("eventTime", F.col("value").cast("timestamp"))
    .withWatermark("eventTime", "10 seconds")
    .groupBy(F.window(F.col("eventTime"), "5 seconds").as("window"))
    .agg(F.count("*").as("count"))
    .select(F.col("window").getField("start").cast("long").as("start"), F.col("count").cast("long").as("count"));
  return { spark, clock, input, df };
}

/** EventTimeWatermarkSuite assertEventStats: eventTime of the last progress with input rows. */
function AssertEventStats(min: number, max: number, avg: number, watermark: number) {
  return Execute(`eventTime stats ${min}/${max}/${avg} wm ${watermark}`, (q: StreamingQuery) => {
    const withData = recentProgress(q).filter((p) => p.numInputRows > 0);
    const e = withData[withData.length - 1]?.eventTime;
    expect(e).toEqual({ min: isoOfSeconds(min), max: isoOfSeconds(max), avg: isoOfSeconds(avg), watermark: isoOfSeconds(watermark) });
  });
}

describe("trigger once", () => {
  it("processes all available data in one batch, then the query stops by itself", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    input.addData(1, 2);
    input.addData(3);
    const c = await startCollecting(input.toDF(), "append", { trigger: { once: true } });
    await c.query.awaitTermination();
    await c.settle();
    expect(c.query.isActive).toBe(false);
    assertRows(c.rows(), [{ value: 1 }, { value: 2 }, { value: 3 }]);
    expect(recentProgress(c.query)).toHaveLength(1);
  });

  it("runs one batch per start and no no-data batch (SPARK-24699)", async () => {
    const { clock, input, df } = windowedCount();
    const once = { once: true } as const;
    await testStream(df, "append", { clock })(
      StartStream(once),
      AwaitTermination,
      AddData(input, 15),
      StartStream(once),
      AwaitTermination,
      CheckNewAnswer(),
      AssertEventStats(15, 15, 15, 0),
      AddData(input, 10, 12, 14),
      StartStream(once),
      AwaitTermination,
      CheckNewAnswer(),
      AssertEventStats(10, 14, 12, 5),
      AddData(input, 25),
      StartStream(once),
      AwaitTermination,
      CheckNewAnswer(),
      AssertEventStats(25, 25, 25, 5),
      AddData(input, 50),
      StartStream(once),
      AwaitTermination,
      CheckNewAnswer({ start: 10, count: 3 }), // watermark 15 is used to generate this
      AssertEventStats(50, 50, 50, 15),
      AddData(input, 50),
      StartStream(once),
      AwaitTermination,
      CheckNewAnswer({ start: 15, count: 1 }, { start: 25, count: 1 }), // watermark 40
      AssertEventStats(50, 50, 50, 40),
    );
  });
});

describe("trigger availableNow", () => {
  it("processes all available data, runs the final no-data batch the watermark needs, then stops", async () => {
    const { input, df } = windowedCount();
    input.addData(10, 11);
    input.addData(25);
    const c = await startCollecting(df, "append", { trigger: { availableNow: true } });
    await c.query.awaitTermination();
    await c.settle();
    expect(c.query.isActive).toBe(false);
    // watermark 25 - 10 = 15 closes [10, 15) in the final no-data batch
    assertRows(c.rows(), [{ start: 10, count: 2 }]);
    const ps = recentProgress(c.query);
    const lastP = ps[ps.length - 1]!;
    expect(lastP.numInputRows).toBe(0);
    expect(lastP.eventTime?.watermark).toBe(isoOfSeconds(15));
    expect(ps.reduce((n, p) => n + p.numInputRows, 0)).toBe(3);
  });

  it("a restarted availableNow query processes only the data added since (SPARK-24699 recovery)", async () => {
    const { clock, input, df } = windowedCount();
    const availableNow = { availableNow: true } as const;
    await testStream(df, "append", { clock })(
      AddData(input, 15),
      StartStream(availableNow),
      AwaitTermination,
      CheckNewAnswer(),
      AddData(input, 10, 12, 14, 25),
      StartStream(availableNow),
      AwaitTermination,
      CheckNewAnswer({ start: 10, count: 3 }),
      AddData(input, 50),
      StartStream(availableNow),
      AwaitTermination,
      CheckNewAnswer({ start: 15, count: 1 }, { start: 25, count: 1 }),
      StartStream(availableNow),
      AwaitTermination,
      CheckNewAnswer(),
    );
  });

  it("with rate-micro-batch: exactly one batch of rowsPerBatch, then stop", async () => {
    const { spark } = newSession();
    const df = spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 5).load().select(F.col("value"));
    const c = await startCollecting(df, "append", { trigger: { availableNow: true } });
    await c.query.awaitTermination();
    await c.settle();
    assertRows(c.rows(), [0, 1, 2, 3, 4].map((value) => ({ value })));
    expect(c.batches.size).toBe(1);
  });
});

describe("trigger processingTime on the session's ManualClock", () => {
  it("runs a batch at start, then only when the clock reaches the next interval boundary", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    input.addData(1);
    const c = await startCollecting(input.toDF(), "append", { trigger: { processingTime: "1 second" } });
    await eventually(() => c.batches.size === 1, "the first batch runs at start (t = 0)");
    await c.settle();
    assertRows(c.rows(), [{ value: 1 }]);

    input.addData(2);
    await ticks(200);
    expect(c.batches.size, "no batch before the clock reaches 1000 ms").toBe(1);
    clock.advance(999);
    await ticks(200);
    expect(c.batches.size, "no batch at 999 ms").toBe(1);
    clock.advance(1);
    await eventually(() => c.batches.size === 2, "a batch at 1000 ms");
    await c.settle();
    assertRows(c.batches.get(1) ?? [], [{ value: 2 }]);
    // the progress timestamp is the trigger time on the session clock
    await eventually(() => recentProgress(c.query).length >= 2, "second progress");
    expect(recentProgress(c.query)[1]!.timestamp).toBe("1970-01-01T00:00:01.000Z");
    await c.query.stop();
  });

  it("a trigger with no new data runs no batch", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    input.addData(1);
    const c = await startCollecting(input.toDF(), "append", { trigger: { processingTime: "1 second" } });
    await eventually(() => c.batches.size === 1, "first batch");
    clock.advance(1000);
    await ticks(200);
    clock.advance(1000);
    await ticks(200);
    expect(c.batches.size).toBe(1);
    expect(recentProgress(c.query).map((p) => p.batchId)).toEqual([0]);
    input.addData(5);
    clock.advance(1000);
    await eventually(() => c.batches.size === 2, "batch 1 at 3000 ms");
    await c.query.stop();
  });
});

describe("processingTime through the StreamTest DSL (StreamingQuerySuite style: StartStream(ProcessingTime), AdvanceManualClock)", () => {
  it("rows added between triggers arrive with the next trigger", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    await testStream(input.toDF(), "append", { clock })(
      StartStream({ processingTime: "1 second" }),
      AddData(input, 1),
      AdvanceManualClock(1000),
      CheckNewAnswer({ value: 1 }),
      AddData(input, 2, 3),
      AdvanceManualClock(1000),
      CheckNewAnswer({ value: 2 }, { value: 3 }),
    );
  });
});

describe("rate source under a processingTime trigger (RateStreamProviderSuite 'microbatch - basic' with a StreamManualClock)", () => {
  it("produces the second's rows at the trigger after the clock moved one second", async () => {
    const { spark, clock } = newSession();
    const df = spark.readStream.format("rate").option("rowsPerSecond", 4).load();
    const c = await startCollecting(df, "append", { trigger: { processingTime: "1 second" } });
    await ticks(100);
    expect(c.batches.size, "no rows at t = 0").toBe(0);
    clock.advance(1000);
    await eventually(() => c.batches.size === 1, "a batch at t = 1000");
    await c.settle();
    assertRows(c.rows(), [0, 1, 2, 3].map((v) => ({ timestamp: new Date(v * 250), value: v })));
    await c.query.stop();
  });
});

describe("manual trigger (playground extension)", () => {
  it("step() runs exactly one trigger: all data available at that moment, in one batch", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1);
    input.addData(2, 3);
    await ticks(50);
    expect(c.batches.size, "nothing runs without step()").toBe(0);
    await c.query.step();
    await c.settle();
    expect([...c.batches.keys()]).toEqual([0]);
    assertRows(c.rows(), [{ value: 1 }, { value: 2 }, { value: 3 }]);
  });

  it("step() with nothing to do runs no batch", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1);
    await c.query.step();
    await c.query.step();
    await c.settle();
    expect(recentProgress(c.query).map((p) => p.batchId)).toEqual([0]);
  });

  it("the step after a watermark move runs the no-data batch that emits the closed window", async () => {
    const { input, df } = windowedCount();
    const c = await startCollecting(df, "append");
    input.addData(10, 11);
    await c.query.step(); // batch 0: watermark 0 -> 1 afterwards
    await c.query.step(); // batch 1: no-data batch, watermark 1 (nothing closes)
    input.addData(25);
    await c.query.step(); // batch 2: data, watermark 1 -> 15 afterwards
    await c.settle();
    expect(c.rows()).toEqual([]);
    await c.query.step(); // batch 3: no-data batch with watermark 15 closes [10, 15)
    await c.settle();
    assertRows(c.rows(), [{ start: 10, count: 2 }]);
    expect(recentProgress(c.query).map((p) => [p.batchId, p.numInputRows])).toEqual([
      [0, 2],
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
  });

  it("processAllAvailable() runs data and no-data batches until nothing is pending", async () => {
    const { input, df } = windowedCount();
    const c = await startCollecting(df, "append");
    input.addData(10, 11);
    input.addData(25);
    await c.query.processAllAvailable();
    await c.settle();
    assertRows(c.rows(), [{ start: 10, count: 2 }] as Row[]);
    const ps = recentProgress(c.query);
    expect(ps[ps.length - 1]!.numInputRows).toBe(0);
  });
});
