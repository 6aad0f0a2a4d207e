/**
 * Watermarks: max event time − delay, never decreasing, min/max multipleWatermarkPolicy,
 * used from the next batch, no-data batches, late rows counted, complete mode never evicts.
 *
 * Sources:
 * - docs/streaming/apis-on-dataframes-and-datasets.md, "Handling Late Data and Watermarking"
 *   ("the watermark ... is the max event time seen by the engine minus the late threshold";
 *   "Conditions for watermarking to clean aggregation state": append or update mode only;
 *   complete mode keeps all aggregates) and "Policy for handling multiple watermarks".
 * - sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala:
 *   "update mode", "recovery", "group by on raw timestamp", "test no-data flag",
 *   "MultipleWatermarkPolicy: max", "watermark with 2 streams", "error on bad column",
 *   "EventTime watermark should be ignored in batch query.".
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  AssertNumStateRows,
  AssertWatermark,
  CheckAnswer,
  CheckNewAnswer,
  Execute,
  ExpectFailure,
  MultiAddData,
  StartStream,
  StopStream,
  assertRows,
  expectError,
  isoOfSeconds,
  lastProgress,
  newSession,
  recentProgress,
  stopAllSessions,
  testStream,
  uniqueCheckpoint,
  type Row,
  type StreamingQuery,
} from "../streamTest";

afterEach(stopAllSessions);

/** EventTimeWatermarkSuite's windowed count: value seconds → eventTime, 10 s delay, 5 s windows. */
function windowedCount(opts: { conf?: Record<string, string> } = {}) {
  const { spark, clock } = newSession();
  for (const [k, v] of Object.entries(opts.conf ?? {})) spark.conf.set(k, v);
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

/** numRowsDroppedByWatermark of the last progress that had input rows (Spark's assertNumRowsDroppedByWatermark). */
function AssertDroppedByWatermark(n: number) {
  return Execute(`numRowsDroppedByWatermark == ${n}`, async (q: StreamingQuery) => {
    const withData = recentProgress(q).filter((p) => p.numInputRows > 0);
    const p = withData[withData.length - 1];
    if (!p) throw new Error("no progress with input rows");
    expect(Number(p.stateOperators?.[0]?.numRowsDroppedByWatermark)).toBe(n);
  });
}

describe("watermark value", () => {
  it("is max event time minus the delay, 0 before any data, reported as Spark's ISO string", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 15),
      Execute("first batch ran with watermark 0", (q) => {
        const first = recentProgress(q)[0];
        expect(first?.eventTime?.watermark).toBe("1970-01-01T00:00:00.000Z");
      }),
      AssertWatermark(5),
      AddData(input, 33),
      AssertWatermark(23),
    );
  });

  it("never decreases when older data arrives", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 25),
      AssertWatermark(15),
      AddData(input, 11),
      AssertWatermark(15),
      AddData(input, 20),
      AssertWatermark(15),
      AddData(input, 26),
      AssertWatermark(16),
    );
  });

  it("survives a restart (recovered from the checkpoint) and still never decreases", async () => {
    const { clock, input, df } = windowedCount();
    // EventTimeWatermarkSuite "recovery" (without the commit-log purge).
    await testStream(df, "append", { clock })(
      AddData(input, 10, 11, 12, 13, 14, 15),
      CheckAnswer(),
      AddData(input, 25),
      CheckAnswer({ start: 10, count: 5 }),
      StopStream,
      StartStream(),
      AddData(input, 10, 27, 30), // 10 is late (watermark 15); watermark moves to 20
      CheckAnswer({ start: 10, count: 5 }, { start: 15, count: 1 }),
      StopStream,
      StartStream(),
      AddData(input, 17), // watermark still 20: 17 is late
      CheckAnswer({ start: 10, count: 5 }, { start: 15, count: 1 }),
      AssertWatermark(20),
      AddData(input, 40), // watermark 30 emits [25, 30)
      CheckNewAnswer({ start: 25, count: 2 }),
    );
  });

  it("works on a raw timestamp grouping key (EventTimeWatermarkSuite 'group by on raw timestamp')", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.col("eventTime"))
      .agg(F.count("*").as("count"))
      .select(F.col("eventTime").cast("long").as("eventTime"), F.col("count"));
    await testStream(df, "append", { clock })(
      AddData(input, 10),
      CheckAnswer(),
      AddData(input, 25),
      CheckAnswer({ eventTime: 10, count: 1 }),
    );
  });
});

