/**
 * The console sink prints exactly what Spark prints.
 *
 * Sources:
 * - sql/core/.../streaming/sources/ConsoleWrite.scala: per batch, println of
 *   "-------------------------------------------", "Batch: <id>", the dashes again, then
 *   `Dataset.show(numRows, truncate)` (options "numRows", default 20; "truncate", default true).
 * - sql/core/.../Dataset.scala showString: "+---+" separator lines, cells left-padded when
 *   truncating (right-padded with truncate = false), minimum column width 3, strings longer
 *   than 20 cut to 17 chars + "...", footer "only showing top N rows"; show() println()s
 *   the string, hence the empty line after each table. Cells are ToPrettyString of the values
 *   (catalyst/expressions/ToPrettyString.scala, Spark 3.5+; see the show() outputs in the
 *   PySpark 3.5 docs of DataFrame.fillna, "| 10|  80.5|Alice|NULL|"): null -> "NULL", 2.0 -> "2.0",
 *   timestamps "yyyy-MM-dd HH:mm:ss" in the session time zone, structs "{a, b}".
 * - docs/streaming/apis-on-dataframes-and-datasets.md "Output Sinks" (console: "Prints the
 *   output to the console/stdout every time there is a trigger"), which includes no-data batches.
 *
 * The playground extension `SparkSession.builder().output(writer)` receives the printed
 * text. Each writer call is one print; a call whose text does not end in "\n" is taken as
 * a printed line (like console.log / println). Concatenated, it must equal Spark's stdout.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import { newSession, stopAllSessions, uniqueCheckpoint, type DataFrame } from "../streamTest";

afterEach(stopAllSessions);

const DASHES = "-------------------------------------------";

/** Spark's console output of one batch: the header block, then the table lines, then an empty line. */
function batch(id: number, ...tableLines: string[]): string {
  return [DASHES, `Batch: ${id}`, DASHES, ...tableLines, ""].join("\n") + "\n";
}

function capturingSession() {
  const chunks: string[] = [];
  const { spark, clock } = newSession({ output: (text: string) => void chunks.push(text) });
  spark.conf.set("spark.sql.session.timeZone", "UTC");
  return { spark, clock, printed: () => chunks.map((c) => (c.endsWith("\n") ? c : c + "\n")).join("") };
}

async function startConsole(df: DataFrame, mode: "append" | "update" | "complete", options: Record<string, string | number | boolean> = {}) {
  let w = df.writeStream.format("console").outputMode(mode).trigger({ manual: true });
  for (const [k, v] of Object.entries(options)) w = w.option(k, v);
  return await w.start();
}

