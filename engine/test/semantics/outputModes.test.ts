/**
 * Output modes and the analysis errors of unsupported streaming queries.
 *
 * Sources:
 * - docs/streaming/apis-on-dataframes-and-datasets.md, "Output Modes" table and
 *   "Unsupported Operations".
 * - sql/catalyst/.../analysis/UnsupportedOperationChecker.scala (checkForStreaming,
 *   checkForBatch): the message texts asserted here.
 * - sql/catalyst/.../analysis/UnsupportedOperationsSuite.scala and
 *   sql/core/.../streaming/StreamingAggregationSuite.scala, StreamSuite.scala ("unsupported queries").
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  CheckAnswer,
  CheckLastBatch,
  CheckNewAnswer,
  CheckSortedAnswer,
  Execute,
  StartStream,
  StopStream,
  assertRows,
  expectError,
  newSession,
  stopAllSessions,
  testStream,
  type DataFrame,
  type OutputMode,
  type Row,
} from "../streamTest";

afterEach(stopAllSessions);

function setup() {
  const { spark, clock } = newSession();
  const input = new MemoryStream(spark, { value: "long" });
  return { spark, clock, input };
}

/** Starts `df` into a memory sink in `mode`: Spark's analysis errors surface here (at start()). */
function start(df: DataFrame, mode: OutputMode) {
  return async () => {
    const q = await df.writeStream
      .format("memory")
      .queryName(`q_${Math.random().toString(36).slice(2)}`)
      .outputMode(mode)
      .trigger({ manual: true })
      .start();
    await q.stop();
  };
}

describe("append mode", () => {
  it("rejects a streaming aggregation without watermark (UnsupportedOperationChecker)", async () => {
    const { input } = setup();
    const df = input.toDF().groupBy(F.col("value")).count();
    // Spark 3: "Append output mode not supported when there are streaming aggregations on
    // streaming DataFrames/DataSets without watermark"; Spark 4 STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION:
    // "... append. This output mode is not supported for streaming aggregations without watermark ..."
    await expectError(start(df, "append"), "append", "not supported", "without watermark");
  });

  it("rejects an aggregation whose grouping keys do not include the watermarked column", async () => {
    const { input } = setup();
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.col("value"))
      .count();
    // The checker looks for a watermark attribute among the GROUPING expressions.
    await expectError(start(df, "append"), "append", "without watermark");
  });

  it("accepts an aggregation grouped by a window of the watermarked column", async () => {
    const { input, clock } = setup();
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    await testStream(df, "append", { clock })(
      AddData(input, 10, 11, 12, 13, 14, 15),
      CheckNewAnswer(),
      AddData(input, 25),
      CheckNewAnswer({ start: 10, count: 5 }),
    );
  });

  it("a stream unioned with itself gives each row twice (StreamSuite 'SPARK-20432: union one stream with itself')", async () => {
    const { input, clock } = setup();
    const df = input.toDF().select(F.col("value"));
    await testStream(df.union(df), "append", { clock })(AddData(input, 1, 2), CheckAnswer({ value: 1 }, { value: 1 }, { value: 2 }, { value: 2 }));
  });

  it("passes rows of a stateless query through unchanged, each row once", async () => {
    const { input, clock } = setup();
    const df = input.toDF().filter(F.col("value").gt(1)).select(F.col("value").multiply(10).as("v"));
    await testStream(df, "append", { clock })(
      AddData(input, 1, 2, 3),
      CheckAnswer({ v: 20 }, { v: 30 }),
      AddData(input, 4),
      CheckNewAnswer({ v: 40 }),
      CheckAnswer({ v: 20 }, { v: 30 }, { v: 40 }),
    );
  });
});

