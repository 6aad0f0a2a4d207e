/**
 * The watermark view's data: every row judged by the stateful operator's own rule,
 * and the dropped (key, window) groups worked out from the rows equal to Spark's
 * `numRowsDroppedByWatermark` batch after batch.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream, type DataFrame } from "../../index";
import { newSession, stopAllSessions, type StreamingQuery } from "../../test/streamTest";
import type { LateRowsBatch } from "./lateRows";
import { statusOf, windowsOf } from "./lateRows";

afterEach(stopAllSessions);

type Spark = ReturnType<typeof newSession>["spark"];

/** Starts `df` on the manual trigger and returns a stepper that collects each batch's trace. */
function start(df: DataFrame, mode: "append" | "update" | "complete") {
  const query: StreamingQuery = df.writeStream.format("memory").queryName(`late_${Math.random().toString(36).slice(2)}`).outputMode(mode).trigger({ manual: true }).start();
  expect(query.lateRows()).toBeNull(); // starts tracing; nothing ran yet
  const traces: LateRowsBatch[] = [];
  const step = async () => {
    await query.step();
    const t = query.lateRows();
    if (t) traces.push(t);
    return t;
  };
  return { query, traces, step };
}

function events(spark: Spark) {
  const input = new MemoryStream(spark, { t: "long", key: "string" });
  const df = input.toDF().withColumn("eventTime", F.col("t").cast("timestamp")).withWatermark("eventTime", "10 seconds");
  return { input, df };
}

describe("statusOf", () => {
  const tumbling = { kind: "window" as const, windowMs: 10_000, slideMs: 10_000, startMs: 0 };
  it("judges by the window end for windows, by the event time otherwise", () => {
    expect(statusOf(tumbling, 16_000, 15_000)).toBe("on-time");
    expect(statusOf(tumbling, 12_000, 15_000)).toBe("late-counted"); // behind, but [10, 20) is open
    expect(statusOf(tumbling, 9_000, 15_000)).toBe("dropped"); // [0, 10) ended
    expect(statusOf(tumbling, 10_000, 10_000)).toBe("late-counted"); // at the watermark is late; [10, 20) open
    expect(statusOf({ kind: "eventTime" }, 15_000, 15_000)).toBe("dropped");
    expect(statusOf({ kind: "none" }, 1_000, 15_000)).toBe("late-counted");
    expect(statusOf({ kind: "session" }, 11_000, 15_000, 16_000)).toBe("late-counted"); // its session ends after the watermark
    expect(statusOf({ kind: "session" }, 10_000, 15_000, 15_000)).toBe("dropped");
  });
  it("lists a sliding window's windows oldest first", () => {
    expect(windowsOf({ windowMs: 10_000, slideMs: 5_000, startMs: 0 }, 12_000)).toEqual([
      { start: 5_000, end: 15_000 },
      { start: 10_000, end: 20_000 },
    ]);
  });
});

