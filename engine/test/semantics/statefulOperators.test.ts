/**
 * Issue 4: deduplication, session windows, stream-stream joins, chains of stateful
 * operators and their stateOperators progress — beyond the Spark cases of the fixture.
 *
 * Sources (apache/spark):
 * - docs/streaming/apis-on-dataframes-and-datasets.md: "Streaming Deduplication" (with and
 *   without watermark; dropDuplicatesWithinWatermark), "Types of time windows" (session
 *   windows, static and dynamic gap), "Support matrix for joins in streaming queries",
 *   "Inner Joins with optional Watermarking", "Outer Joins with Watermarking", "Semi Joins".
 * - StreamingDeduplicationSuite ("deduplicate with some columns", "deduplicate with watermark"),
 *   StreamingDeduplicationWithinWatermarkSuite, StreamingSessionWindowSuite ("append mode -
 *   session window", "SPARK-36465: dynamic gap duration", "update mode not supported"),
 *   StreamingOuterJoinSuite / StreamingLeftSemiJoinSuite, UnsupportedOperationsSuite.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  AssertNumStateRows,
  CheckNewAnswer,
  Execute,
  ExpectFailure,
  MultiAddData,
  StartStream,
  StopStream,
  lastProgress,
  newSession,
  stopAllSessions,
  testStream,
  type DataFrame,
} from "../streamTest";

afterEach(stopAllSessions);

// ---------------------------------------------------------------------------------------

describe("dropDuplicates", () => {
  it("on a subset of columns keeps the first row of each key, across batches (no watermark: state forever)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { _1: "string", _2: "long" });
    const df = input.toDF().dropDuplicates(["_1"]);
    await testStream(df, "append", { clock })(
      AddData(input, { _1: "a", _2: 1 }, { _1: "a", _2: 2 }, { _1: "b", _2: 3 }),
      CheckNewAnswer({ _1: "a", _2: 1 }, { _1: "b", _2: 3 }),
      Execute("Spark's custom metric numDroppedDuplicateRows", (q) => {
        const op = (q.lastProgress?.stateOperators ?? [])[0] as { customMetrics?: Record<string, number>; numRowsUpdated?: number } | undefined;
        expect(op?.customMetrics?.numDroppedDuplicateRows).toBe(1);
        expect(op?.numRowsUpdated).toBe(2);
      }),
      AddData(input, { _1: "a", _2: 4 }, { _1: "c", _2: 5 }),
      CheckNewAnswer({ _1: "c", _2: 5 }),
      AssertNumStateRows(3),
      StopStream,
      StartStream(),
      AddData(input, { _1: "b", _2: 6 }),
      CheckNewAnswer(),
      Execute("progress names the operator dedupe", (q) => {
        const op = (q.lastProgress?.stateOperators ?? [])[0] as { operatorName?: string } | undefined;
        expect(op?.operatorName).toBe("dedupe");
      }),
    );
  });

  it("with a watermark but the event time not among the keys keeps state forever (Spark warns; no eviction)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "5 seconds")
      .dropDuplicates(["value"])
      .select(F.col("value"));
    await testStream(df, "append", { clock })(
      AddData(input, 1, 2, 2),
      CheckNewAnswer({ value: 1 }, { value: 2 }),
      AddData(input, 30),
      CheckNewAnswer({ value: 30 }),
      AssertNumStateRows(3),
      // Late rows are judged by the previous batch's watermark (Spark 3.5): still 0 here, so
      // 1 is dropped as a duplicate, not as late.
      AddData(input, 1, 31),
      CheckNewAnswer({ value: 31 }),
      Execute((q) => expect(lastProgress(q).stateOperators?.[0]?.numRowsDroppedByWatermark).toBe(0)),
      // Now the late-events watermark is 25: 1 and 20 are late.
      AddData(input, 1, 20, 40),
      CheckNewAnswer({ value: 40 }),
      Execute((q) => expect(lastProgress(q).stateOperators?.[0]?.numRowsDroppedByWatermark).toBe(2)),
      AssertNumStateRows(5),
    );
  });

  it("with the event time among the keys evicts keys at or below the watermark (numRowsRemoved)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .dropDuplicates(["value", "eventTime"])
      .select(F.col("value"));
    await testStream(df, "append", { clock })(
      AddData(input, 1, 2, 3),
      CheckNewAnswer({ value: 1 }, { value: 2 }, { value: 3 }),
      AddData(input, 12),
      CheckNewAnswer({ value: 12 }),
      // Watermark 2: the no-data batch evicted 1 and 2.
      AssertNumStateRows(2),
      Execute((q) => expect(lastProgress(q).stateOperators?.[0]?.numRowsRemoved).toBe(2)),
    );
  });
});

describe("dropDuplicatesWithinWatermark", () => {
  it("a key expires at its first event time + delay, then passes again; late rows are dropped", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { id: "string", t: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("t").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .dropDuplicatesWithinWatermark(["id"])
      .select(F.col("id"), F.col("t"));
    await testStream(df, "append", { clock })(
      AddData(input, { id: "x", t: 10 }, { id: "x", t: 12 }),
      CheckNewAnswer({ id: "x", t: 10 }),
      // Watermark 2 → a duplicate of x within 10 + 10 s is still dropped.
      AddData(input, { id: "x", t: 19 }),
      CheckNewAnswer(),
      // Watermark 9 (max 19 − 10); x expires at 20, so x stays a duplicate.
      AddData(input, { id: "y", t: 31 }),
      CheckNewAnswer({ id: "y", t: 31 }),
      // Watermark 21 ≥ 20: x evicted; a new x passes.
      AddData(input, { id: "x", t: 25 }),
      CheckNewAnswer({ id: "x", t: 25 }),
      Execute((q) => {
        const op = (q.lastProgress?.stateOperators ?? [])[0] as { operatorName?: string } | undefined;
        expect(op?.operatorName).toBe("dedupeWithinWatermark");
      }),
    );
  });

  it("is rejected without a watermark, with Spark's message; a static DataFrame deduplicates", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    await testStream(input.toDF().dropDuplicatesWithinWatermark(["value"]), "append", { clock })(
      ExpectFailure("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark"),
    );
    const rows = await spark.createDataFrame([{ a: 1 }, { a: 1 }, { a: 2 }], { a: "long" }).dropDuplicatesWithinWatermark().collect();
    expect(rows.map((r) => r.a).sort()).toEqual([1, 2]);
  });
});

// ---------------------------------------------------------------------------------------

function sessions(input: InstanceType<typeof MemoryStream>, gap: string | ReturnType<typeof F.col>): DataFrame {
  return input
    .toDF()
    .select(F.col("_1").as("value"), F.col("_2").cast("timestamp").as("eventTime"))
    .withWatermark("eventTime", "30 seconds")
    .select(F.explode(F.split(F.col("value"), " ")).as("sessionId"), F.col("eventTime"))
    .groupBy(F.sessionWindow(F.col("eventTime"), gap as string).as("session"), F.col("sessionId"))
    .agg(F.count("*").as("numEvents"))
    .select(
      F.col("sessionId"),
      F.col("session").getField("start").cast("long").as("start"),
      F.col("session").getField("end").cast("long").as("end"),
      F.col("numEvents"),
    );
}

describe("session windows", () => {
  it("append mode: sessions merge across batches and are emitted once the watermark passes their end; late sessions dropped", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { _1: "string", _2: "long" });
    await testStream(sessions(input, "10 seconds"), "append", { clock })(
      AddData(input, { _1: "hello world spark streaming", _2: 40 }, { _1: "world hello structured streaming", _2: 41 }),
      CheckNewAnswer(),
      AddData(input, { _1: "spark streaming", _2: 25 }),
      CheckNewAnswer(),
      // Session [0, 10) ends before the watermark 11: late, dropped.
      AddData(input, { _1: "spark streaming", _2: 0 }),
      CheckNewAnswer(),
      Execute((q) => expect(lastProgress(q).stateOperators?.[0]?.numRowsDroppedByWatermark).toBe(2)),
      AddData(input, { _1: "spark streaming", _2: 30 }),
      CheckNewAnswer(),
      AddData(input, { _1: "hello apache spark", _2: 60 }),
      CheckNewAnswer(),
      AddData(input, { _1: "structured streaming", _2: 90 }),
      CheckNewAnswer(
        { sessionId: "spark", start: 25, end: 50, numEvents: 3 },
        { sessionId: "streaming", start: 25, end: 51, numEvents: 4 },
        { sessionId: "hello", start: 40, end: 51, numEvents: 2 },
        { sessionId: "world", start: 40, end: 51, numEvents: 2 },
        { sessionId: "structured", start: 41, end: 51, numEvents: 1 },
      ),
      // Left in state: hello/apache/spark [60, 70), structured/streaming [90, 100).
      AssertNumStateRows(5),
    );
  });

  it("a per-row gap column: each row's session lasts its own gap; rows with a gap ≤ 0 are dropped", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { _1: "string", _2: "long" });
    const gap = F.when(F.col("sessionId").eq("hello"), "1 second")
      .when(F.col("sessionId").eq("structured"), "3 seconds")
      .when(F.col("sessionId").eq("world"), "-10 seconds")
      .otherwise("10 seconds");
    const df = input
      .toDF()
      .select(F.col("_1").as("value"), F.col("_2").cast("timestamp").as("eventTime"))
      .select(F.explode(F.split(F.col("value"), " ")).as("sessionId"), F.col("eventTime"))
      .groupBy(F.sessionWindow(F.col("eventTime"), gap).as("session"), F.col("sessionId"))
      .agg(F.count("*").as("numEvents"))
      .select(
        F.col("sessionId"),
        F.col("session").getField("start").cast("long").as("start"),
        F.col("session").getField("end").cast("long").as("end"),
        F.col("numEvents"),
      );
    await testStream(df, "complete", { clock })(
      AddData(input, { _1: "hello world spark streaming", _2: 40 }, { _1: "world hello structured streaming", _2: 41 }),
      CheckNewAnswer(
        { sessionId: "hello", start: 40, end: 42, numEvents: 2 },
        { sessionId: "spark", start: 40, end: 50, numEvents: 1 },
        { sessionId: "streaming", start: 40, end: 51, numEvents: 2 },
        { sessionId: "structured", start: 41, end: 44, numEvents: 1 },
      ),
    );
  });

  it("a per-row gap: rows of one key starting together end at the greatest of their ends", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { k: "string", t: "long", gap: "string" });
    const df = input
      .toDF()
      .groupBy(F.col("k"), F.sessionWindow(F.col("t").cast("timestamp"), F.col("gap")).as("s"))
      .count()
      .select(F.col("k"), F.col("s").getField("start").cast("long").as("start"), F.col("s").getField("end").cast("long").as("end"), F.col("count"));
    await testStream(df, "complete", { clock })(
      AddData(input, { k: "a", t: 10, gap: "1 second" }, { k: "a", t: 10, gap: "5 seconds" }, { k: "a", t: 14, gap: "0 seconds" }, { k: "b", t: 10, gap: null }),
      CheckNewAnswer({ k: "a", start: 10, end: 15, count: 2 }),
    );
  });

  it("update mode and a session window without another key are rejected with Spark's messages", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { _1: "string", _2: "long" });
    await testStream(sessions(input, "10 seconds"), "update", { clock })(
      ExpectFailure("output mode not supported for session window on streaming DataFrames/DataSets"),
    );
    const input2 = new MemoryStream(spark, { value: "long" });
    const global = input2
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.sessionWindow(F.col("eventTime"), "5 seconds"))
      .count();
    await testStream(global, "complete", { clock })(ExpectFailure("Global aggregation with session window in streaming query is not supported"));
  });

  it("static DataFrames merge sessions too", async () => {
    const { spark } = newSession();
    const df = spark.createDataFrame(
      [
        { k: "a", t: 10 },
        { k: "a", t: 14 },
        { k: "a", t: 30 },
        { k: "b", t: 12 },
      ],
      { k: "string", t: "long" },
    );
    const rows = await df
      .groupBy(F.col("k"), F.sessionWindow(F.col("t").cast("timestamp"), "5 seconds").as("s"))
      .count()
      .select(F.col("k"), F.col("s").getField("start").cast("long").as("start"), F.col("s").getField("end").cast("long").as("end"), F.col("count"))
      .orderBy(F.col("k"), F.col("start"))
      .collect();
    expect(rows).toEqual([
      { k: "a", start: 10, end: 19, count: 2 },
      { k: "a", start: 30, end: 35, count: 1 },
      { k: "b", start: 12, end: 17, count: 1 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------

type Streams = { left: InstanceType<typeof MemoryStream>; right: InstanceType<typeof MemoryStream> };

/** Spark's setupJoinWithRangeCondition: watermark 10 s on both sides, leftTime within ±5 s of rightTime. */
function rangeJoin(spark: ReturnType<typeof newSession>["spark"], how: string): Streams & { df: DataFrame } {
  const left = new MemoryStream(spark, { _1: "long", _2: "long" });
  const right = new MemoryStream(spark, { _1: "long", _2: "long" });
  const df1 = left.toDF().select(F.col("_1").as("leftKey"), F.col("_2").cast("timestamp").as("leftTime")).withWatermark("leftTime", "10 seconds");
  const df2 = right.toDF().select(F.col("_1").as("rightKey"), F.col("_2").cast("timestamp").as("rightTime")).withWatermark("rightTime", "10 seconds");
  const cond = F.col("leftKey")
    .eq(F.col("rightKey"))
    .and(F.col("leftTime").between(F.col("rightTime").minus(F.interval(0, 0, 5_000_000)), F.col("rightTime").plus(F.interval(0, 0, 5_000_000))));
  const joined = df1.join(df2, cond, how);
  const cols = how === "left_semi" ? ["leftKey", "leftTime"] : ["leftKey", "rightKey", "leftTime", "rightTime"];
  return { left, right, df: joined.select(...cols.map((c) => (c.endsWith("Time") ? F.col(c).cast("long").as(c) : F.col(c)))) };
}

