import { afterAll, describe, expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession } from "../index";
import { deduplicate } from "../plan/analyzer";
import type { LogicalPlan } from "../plan/LogicalPlan";
import { DataFrame } from "../api/DataFrame";
import { MemoryFileSystem } from "../fs/MemoryFileSystem";
import { exprToPy, defaultContext } from "./expressions";
import { exportNotebookToPySpark } from "./notebook";
import { jsFunctionToPythonLambda } from "./jsLambda";
import { pyComment, pyStr, durationText } from "./python";
import { queryToPySpark } from "./toPySpark";
import { hasPython3, pyCompile, runWithMockPySpark } from "./pyCompile.testUtil";

/** Every script these tests produce is also checked by python3 -m py_compile at the end. */
const scripts: Record<string, string> = {};
function keep(name: string, script: string): string {
  scripts[name.replace(/[^\w-]/g, "_")] = script;
  return script;
}

function session() {
  const clock = new ManualClock(0);
  const spark = SparkSession.builder().appName("ExportTest").clock(clock).output(() => undefined).getOrCreate();
  return { spark, clock };
}

describe("Python text", () => {
  it("escapes string literals", () => {
    expect(pyStr('a"b\\c\nd\te\u0001')).toBe('"a\\"b\\\\c\\nd\\te\\x01"');
    expect(pyStr("\ud800x")).toBe('"\\ud800x"');
    expect(pyStr("😀")).toBe('"😀"');
  });
  it("keeps comments on their lines", () => {
    expect(pyComment("a\nb\r\nc\u2028d\u0000")).toEqual(["# a", "# b", "# c", "# d\\u0000"]);
  });
  it("spells durations as Spark intervals", () => {
    expect(durationText(5000)).toBe("5 seconds");
    expect(durationText(60_000)).toBe("1 minute");
    expect(durationText(1500)).toBe("1500 milliseconds");
    expect(durationText(2 * 3_600_000)).toBe("2 hours");
  });
});

describe("expressions", () => {
  const py = (c: { expr: Parameters<typeof exprToPy>[0] }) => exprToPy(c.expr, defaultContext()).code;
  it("parenthesizes operators (Python's & binds tighter than ==)", () => {
    expect(py(F.col("a").gt(1).and(F.col("b").eq("x")))).toBe('(F.col("a") > 1) & (F.col("b") == "x")');
    expect(py(F.col("a").plus(1).multiply(2))).toBe('(F.col("a") + 1) * 2');
    expect(py(F.lit(1).plus(F.col("a")))).toBe('F.lit(1) + F.col("a")');
    expect(py(F.col("a").isNull().not())).toBe('~F.col("a").isNull()');
    expect(py(F.col("a").eqNullSafe(F.col("b")))).toBe('F.col("a").eqNullSafe(F.col("b"))');
  });
  it("uses PySpark's function names", () => {
    expect(py(F.when(F.col("v").gt(0), "pos").otherwise("neg"))).toBe('F.when(F.col("v") > 0, F.lit("pos")).otherwise(F.lit("neg"))');
    expect(py(F.count("*"))).toBe('F.count("*")');
    expect(py(F.countDistinct("a", "b"))).toBe('F.count_distinct(F.col("a"), F.col("b"))');
    expect(py(F.approxCountDistinct("a"))).toBe('F.approx_count_distinct(F.col("a"))');
    expect(py(F.first("a", true))).toBe('F.first(F.col("a"), ignorenulls=True)');
    expect(py(F.split(F.col("s"), "\\s+"))).toBe('F.split(F.col("s"), "\\\\s+")');
    expect(py(F.col("s").like("a%"))).toBe('F.col("s").like("a%")');
    expect(py(F.col("v").cast("long"))).toBe('F.col("v").cast("bigint")');
    expect(py(F.window("t", "10 minutes", "5 minutes"))).toBe('F.window(F.col("t"), "10 minutes", "5 minutes")');
    expect(py(F.sessionWindow("t", "5 minutes"))).toBe('F.session_window(F.col("t"), "5 minutes")');
    expect(py(F.col("v").desc())).toBe('F.col("v").desc()');
    expect(py(F.col("v").ascNullsLast())).toBe('F.col("v").asc_nulls_last()');
    expect(py(F.col("w").getField("start"))).toBe('F.col("w").getField("start")');
    expect(py(F.col("t").plus(F.interval(0, 1, 90_000_000)))).toBe('F.col("t") + F.expr("INTERVAL 1 DAYS 90 SECONDS")');
  });
});