describe("LateRowTracer", () => {
  it("tumbling windows: on time, late but counted, dropped; the dropped groups equal numRowsDroppedByWatermark", async () => {
    const { spark } = newSession();
    const { input, df } = events(spark);
    const counts = df.groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key")).count();
    const { step, query } = start(counts, "append");
    input.addData({ t: 30, key: "a" }, { t: 31, key: "b" });
    const b0 = await step();
    expect(b0?.counts).toEqual({ total: 2, onTime: 2, lateCounted: 0, dropped: 0 });
    expect(b0?.eventTimeColumn).toBe("eventTime");
    expect(b0?.rule).toEqual({ kind: "window", windowMs: 10_000, slideMs: 10_000, startMs: 0 });
    const b1 = await step(); // no-data batch with watermark 21 s: reads no rows, emits nothing yet
    expect(b1?.counts.total).toBe(0);
    expect(b1?.watermarkMs).toBe(21_000);
    await step(); // nothing to do
    expect(query.lateRows()?.batchId).toBe(1);
    // Rows are judged by the previous batch's watermark (21 s): 20 s is late but [20, 30) is open;
    // 5 s, 6 s (key a) and 7 s (key b) are dropped: two (key, window) groups; 40 s is on time.
    input.addData({ t: 20, key: "a" }, { t: 5, key: "a" }, { t: 6, key: "a" }, { t: 7, key: "b" }, { t: 40, key: "a" });
    const b2 = await step();
    expect(b2?.batchId).toBe(2);
    expect(b2?.lateEventsWatermarkMs).toBe(21_000);
    expect(b2?.counts).toEqual({ total: 5, onTime: 1, lateCounted: 1, dropped: 3 });
    expect(b2?.numRowsDroppedByWatermark).toBe(2);
    expect(b2?.expectedDroppedByWatermark).toBe(2);
    const byTime = new Map(b2?.points.map((p) => [p.eventTimeMs, p]));
    expect(byTime.get(20_000)?.status).toBe("late-counted");
    expect(byTime.get(20_000)?.windows).toEqual([{ start: 20_000, end: 30_000, joined: true }]);
    expect(byTime.get(5_000)?.status).toBe("dropped");
    expect(byTime.get(5_000)?.group).toBe(`["a"]|10000`);
    expect(byTime.get(6_000)?.group).toBe(`["a"]|10000`);
    expect(byTime.get(7_000)?.group).toBe(`["b"]|10000`);
    expect(byTime.get(40_000)?.status).toBe("on-time");
    expect(b2?.columns.map((c) => c.name)).toEqual(["key", "eventTime"]); // t is pruned: the query never reads it
    expect(byTime.get(40_000)?.values).toEqual(["a", 40_000]);
  });

  it("sliding windows: a row that missed only some of its windows is counted, and its missed groups count", async () => {
    const { spark } = newSession();
    const { input, df } = events(spark);
    const counts = df.groupBy(F.window(F.col("eventTime"), "10 seconds", "5 seconds"), F.col("key")).count();
    const { step } = start(counts, "update");
    input.addData({ t: 40, key: "a" });
    await step(); // watermark 30 s afterwards
    await step(); // the no-data batch that brings it in
    input.addData({ t: 27, key: "a" }, { t: 28, key: "a" }, { t: 10, key: "b" }, { t: 50, key: "b" });
    const b = await step();
    // 27 s and 28 s: windows [20, 30) missed, [25, 35) joined: late-counted, one missed group (a, 30 s).
    // 10 s: [5, 15) and [10, 20) missed: dropped, two groups. Spark counts 3 late groups.
    expect(b?.counts).toEqual({ total: 4, onTime: 1, lateCounted: 2, dropped: 1 });
    expect(b?.numRowsDroppedByWatermark).toBe(3);
    expect(b?.expectedDroppedByWatermark).toBe(3);
    expect(b?.outputWindows.length).toBeGreaterThan(0);
  });

  it("update mode on a seeded stream: the worked-out groups equal numRowsDroppedByWatermark in every batch", async () => {
    const { spark } = newSession();
    const { input, df } = events(spark);
    const counts = df.groupBy(F.window(F.col("eventTime"), "4 seconds", "2 seconds"), F.col("key")).agg(F.count("*").as("n"));
    const { step, traces } = start(counts, "update");
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let b = 0; b < 12; b++) {
      const rows = Array.from({ length: 40 }, () => ({ t: Math.max(0, b * 5 + Math.floor(rnd() * 6) - (rnd() < 0.2 ? 25 : 0)), key: `k${Math.floor(rnd() * 3)}` }));
      input.addData(...rows);
      await step();
    }
    const withLate = traces.filter((t) => t.numRowsDroppedByWatermark > 0);
    expect(withLate.length).toBeGreaterThan(2);
    for (const t of traces) expect(t.expectedDroppedByWatermark, `batch ${t.batchId}`).toBe(t.numRowsDroppedByWatermark);
  });

  it("complete mode drops nothing: late rows are all counted", async () => {
    const { spark } = newSession();
    const { input, df } = events(spark);
    const { step } = start(df.groupBy(F.window(F.col("eventTime"), "10 seconds")).count(), "complete");
    input.addData({ t: 100, key: "a" });
    await step();
    input.addData({ t: 101, key: "a" });
    await step(); // complete mode runs no no-data batch: a data batch brings the 90 s watermark in
    input.addData({ t: 1, key: "a" });
    const b = await step();
    expect(b?.rule).toEqual({ kind: "none" });
    expect(b?.counts.lateCounted).toBe(1);
    expect(b?.numRowsDroppedByWatermark).toBe(0);
    expect(b?.expectedDroppedByWatermark).toBe(0);
  });

  it("dropDuplicates counts dropped rows, not groups", async () => {
    const { spark } = newSession();
    const { input, df } = events(spark);
    const { step } = start(df.dropDuplicates(["key", "eventTime"]), "append");
    input.addData({ t: 100, key: "a" });
    await step();
    await step(); // the no-data batch with watermark 90 s
    input.addData({ t: 1, key: "a" }, { t: 1, key: "a" }, { t: 2, key: "b" }, { t: 95, key: "c" });
    const b = await step();
    expect(b?.rule).toEqual({ kind: "eventTime" });
    expect(b?.counts).toEqual({ total: 4, onTime: 1, lateCounted: 0, dropped: 3 });
    expect(b?.numRowsDroppedByWatermark).toBe(3);
    expect(b?.expectedDroppedByWatermark).toBe(3);
  });

  it("a query without withWatermark has no trace", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const { step, query } = start(input.toDF(), "append");
    input.addData(1);
    await step();
    expect(query.lateRows()).toBeNull();
  });
});

