/**
 * Aggregate functions on streams: count, sum, avg, min, max, first, last, collectList,
 * approxCountDistinct; countDistinct rejected on streams.
 *
 * Sources:
 * - sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingAggregationSuite.scala
 *   ("simple count, update mode", "SPARK-22230: last should change with new batches",
 *   "typed aggregators", "SPARK-19690 ...").
 * - UnsupportedOperationChecker: "Distinct aggregations are not supported on streaming
 *   DataFrames/Datasets. Consider using approx_count_distinct() instead."
 * - docs/streaming/apis-on-dataframes-and-datasets.md "Unsupported Operations":
 *   "Distinct operations on streaming Datasets are not supported".
 * - First/Last (catalyst aggregate/First.scala, Last.scala): ignoreNulls = false by default,
 *   so last() can become null; buffers merge in arrival order (state before the new batch).
 * - GroupedData.sum/avg/min/max name their columns "sum(value)" etc.; count() names it "count".
 */
import { afterEach, describe, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  CheckAnswer,
  CheckLastBatch,
  StartStream,
  StopStream,
  assertRows,
  expectError,
  newSession,
  stopAllSessions,
  testStream,
  type Row,
} from "../streamTest";

afterEach(stopAllSessions);

function keyed() {
  const { spark, clock } = newSession();
  const input = new MemoryStream(spark, { key: "string", value: "long" });
  return { spark, clock, input };
}

describe("aggregate functions keep their state across batches", () => {
  it("count, count(col), sum, avg, min, max, first, last, collectList in update mode", async () => {
    const { clock, input } = keyed();
    const df = input
      .toDF()
      .groupBy(F.col("key"))
      .agg(
        F.count("*").as("c"),
        F.count(F.col("value")).as("cv"),
        F.sum("value").as("sum"),
        F.avg("value").as("avg"),
        F.min("value").as("min"),
        F.max("value").as("max"),
        F.first("value").as("first"),
        F.last("value").as("last"),
        F.collectList("value").as("list"),
      );
    await testStream(df, "update", { clock })(
      AddData(input, { key: "a", value: 1 }, { key: "a", value: 2 }, { key: "b", value: 5 }),
      CheckLastBatch(
        { key: "a", c: 2, cv: 2, sum: 3, avg: 1.5, min: 1, max: 2, first: 1, last: 2, list: [1, 2] },
        { key: "b", c: 1, cv: 1, sum: 5, avg: 5, min: 5, max: 5, first: 5, last: 5, list: [5] },
      ),
      AddData(input, { key: "a", value: 3 }, { key: "b", value: null }, { key: "a", value: 0 }),
      CheckLastBatch(
        { key: "a", c: 4, cv: 4, sum: 6, avg: 1.5, min: 0, max: 3, first: 1, last: 0, list: [1, 2, 3, 0] },
        // count(*) counts the null row, count(value)/sum/avg/min/max/collectList skip it;
        // last() without ignoreNulls takes it.
        { key: "b", c: 2, cv: 1, sum: 5, avg: 5, min: 5, max: 5, first: 5, last: null, list: [5] },
      ),
    );
  });

  it("a global aggregation keeps its state through an empty batch (SPARK-22230)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().groupBy().agg(F.last("value").as("last"), F.sum("value").as("sum"), F.count("*").as("n"));
    await testStream(df, "complete", { clock })(
      AddData(input, 1, 2, 3),
      CheckAnswer({ last: 3, sum: 6, n: 3 }),
      AddData(input),
      CheckAnswer({ last: 3, sum: 6, n: 3 }),
      AddData(input, 0),
      CheckAnswer({ last: 0, sum: 6, n: 4 }),
    );
  });

  it("a global collectList in update mode grows across batches (StreamingAggregationSuite SPARK-23004)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().groupBy().agg(F.collectList("value").as("values"));
    await testStream(df, "update", { clock })(
      AddData(input, 1, 2, 3),
      CheckLastBatch({ values: [1, 2, 3] }),
      AddData(input, 4, 5, 6),
      CheckLastBatch({ values: [1, 2, 3, 4, 5, 6] }),
      StopStream,
      StartStream(),
      AddData(input, 7),
      CheckLastBatch({ values: [1, 2, 3, 4, 5, 6, 7] }),
    );
  });

  it("avg is a double and sums of doubles keep their precision to 1e-6", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { x: "double" });
    const df = input.toDF().groupBy().agg(F.sum("x").as("s"), F.avg("x").as("a"), F.max("x").as("m"));
    await testStream(df, "complete", { clock })(
      AddData(input, 0.1, 0.2),
      CheckAnswer({ s: 0.3, a: 0.15, m: 0.2 }),
      AddData(input, -1.5),
      CheckAnswer({ s: -1.2, a: -0.4, m: 0.2 }),
    );
  });

  it("approxCountDistinct is allowed on streams and exact for small cardinalities", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().groupBy().agg(F.approxCountDistinct("value").as("n"));
    await testStream(df, "complete", { clock })(
      AddData(input, 1, 2, 2, 3),
      CheckAnswer({ n: 3 }),
      AddData(input, 3, 4),
      CheckAnswer({ n: 4 }),
    );
  });

  it("GroupedData.count() on a stream names its column 'count'", async () => {
    const { clock, input } = keyed();
    const df = input.toDF().groupBy("key").count();
    await testStream(df, "complete", { clock })(
      AddData(input, { key: "a", value: 1 }, { key: "a", value: 2 }, { key: "b", value: 3 }),
      CheckAnswer({ key: "a", count: 2 }, { key: "b", count: 1 }),
    );
  });
});