describe("df.toPySpark() and query.toPySpark()", () => {
  it("exports a windowed aggregation with watermark, sink, trigger and checkpoint", async () => {
    const { spark } = session();
    spark.conf.set("spark.sql.shuffle.partitions", "4");
    const df = spark.readStream
      .format("rate")
      .option("rowsPerSecond", 10)
      .load()
      .withWatermark("timestamp", "10 seconds")
      .filter(F.col("value").mod(2).eq(0))
      .groupBy(F.window(F.col("timestamp"), "10 seconds", "5 seconds"), F.col("value").mod(3).as("bucket"))
      .agg(F.count("*").as("n"), F.avg("value"));
    const q = df.writeStream
      .format("console")
      .outputMode("update")
      .queryName("buckets")
      .option("checkpointLocation", "buckets-ckpt")
      .option("truncate", false)
      .trigger({ processingTime: "5 seconds" })
      .start();
    const script = keep("window_agg", q.toPySpark());
    await q.stop();
    expect(script).toContain('.config("spark.sql.shuffle.partitions", "4")');
    expect(script).toContain('.withWatermark("timestamp", "10 seconds")');
    expect(script).toContain('.filter((F.col("value") % 2) == 0)');
    expect(script).toContain('    .groupBy(\n        F.window(F.col("timestamp"), "10 seconds", "5 seconds"),\n        (F.col("value") % 3).alias("bucket"),\n    )');
    expect(script).toContain('.agg(F.count("*").alias("n"), F.avg(F.col("value")))');
    expect(script).toContain('.outputMode("update")');
    expect(script).toContain('.option("truncate", False)');
    expect(script).toContain('.option("checkpointLocation", os.path.join(args.checkpoint_root, "buckets-ckpt"))');
    expect(script).toContain('.trigger(processingTime="5 seconds")');
    expect(script).toContain("import os");
    expect(script).toMatch(/buckets_query\.awaitTermination\(\)\n$/);
  });

  it("writes a sink-less streaming DataFrame to the console; a static one with show()", () => {
    const { spark } = session();
    const s = keep("df_stream", spark.readStream.format("rate").load().groupBy("value").count().toPySpark());
    expect(s).toContain('.groupBy("value")\n    .count()\n    .writeStream\n    .format("console")\n    .outputMode("complete")');
    const st = keep("df_static", spark.createDataFrame([{ w: "a\"b", n: 1 }]).filter(F.col("n").gt(0)).toPySpark());
    expect(st).toContain('("a\\"b", 1),');
    expect(st).toContain(".show()");
  });

  it("maps triggers: once, availableNow, continuous, manual (a comment)", () => {
    const { spark } = session();
    const df = spark.readStream.format("rate").load();
    const spec = (t: Parameters<ReturnType<typeof df.writeStream.trigger>["trigger"]>[0]) => df.writeStream.format("console").trigger(t).describe();
    expect(queryToPySpark(spec({ once: true }))).toContain(".trigger(once=True)");
    expect(queryToPySpark(spec({ availableNow: true }))).toContain(".trigger(availableNow=True)");
    expect(queryToPySpark(spec({ continuous: "1 second" }))).toContain('.trigger(continuous="1 second")');
    const manual = keep("manual", queryToPySpark(spec({ manual: true })));
    expect(manual).toContain("Spark has no manual");
    expect(manual).not.toContain(".trigger(");
  });

  it("maps playground sources: socket url, events, MemoryStream, file sink folders", () => {
    const { spark } = session();
    const lines = spark.readStream.format("socket").option("url", "ws://127.0.0.1:9999").option("reconnect", "fail").load();
    const s1 = keep("socket_url", lines.writeStream.format("json").option("path", "out/words").describe() && queryToPySpark(lines.writeStream.format("json").option("path", "out/words").describe()));
    expect(s1).toContain('.option("host", "127.0.0.1")');
    expect(s1).toContain('.option("port", 9999)');
    expect(s1).toContain("Playground-only options left out: url, reconnect");
    expect(s1).toContain('parser.add_argument("--output-out-words", dest="output_out_words", default="out/words"');
    expect(s1).toContain('.option("path", args.output_out_words)');
    expect(s1).toContain('.option("checkpointLocation", os.path.join(args.checkpoint_root, "query_1"))');
    const events = spark.readStream.format("events").option("keys", "a,b").option("seed", 3).load();
    const s2 = keep("events", events.toPySpark());
    expect(s2).toContain("element_at(array('a', 'b'), CAST(floor(rand(5) * 2) AS INT) + 1) AS key");
    expect(s2).toContain('.format("rate")');
    const input = new MemoryStream(spark, { value: "long" });
    const s3 = keep("memory_stream", input.toDF().toPySpark());
    expect(s3).toContain('.schema("value bigint")');
    expect(s3).toMatch(/\.json\(args\.input_memory_stream[\w]*\)/);
  });

  it("foreachBatch becomes a Python function to fill in, with the JavaScript shown", () => {
    const { spark } = session();
    const spec = spark.readStream
      .format("rate")
      .load()
      .writeStream.foreachBatch(async (batch, id) => {
        console.log(id, "*/\"", await batch.count());
      })
      .describe();
    const s = keep("foreach_batch", queryToPySpark(spec));
    expect(s).toContain("# TODO(export): the playground ran this JavaScript foreachBatch function");
    expect(s).toContain("def process_batch(batch_df, batch_id):");
    expect(s).toContain(".foreachBatch(process_batch)");
  });

  it("joins: USING columns, qualified ambiguous names, unions", () => {
    const { spark } = session();
    const a = spark.readStream.format("rate").load();
    const users = spark.createDataFrame([{ value: 1, name: "x" }]);
    const s1 = keep("join_using", a.join(users, "value", "left_outer").toPySpark());
    expect(s1).toContain('.join(static_df, ["value"], "left_outer")');
    const s2 = keep("join_cond", a.join(users, a.col("value").eq(users.col("value")), "inner").toPySpark());
    expect(s2).toContain('.join(static_df, rate["value"] == static_df["value"], "inner")');
    const s3 = keep("union", a.union(spark.readStream.format("rate").option("rowsPerSecond", 2).load()).toPySpark());
    expect(s3).toContain(".union(rate_2)");
  });

  it("deduplication and unknown plan nodes", () => {
    const { spark } = session();
    const base = spark.readStream.format("rate").load().withWatermark("timestamp", "1 minute");
    const dd = new DataFrame(spark, deduplicate(base.plan, ["value"], true));
    expect(keep("dedup", dd.toPySpark())).toContain('.dropDuplicatesWithinWatermark(["value"])');
    const mystery = { kind: "mystery", child: base.plan, output: base.plan.output, isStreaming: true } as unknown as LogicalPlan;
    const s = keep("unknown", new DataFrame(spark, mystery).toPySpark());
    expect(s).toContain("# not exported: mystery");
  });

  it("selectExpr and string filters go through the plan (SQL frontend)", () => {
    const { spark } = session();
    const s = keep("sql", spark.readStream.format("rate").load().selectExpr("value * 2 AS doubled", "timestamp").filter("doubled > 10").toPySpark());
    expect(s).toContain('(F.col("value") * 2).alias("doubled")');
    expect(s).toContain('.filter(F.col("doubled") > 10)');
  });
});