/**
 * Shapes where the rows the stateful operators read differ from the rows after withWatermark
 * (a filter, a join's two sides, a union, a dedup before a window, session windows): the view's
 * dropped figure must still equal the operators' numRowsDroppedByWatermark, batch after batch.
 */
describe("LateRowTracer reads rows where each stateful operator reads them", () => {
  type Build = (spark: Spark) => { df: DataFrame; feeds: Array<() => void> };
  const nop = () => undefined;
  const cases: Array<[string, "append" | "update" | "complete", Build, { dropped: number; lateCounted?: number }]> = [
    ["a filter on the event time before the aggregation", "append", (spark) => {
      const { input, df } = events(spark);
      const out = df.filter(F.expr("cast(eventTime as long) != 5")).groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key")).count();
      return { df: out, feeds: [() => input.addData({ t: 100, key: "a" }), nop, () => input.addData({ t: 5, key: "b" }, { t: 6, key: "a" })] };
    }, { dropped: 1 }],
    ["a stream-stream join, both sides watermarked", "append", (spark) => {
      const l = new MemoryStream(spark, { lt: "long", k: "string" });
      const r = new MemoryStream(spark, { rt: "long", k2: "string" });
      const L = l.toDF().withColumn("ltime", F.col("lt").cast("timestamp")).withWatermark("ltime", "10 seconds");
      const R = r.toDF().withColumn("rtime", F.col("rt").cast("timestamp")).withWatermark("rtime", "10 seconds");
      const out = L.join(R, F.expr("k = k2 AND rtime >= ltime AND rtime <= ltime + interval 5 seconds"));
      return { df: out, feeds: [() => { l.addData({ lt: 100, k: "a" }); r.addData({ rt: 100, k2: "a" }); }, nop, () => { l.addData({ lt: 1, k: "a" }); r.addData({ rt: 2, k2: "a" }, { rt: 3, k2: "a" }); }] };
    }, { dropped: 3 }],
    ["session windows in complete mode (the engine drops nothing)", "complete", (spark) => {
      const { input, df } = events(spark);
      const out = df.groupBy(F.sessionWindow(F.col("eventTime"), "5 seconds"), F.col("key")).count();
      return { df: out, feeds: [() => input.addData({ t: 100, key: "a" }), () => input.addData({ t: 101, key: "a" }), () => input.addData({ t: 5, key: "b" }, { t: 6, key: "a" })] };
    }, { dropped: 0, lateCounted: 2 }],
    ["session windows with a per-row gap: a session reaching past the watermark counts", "append", (spark) => {
      const { input, df } = events(spark);
      const out = df.groupBy(F.sessionWindow(F.col("eventTime"), F.expr("'30 seconds'")), F.col("key")).count();
      return { df: out, feeds: [() => input.addData({ t: 100, key: "a" }), nop, () => input.addData({ t: 85, key: "b" }, { t: 20, key: "c" })] };
    }, { dropped: 1, lateCounted: 1 }],
    ["a union of two watermarked streams", "append", (spark) => {
      const a = events(spark);
      const b = events(spark);
      const out = a.df.union(b.df).groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key")).count();
      return { df: out, feeds: [() => { a.input.addData({ t: 100, key: "a" }); b.input.addData({ t: 100, key: "a" }); }, nop, () => { a.input.addData({ t: 5, key: "a" }); b.input.addData({ t: 6, key: "b" }); }] };
    }, { dropped: 2 }],
    ["dropDuplicates before a window count: the dedup drops the late rows", "append", (spark) => {
      const { input, df } = events(spark);
      const out = df.dropDuplicates(["key", "eventTime"]).groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key")).count();
      return { df: out, feeds: [() => input.addData({ t: 100, key: "a" }), nop, () => input.addData({ t: 95, key: "b" }, { t: 5, key: "a" }, { t: 6, key: "a" })] };
    }, { dropped: 2 }],
  ];
  for (const [name, mode, build, want] of cases) {
    it(name, async () => {
      const { spark } = newSession();
      const { df, feeds } = build(spark);
      const { step, traces } = start(df, mode);
      for (const feed of feeds) {
        feed();
        await step();
      }
      for (const t of traces) expect(t.expectedDroppedByWatermark, `batch ${t.batchId}`).toBe(t.numRowsDroppedByWatermark);
      const last = traces.at(-1)!;
      expect(last.counts.dropped).toBe(want.dropped);
      if (want.lateCounted !== undefined) expect(last.counts.lateCounted).toBe(want.lateCounted);
    });
  }
});