describe("the watermark of a batch is the one computed at the end of the previous batch", () => {
  it("rows of the batch that moves the watermark are judged by the old watermark", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 15), // watermark after: 5
      CheckNewAnswer(),
      // In this batch the watermark is still 5: 12 (window [10, 15), end 15 > 5) is counted,
      // although 30 moves the watermark to 20 for the NEXT batch.
      AddData(input, 12, 30),
      // The no-data batch with watermark 20 closes [10, 15) and [15, 20).
      CheckNewAnswer({ start: 10, count: 1 }, { start: 15, count: 1 }),
      AssertWatermark(20),
      AssertNumStateRows(1),
    );
  });

  it("a no-data batch runs after the watermark moved: batchId advances with numInputRows 0", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 5, 6), // watermark stays 0 (6 - 10 < 0): no no-data batch
      AddData(input, 25),
      Execute("progress: 0 data, 1 data, 2 no-data", (q) => {
        const ps = recentProgress(q);
        expect(ps.map((p) => p.batchId)).toEqual([0, 1, 2]);
        expect(ps.map((p) => p.numInputRows)).toEqual([2, 1, 0]);
        expect(ps[2]!.eventTime?.watermark).toBe(isoOfSeconds(15));
      }),
      CheckNewAnswer({ start: 5, count: 2 }),
    );
  });

  it("with spark.sql.streaming.noDataMicroBatches.enabled=false the window waits for the next data batch", async () => {
    const { clock, input, df } = windowedCount({ conf: { "spark.sql.streaming.noDataMicroBatches.enabled": "false" } });
    // EventTimeWatermarkSuite "test no-data flag"
    await testStream(df, "append", { clock })(
      AddData(input, 10, 11, 12, 13, 14, 15),
      CheckNewAnswer(),
      AddData(input, 25),
      CheckNewAnswer(),
      AddData(input, 26),
      CheckNewAnswer({ start: 10, count: 5 }),
    );
  });
});

describe("append mode emits each window once, when the watermark passes its end", () => {
  it("sliding windows: every window of a row is emitted on its own once closed", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "5 seconds")
      .groupBy(F.window(F.col("eventTime"), "10 seconds", "5 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    await testStream(df, "append", { clock })(
      AddData(input, 12), // windows [5,15) and [10,20); watermark -> 7
      CheckNewAnswer(),
      AddData(input, 22), // [15,25) and [20,30); watermark -> 17 closes [5,15)
      CheckNewAnswer({ start: 5, count: 1 }),
      AddData(input, 31), // watermark -> 26 closes [10,20) and [15,25)
      CheckNewAnswer({ start: 10, count: 1 }, { start: 15, count: 1 }),
      AssertNumStateRows(3), // [20,30), [25,35), [30,40)
    );
  });

  it("grouping by window and another key (docs: windowed word count with watermark)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { word: "string", t: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("t").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.window(F.col("eventTime"), "5 seconds"), F.col("word"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("word"), F.col("count"));
    await testStream(df, "append", { clock })(
      AddData(input, { word: "a", t: 10 }, { word: "b", t: 11 }, { word: "a", t: 12 }),
      CheckNewAnswer(),
      AddData(input, { word: "a", t: 30 }), // watermark 20
      CheckNewAnswer({ start: 10, word: "a", count: 2 }, { start: 10, word: "b", count: 1 }),
      AddData(input, { word: "b", t: 14 }), // late: dropped
      CheckNewAnswer(),
      AddData(input, { word: "c", t: 45 }), // watermark 35 closes [30,35)
      CheckNewAnswer({ start: 30, word: "a", count: 1 }),
    );
  });
});