describe("DStream lambdas", () => {
  it("translates the simple shapes", () => {
    expect(jsFunctionToPythonLambda('(line) => line.split(" ")')).toBe('lambda line: line.split(" ")');
    expect(jsFunctionToPythonLambda("w => [w, 1]")).toBe("lambda w: (w, 1)");
    expect(jsFunctionToPythonLambda("(a, b) => a + b")).toBe("lambda a, b: a + b");
    expect(jsFunctionToPythonLambda("([w, c]) => c > 1 && w !== ''")).toBe('lambda kv: (kv[1] > 1) and (kv[0] != "")');
    expect(jsFunctionToPythonLambda("function (a, b) { return Math.max(a, b); }")).toBe("lambda a, b: max(a, b)");
    expect(jsFunctionToPythonLambda("(s) => s.toLowerCase().trim().length")).toBe("lambda s: len(s.lower().strip())");
  });
  it("refuses anything else", () => {
    expect(jsFunctionToPythonLambda("(x) => { const y = x; return y; }")).toBeNull();
    expect(jsFunctionToPythonLambda("(x) => x.split(/\\s+/)")).toBeNull();
    expect(jsFunctionToPythonLambda("(x) => total + x")).toBeNull();
    expect(jsFunctionToPythonLambda("(x) => `${x}`")).toBeNull();
  });
});