describe("update mode", () => {
  it("is accepted without aggregation and then behaves like append (docs: Output Modes table)", async () => {
    const { input, clock } = setup();
    const df = input.toDF().select(F.col("value").plus(1).as("value"));
    await testStream(df, "update", { clock })(
      AddData(input, 1, 2),
      CheckNewAnswer({ value: 2 }, { value: 3 }),
      AddData(input, 2),
      CheckNewAnswer({ value: 3 }),
    );
  });

  it("emits only the groups updated in the batch (StreamingAggregationSuite 'simple count, update mode')", async () => {
    const { input, clock } = setup();
    const df = input.toDF().groupBy(F.col("value")).agg(F.count("*").as("count"));
    await testStream(df, "update", { clock })(
      AddData(input, 3),
      CheckLastBatch({ value: 3, count: 1 }),
      AddData(input, 3, 2),
      CheckLastBatch({ value: 3, count: 2 }, { value: 2, count: 1 }),
      AddData(input, 1),
      CheckLastBatch({ value: 1, count: 1 }),
    );
  });

  it("rejects orderBy after an aggregation (sorting needs complete data)", async () => {
    const { input } = setup();
    const df = input.toDF().groupBy(F.col("value")).count().orderBy(F.col("count").desc());
    await expectError(start(df, "update"), "Sorting is not supported on streaming DataFrames/Datasets");
  });

  it("rejects orderBy without aggregation", async () => {
    const { input } = setup();
    await expectError(start(input.toDF().orderBy(F.col("value")), "update"), "Sorting is not supported");
  });
});

describe("complete mode", () => {
  it("rejects a query without streaming aggregation", async () => {
    const { input } = setup();
    // "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets"
    await expectError(
      start(input.toDF().select(F.col("value")), "complete"),
      "complete",
      "not supported",
      "no streaming aggregations",
    );
  });

  it("rejects filter-only queries too", async () => {
    const { input } = setup();
    await expectError(start(input.toDF().filter(F.col("value").gt(0)), "complete"), "no streaming aggregations");
  });

  it("outputs the whole result table every batch, and allows orderBy after the aggregation", async () => {
    const { input, clock } = setup();
    const df = input.toDF().groupBy(F.col("value")).agg(F.count("*").as("count")).orderBy(F.col("value").asc());
    await testStream(df, "complete", { clock })(
      AddData(input, 3, 1),
      CheckSortedAnswer({ value: 1, count: 1 }, { value: 3, count: 1 }),
      AddData(input, 2, 3),
      CheckSortedAnswer({ value: 1, count: 1 }, { value: 2, count: 1 }, { value: 3, count: 2 }),
      // CheckNewAnswer in complete mode: the result table, if a batch ran since the last check.
      AddData(input, 1),
      CheckNewAnswer({ value: 1, count: 2 }, { value: 2, count: 1 }, { value: 3, count: 2 }),
    );
  });

  it("rejects orderBy below the aggregation (the sort input is not complete data)", async () => {
    const { input } = setup();
    const df = input.toDF().orderBy(F.col("value")).groupBy(F.col("value")).count();
    await expectError(start(df, "complete"), "Sorting is not supported");
  });

  it("accepts an aggregation without watermark (no state is ever dropped)", async () => {
    const { input, clock } = setup();
    const df = input.toDF().groupBy().agg(F.sum("value").as("sum"));
    await testStream(df, "complete", { clock })(
      AddData(input, 1, 2),
      CheckAnswer({ sum: 3 }),
      AddData(input, 10),
      CheckAnswer({ sum: 13 }),
    );
  });
});

describe("more unsupported combinations", () => {
  it("append mode rejects orderBy even after a watermarked aggregation (sorting needs complete mode)", async () => {
    const { input } = setup();
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count()
      .orderBy(F.col("count"));
    await expectError(start(df, "append"), "Sorting is not supported on streaming DataFrames/Datasets");
  });

  for (const mode of ["update", "complete"] as const) {
    it(`${mode} mode rejects an aggregation over an aggregation (checkStreamingQueryGlobalWatermarkLimit)`, async () => {
      const { input } = setup();
      const df = input.toDF().groupBy(F.col("value")).count().groupBy(F.col("count")).agg(F.count("*").as("n"));
      // Spark 3.5+: "Detected pattern of possible 'correctness' issue due to global watermark. ...";
      // older: "Multiple streaming aggregations are not supported with streaming DataFrames/Datasets"
      await expectError(start(df, mode), /possible 'correctness' issue|Multiple streaming aggregations are not supported/);
    });
  }
});