describe("countDistinct", () => {
  it("is rejected in a streaming aggregation, pointing to approx_count_distinct()", async () => {
    const { input } = keyed();
    const df = input.toDF().groupBy(F.col("key")).agg(F.countDistinct(F.col("value")).as("n"));
    await expectError(
      async () => {
        const q = await df.writeStream.format("memory").queryName("distinct_q").outputMode("complete").trigger({ manual: true }).start();
        await q.processAllAvailable();
        await q.stop();
      },
      "Distinct aggregations are not supported on streaming DataFrames/Datasets",
      "approx_count_distinct",
    );
  });

  it("works on static DataFrames (nulls not counted)", async () => {
    const { spark } = newSession();
    const df = spark.createDataFrame([{ v: 1 }, { v: 2 }, { v: 2 }, { v: null }], { v: "long" });
    assertRows((await df.groupBy().agg(F.countDistinct(F.col("v")).as("n")).collect()) as Row[], [{ n: 2 }]);
  });
});

describe("GroupedData shortcuts (static)", () => {
  it("sum/avg/min/max name their columns like Spark: sum(value), avg(value), min(value), max(value)", async () => {
    const { spark } = newSession();
    const df = spark.createDataFrame(
      [
        { key: "a", value: 1 },
        { key: "a", value: 4 },
        { key: "b", value: 2 },
      ],
      { key: "string", value: "long" },
    );
    assertRows((await df.groupBy("key").sum("value").collect()) as Row[], [
      { key: "a", "sum(value)": 5 },
      { key: "b", "sum(value)": 2 },
    ]);
    assertRows((await df.groupBy("key").avg("value").collect()) as Row[], [
      { key: "a", "avg(value)": 2.5 },
      { key: "b", "avg(value)": 2 },
    ]);
    assertRows((await df.groupBy("key").min("value").collect()) as Row[], [
      { key: "a", "min(value)": 1 },
      { key: "b", "min(value)": 2 },
    ]);
    assertRows((await df.groupBy("key").max("value").collect()) as Row[], [
      { key: "a", "max(value)": 4 },
      { key: "b", "max(value)": 2 },
    ]);
  });

  it("a global aggregation over no rows gives one row: count 0, sum null", async () => {
    const { spark } = newSession();
    const df = spark.createDataFrame([], { value: "long" });
    assertRows((await df.groupBy().agg(F.count("*").as("n"), F.sum("value").as("s")).collect()) as Row[], [{ n: 0, s: null }]);
  });

  it("min and max compare strings lexicographically", async () => {
    const { spark } = newSession();
    const df = spark.createDataFrame([{ s: "pear" }, { s: "apple" }, { s: "zoo" }, { s: "Zebra" }], { s: "string" });
    assertRows((await df.groupBy().agg(F.min("s").as("lo"), F.max("s").as("hi")).collect()) as Row[], [{ lo: "Zebra", hi: "zoo" }]);
  });
});