describe("late rows", () => {
  it("update mode drops late rows, counts them in numRowsDroppedByWatermark, evicts old state", async () => {
    const { clock, input, df } = windowedCount();
    // EventTimeWatermarkSuite "update mode"
    await testStream(df, "update", { clock })(
      AddData(input, 10, 11, 12, 13, 14, 15),
      CheckNewAnswer({ start: 10, count: 5 }, { start: 15, count: 1 }),
      AddData(input, 25), // watermark -> 15
      CheckNewAnswer({ start: 25, count: 1 }),
      AssertNumStateRows(2),
      AssertDroppedByWatermark(0),
      AddData(input, 10, 25), // 10 is late
      CheckNewAnswer({ start: 25, count: 2 }),
      AssertNumStateRows(2),
      AssertDroppedByWatermark(1),
      AddData(input, 10),
      CheckNewAnswer(),
      AssertNumStateRows(2),
      AssertDroppedByWatermark(1),
    );
  });

  it("append mode: a row in a window whose end <= watermark is late even if it equals no key in state", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 30), // watermark 20
      AddData(input, 14, 19, 20), // [10,15) and [15,20) end <= 20: late; 20 is in [20,25): kept
      AssertDroppedByWatermark(2),
      AddData(input, 40), // watermark 30 closes [20, 25); [30, 35) stays open (end 35 > 30)
      CheckAnswer({ start: 20, count: 1 }),
    );
  });

  it("complete mode never evicts state nor drops late rows", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "complete", { clock })(
      AddData(input, 10, 11, 12),
      CheckAnswer({ start: 10, count: 3 }),
      AddData(input, 100), // watermark 90
      CheckAnswer({ start: 10, count: 3 }, { start: 100, count: 1 }),
      AddData(input, 10),
      CheckAnswer({ start: 10, count: 4 }, { start: 100, count: 1 }),
      AssertNumStateRows(2),
      AssertDroppedByWatermark(0),
    );
  });

  it("withWatermark alone never filters rows (no stateful operator)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "1 second")
      .select(F.col("value"));
    await testStream(df, "append", { clock })(AddData(input, 100), AddData(input, 1), CheckAnswer({ value: 100 }, { value: 1 }));
  });
});

describe("multiple watermarks (spark.sql.streaming.multipleWatermarkPolicy)", () => {
  function twoStreams(policy?: "min" | "max") {
    const { spark, clock } = newSession();
    if (policy) spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", policy);
    const input1 = new MemoryStream(spark, { value: "long" });
    const input2 = new MemoryStream(spark, { value: "long" });
    const df1 = input1.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", "10 seconds");
    const df2 = input2.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", "15 seconds");
    const df = df1.union(df2).select(F.col("eventTime").cast("int").as("eventTime"));
    return { clock, input1, input2, df };
  }

  it("defaults: multipleWatermarkPolicy 'min', noDataMicroBatches.enabled 'true' (SQLConf)", () => {
    const { spark } = newSession();
    expect(spark.conf.get("spark.sql.streaming.multipleWatermarkPolicy")).toBe("min");
    expect(spark.conf.get("spark.sql.streaming.noDataMicroBatches.enabled")).toBe("true");
  });

  it("max: the global watermark is the max of the inputs' watermarks and advances on one input alone", async () => {
    const { clock, input1, input2, df } = twoStreams("max");
    // EventTimeWatermarkSuite "MultipleWatermarkPolicy: max"
    await testStream(df, "append", { clock })(
      MultiAddData([input1, [20]], [input2, [30]]),
      CheckNewAnswer({ eventTime: 20 }, { eventTime: 30 }),
      AddData(input1, 1),
      AssertWatermark(15), // max(20 - 10, 30 - 15)
      StopStream,
      StartStream(),
      AddData(input1, 1),
      AssertWatermark(15),
      MultiAddData([input1, [120]], [input2, [130]]),
      AddData(input1, 1),
      AssertWatermark(115),
      AddData(input1, 150),
      AddData(input1, 1),
      AssertWatermark(140),
    );
  });

  it("the policy is kept in the checkpoint: a restart ignores a changed session conf (EventTimeWatermarkSuite)", async () => {
    const { spark, clock } = newSession();
    spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", "max");
    const input1 = new MemoryStream(spark, { value: "long" });
    const input2 = new MemoryStream(spark, { value: "long" });
    const df1 = input1.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", "10 seconds");
    const df2 = input2.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", "15 seconds");
    const df = df1.union(df2).select(F.col("eventTime").cast("int").as("eventTime"));
    await testStream(df, "append", { clock, checkpointLocation: uniqueCheckpoint("policy-in-checkpoint") })(
      MultiAddData([input1, [20]], [input2, [30]]),
      AddData(input1, 1),
      AssertWatermark(15), // max(20 - 10, 30 - 15)
      StopStream,
      Execute("switch the session conf to min", () => {
        spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", "min");
      }),
      StartStream(),
      AddData(input1, 1),
      AssertWatermark(15),
      MultiAddData([input1, [120]], [input2, [130]]),
      AddData(input1, 1),
      AssertWatermark(115), // still max(110, 115)
      AddData(input1, 150),
      AddData(input1, 1),
      AssertWatermark(140), // max advances with one input alone
    );
  });

  it("min (the default): does not advance while one input has no new data; starts once both inputs have data", async () => {
    const { clock, input1, input2, df } = twoStreams();
    await testStream(df, "append", { clock })(
      AddData(input1, 11),
      AddData(input1, 0),
      AssertWatermark(0), // input2 has no watermark yet
      AddData(input2, 6),
      AddData(input1, 0),
      AssertWatermark(0), // min(11 - 10, 6 - 15 = -9) < 0: the global watermark never goes below its initial 0
      AddData(input1, 21),
      AddData(input2, 30),
      AddData(input1, 0),
      AssertWatermark(11), // min(21 - 10, 30 - 15)
    );
  });
});