describe("unsupported operations on streaming DataFrames", () => {
  it("collect() on a streaming DataFrame fails with Spark's message", async () => {
    const { input } = setup();
    // UnsupportedOperationChecker.checkForBatch
    await expectError(
      () => input.toDF().collect(),
      "Queries with streaming sources must be executed with writeStream.start()",
    );
  });

  it("show() on a streaming DataFrame fails the same way", async () => {
    const { input } = setup();
    await expectError(() => input.toDF().show(), "Queries with streaming sources must be executed with writeStream.start()");
  });

  it("collect() on a DataFrame derived from a stream (filter, aggregation) fails the same way", async () => {
    const { input } = setup();
    await expectError(
      () => input.toDF().groupBy(F.col("value")).count().collect(),
      "must be executed with writeStream.start()",
    );
  });

  it("a continuous trigger rejects aggregations (UnsupportedOperationChecker.checkForContinuous)", async () => {
    const { input } = setup();
    const df = input.toDF().groupBy(F.col("value")).count();
    await expectError(
      async () => {
        const q = await df.writeStream.format("console").outputMode("complete").trigger({ continuous: "1 second" }).start();
        await q.stop();
      },
      "Continuous processing does not support Aggregate operations",
    );
  });

  it("isStreaming tells streaming from static DataFrames", () => {
    const { spark, input } = setup();
    expect(input.toDF().isStreaming).toBe(true);
    expect(input.toDF().select(F.col("value")).isStreaming).toBe(true);
    expect(spark.createDataFrame([{ value: 1 }], { value: "long" }).isStreaming).toBe(false);
  });

  it("writeStream on a static DataFrame is rejected", async () => {
    const { spark } = setup();
    const df = spark.createDataFrame([{ value: 1 }], { value: "long" });
    // Dataset.writeStream: "'writeStream' can be called only on streaming Dataset/DataFrame"
    await expectError(start(df, "append"), "writeStream", "streaming");
  });

  it("rejects union of a stream with a static DataFrame", async () => {
    const { spark, input } = setup();
    const df = input.toDF().union(spark.createDataFrame([{ value: 1 }], { value: "long" }));
    await expectError(start(df, "append"), "Union between streaming and batch DataFrames/Datasets is not supported");
  });

  it("rejects a stream RIGHT OUTER join with a static DataFrame on the right", async () => {
    const { spark, input } = setup();
    const statik = spark.createDataFrame([{ number: 1 }], { number: "long" });
    const df = input.toDF().join(statik, F.col("value").eq(F.col("number")), "right_outer");
    // "RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported"
    await expectError(start(df, "append"), "RightOuter join with a streaming DataFrame/Dataset on the left");
  });

  it("accepts a stream LEFT OUTER join with a static DataFrame, null-padding unmatched rows", async () => {
    const { spark, input, clock } = setup();
    const statik = spark.createDataFrame(
      [
        { number: 1, word: "one" },
        { number: 2, word: "two" },
      ],
      { number: "long", word: "string" },
    );
    const df = input.toDF().join(statik, F.col("value").eq(F.col("number")), "left_outer");
    await testStream(df, "append", { clock })(
      AddData(input, 1, 3),
      CheckAnswer({ value: 1, number: 1, word: "one" }, { value: 3, number: null, word: null }),
    );
  });

});