describe("stream-stream joins", () => {
  it("right outer: unmatched right rows come out null-padded when the watermark passes", async () => {
    const { spark, clock } = newSession();
    const { left, right, df } = rangeJoin(spark, "right_outer");
    await testStream(df, "append", { clock })(
      AddData(right, { _1: 1, _2: 5 }, { _1: 3, _2: 5 }),
      CheckNewAnswer(),
      AddData(left, { _1: 1, _2: 10 }, { _1: 2, _2: 5 }),
      CheckNewAnswer({ leftKey: 1, rightKey: 1, leftTime: 10, rightTime: 5 }),
      AddData(left, { _1: 0, _2: 30 }),
      CheckNewAnswer(),
      AddData(right, { _1: 0, _2: 30 }),
      // Watermark 20: right (3, 5) never matched.
      CheckNewAnswer(
        { leftKey: 0, rightKey: 0, leftTime: 30, rightTime: 30 },
        { leftKey: null, rightKey: 3, leftTime: null, rightTime: 5 },
      ),
    );
  });

  it("full outer: both sides' unmatched rows, once each; state survives a restart", async () => {
    const { spark, clock } = newSession();
    const { left, right, df } = rangeJoin(spark, "full_outer");
    await testStream(df, "append", { clock })(
      MultiAddData([left, [{ _1: 1, _2: 5 }, { _1: 3, _2: 5 }]], [right, [{ _1: 1, _2: 10 }, { _1: 2, _2: 5 }]]),
      CheckNewAnswer({ leftKey: 1, rightKey: 1, leftTime: 5, rightTime: 10 }),
      StopStream,
      StartStream(),
      MultiAddData([left, [{ _1: 1, _2: 30 }]], [right, [{ _1: 0, _2: 30 }]]),
      CheckNewAnswer(
        { leftKey: 3, rightKey: null, leftTime: 5, rightTime: null },
        { leftKey: null, rightKey: 2, leftTime: null, rightTime: 5 },
      ),
      AssertNumStateRows(2),
    );
  });

  it("left semi: each left row once, on its first match; matched left rows are not buffered", async () => {
    const { spark, clock } = newSession();
    const { left, right, df } = rangeJoin(spark, "left_semi");
    await testStream(df, "append", { clock })(
      AddData(left, { _1: 1, _2: 5 }, { _1: 3, _2: 5 }),
      CheckNewAnswer(),
      AddData(right, { _1: 1, _2: 8 }, { _1: 1, _2: 9 }),
      CheckNewAnswer({ leftKey: 1, leftTime: 5 }),
      AddData(right, { _1: 1, _2: 7 }),
      CheckNewAnswer(),
      AddData(left, { _1: 1, _2: 6 }),
      CheckNewAnswer({ leftKey: 1, leftTime: 6 }),
    );
  });

  it("inner join without watermark buffers forever; with a window key both sides are cleaned", async () => {
    const { spark, clock } = newSession();
    const a = new MemoryStream(spark, { value: "long" });
    const b = new MemoryStream(spark, { value: "long" });
    const df = a.toDF().select(F.col("value").as("k"), F.lit("a").as("x")).join(b.toDF().select(F.col("value").as("k"), F.lit("b").as("y")), "k");
    await testStream(df, "append", { clock })(
      AddData(a, 1, 2),
      AddData(b, 2, 3),
      CheckNewAnswer({ k: 2, x: "a", y: "b" }),
      AddData(a, 3, 3),
      CheckNewAnswer({ k: 3, x: "a", y: "b" }, { k: 3, x: "a", y: "b" }),
      AssertNumStateRows(6),
      Execute((q) => {
        const op = (q.lastProgress?.stateOperators ?? [])[0] as { operatorName?: string } | undefined;
        expect(op?.operatorName).toBe("symmetricHashJoin");
      }),
    );
  });

  it("the guide's ad-monetization example: impressions leftOuter clicks within a time range (F.expr), state cleaned per side", async () => {
    const { spark, clock } = newSession();
    const imp = new MemoryStream(spark, { impressionAdId: "long", t: "long" });
    const clk = new MemoryStream(spark, { clickAdId: "long", t: "long" });
    const impressions = imp.toDF().select(F.col("impressionAdId"), F.col("t").cast("timestamp").as("impressionTime")).withWatermark("impressionTime", "20 seconds");
    const clicks = clk.toDF().select(F.col("clickAdId"), F.col("t").cast("timestamp").as("clickTime")).withWatermark("clickTime", "30 seconds");
    const df = impressions
      .join(clicks, F.expr("clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 10 seconds"), "leftOuter")
      .select(F.col("impressionAdId"), F.col("clickAdId"), F.col("clickTime").cast("long").as("clickTime"));
    await testStream(df, "append", { clock })(
      AddData(imp, { impressionAdId: 1, t: 100 }, { impressionAdId: 2, t: 100 }),
      AddData(clk, { clickAdId: 1, t: 105 }, { clickAdId: 1, t: 120 }),
      CheckNewAnswer({ impressionAdId: 1, clickAdId: 1, clickTime: 105 }),
      AssertNumStateRows(4),
      // Watermark min(200 − 20, 200 − 30) = 170: impressions ≤ 160 and clicks ≤ 170 leave the state;
      // impression 2 never matched and comes out null-padded.
      MultiAddData([imp, [{ impressionAdId: 3, t: 200 }]], [clk, [{ clickAdId: 3, t: 200 }]]),
      CheckNewAnswer({ impressionAdId: 3, clickAdId: 3, clickTime: 200 }, { impressionAdId: 2, clickAdId: null, clickTime: null }),
      AssertNumStateRows(2),
      Execute((q) => expect(lastProgress(q).stateOperators?.[0]?.numRowsRemoved).toBe(4)),
    );
  });

  it("StreamingOuterJoinSuite 'windowed left outer join': a watermarked window key cleans both sides and emits nulls", async () => {
    const { spark, clock } = newSession();
    const in1 = new MemoryStream(spark, { value: "long" });
    const in2 = new MemoryStream(spark, { value: "long" });
    const side = (m: InstanceType<typeof MemoryStream>, prefix: string, k: number) =>
      m
        .toDF()
        .select(F.col("value").as("key"), F.col("value").cast("timestamp").as(`${prefix}Time`), F.col("value").multiply(k).as(`${prefix}Value`))
        .withWatermark(`${prefix}Time`, "10 seconds")
        .select(F.col("key"), F.window(F.col(`${prefix}Time`), "10 seconds").as("window"), F.col(`${prefix}Value`));
    const df = side(in1, "left", 2)
      .join(side(in2, "right", 3), ["key", "window"], "left_outer")
      .select(F.col("key"), F.col("window").getField("end").cast("long").as("end"), F.col("leftValue"), F.col("rightValue"));
    await testStream(df, "append", { clock })(
      MultiAddData([in1, [1, 2, 3, 4, 5]], [in2, [3, 4, 5, 6, 7]]),
      CheckNewAnswer(
        { key: 3, end: 10, leftValue: 6, rightValue: 9 },
        { key: 4, end: 10, leftValue: 8, rightValue: 12 },
        { key: 5, end: 10, leftValue: 10, rightValue: 15 },
      ),
      // Watermark 11: the no-data batch emits the unmatched left rows of window [0, 10).
      MultiAddData([in1, [21]], [in2, [22]]),
      CheckNewAnswer({ key: 1, end: 10, leftValue: 2, rightValue: null }, { key: 2, end: 10, leftValue: 4, rightValue: null }),
      AssertNumStateRows(2),
      AddData(in1, 22),
      CheckNewAnswer({ key: 22, end: 30, leftValue: 44, rightValue: 66 }),
      AssertNumStateRows(3),
    );
  });

  it("StreamingLeftSemiJoinSuite 'windowed left semi join': matched left rows are not buffered; late rows dropped after restart", async () => {
    const { spark, clock } = newSession();
    const in1 = new MemoryStream(spark, { value: "long" });
    const in2 = new MemoryStream(spark, { value: "long" });
    const side = (m: InstanceType<typeof MemoryStream>, prefix: string, k: number) =>
      m
        .toDF()
        .select(F.col("value").as("key"), F.col("value").cast("timestamp").as(`${prefix}Time`), F.col("value").multiply(k).as(`${prefix}Value`))
        .withWatermark(`${prefix}Time`, "10 seconds")
        .select(F.col("key"), F.window(F.col(`${prefix}Time`), "10 seconds").as("window"), F.col(`${prefix}Value`));
    const df = side(in1, "left", 2)
      .join(side(in2, "right", 3), ["key", "window"], "left_semi")
      .select(F.col("key"), F.col("window").getField("end").cast("long").as("end"), F.col("leftValue"));
    const dropped = (n: number) => Execute((q) => expect(lastProgress(q).stateOperators?.[0]?.numRowsDroppedByWatermark).toBe(n));
    await testStream(df, "append", { clock })(
      MultiAddData([in1, [1, 2, 3, 4, 5]], [in2, [3, 4, 5, 6, 7]]),
      CheckNewAnswer({ key: 3, end: 10, leftValue: 6 }, { key: 4, end: 10, leftValue: 8 }, { key: 5, end: 10, leftValue: 10 }),
      AssertNumStateRows(10),
      MultiAddData([in1, [21]], [in2, [22]]),
      CheckNewAnswer(),
      AssertNumStateRows(2),
      AddData(in1, 22),
      CheckNewAnswer({ key: 22, end: 30, leftValue: 44 }),
      AssertNumStateRows(2),
      StopStream,
      StartStream(),
      AddData(in1, 1),
      CheckNewAnswer(),
      AssertNumStateRows(2),
      dropped(1),
      AddData(in2, 5),
      CheckNewAnswer(),
      AssertNumStateRows(2),
      dropped(1),
    );
  });

  it("StreamingOuterJoinSuite 'left outer early state exclusion on left': a left-only condition emits nulls at once, unbuffered", async () => {
    const { spark, clock } = newSession();
    const in1 = new MemoryStream(spark, { value: "long" });
    const in2 = new MemoryStream(spark, { value: "long" });
    const side = (m: InstanceType<typeof MemoryStream>, prefix: string, k: number) =>
      m
        .toDF()
        .select(F.col("value").as("key"), F.col("value").cast("timestamp").as(`${prefix}Time`), F.col("value").multiply(k).as(`${prefix}Value`))
        .withWatermark(`${prefix}Time`, "10 seconds")
        .select(F.col("key"), F.window(F.col(`${prefix}Time`), "10 seconds").as("window"), F.col(`${prefix}Value`));
    const left = side(in1, "left", 2);
    const right = side(in2, "right", 3);
    const cond = left
      .col("key")
      .eq(right.col("key"))
      .and(left.col("window").eq(right.col("window")))
      .and(F.col("leftValue").gt(4));
    const df = left
      .join(right, cond, "left_outer")
      .select(left.col("key"), left.col("window").getField("end").cast("long").as("end"), F.col("leftValue"), F.col("rightValue"));
    await testStream(df, "append", { clock })(
      MultiAddData([in1, [1, 2, 3]], [in2, [3, 4, 5]]),
      CheckNewAnswer({ key: 3, end: 10, leftValue: 6, rightValue: 9 }, { key: 1, end: 10, leftValue: 2, rightValue: null }, { key: 2, end: 10, leftValue: 4, rightValue: null }),
      AssertNumStateRows(4),
    );
  });

  it("Spark's join matrix errors", async () => {
    const { spark, clock } = newSession();
    const a = new MemoryStream(spark, { value: "long" });
    const b = new MemoryStream(spark, { value: "long" });
    const s1 = a.toDF().select(F.col("value").as("k"), F.col("value").as("v1"));
    const s2 = b.toDF().select(F.col("value").as("k"), F.col("value").as("v2"));
    const msg = "join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition";
    for (const how of ["left_outer", "right_outer", "full_outer", "left_semi"]) {
      await testStream(s1.join(s2, "k", how), "append", { clock })(ExpectFailure(msg));
    }
    await testStream(s1.join(s2, "k", "left_outer"), "append", { clock })(ExpectFailure("Stream-stream LeftOuter join"));
    await testStream(s1.join(s2, "k", "full_outer"), "update", { clock })(ExpectFailure("is not supported in Update output mode, only in Append output mode"));
    await testStream(s1.join(s2, "k", "left_anti"), "append", { clock })(ExpectFailure("LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported"));
    const st = spark.createDataFrame([{ k: 1, s: "x" }], { k: "long", s: "string" });
    await testStream(s1.join(st, "k", "full_outer"), "append", { clock })(ExpectFailure("FullOuter joins with streaming DataFrames/Datasets on the left"));
    await testStream(st.join(s1, "k", "left_outer"), "append", { clock })(
      ExpectFailure("LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported"),
    );
  });

  it("stream-static left semi and static-stream inner / right outer run per batch without state", async () => {
    const { spark, clock } = newSession();
    const a = new MemoryStream(spark, { value: "long" });
    const st = spark.createDataFrame([{ k: 1, s: "one" }, { k: 2, s: "two" }], { k: "long", s: "string" });
    const s = a.toDF().select(F.col("value").as("k"));
    await testStream(s.join(st, "k", "left_semi"), "append", { clock })(AddData(a, 1, 3, 1), CheckNewAnswer({ k: 1 }, { k: 1 }));
    const b = new MemoryStream(spark, { value: "long" });
    const s2 = b.toDF().select(F.col("value").as("k"));
    await testStream(st.join(s2, "k"), "append", { clock })(AddData(b, 2, 5), CheckNewAnswer({ k: 2, s: "two" }));
    const c = new MemoryStream(spark, { value: "long" });
    const s3 = c.toDF().select(F.col("value").as("k"));
    await testStream(st.join(s3, "k", "right_outer"), "append", { clock })(AddData(c, 2, 5), CheckNewAnswer({ k: 2, s: "two" }, { k: 5, s: null }));
  });
});