describe("global watermark of two watermarked streams (EventTimeWatermarkSuite 'watermark with 2 streams')", () => {
  it("follows the min policy batch by batch, never decreases, and recovers after a restart", async () => {
    const { spark, clock } = newSession();
    const first = new MemoryStream(spark, { value: "long" });
    const second = new MemoryStream(spark, { value: "long" });
    const firstDf = first.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", "10 seconds").select(F.col("value"));
    const secondDf = second.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", "5 seconds").select(F.col("value"));
    const df = firstDf.union(secondDf).groupBy().agg(F.sum("value").as("sum"));
    /** Spark's getWatermarkAfterData: add the data, then a dummy batch (first: 0) whose progress shows the watermark. */
    const after = (firstData: number[], secondData: number[], seconds: number) => [
      ...(firstData.length > 0 && secondData.length > 0
        ? [MultiAddData([first, firstData], [second, secondData])]
        : firstData.length > 0
          ? [AddData(first, ...firstData)]
          : secondData.length > 0
            ? [AddData(second, ...secondData)]
            : []),
      AddData(first, 0),
      AssertWatermark(seconds),
    ];
    await testStream(df, "complete", { clock })(
      ...after([11], [], 0), // starts at 0 until both sides have data
      ...after([], [6], 1),
      ...after([], [8], 1), // stays at the left's 1 while the right moves to 3
      ...after([21], [], 3), // switches to the right
      ...after([], [17, 28, 39], 11), // back to the left
      ...after([31], [], 21),
      ...after([41], [], 31),
      ...after([51], [], 34), // the right again
      ...after([100], [100], 90), // simultaneous data from both sides
      ...after([120], [110], 105),
      ...after([130], [125], 120),
      ...after([100], [100], 120), // does not decrease
      ...after([140], [100], 120),
      ...after([100], [135], 130),
      ...after([200], [190], 185),
      StopStream,
      StartStream(),
      ...after([], [], 185), // recovered
      // the left's watermark ahead of 185 is not recovered: no advance until the left passes it again
      ...after([], [200], 185),
      ...after([200], [], 190),
    );
  });
});