describe("memory sink (MemorySinkSuite) and foreachBatch", () => {
  it("append mode accumulates every batch in the table", async () => {
    const { spark, input } = setup();
    const q = await input.toDF().writeStream.format("memory").queryName("mem_append").outputMode("append").trigger({ manual: true }).start();
    input.addData(1, 2, 3);
    await q.processAllAvailable();
    assertRows((await spark.table("mem_append").collect()) as Row[], [{ value: 1 }, { value: 2 }, { value: 3 }]);
    input.addData(4, 5, 6);
    await q.processAllAvailable();
    assertRows((await spark.table("mem_append").collect()) as Row[], [1, 2, 3, 4, 5, 6].map((value) => ({ value })));
    await q.stop();
  });

  it("complete mode replaces the table with the latest result", async () => {
    const { spark, input } = setup();
    const df = input.toDF().groupBy(F.col("value")).count();
    const q = await df.writeStream.format("memory").queryName("mem_complete").outputMode("complete").trigger({ manual: true }).start();
    input.addData(1, 2, 3);
    await q.processAllAvailable();
    assertRows((await spark.table("mem_complete").collect()) as Row[], [
      { value: 1, count: 1 },
      { value: 2, count: 1 },
      { value: 3, count: 1 },
    ]);
    input.addData(1, 2, 3);
    await q.processAllAvailable();
    assertRows((await spark.table("mem_complete").collect()) as Row[], [
      { value: 1, count: 2 },
      { value: 2, count: 2 },
      { value: 3, count: 2 },
    ]);
    await q.stop();
  });

  it("update mode appends the updated rows of each batch", async () => {
    const { spark, input } = setup();
    const df = input.toDF().groupBy(F.col("value")).count();
    const q = await df.writeStream.format("memory").queryName("mem_update").outputMode("update").trigger({ manual: true }).start();
    input.addData(1, 2);
    await q.processAllAvailable();
    input.addData(2);
    await q.processAllAvailable();
    assertRows((await spark.table("mem_update").collect()) as Row[], [
      { value: 1, count: 1 },
      { value: 2, count: 1 },
      { value: 2, count: 2 },
    ]);
    await q.stop();
  });

  it("foreachBatch gets a static DataFrame per batch with consecutive batch ids", async () => {
    const { input } = setup();
    const seen: { id: number; streaming: boolean; rows: Row[] }[] = [];
    const q = await input
      .toDF()
      .writeStream.trigger({ manual: true })
      .foreachBatch(async (batchDf: DataFrame, batchId: number) => {
        seen.push({ id: Number(batchId), streaming: batchDf.isStreaming, rows: (await batchDf.collect()) as Row[] });
      })
      .start();
    input.addData(1);
    await q.processAllAvailable();
    input.addData(2, 3);
    await q.processAllAvailable();
    await q.stop();
    expect(seen.map((s) => s.id)).toEqual([0, 1]);
    expect(seen.every((s) => !s.streaming)).toBe(true);
    assertRows(seen[1]!.rows, [{ value: 2 }, { value: 3 }]);
  });
});

describe("StreamingAggregationSuite 'simple count, complete mode'", () => {
  it("keeps the whole table across a restart", async () => {
    const { input, clock } = setup();
    const df = input.toDF().groupBy(F.col("value")).agg(F.count("*").as("count"));
    await testStream(df, "complete", { clock })(
      AddData(input, 3),
      CheckLastBatch({ value: 3, count: 1 }),
      AddData(input, 2),
      CheckLastBatch({ value: 3, count: 1 }, { value: 2, count: 1 }),
      StopStream,
      StartStream(),
      AddData(input, 3, 2, 1),
      CheckLastBatch({ value: 3, count: 2 }, { value: 2, count: 2 }, { value: 1, count: 1 }),
      AddData(input, 4, 4, 4, 4),
      CheckLastBatch({ value: 4, count: 4 }, { value: 3, count: 2 }, { value: 2, count: 2 }, { value: 1, count: 1 }),
    );
  });
});

describe("currentTimestamp reads the session clock", () => {
  it("is the batch's trigger time on the ManualClock, the same for every row of the batch", async () => {
    const { input, clock } = setup();
    const df = input.toDF().select(F.col("value"), F.currentTimestamp().as("now"));
    await testStream(df, "append", { clock })(
      AddData(input, 1, 2),
      CheckNewAnswer({ value: 1, now: new Date(0) }, { value: 2, now: new Date(0) }),
      Execute("advance the clock", () => {
        clock.advance(5000);
      }),
      AddData(input, 3),
      CheckNewAnswer({ value: 3, now: new Date(5000) }),
    );
  });
});

describe("SQL expressions in stateless streaming queries (API.md: F.expr, selectExpr, filter(sql))", () => {
  it("F.expr, selectExpr and a SQL filter string work on a stream", async () => {
    const { input, clock } = setup();
    const df = input
      .toDF()
      .filter("value > 1")
      .selectExpr("value * 2 AS doubled")
      .select(F.col("doubled"), F.expr("doubled + 1").as("plusOne"));
    await testStream(df, "append", { clock })(AddData(input, 1, 2, 3), CheckAnswer({ doubled: 4, plusOne: 5 }, { doubled: 6, plusOne: 7 }));
  });
});