// ---------------------------------------------------------------------------------------

describe("chains of stateful operators", () => {
  it("dedup then windowed aggregation in append mode; stateOperators ordered from the sink", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .dropDuplicates(["value", "eventTime"])
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    await testStream(df, "append", { clock })(
      AddData(input, 10, 10, 11, 12),
      CheckNewAnswer(),
      AddData(input, 25),
      CheckNewAnswer({ start: 10, count: 3 }),
      Execute((q) => {
        const ops = (q.lastProgress?.stateOperators ?? []) as { operatorName?: string }[];
        expect(ops.map((o) => o.operatorName)).toEqual(["stateStoreSave", "dedupe"]);
      }),
    );
  });

  it("a stateful operator after an update-mode aggregation is rejected (global watermark correctness check)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.col("eventTime"))
      .count()
      .dropDuplicatesWithinWatermark(["count"]);
    await testStream(df, "update", { clock })(ExpectFailure("Detected pattern of possible 'correctness' issue due to global watermark"));
  });

  it("stream-stream join then aggregation (inner join, append)", async () => {
    const { spark, clock } = newSession();
    const a = new MemoryStream(spark, { value: "long" });
    const b = new MemoryStream(spark, { value: "long" });
    const l = a.toDF().select(F.col("value").as("k"), F.col("value").cast("timestamp").as("t")).withWatermark("t", "0 seconds");
    const r = b.toDF().select(F.col("value").as("k2"));
    const df = l
      .join(r, F.col("k").eq(F.col("k2")))
      .groupBy(F.window(F.col("t"), "10 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    await testStream(df, "append", { clock })(
      AddData(b, 1, 2, 3),
      AddData(a, 1, 2),
      CheckNewAnswer(),
      AddData(a, 25),
      CheckNewAnswer({ start: 0, count: 2 }),
    );
  });
});