describe("delay thresholds (EventTimeWatermarkSuite 'SPARK-35815: Support ANSI intervals for delay threshold')", () => {
  async function watermarkAfter(delay: string, eventSeconds: number): Promise<string | undefined> {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().withColumn("eventTime", F.col("value").cast("timestamp")).withWatermark("eventTime", delay).select(F.col("value"));
    let wm: string | undefined;
    await testStream(df, "append")(
      AddData(input, eventSeconds),
      AddData(input, 0),
      Execute((q: StreamingQuery) => {
        wm = lastProgress(q).eventTime?.watermark as string | undefined;
      }),
    );
    return wm;
  }

  it("accepts Spark's interval spellings for the same delay", async () => {
    for (const delay of ["10 seconds", "interval 10 second", "interval '10' second", "INTERVAL 10 SECONDS"]) {
      expect(await watermarkAfter(delay, 100), delay).toBe(isoOfSeconds(90));
    }
    for (const delay of ["1 day 2 hours 3 minutes 4 seconds", "interval '1 2:3:4' day to second"]) {
      expect(await watermarkAfter(delay, 200_000), delay).toBe(isoOfSeconds(200_000 - (86_400 + 2 * 3600 + 3 * 60 + 4)));
    }
  });

  it("counts a month as 31 days and a year as 12 such months", async () => {
    const day = 86_400;
    expect(await watermarkAfter("1 month", 40 * day)).toBe(isoOfSeconds(9 * day));
    expect(await watermarkAfter("1 year", 400 * day)).toBe(isoOfSeconds(400 * day - 12 * 31 * day));
  });
});

describe("chained window aggregations (docs: 'Representation of the time for time window', window_time)", () => {
  it("a second aggregation over windowTime of the first receives each closed window once, in append mode", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const perFive = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "0 seconds")
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count();
    const perTen = perFive
      .groupBy(F.window(F.windowTime(F.col("window")), "10 seconds").as("w"))
      .agg(F.sum("count").as("total"))
      .select(F.col("w").getField("start").cast("long").as("start"), F.col("total"));
    await testStream(perTen, "append", { clock })(
      AddData(input, 1, 2, 6), // [0,5) closes at watermark 6 and flows into [0,10)
      CheckNewAnswer(),
      AddData(input, 16), // watermark 16: [5,10) closes, then [0,10) closes with 2 + 1
      CheckNewAnswer({ start: 0, total: 3 }),
    );
  });
});

describe("errors and batch queries", () => {
  it("withWatermark on an unknown column names it (EventTimeWatermarkSuite 'error on bad column')", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    await expectError(() => input.toDF().withWatermark("badColumn", "1 minute"), "badColumn");
  });

  it("withWatermark on a non-timestamp column names the column", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    // "Event time must be defined on a window or a timestamp, but value is of type bigint"
    await expectError(() => input.toDF().withWatermark("value", "1 minute"), "value");
  });

  it("rejects negative delays (EventTimeWatermarkSuite 'delay threshold should not be negative.')", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().withColumn("eventTime", F.col("value").cast("timestamp"));
    await expectError(() => df.withWatermark("eventTime", "-10 seconds"), "should not be negative");
    await expectError(() => df.withWatermark("eventTime", "1 month -40 days"), "should not be negative");
  });

  it("rejects redefining the watermark (EventTimeWatermarkSuite 'overriding watermark should not be allowed by default')", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { _1: "long", _2: "long" });
    const df = input
      .toDF()
      .withColumn("first", F.col("_1").cast("timestamp"))
      .withColumn("second", F.col("_2").cast("timestamp"))
      .withWatermark("first", "1 minute")
      .select(F.col("_1"), F.col("_2"), F.col("first"), F.col("second"))
      .withWatermark("second", "2 minutes")
      .groupBy(F.window(F.col("second"), "1 minute"))
      .count();
    await testStream(df, "append", { clock })(
      AddData(input, { _1: 100, _2: 200 }),
      ExpectFailure("Redefining watermark is disallowed"),
    );
  });

  it("is ignored by batch queries", async () => {
    const { spark } = newSession();
    const df = spark
      .createDataFrame([{ value: 100 }, { value: 1 }], { value: "long" })
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "1 second")
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    assertRows((await df.collect()) as Row[], [
      { start: 0, count: 1 },
      { start: 100, count: 1 },
    ]);
  });

  it("lastProgress.eventTime.watermark of a watermarked query is always present", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 7),
      Execute((q) => {
        expect(typeof lastProgress(q).eventTime?.watermark).toBe("string");
      }),
    );
  });
});