describe("exportNotebookToPySpark", () => {
  it("records queries without running them, keeps confs and cell order, survives errors", async () => {
    const script = keep(
      "notebook",
      await exportNotebookToPySpark([
        { kind: "markdown", source: "# My notebook\n\ntext" },
        { kind: "code", source: 'spark.conf.set("spark.sql.shuffle.partitions", 8);\nconst rates = spark.readStream.format("rate").load();' },
        { kind: "code", source: 'const q = rates.writeStream.format("memory").queryName("r").trigger({ manual: true }).start();\nawait q.processAllAvailable();\nawait new Promise((r) => setTimeout(r, 60000));' },
        { kind: "code", source: "const broken = (;" },
        { kind: "code", source: 'throw new Error("boom\\n# not a comment");' },
      ]),
    );
    expect(script).toContain('.config("spark.sql.shuffle.partitions", "8")');
    expect(script).toContain("## My notebook");
    expect(script).toContain("Spark has no manual");
    expect(script).toContain("# %% Cell 4\n# During the export this cell stopped with SyntaxError");
    expect(script).toContain("# During the export this cell stopped with Error: boom\n# # not a comment;");
    expect(script).toMatch(/r_query\.awaitTermination\(\)\n$/);
  });

  it("exports DStream programs, with TODO stubs for functions it cannot translate", async () => {
    const script = keep(
      "dstreams",
      await exportNotebookToPySpark([
        {
          kind: "code",
          source: `const sc = new SparkContext("local[2]", "W");
const ssc = new StreamingContext(sc, 1);
ssc.checkpoint("ck");
const q = ssc.queueStream([[1, 2], sc.parallelize([3, 4], 2)]);
const pairs = q.map((x) => [x % 2, x]);
pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, "30 seconds", 10).pprint(5);
pairs.updateStateByKey((vs: number[], s?: number) => vs.reduce((a, b) => a + b, s ?? 0)).pprint();
ssc.start();
await ssc.awaitTermination();`,
        },
      ]),
    );
    expect(script).toContain('ssc = StreamingContext(sc, 1)');
    expect(script).toContain('ssc.checkpoint(os.path.join(args.checkpoint_root, "ck"))');
    expect(script).toContain("ssc.queueStream([[1, 2], sc.parallelize([3, 4], 2)])");
    expect(script).toContain("stream_2 = stream.map(lambda x: (x % 2, x))\nstream_2.reduceByKeyAndWindow(lambda a, b: a + b, lambda a, b: a - b, 30, 10).pprint(5)");
    expect(script).toContain("# TODO(export): translate this JavaScript function (passed to updateStateByKey) to Python:");
    expect(script).toContain("stream_2.updateStateByKey(todo_update_state_by_key_fn_1).pprint()");
    expect(script).toMatch(/ssc\.start\(\)\n\nssc\.awaitTermination\(\)\n$/);
  });
});

describe("exportNotebookToPySpark and memory tables", () => {
  it("lets later cells read a captured memory sink's (empty) table", async () => {
    const script = keep(
      "memory_table",
      await exportNotebookToPySpark([
        { kind: "code", source: 'spark.readStream.format("rate").load().writeStream.format("memory").queryName("t").start();' },
        { kind: "code", source: 'await display(spark.table("t"));\nawait spark.sql("SELECT count(*) FROM t").show();' },
      ]),
    );
    expect(script).not.toContain("stopped with");
    expect(script).toContain('t = spark.table("t")\n\nt.show()');
  });
});

describe("mixed notebooks", () => {
  it("a DStream cell next to a structured query shares the session's SparkContext", async () => {
    const script = keep(
      "mixed",
      await exportNotebookToPySpark([
        { kind: "code", source: 'spark.readStream.format("rate").load().writeStream.format("console").start();' },
        {
          kind: "code",
          source: 'const ssc = new StreamingContext(new SparkContext("local[2]", "M"), "2 seconds");\nssc.textFileStream("in/logs").filter((l) => l.includes("ERROR")).count().pprint();\nssc.start();',
        },
      ]),
    );
    expect(script).toContain("sc = spark.sparkContext");
    expect(script).toContain('ssc = StreamingContext(sc, 2)');
    expect(script).toContain('lines = ssc.textFileStream(args.input_in_logs)');
    expect(script).toContain('lines.filter(lambda l: "ERROR" in l).count().pprint()');
    expect(script).toMatch(/query\.awaitTermination\(\)\nssc\.awaitTermination\(\)\n$/);
  });
});

describe("export side effects", () => {
  it("never writes to the notebook's file system", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/a.json", '{"v": 1}\n');
    const script = keep(
      "overlay",
      await exportNotebookToPySpark(
        [
          {
            kind: "code",
            source: `await spark.fileSystem.writeText("in/b.json", '{"v": 2}\\n');
await spark.fileSystem.delete("in/a.json");
spark.conf.set("spark.sql.streaming.schemaInference", "true");
spark.readStream.format("json").load("in").writeStream.format("console").start();`,
          },
        ],
        { fileSystem: fs },
      ),
    );
    expect(script).toContain('.schema("v bigint")');
    expect((await fs.list("in")).map((f) => f.path)).toEqual(["in/a.json"]);
  });
});

describe("py_compile", () => {
  afterAll(() => undefined);
  it.skipIf(!hasPython3)(hasPython3 ? "every script above passes python3 -m py_compile" : "SKIPPED: python3 is not installed", () => {
    expect(Object.keys(scripts).length).toBeGreaterThan(10);
    expect(pyCompile(scripts)).toEqual([]);
  });
  it.skipIf(!hasPython3)(hasPython3 ? "every script above runs on a PySpark stand-in (names and keywords checked)" : "SKIPPED: python3 is not installed (mock PySpark run)", () => {
    expect(runWithMockPySpark(scripts)).toEqual([]);
  });
});
