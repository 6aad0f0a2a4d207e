/**
 * Engine-core unit tests (the engine author's own): the vertical slice the app
 * relies on (rate → select/filter → memory/console, default trigger loop,
 * listeners incl. onQueryBatchOutput), triggers on a ManualClock, restart from
 * an in-memory checkpoint, and small pure helpers. No sleeps: ManualClock, the
 * manual trigger and processAllAvailable.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  F,
  ManualClock,
  MemoryStream,
  SparkSession,
  durationToMs,
  type QueryBatchOutputEvent,
  type StreamingQueryListener,
} from "../index";
import { valueAtSecond } from "../sources/RateSource";
import { windowStart } from "../expressions/compile";
import { MemoryStateStoreProvider } from "../state/MemoryStateStoreProvider";
import { TypedSourceColumn } from "../execution/TypedSourceColumn";
import { optimize } from "../plan/optimizer";
import { planChildren, type LogicalPlan } from "../plan/LogicalPlan";

const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
});

function session(startMs = 0) {
  const clock = new ManualClock(startMs);
  const out: string[] = [];
  const spark = SparkSession.builder()
    .appName("core")
    .clock(clock)
    .output((t) => void out.push(t))
    .getOrCreate();
  sessions.push(spark);
  return { spark, clock, out };
}

describe("vertical slice", () => {
  it("rate → withColumn/filter → memory sink on the default trigger loop", async () => {
    const { spark, clock } = session();
    const df = spark.readStream
      .format("rate")
      .option("rowsPerSecond", 10)
      .load()
      .withColumn("double", F.col("value").multiply(2))
      .filter(F.col("value").mod(2).eq(0));
    const q = df.writeStream.format("memory").queryName("evens").outputMode("append").start();
    expect(spark.streams.active.map((x) => x.id)).toEqual([q.id]);
    clock.advance(1000);
    await q.processAllAvailable();
    const rows = await spark.table("evens").collect();
    expect(rows.map((r) => r.value)).toEqual([0, 2, 4, 6, 8]);
    expect(rows.map((r) => r.double)).toEqual([0, 4, 8, 12, 16]);
    expect(rows[1]?.timestamp).toEqual(new Date(200));
    await q.stop();
    expect(q.isActive).toBe(false);
    expect(spark.streams.active).toEqual([]);
  });

  it("listeners get started/progress/batch-output/terminated events with the documented shapes", async () => {
    const { spark, clock } = session();
    const events: string[] = [];
    const outputs: QueryBatchOutputEvent[] = [];
    const listener: StreamingQueryListener = {
      onQueryStarted: (e) => void events.push(`started ${e.name}`),
      onQueryProgress: (e) => void events.push(`progress ${e.progress.batchId}`),
      onQueryBatchOutput: (e) => {
        outputs.push(e);
        events.push(`output ${e.batchId}`);
      },
      onQueryTerminated: (e) => void events.push(`terminated ${String(e.exception)}`),
    };
    spark.streams.addListener(listener);
    const df = spark.readStream
      .format("rate")
      .option("rowsPerSecond", 2)
      .load()
      .withColumn("eventTime", F.col("timestamp"))
      .withWatermark("eventTime", "0 seconds")
      .groupBy(F.window(F.col("eventTime"), "1 second"))
      .agg(F.count("*").as("n"));
    const q = df.writeStream.format("console").queryName("w").outputMode("update").trigger({ manual: true }).start();
    clock.advance(1000);
    await q.processAllAvailable();
    await q.stop();
    expect(events).toEqual(["started w", "output 0", "progress 0", "output 1", "progress 1", "terminated null"]);
    const first = outputs[0] as QueryBatchOutputEvent;
    expect(first).toMatchObject({ id: q.id, runId: q.runId, name: "w", batchId: 0, outputMode: "update", sink: "console" });
    expect(first.schema).toEqual([
      { name: "window", type: "struct<start:timestamp,end:timestamp>", nullable: false },
      { name: "n", type: "long", nullable: false },
    ]);
    expect(first.rows).toEqual([{ window: { start: new Date(0), end: new Date(1000) }, n: 2 }]);
  });

  it("collect() on a streaming DataFrame fails with Spark's message", async () => {
    const { spark } = session();
    const df = spark.readStream.format("rate").load();
    await expect(df.collect()).rejects.toThrow("Queries with streaming sources must be executed with writeStream.start()");
  });

  it("spark.stop() stops every query", async () => {
    const { spark } = session();
    const input = new MemoryStream(spark, { value: "long" });
    const a = input.toDF().writeStream.format("memory").queryName("a").start();
    const b = input.toDF().writeStream.format("memory").queryName("b").trigger({ manual: true }).start();
    await spark.stop();
    expect(a.isActive || b.isActive).toBe(false);
    sessions.splice(sessions.indexOf(spark), 1);
  });
});

describe("triggers on a ManualClock", () => {
  it("processingTime runs at multiples of the interval", async () => {
    const { spark, clock } = session();
    const input = new MemoryStream(spark);
    const batches: number[] = [];
    const q = input
      .toDF()
      .writeStream.trigger({ processingTime: "10 seconds" })
      .foreachBatch(async (df, id) => {
        batches.push(id * 100 + (await df.count()));
      })
      .start();
    input.addData(1, 2);
    await q.processAllAvailable();
    expect(batches).toEqual([2]);
    input.addData(3);
    clock.advance(10_000);
    await q.processAllAvailable();
    expect(batches).toEqual([2, 101]);
    await q.stop();
  });

  it("once runs one batch and stops; availableNow drains then stops", async () => {
    const { spark } = session();
    const input = new MemoryStream(spark);
    input.addData(1, 2, 3);
    const once = input.toDF().writeStream.format("memory").queryName("once").trigger({ once: true }).start();
    await once.awaitTermination();
    expect(await spark.table("once").count()).toBe(3);
    const an = input.toDF().writeStream.format("memory").queryName("an").trigger({ availableNow: true }).start();
    await an.awaitTermination();
    expect(await spark.table("an").count()).toBe(3);
    expect(an.isActive).toBe(false);
  });
});

describe("restart from a checkpoint", () => {
  it("re-runs a batch that failed before its commit with the same offsets, and keeps state", async () => {
    const { spark } = session();
    const input = new MemoryStream(spark);
    const counts = input.toDF().groupBy("value").count();
    let fail = false;
    const seen: [number, number][] = [];
    const start = () =>
      counts.writeStream
        .outputMode("update")
        .trigger({ manual: true })
        .option("checkpointLocation", "core-restart")
        .foreachBatch(async (df, id) => {
          if (fail) throw new Error("sink down");
          for (const r of await df.collect()) seen.push([id, r.count as number]);
        })
        .start();
    let q = start();
    input.addData(1, 1);
    await q.processAllAvailable();
    fail = true;
    input.addData(1);
    await expect(q.processAllAvailable()).rejects.toThrow("sink down");
    expect(q.exception?.message).toContain("terminated with exception: sink down");
    fail = false;
    input.addData(1); // arrives after the failed batch was planned: not part of its re-run
    q = start();
    await q.step(); // re-run of batch 1, same offsets
    await q.processAllAvailable();
    expect(seen).toEqual([
      [0, 2],
      [1, 3],
      [2, 4],
    ]);
    await q.stop();
  });
});

describe("helpers", () => {
  it("durations: Spark interval strings, clear errors", () => {
    expect(durationToMs("10 seconds")).toBe(10_000);
    expect(durationToMs("1 minute")).toBe(60_000);
    expect(durationToMs("2 hours 30 minutes")).toBe(9_000_000);
    expect(durationToMs("interval 5 minutes")).toBe(300_000);
    expect(durationToMs("1 day")).toBe(86_400_000);
    expect(durationToMs("500 ms")).toBe(500);
    expect(durationToMs("4s")).toBe(4000);
    expect(() => durationToMs("10 minuts")).toThrow("10 minuts");
  });

  it("window starts are floor-aligned for negative times", () => {
    expect(windowStart(2000, 10_000, 5000)).toBe(-5000);
    expect(windowStart(-1, 10_000, 0)).toBe(-10_000);
    expect(windowStart(10_000, 10_000, 0)).toBe(10_000);
  });

  it("rate valueAtSecond follows Spark's ramp-up", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((s) => valueAtSecond(s, 10, 4))).toEqual([0, 2, 6, 12, 20, 30, 40]);
  });

  it("state store versions: commit makes version+1, abort drops changes", async () => {
    const p = new MemoryStateStoreProvider<number>();
    const s0 = await p.getStore(0);
    s0.put(["a"], 1);
    expect(await s0.commit()).toBe(1);
    const s1 = await p.getStore(1);
    s1.put(["a"], 2);
    s1.abort();
    expect((await p.getStore(1)).get(["a"])).toBe(1);
    await expect(p.getStore(5)).rejects.toThrow("version 5");
  });

  it("approxCountDistinct is close to the exact count; countDistinct is exact on static data", async () => {
    const { spark } = session();
    const rows = Array.from({ length: 2000 }, (_, i) => ({ v: i % 700 }));
    const df = spark.createDataFrame(rows, { v: "long" });
    const [r] = await df.agg(F.approxCountDistinct("v").as("a"), F.countDistinct("v").as("d")).collect();
    expect(r?.d).toBe(700);
    expect(Math.abs((r?.a as number) - 700) / 700).toBeLessThan(0.1);
  });
});

describe("optimizer and explain", () => {
  it("pushes filters below projections, folds constants, prunes unused columns; results unchanged", async () => {
    const { spark, out } = session();
    const df = spark
      .createDataFrame(
        Array.from({ length: 20 }, (_, i) => ({ v: i })),
        { v: "long" },
      )
      .withColumn("w", F.col("v").multiply(F.lit(2).plus(3)))
      .withColumn("unused", F.col("v").plus(100))
      .filter(F.col("w").gt(40).and(F.lit(true)))
      .select(F.col("v"), F.col("w"));
    df.explain(true);
    const text = out.join("");
    const optimized = text.slice(text.indexOf("== Optimized Logical Plan =="), text.indexOf("== Physical Plan =="));
    expect(optimized).toContain("Filter ((v#");
    expect(optimized).toContain("* 5) > 40)");
    expect(optimized).not.toContain("unused");
    expect(text).toContain("== Physical Plan ==");
    expect((await df.collect()).map((r) => r.v)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("a stream-static join carries only the columns read above it (and its condition's); an outer join still pads with nulls", async () => {
    const { spark, out } = session();
    const input = new MemoryStream(spark, { eventTime: "timestamp", key: "int", value: "int", note: "string" });
    const campaigns = spark.createDataFrame(
      [
        { key: 1, campaign: 7, label: "a" },
        { key: 2, campaign: 8, label: "b" },
      ],
      { key: "int", campaign: "int", label: "string" },
    );
    const joined = input.toDF().filter(F.col("value").eq(0)).join(campaigns, "key", "left_outer");
    const counts = joined.groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("campaign")).count();
    counts.explain(true);
    const text = out.join("");
    const optimized = text.slice(text.indexOf("== Optimized Logical Plan =="), text.indexOf("== Physical Plan =="));
    // note and label are read by nothing: each side is projected to what the join and the aggregation read.
    expect(optimized).toMatch(/Join LeftOuter[^\n]*\n\s*:- Project \[eventTime#\d+, key#\d+\]\n/);
    expect(optimized).toMatch(/\+- Project \[key#\d+, campaign#\d+\]\n\s*\+- LocalRelation/);
    const q = counts.writeStream.format("memory").queryName("perCampaign").outputMode("complete").trigger({ manual: true }).start();
    input.addData(
      { eventTime: 1000, key: 1, value: 0, note: "x" },
      { eventTime: 2000, key: 2, value: 0, note: "y" },
      { eventTime: 3000, key: 1, value: 5, note: "z" },
      { eventTime: 4000, key: 3, value: 0, note: "w" },
    );
    await q.processAllAvailable();
    const rows = (await spark.table("perCampaign").collect()).map((r) => [r.campaign, r.count]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      [7, 1],
      [8, 1],
      [null, 1],
    ]);
  });

  it("pruning a self-join keeps each side's columns in place", async () => {
    const { spark } = session();
    const df = spark.createDataFrame(
      [
        { a: 1, b: 10 },
        { a: 2, b: 20 },
      ],
      { a: "long", b: "long" },
    );
    const pairs = df.join(df.select("b")).select("a");
    expect(pairs.columns).toEqual(["a"]);
    // The optimized join lists one column per column it emits: a from the left, a placeholder b from the right.
    const findJoin = (p: LogicalPlan): LogicalPlan | null => (p.kind === "join" ? p : planChildren(p).map(findJoin).find((x) => x !== null) ?? null);
    const joinNode = findJoin(optimize(pairs.plan));
    expect(joinNode?.output.map((a) => a.name)).toEqual(["a", "b"]);
    expect((await pairs.collect()).map((r) => r.a).sort()).toEqual([1, 1, 2, 2]);
    const semi = df.join(df.select(F.col("a").as("a2")), F.col("a").eq(F.col("a2")), "left_semi").select("b");
    expect((await semi.collect()).map((r) => r.b).sort()).toEqual([10, 20]);
  });

  it("sliding-window aggregation through panes gives the same answer as row expansion", async () => {
    const { spark } = session();
    const rows = Array.from({ length: 300 }, (_, i) => ({ t: (i * 7919) % 1000, k: i % 3, v: i }));
    const df = spark.createDataFrame(rows, { t: "long", k: "long", v: "long" }).withColumn("ts", F.col("t").cast("timestamp"));
    const grouped = df.groupBy(F.window(F.col("ts"), "10 seconds", "4 seconds", "1 second"), F.col("k"));
    // count/sum/max run on panes; collectList forces the row-expansion path.
    const viaPanes = await grouped.agg(F.count("*").as("n"), F.sum("v").as("s"), F.max("v").as("m")).collect();
    const viaRows = await grouped.agg(F.count("*").as("n"), F.sum("v").as("s"), F.max("v").as("m"), F.collectList("v").as("l")).collect();
    const key = (r: Record<string, unknown>) => `${(r.window as { start: Date }).start.getTime()}/${String(r.k)}`;
    const a = new Map(viaPanes.map((r) => [key(r), [r.n, r.s, r.m]]));
    const b = new Map(viaRows.map((r) => [key(r), [r.n, r.s, r.m]]));
    expect(a.size).toBeGreaterThan(100);
    expect(a).toEqual(b);
  });
});

describe("analysis errors, before any batch runs", () => {
  it("output modes: Spark's messages for unsupported combinations", () => {
    const { spark } = session();
    const input = new MemoryStream(spark);
    const agg = input.toDF().groupBy("value").count();
    expect(() => agg.writeStream.outputMode("append").start()).toThrow("without watermark");
    expect(() => input.toDF().writeStream.outputMode("complete").start()).toThrow(
      "Complete output mode not supported when there are no streaming aggregations",
    );
    expect(() => input.toDF().orderBy("value").writeStream.start()).toThrow("Sorting is not supported on streaming DataFrames/Datasets");
    expect(() => agg.orderBy("count").writeStream.outputMode("update").start()).toThrow("Sorting is not supported");
    expect(() => input.toDF().agg(F.countDistinct("value")).writeStream.outputMode("complete").start()).toThrow(
      "Distinct aggregations are not supported on streaming DataFrames/Datasets",
    );
    expect(() => input.toDF().writeStream.outputMode("sideways")).toThrow("Unknown output mode sideways");
    expect(spark.streams.active).toEqual([]);
  });

  it("bad durations, columns, types, formats and options name the problem", () => {
    const { spark } = session();
    const df = spark.readStream.format("rate").load();
    expect(() => F.window(F.col("timestamp"), "10 minuts")).toThrow("10 minuts");
    expect(() => df.withWatermark("timestamp", "ten seconds")).toThrow("ten seconds");
    expect(() => df.select(F.col("valeu"))).toThrow("`valeu` cannot be resolved");
    expect(() => df.select(F.col("value").plus(F.col("timestamp").cast("string")))).toThrow("DATATYPE_MISMATCH");
    expect(() => df.withWatermark("value", "1 second")).toThrow("value");
    expect(() => spark.readStream.format("nope").load()).toThrow("Failed to find the data source: nope");
    expect(() => spark.readStream.format("rate").option("rowsPerSecond", -1).load()).toThrow(
      "Invalid value '-1'. The option 'rowsPerSecond' must be positive",
    );
    expect(() => spark.readStream.format("rate").option("rampUpTime", "-5s").load()).toThrow("rampUpTime");
    expect(() => df.writeStream.format("memory").start()).toThrow("queryName must be specified for memory sink");
  });
});

describe("sources and sinks", () => {
  it("events: deterministic for a seed, out of order, with the requested late fraction", async () => {
    const { spark, clock } = session(1_000_000);
    const read = () =>
      spark.readStream
        .format("events")
        .options({ eventsPerSecond: 200, keys: 3, maxDelay: "2 seconds", lateFraction: 0.25, lateness: "1 minute", seed: 7 })
        .load();
    const collect = async (name: string) => {
      const q = read().writeStream.format("memory").queryName(name).trigger({ manual: true }).start();
      clock.advance(5000);
      await q.processAllAvailable();
      await q.stop();
      return spark.table(name).collect();
    };
    const a = await collect("ev1");
    expect(a.length).toBe(1000);
    const lates = a.filter((r) => (r.arrivalTime as Date).getTime() - (r.eventTime as Date).getTime() >= 60_000).length;
    expect(lates / a.length).toBeGreaterThan(0.18);
    expect(lates / a.length).toBeLessThan(0.32);
    expect(new Set(a.map((r) => r.key))).toEqual(new Set(["k0", "k1", "k2"]));
    const outOfOrder = a.some((r, i) => i > 0 && (r.eventTime as Date) < (a[i - 1]?.eventTime as Date));
    expect(outOfOrder).toBe(true);
    const { spark: spark2, clock: clock2 } = session(1_000_000);
    const q2 = spark2.readStream
      .format("events")
      .options({ eventsPerSecond: 200, keys: 3, maxDelay: "2 seconds", lateFraction: 0.25, lateness: "1 minute", seed: 7 })
      .load()
      .writeStream.format("memory")
      .queryName("ev2")
      .trigger({ manual: true })
      .start();
    clock2.advance(5000);
    await q2.processAllAvailable();
    expect(await spark2.table("ev2").collect()).toEqual(a);
  });

  it("console sink honours numRows and truncate=false", async () => {
    const { spark, out } = session();
    const input = new MemoryStream(spark, { s: "string" });
    const q = input.toDF().writeStream.format("console").option("numRows", 1).option("truncate", false).trigger({ manual: true }).start();
    input.addData({ s: "a rather long string that is longer than twenty characters" }, { s: "b" });
    await q.processAllAvailable();
    expect(out.join("")).toBe(
      [
        "-------------------------------------------",
        "Batch: 0",
        "-------------------------------------------",
        "+----------------------------------------------------------+",
        "|s                                                         |",
        "+----------------------------------------------------------+",
        "|a rather long string that is longer than twenty characters|",
        "+----------------------------------------------------------+",
        "only showing top 1 row",
        "",
        "",
      ].join("\n"),
    );
  });

  it("onQueryIdle fires after noDataProgressEventInterval without batches", async () => {
    const { spark, clock } = session();
    spark.conf.set("spark.sql.streaming.noDataProgressEventInterval", "10000ms");
    const idles: string[] = [];
    spark.streams.addListener({ onQueryIdle: (e) => void idles.push(e.timestamp) });
    const input = new MemoryStream(spark);
    const q = input.toDF().writeStream.format("memory").queryName("idle").trigger({ manual: true }).start();
    await q.step();
    clock.advance(5000);
    await q.step();
    expect(idles).toEqual([]);
    clock.advance(5000);
    await q.step();
    expect(idles).toEqual(["1970-01-01T00:00:10.000Z"]);
  });
});

describe("streaming limit", () => {
  it("append mode: at most n rows over the whole query (state survives batches); update mode rejected", async () => {
    const { spark } = session();
    const input = new MemoryStream(spark);
    const q = input.toDF().limit(3).writeStream.format("memory").queryName("lim").trigger({ manual: true }).start();
    input.addData(1, 2);
    await q.processAllAvailable();
    input.addData(3, 4, 5);
    await q.processAllAvailable();
    input.addData(6);
    await q.processAllAvailable();
    expect((await spark.table("lim").collect()).map((r) => r.value)).toEqual([1, 2, 3]);
    expect(q.lastProgress?.stateOperators[0]?.operatorName).toBe("globalLimit");
    expect(() => input.toDF().limit(1).writeStream.outputMode("update").start()).toThrow(
      "Limits are not supported on streaming DataFrames/Datasets in Update output mode",
    );
  });
});

describe("MemoryStream.addColumns (columnar ingest)", () => {
  it("takes typed arrays per column; timestamps are epoch ms", async () => {
    const { spark } = session();
    const input = new MemoryStream(spark, { eventTime: "timestamp", key: "int", name: "string" });
    const q = input.toDF().writeStream.format("memory").queryName("cols").trigger({ manual: true }).start();
    input.addColumns({ eventTime: new Float64Array([1000, 2000]), key: new Int32Array([7, 8]), name: ["a", null] });
    await q.processAllAvailable();
    expect(await spark.table("cols").collect()).toEqual([
      { eventTime: new Date(1000), key: 7, name: "a" },
      { eventTime: new Date(2000), key: 8, name: null },
    ]);
    expect(() => input.addColumns({ eventTime: new Float64Array(2), key: new Int32Array(3) })).toThrow("different lengths");
  });

  it("keeps typed arrays as given: every query run and a restart read the same rows", async () => {
    const { spark } = session();
    const input = new MemoryStream(spark, { t: "long", k: "int", big: "long" });
    input.addColumns({ t: new Float64Array([1, 2]), k: new Uint8Array([200, 3]), big: new BigInt64Array([5n, 6n]) });
    input.addColumns({ t: new Float32Array([3.5]), k: new Int16Array([-4]), big: [7] });
    const run = async (name: string) => {
      const q = input.toDF().writeStream.format("memory").queryName(name).trigger({ manual: true }).start();
      await q.processAllAvailable();
      await q.stop();
      return spark.table(name).collect();
    };
    const expected = [
      { t: 1, k: 200, big: 5 },
      { t: 2, k: 3, big: 6 },
      { t: 3.5, k: -4, big: 7 },
    ];
    expect(await run("first")).toEqual(expected);
    expect(await run("second")).toEqual(expected);
  });

  it("a filter on a narrow column and a windowed count by one read the source arrays without converting them", async () => {
    const converts = vi.spyOn(TypedSourceColumn.prototype, "values", "get");
    try {
      const { spark } = session();
      const input = new MemoryStream(spark, { eventTime: "timestamp", key: "int", value: "int" });
      const filtered = input.toDF().filter(F.col("value").eq(0)).writeStream.format("memory").queryName("zeros").trigger({ manual: true }).start();
      const counts = input
        .toDF()
        .withWatermark("eventTime", "1 second")
        .groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key"))
        .count()
        .writeStream.format("memory")
        .queryName("perKey")
        .outputMode("append")
        .trigger({ manual: true })
        .start();
      // Two batches with a group per row: the first goes through partial aggregation, the second straight to the state.
      input.addColumns({ eventTime: Float64Array.from([1000, 2000, 3000]), key: Int32Array.from([1, 2, 3]), value: Int8Array.from([0, 5, 0]) });
      for (const q of [filtered, counts]) await q.processAllAvailable();
      input.addColumns({ eventTime: Float64Array.from([4000, 5000, 30_000]), key: Int32Array.from([1, 4, 5]), value: Int8Array.from([1, 0, 0]) });
      for (const q of [filtered, counts]) await q.processAllAvailable();
      expect((await spark.table("zeros").collect()).map((r) => r.key)).toEqual([1, 3, 4, 5]);
      const rows = (await spark.table("perKey").collect()).map((r) => [r.key, r.count]);
      expect(rows.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
        [1, 2],
        [2, 1],
        [3, 1],
        [4, 1],
      ]);
      expect(converts).not.toHaveBeenCalled();
    } finally {
      converts.mockRestore();
    }
  });

  it("a stream-static join on a narrow key column probes and gathers from the source arrays", async () => {
    const converts = vi.spyOn(TypedSourceColumn.prototype, "values", "get");
    try {
      const { spark } = session();
      const input = new MemoryStream(spark, { key: "int", value: "int" });
      const names = spark.createDataFrame(
        [
          { key: 1, attr: 10 },
          { key: 2, attr: 20 },
          { key: 2, attr: 21 },
        ],
        { key: "int", attr: "int" },
      );
      const q = input.toDF().join(names, "key", "inner").writeStream.format("memory").queryName("joined").trigger({ manual: true }).start();
      input.addColumns({ key: Int32Array.from([2, 3, 1, 2]), value: Int16Array.from([-1, -2, -3, -4]) });
      await q.processAllAvailable();
      const rows = (await spark.table("joined").collect()).map((r) => [r.key, r.value, r.attr]);
      expect(rows).toEqual([
        [2, -1, 20],
        [2, -1, 21],
        [1, -3, 10],
        [2, -4, 20],
        [2, -4, 21],
      ]);
      expect(converts).not.toHaveBeenCalled();
    } finally {
      converts.mockRestore();
    }
  });
});

describe("static aggregation details", () => {
  it("countDistinct over several columns counts distinct non-null tuples", async () => {
    const { spark } = session();
    const df = spark.createDataFrame(
      [
        { a: 1, b: "x" },
        { a: 1, b: "x" },
        { a: 1, b: "y" },
        { a: null, b: "y" },
        { a: 2, b: null },
      ],
      { a: "long", b: "string" },
    );
    const [r] = await df.agg(F.countDistinct("a", "b").as("n"), F.countDistinct("a").as("na")).collect();
    expect(r).toEqual({ n: 2, na: 2 });
  });
});

describe("expression evaluation", () => {
  it("typed-array fast paths and the generic path agree, nulls included", async () => {
    const { spark } = session();
    const withNulls = spark.createDataFrame([{ a: 1, b: 2 }, { a: null, b: 3 }, { a: 4, b: null }], { a: "long", b: "long" });
    const noNulls = spark.createDataFrame([{ a: 1, b: 2 }, { a: 5, b: 3 }], { a: "long", b: "long" });
    const q = (df: typeof withNulls) =>
      df
        .select(
          F.col("a").plus(F.col("b")).as("s"),
          F.col("a").multiply(2).as("m"),
          F.lit(10).minus(F.col("a")).as("d"),
          F.col("a").gt(F.col("b")).as("g"),
          F.col("a").eq(4).as("e"),
          F.col("a").divide(0).as("z"),
        )
        .collect();
    expect(await q(withNulls)).toEqual([
      { s: 3, m: 2, d: 9, g: false, e: false, z: null },
      { s: null, m: null, d: null, g: null, e: null, z: null },
      { s: null, m: 8, d: 6, g: null, e: true, z: null },
    ]);
    expect(await q(noNulls)).toEqual([
      { s: 3, m: 2, d: 9, g: false, e: false, z: null },
      { s: 8, m: 10, d: 5, g: true, e: false, z: null },
    ]);
  });

  it("nested arithmetic over columns: computed operands on either side, a column read twice, the input left as it was", async () => {
    const { spark } = session();
    const df = spark.createDataFrame([{ a: 1, b: 2 }, { a: 5, b: 3 }], { a: "long", b: "long" });
    const rows = await df
      .select(
        F.col("a").multiply(2).plus(1).as("l"),
        F.lit(100).minus(F.col("b").multiply(F.col("b"))).as("r"),
        F.col("a").plus(F.col("b")).multiply(F.col("a").minus(F.col("b"))).as("both"),
        F.col("a").multiply(F.col("a")).minus(F.col("a")).as("twice"),
        F.col("a"),
        F.col("b"),
      )
      .collect();
    expect(rows).toEqual([
      { l: 3, r: 96, both: -3, twice: 0, a: 1, b: 2 },
      { l: 11, r: 91, both: 16, twice: 20, a: 5, b: 3 },
    ]);
  });
});

describe("source format registry", () => {
  it("socket is wired into readStream with its option checks; custom formats can register", async () => {
    const { spark } = session();
    expect(() => spark.readStream.format("socket").load()).toThrow('Set a host to read from with option("host", ...)');
    const df = spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load();
    expect(df.columns).toEqual(["value"]);
    const { registerStreamSource } = await import("../index");
    const { MemoryStreamSource } = await import("../sources/MemoryStream");
    const custom = new MemoryStreamSource({ n: "long" }, "custom");
    custom.addRows([{ n: 1 }, { n: 2 }]);
    registerStreamSource("custom-test", () => custom.descriptor());
    const q = spark.readStream.format("custom-test").load().writeStream.format("memory").queryName("cu").trigger({ manual: true }).start();
    await q.processAllAvailable();
    expect((await spark.table("cu").collect()).map((r) => r.n)).toEqual([1, 2]);
    expect(() => spark.readStream.format("rate").schema({ value: "long" }).load()).toThrow("does not support user-specified schema");
  });
});

describe("static DataFrame helpers", () => {
  it("distinct() on static data; on a stream it is deduplication (issue 4)", async () => {
    const { spark } = session();
    const df = spark.createDataFrame([{ a: 1 }, { a: 1 }, { a: 2 }], { a: "long" });
    expect((await df.distinct().collect()).map((r) => r.a).sort()).toEqual([1, 2]);
    const deduped = spark.readStream.format("rate").load().distinct();
    expect(deduped.isStreaming).toBe(true);
    expect(deduped.columns).toEqual(["timestamp", "value"]);
  });
});

describe("string, date and set functions", () => {
  it("substring, trim, like/rlike, split limit, concatWs, regexpReplace, date parts, collectSet, dropDuplicates(subset)", async () => {
    const { spark } = session();
    const df = spark.createDataFrame([{ s: "  hello world  ", t: 90_061 }], { s: "string", t: "long" });
    const [r] = await df
      .select(
        F.substring(F.trim("s"), 1, 5).as("a"),
        F.substring(F.trim("s"), -5).as("b"),
        F.trim("s").like("h_llo%").as("c"),
        F.trim("s").like("h\\%%").as("d"),
        F.trim("s").rlike("wor").as("e"),
        F.split(F.trim("s"), "o", 2).as("f"),
        F.concatWs("-", F.lit("x"), F.lit(null), F.split(F.lit("a b"), " ")).as("g"),
        F.regexpReplace(F.trim("s"), "(o)", "[$1]").as("h"),
        F.hour(F.col("t").cast("timestamp")).as("hh"),
        F.dayofmonth(F.col("t").cast("timestamp")).as("dd"),
        F.dateFormat(F.col("t").cast("timestamp"), "yyyy/MM/dd HH:mm:ss").as("df"),
        F.fromUnixtime(F.col("t")).as("fu"),
        F.col("t").cast("timestamp").plus(F.interval(1, 1, 1_000_000)).as("iv"),
      )
      .collect();
    expect(r).toEqual({
      a: "hello",
      b: "world",
      c: true,
      d: false,
      e: true,
      f: ["hell", " world"],
      g: "x-a-b",
      h: "hell[o] w[o]rld",
      hh: 1,
      dd: 2,
      df: "1970/01/02 01:01:01",
      fu: "1970-01-02 01:01:01",
      iv: new Date(Date.UTC(1970, 1, 3, 1, 1, 2)),
    });
    const g = spark.createDataFrame([{ k: 1, v: "a" }, { k: 1, v: "a" }, { k: 1, v: "b" }, { k: 2, v: "c" }], { k: "long", v: "string" });
    const [set] = await g.groupBy("k").agg(F.collectSet("v").as("vs")).orderBy("k").collect();
    expect(set).toEqual({ k: 1, vs: ["a", "b"] });
    expect(await g.dropDuplicates(["k"]).orderBy("k").collect()).toEqual([{ k: 1, v: "a" }, { k: 2, v: "c" }]);
  });
});