describe("console sink", () => {
  it("prints each batch under Spark's header, numbers right-aligned", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { value: "long" });
    const q = await startConsole(input.toDF(), "append");
    input.addData(1, 2);
    await q.processAllAvailable();
    input.addData(10);
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(0, "+-----+", "|value|", "+-----+", "|    1|", "|    2|", "+-----+") +
        batch(1, "+-----+", "|value|", "+-----+", "|   10|", "+-----+"),
    );
  });

  it("prints the whole sorted result table in complete mode", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { word: "string" });
    const df = input.toDF().groupBy(F.col("word")).count().orderBy(F.col("word").asc());
    const q = await startConsole(df, "complete");
    input.addData("dog", "cat", "cat");
    await q.processAllAvailable();
    input.addData("ant");
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(0, "+----+-----+", "|word|count|", "+----+-----+", "| cat|    2|", "| dog|    1|", "+----+-----+") +
        batch(1, "+----+-----+", "|word|count|", "+----+-----+", "| ant|    1|", "| cat|    2|", "| dog|    1|", "+----+-----+"),
    );
  });

  it("cuts strings longer than 20 characters and honours numRows with Spark's footer", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { value: "string" });
    const q = await startConsole(input.toDF(), "append", { numRows: 2 });
    input.addData("abcdefghijklmnopqrstuvwxyz", "b", "c");
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(
        0,
        "+--------------------+",
        "|               value|",
        "+--------------------+",
        "|abcdefghijklmnopq...|",
        "|                   b|",
        "+--------------------+",
        "only showing top 2 rows",
      ),
    );
  });

  it("with truncate=false keeps long strings and left-aligns cells", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { value: "string" });
    const q = await startConsole(input.toDF(), "append", { truncate: false });
    input.addData("abcdefghijklmnopqrstuvwxyz", "b");
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(
        0,
        "+--------------------------+",
        "|value                     |",
        "+--------------------------+",
        "|abcdefghijklmnopqrstuvwxyz|",
        "|b                         |",
        "+--------------------------+",
      ),
    );
  });

  it("prints NULL, doubles, booleans and timestamps as Spark casts them to strings", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { s: "string", d: "double", b: "boolean", t: "long" });
    const df = input.toDF().select(F.col("s"), F.col("d"), F.col("b"), F.col("t").cast("timestamp").as("ts"));
    const q = await startConsole(df, "append");
    input.addData({ s: null, d: 1.5, b: true, t: 10 }, { s: "x", d: 2, b: false, t: 11 });
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(
        0,
        "+----+---+-----+-------------------+",
        "|   s|  d|    b|                 ts|",
        "+----+---+-----+-------------------+",
        "|NULL|1.5| true|1970-01-01 00:00:10|",
        "|   x|2.0|false|1970-01-01 00:00:11|",
        "+----+---+-----+-------------------+",
      ),
    );
  });

  it("prints doubles as Java's Double.toString: scientific outside [1e-3, 1e7)", async () => {
    const { spark, printed } = capturingSession();
    const df = spark.createDataFrame([{ d: 100 }, { d: 12345678.9 }, { d: 0.0001 }, { d: 0.001 }, { d: -2.5 }], { d: "double" });
    await df.show();
    expect(printed()).toBe(
      ["+------------+", "|           d|", "+------------+", "|       100.0|", "|1.23456789E7|", "|      1.0E-4|", "|       0.001|", "|        -2.5|", "+------------+", ""].join("\n") + "\n",
    );
  });

  it("prints timestamps with the fraction of a second trimmed of trailing zeros", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { ms: "long" });
    const df = input.toDF().select(F.col("ms").divide(1000).cast("timestamp").as("ts"));
    const q = await startConsole(df, "append", { truncate: false });
    input.addData(10_000, 10_100, 10_120, 10_123);
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(
        0,
        "+-----------------------+",
        "|ts                     |",
        "+-----------------------+",
        "|1970-01-01 00:00:10    |",
        "|1970-01-01 00:00:10.1  |",
        "|1970-01-01 00:00:10.12 |",
        "|1970-01-01 00:00:10.123|",
        "+-----------------------+",
      ),
    );
  });

  it("prints a window struct as {start, end}", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .groupBy(F.window(F.col("value").cast("timestamp"), "5 seconds"))
      .count();
    const q = await startConsole(df, "complete", { truncate: false });
    input.addData(10, 11);
    await q.processAllAvailable();
    await q.stop();
    expect(printed()).toBe(
      batch(
        0,
        "+------------------------------------------+-----+",
        "|window                                    |count|",
        "+------------------------------------------+-----+",
        "|{1970-01-01 00:00:10, 1970-01-01 00:00:15}|2    |",
        "+------------------------------------------+-----+",
      ),
    );
  });

  it("prints every batch, including empty ones and the no-data batches of a watermark", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    const q = await startConsole(df, "append");
    input.addData(10, 11, 12, 13, 14, 15); // batch 0, then no-data batch 1 (watermark 5)
    await q.processAllAvailable();
    input.addData(25); // batch 2, then no-data batch 3 (watermark 15) emits [10, 15)
    await q.processAllAvailable();
    await q.stop();
    const empty = ["+-----+-----+", "|start|count|", "+-----+-----+", "+-----+-----+"];
    expect(printed()).toBe(
      batch(0, ...empty) +
        batch(1, ...empty) +
        batch(2, ...empty) +
        batch(3, "+-----+-----+", "|start|count|", "+-----+-----+", "|   10|    5|", "+-----+-----+"),
    );
  });

  it("numbers batches by batchId, continuing after a restart from the checkpoint", async () => {
    const { spark, printed } = capturingSession();
    const input = new MemoryStream(spark, { value: "long" });
    const checkpoint = uniqueCheckpoint("console-restart");
    const start = () =>
      input.toDF().writeStream.format("console").option("checkpointLocation", checkpoint).trigger({ manual: true }).start();
    const q1 = await start();
    input.addData(1);
    await q1.processAllAvailable();
    await q1.stop();
    const q2 = await start();
    input.addData(2);
    await q2.processAllAvailable();
    await q2.stop();
    expect(printed()).toBe(
      batch(0, "+-----+", "|value|", "+-----+", "|    1|", "+-----+") + batch(1, "+-----+", "|value|", "+-----+", "|    2|", "+-----+"),
    );
  });

  it("DataFrame.show() prints the same table format (static)", async () => {
    const { spark, printed } = capturingSession();
    const df = spark.createDataFrame(
      [
        { k: "a", n: 1 },
        { k: "bb", n: 22 },
      ],
      { k: "string", n: "long" },
    );
    await df.show();
    expect(printed()).toBe(["+---+---+", "|  k|  n|", "+---+---+", "|  a|  1|", "| bb| 22|", "+---+---+", ""].join("\n") + "\n");
  });

  it("show(1) says 'only showing top 1 row' (singular); an empty DataFrame shows only the header", async () => {
    const { spark, printed } = capturingSession();
    const df = spark.createDataFrame([{ n: 1 }, { n: 2 }], { n: "long" });
    await df.show(1);
    await spark.createDataFrame([], { n: "long" }).show();
    expect(printed()).toBe(
      ["+---+", "|  n|", "+---+", "|  1|", "+---+", "only showing top 1 row", ""].join("\n") +
        "\n" +
        ["+---+", "|  n|", "+---+", "+---+", ""].join("\n") +
        "\n",
    );
  });
});
