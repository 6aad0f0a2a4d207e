/**
 * Bad input is rejected with an error naming the problem, in Spark's words.
 *
 * Sources:
 * - Unresolved columns: Spark's error class UNRESOLVED_COLUMN.WITH_SUGGESTION
 *   ("A column, variable, or function parameter with name `valu` cannot be resolved. Did you
 *   mean one of the following? [`value`]."), raised eagerly when the DataFrame is built
 *   (AnalysisSuite "SPARK-9955: correct error message for aggregate").
 * - Durations: IntervalUtils.stringToInterval rejects "10 minuts" naming the input
 *   (INVALID_INTERVAL_FORMAT); EventTimeWatermarkSuite "SPARK-35815 ... Invalid interval patterns".
 * - RateStreamProviderSuite "illegal option values": "Invalid value '-1'. The option
 *   'rowsPerSecond' must be positive"; numPartitions likewise; RatePerMicroBatchProviderSuite:
 *   rowsPerBatch "positive", advanceMillisPerBatch / startTimestamp "non-negative".
 * - DataSource.lookupDataSource: "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: foo."
 * - EventTimeWatermarkSuite "MultipleWatermarkPolicy: fail on incorrect conf values":
 *   "Valid values are 'min' and 'max'".
 * - InternalOutputModes / DataStreamWriter.outputMode: "Unknown output mode foo. Accepted
 *   output modes are 'append', 'complete', 'update'".
 * - StreamingQueryManager.startQuery: "Cannot start query with name x as a query with that
 *   name is already active in this SparkSession"; MemorySink: "queryName must be specified for memory sink".
 */
import { afterEach, describe, it } from "vitest";
import { F, MemoryStream } from "../../index";
import { assertRows, expectError, newSession, startCollecting, stopAllSessions, type Row, type Session } from "../streamTest";

afterEach(stopAllSessions);

function stream() {
  const { spark } = newSession();
  const input = new MemoryStream(spark, { value: "long" });
  return { spark, input, df: input.toDF() };
}

/** load() + start() to the console, as Spark's "illegal option values" tests do. */
function startRate(spark: Session, format: string, options: Record<string, string | number>) {
  return async () => {
    let reader = spark.readStream.format(format);
    for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
    const q = await reader.load().writeStream.format("console").trigger({ manual: true }).start();
    await q.processAllAvailable();
    await q.stop();
  };
}

describe("unknown columns", () => {
  it("select(col('valu')) fails when built, with UNRESOLVED_COLUMN naming the column and suggesting `value`", async () => {
    const { df } = stream();
    await expectError(() => df.select(F.col("valu")), "UNRESOLVED_COLUMN", "`valu`", "cannot be resolved", "`value`");
  });

  it("filter with a SQL string naming an unknown column fails the same way", async () => {
    const { df } = stream();
    await expectError(() => df.filter("valu > 1"), "UNRESOLVED_COLUMN", "`valu`");
  });

  it("groupBy on an unknown column fails the same way", async () => {
    const { df } = stream();
    await expectError(() => df.groupBy(F.col("nope")).count(), "UNRESOLVED_COLUMN", "`nope`");
  });

  it("on static DataFrames too", async () => {
    const { spark } = stream();
    const df = spark.createDataFrame([{ a: 1 }], { a: "long" });
    await expectError(() => df.select(F.col("b")), "UNRESOLVED_COLUMN", "`b`", "`a`");
  });
});

describe("bad durations name the bad text", () => {
  it("in window()", async () => {
    const { df } = stream();
    await expectError(
      async () => df.select(F.window(F.col("value").cast("timestamp"), "10 minuts")).writeStream.format("console").trigger({ manual: true }).start(),
      "10 minuts",
    );
  });

  it("in withWatermark()", async () => {
    const { df } = stream();
    await expectError(() => df.withColumn("t", F.col("value").cast("timestamp")).withWatermark("t", "10 minuts"), "10 minuts");
  });

  it("in a processingTime trigger", async () => {
    const { df } = stream();
    await expectError(
      async () => df.writeStream.format("console").trigger({ processingTime: "10 minuts" }).start(),
      /minuts/,
    );
  });

  it("in rampUpTime, and a negative rampUpTime is rejected", async () => {
    const { spark } = stream();
    await expectError(startRate(spark, "rate", { rowsPerSecond: 1, rampUpTime: "10 minuts" }), /minuts/);
    await expectError(startRate(spark, "rate", { rowsPerSecond: 1, rampUpTime: "-1s" }), "rampUpTime", "negative");
  });
});