describe("the programming guide's quick example (docs/streaming/getting-started.md: word count)", () => {
  it("split + explode + groupBy().count() in complete mode gives the running counts", async () => {
    const { spark, clock } = newSession();
    const lines = new MemoryStream(spark, { value: "string" });
    const words = lines.toDF().select(F.explode(F.split(F.col("value"), " ")).alias("word"));
    const wordCounts = words.groupBy("word").count();
    await testStream(wordCounts, "complete", { clock })(
      AddData(lines, "apache spark"),
      CheckAnswer({ word: "apache", count: 1 }, { word: "spark", count: 1 }),
      AddData(lines, "apache hadoop"),
      CheckAnswer({ word: "apache", count: 2 }, { word: "spark", count: 1 }, { word: "hadoop", count: 1 }),
    );
  });

  it("the same query in update mode outputs only the changed words", async () => {
    const { spark, clock } = newSession();
    const lines = new MemoryStream(spark, { value: "string" });
    const wordCounts = lines.toDF().select(F.explode(F.split(F.col("value"), " ")).alias("word")).groupBy("word").count();
    await testStream(wordCounts, "update", { clock })(
      AddData(lines, "apache spark"),
      CheckNewAnswer({ word: "apache", count: 1 }, { word: "spark", count: 1 }),
      AddData(lines, "apache hadoop"),
      CheckNewAnswer({ word: "apache", count: 2 }, { word: "hadoop", count: 1 }),
    );
  });
});

describe("column functions in streaming selects", () => {
  it("lower, upper, length, when/otherwise, withColumnRenamed, drop", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { s: "string", n: "long" });
    const df = input
      .toDF()
      .withColumn("lo", F.lower(F.col("s")))
      .withColumn("up", F.upper(F.col("s")))
      .withColumn("len", F.length(F.col("s")))
      .withColumn("size", F.when(F.col("n").gt(10), "big").otherwise("small"))
      .withColumnRenamed("n", "num")
      .drop("s");
    await testStream(df, "append", { clock })(
      AddData(input, { s: "AbC", n: 5 }, { s: "xY", n: 50 }),
      CheckAnswer(
        { num: 5, lo: "abc", up: "ABC", len: 3, size: "small" },
        { num: 50, lo: "xy", up: "XY", len: 2, size: "big" },
      ),
    );
  });
});

describe("stream-static joins (docs: 'Stream-static Joins'; UnsupportedOperationChecker join rules)", () => {
  function sides() {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { key: "long", l: "string" });
    const statik = spark.createDataFrame(
      [
        { key: 1, r: "one" },
        { key: 2, r: "two" },
      ],
      { key: "long", r: "string" },
    );
    return { spark, clock, input, statik };
  }

  it("a join on a list of column names keeps one key column, first (USING join)", async () => {
    const { clock, input, statik } = sides();
    const df = input.toDF().join(statik, ["key"]);
    expect(df.columns).toEqual(["key", "l", "r"]);
    await testStream(df, "append", { clock })(
      AddData(input, { key: 1, l: "a" }, { key: 3, l: "c" }),
      CheckAnswer({ key: 1, l: "a", r: "one" }),
    );
  });

  it("left_semi and left_anti with the static side on the right are allowed", async () => {
    const { clock, input, statik } = sides();
    await testStream(input.toDF().join(statik, ["key"], "left_semi"), "append", { clock })(
      AddData(input, { key: 1, l: "a" }, { key: 3, l: "c" }),
      CheckAnswer({ key: 1, l: "a" }),
    );
    const s2 = sides();
    await testStream(s2.input.toDF().join(s2.statik, ["key"], "left_anti"), "append", { clock: s2.clock })(
      AddData(s2.input, { key: 1, l: "a" }, { key: 3, l: "c" }),
      CheckAnswer({ key: 3, l: "c" }),
    );
  });

  it("a stream-static join feeding an aggregation runs in update mode", async () => {
    const { clock, input, statik } = sides();
    const df = input.toDF().join(statik, ["key"]).groupBy(F.col("r")).count();
    await testStream(df, "update", { clock })(
      AddData(input, { key: 1, l: "a" }, { key: 1, l: "b" }, { key: 2, l: "c" }),
      CheckNewAnswer({ r: "one", count: 2 }, { r: "two", count: 1 }),
      AddData(input, { key: 2, l: "d" }),
      CheckNewAnswer({ r: "two", count: 2 }),
    );
  });

  it("left_anti with the stream on the right is rejected", async () => {
    const { input, statik } = sides();
    const df = statik.join(input.toDF(), ["key"], "left_anti");
    // "LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported"
    await expectError(start(df, "append"), "joins with a streaming DataFrame/Dataset on the right are not supported");
  });
});