describe("bad source options (RateStreamProviderSuite / RatePerMicroBatchProviderSuite 'illegal option values')", () => {
  it("rate: rowsPerSecond must be positive", async () => {
    const { spark } = stream();
    await expectError(startRate(spark, "rate", { rowsPerSecond: -1 }), "-1", "rowsPerSecond", "positive");
    await expectError(startRate(spark, "rate", { rowsPerSecond: 0 }), "rowsPerSecond", "positive");
  });

  it("rate: numPartitions must be positive", async () => {
    const { spark } = stream();
    await expectError(startRate(spark, "rate", { rowsPerSecond: 1, numPartitions: -1 }), "-1", "numPartitions", "positive");
  });

  it("rate-micro-batch: rowsPerBatch positive, numPartitions positive, advanceMillisPerBatch and startTimestamp non-negative", async () => {
    const { spark } = stream();
    await expectError(startRate(spark, "rate-micro-batch", { rowsPerBatch: -1 }), "-1", "rowsPerBatch", "positive");
    await expectError(startRate(spark, "rate-micro-batch", { rowsPerBatch: 0 }), "0", "rowsPerBatch", "positive");
    await expectError(startRate(spark, "rate-micro-batch", { rowsPerBatch: 1, numPartitions: 0 }), "numPartitions", "positive");
    await expectError(startRate(spark, "rate-micro-batch", { rowsPerBatch: 1, advanceMillisPerBatch: -1 }), "-1", "advanceMillisPerBatch", "non-negative");
    await expectError(startRate(spark, "rate-micro-batch", { rowsPerBatch: 1, startTimestamp: -1 }), "-1", "startTimestamp", "non-negative");
  });
});

describe("source setup errors", () => {
  it("rate sources refuse a user-specified schema (RateStreamProviderSuite 'user-specified schema given')", async () => {
    const { spark } = stream();
    await expectError(async () => spark.readStream.format("rate").schema({ value: "long" }).load(), "does not support user-specified schema");
    await expectError(
      async () => spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 1).schema({ value: "long" }).load(),
      "does not support user-specified schema",
    );
  });

  it("a streaming file source needs a schema unless spark.sql.streaming.schemaInference is on", async () => {
    const { spark } = stream();
    await expectError(
      async () => spark.readStream.format("json").load("no-such-dir"),
      "Schema must be specified when creating a streaming source DataFrame",
    );
  });

  it("a negative processingTime interval is rejected", async () => {
    const { df } = stream();
    await expectError(async () => df.writeStream.format("console").trigger({ processingTime: "-1 second" }).start(), /negative/i);
  });
});

describe("unknown formats and modes", () => {
  it("an unknown source format", async () => {
    const { spark } = stream();
    await expectError(async () => spark.readStream.format("foo").load(), /failed to find (the )?data source: foo/i);
  });

  it("an unknown sink format", async () => {
    const { df } = stream();
    await expectError(
      async () => df.writeStream.format("foo").trigger({ manual: true }).start(),
      /failed to find (the )?data source: foo/i,
    );
  });

  it("an unknown output mode", async () => {
    const { df } = stream();
    await expectError(
      async () => df.writeStream.format("console").outputMode("foo" as "append").trigger({ manual: true }).start(),
      // Spark 3: "Unknown output mode foo. Accepted output modes are 'append', 'complete', 'update'";
      // Spark 4: "[STREAMING_OUTPUT_MODE.INVALID] Invalid streaming output mode: foo."
      /(Unknown output mode foo|Invalid streaming output mode: foo)/i,
    );
  });

  it("an invalid spark.sql.streaming.multipleWatermarkPolicy", async () => {
    const { spark } = stream();
    await expectError(() => spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", "random"), "Valid values are 'min' and 'max'");
  });
});

describe("bad query setups", () => {
  it("a memory sink needs a queryName", async () => {
    const { df } = stream();
    await expectError(async () => df.writeStream.format("memory").trigger({ manual: true }).start(), "queryName must be specified for memory sink");
  });

  it("two active queries cannot share a name", async () => {
    const { df } = stream();
    const first = await df.writeStream.format("memory").queryName("dup").trigger({ manual: true }).start();
    await expectError(
      async () => df.writeStream.format("memory").queryName("dup").trigger({ manual: true }).start(),
      "Cannot start query with name dup as a query with that name is already active",
    );
    await first.stop();
  });
});

describe("names Spark reads case-insensitively", () => {
  it("output modes ('Complete'), format names ('MEMORY') and source option keys ('ROWSPERSECOND')", async () => {
    const { spark, input } = stream();
    const q = await input
      .toDF()
      .groupBy(F.col("value"))
      .count()
      .writeStream.format("MEMORY")
      .queryName("ci_table")
      .outputMode("Complete" as "complete")
      .trigger({ manual: true })
      .start();
    input.addData(1, 1);
    await q.processAllAvailable();
    assertRows((await spark.table("ci_table").collect()) as Row[], [{ value: 1, count: 2 }]);
    await q.stop();

    const { spark: s2, clock } = newSession();
    const rate = s2.readStream.format("rate").option("ROWSPERSECOND", 3).load().select(F.col("value"));
    const c = await startCollecting(rate, "append");
    clock.advance(1000);
    await c.query.processAllAvailable();
    await c.settle();
    assertRows(c.rows(), [{ value: 0 }, { value: 1 }, { value: 2 }]);
    await c.query.stop();
  });
});
