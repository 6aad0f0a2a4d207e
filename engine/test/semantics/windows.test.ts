/**
 * Time windows: tumbling, sliding, startTime, [start, end), null times, epoch alignment,
 * window_time.
 *
 * Sources:
 * - docs/streaming/apis-on-dataframes-and-datasets.md, "Window Operations on Event Time"
 *   (10-minute windows sliding every 5 minutes; "Representation of the time for time window").
 * - sql/core/src/test/scala/org/apache/spark/sql/DataFrameTimeWindowingSuite.scala
 *   (tumbling/sliding grouping, startTime, negative timestamps, null timestamps, window_time).
 * - sql/catalyst/.../expressions/TimeWindow.scala (checkInputDataTypes messages) and
 *   functions.window's doc: "Windows can support microsecond precision ... The start time is
 *   an offset with respect to 1970-01-01 00:00:00 UTC with which to start window intervals".
 *
 * window_time: Spark defines it as `window.end - 1` in the timestamp's unit (microseconds),
 * so the value is inside [start, end). The engine carries epoch milliseconds, so the
 * decision here is window_time = end - 1 ms: Spark's value truncated to millisecond
 * precision (Spark: 00:00:14.999999; here: 00:00:14.999), and still inside [start, end),
 * which is what chained window aggregations rely on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  CheckNewAnswer,
  assertRows,
  expectError,
  newSession,
  stopAllSessions,
  testStream,
  type Row,
} from "../streamTest";

afterEach(stopAllSessions);

const d = (iso: string): Date => new Date(iso);
const sec = (s: number): Date => new Date(s * 1000);

/** A static DataFrame with a timestamp column `time` (given as Dates) and a long `value`. */
function timed(rows: { time: Date | null; value: number }[]) {
  const { spark } = newSession();
  return spark.createDataFrame(rows, { time: "timestamp", value: "long" });
}

describe("window() on static DataFrames", () => {
  it("returns a struct { start, end } of timestamps (Dates in collect())", async () => {
    const df = timed([{ time: sec(12), value: 1 }]);
    const rows = (await df.select(F.window(F.col("time"), "10 seconds").as("window")).collect()) as Row[];
    expect(rows).toHaveLength(1);
    const w = rows[0]!.window as { start: unknown; end: unknown };
    expect(w.start).toBeInstanceOf(Date);
    expect(w.end).toBeInstanceOf(Date);
    assertRows(rows, [{ window: { start: sec(10), end: sec(20) } }]);
  });

  it("tumbling windows are [start, end): a time on a boundary belongs to the window starting there", async () => {
    const df = timed([
      { time: sec(10), value: 1 },
      { time: new Date(19_999), value: 2 },
      { time: sec(20), value: 3 },
    ]);
    const rows = (await df.select(F.window(F.col("time"), "10 seconds").as("w"), F.col("value")).collect()) as Row[];
    assertRows(rows, [
      { w: { start: sec(10), end: sec(20) }, value: 1 },
      { w: { start: sec(10), end: sec(20) }, value: 2 },
      { w: { start: sec(20), end: sec(30) }, value: 3 },
    ]);
  });

  it("sliding windows: a row lands in every window [start, start + duration) that contains it", async () => {
    // 10-second windows sliding every 5 seconds (the docs' 10 min / 5 min example, scaled).
    const df = timed([
      { time: sec(12), value: 1 },
      { time: sec(15), value: 2 },
    ]);
    const rows = (await df
      .select(F.window(F.col("time"), "10 seconds", "5 seconds").as("w"), F.col("value"))
      .collect()) as Row[];
    assertRows(rows, [
      { w: { start: sec(5), end: sec(15) }, value: 1 },
      { w: { start: sec(10), end: sec(20) }, value: 1 },
      { w: { start: sec(10), end: sec(20) }, value: 2 },
      { w: { start: sec(15), end: sec(25) }, value: 2 },
    ]);
  });

  it("sliding windows with a slide that does not divide the duration (10 s every 3 s)", async () => {
    const df = timed([{ time: sec(27), value: 1 }]);
    const rows = (await df
      .groupBy(F.window(F.col("time"), "10 seconds", "3 seconds").as("w"))
      .agg(F.count("*").as("n"))
      .select(
        F.col("w").getField("start").cast("long").as("start"),
        F.col("w").getField("end").cast("long").as("end"),
        F.col("n"),
      )
      .collect()) as Row[];
    // 27 is in the windows starting at 18, 21, 24 and 27 (not in [17, 27)).
    assertRows(rows, [
      { start: 18, end: 28, n: 1 },
      { start: 21, end: 31, n: 1 },
      { start: 24, end: 34, n: 1 },
      { start: 27, end: 37, n: 1 },
    ]);
  });

  it("startTime shifts the windows: 10 s windows starting at 3 s past the epoch grid", async () => {
    const df = timed([
      { time: sec(12), value: 1 },
      { time: sec(13), value: 2 },
      { time: sec(2), value: 3 },
    ]);
    const rows = (await df
      .select(F.window(F.col("time"), "10 seconds", "10 seconds", "3 seconds").as("w"), F.col("value"))
      .collect()) as Row[];
    assertRows(rows, [
      { w: { start: sec(3), end: sec(13) }, value: 1 },
      { w: { start: sec(13), end: sec(23) }, value: 2 },
      { w: { start: sec(-7), end: sec(3) }, value: 3 },
    ]);
  });

  it("windows are aligned to the epoch (1970-01-01 00:00:00 UTC), not to the first row", async () => {
    const df = timed([
      { time: d("2024-01-01T10:30:00Z"), value: 1 },
      { time: d("2024-01-03T12:00:00Z"), value: 2 },
    ]);
    const hour = (await df.select(F.window(F.col("time"), "1 hour").as("w")).collect()) as Row[];
    assertRows(hour, [
      { w: { start: d("2024-01-01T10:00:00Z"), end: d("2024-01-01T11:00:00Z") } },
      { w: { start: d("2024-01-03T12:00:00Z"), end: d("2024-01-03T13:00:00Z") } },
    ]);
    // A 7-day window starts on a Thursday, like 1970-01-01: 2024-01-03 (Wed) is in [2023-12-28, 2024-01-04).
    const wed = timed([{ time: d("2024-01-03T12:00:00Z"), value: 2 }]);
    const week = (await wed.select(F.window(F.col("time"), "7 days").as("w")).collect()) as Row[];
    assertRows(week, [{ w: { start: d("2023-12-28T00:00:00Z"), end: d("2024-01-04T00:00:00Z") } }]);
  });

  it("rows with a null time are dropped, not given a null window", async () => {
    const df = timed([
      { time: sec(5), value: 1 },
      { time: null, value: 2 },
    ]);
    const rows = (await df.select(F.window(F.col("time"), "10 seconds").as("w"), F.col("value")).collect()) as Row[];
    assertRows(rows, [{ w: { start: sec(0), end: sec(10) }, value: 1 }]);
    const counts = (await df.groupBy(F.window(F.col("time"), "10 seconds")).count().select(F.col("count")).collect()) as Row[];
    assertRows(counts, [{ count: 1 }]);
  });

  it("before the epoch, window starts are floor-aligned (sliding)", async () => {
    const df = timed([{ time: sec(-3), value: 1 }]);
    const rows = (await df.select(F.window(F.col("time"), "10 seconds", "5 seconds").as("w")).collect()) as Row[];
    assertRows(rows, [{ w: { start: sec(-10), end: sec(0) } }, { w: { start: sec(-5), end: sec(5) } }]);
  });

  it("millisecond times keep their window (no rounding to seconds)", async () => {
    const df = timed([{ time: new Date(4_999), value: 1 }, { time: new Date(5_000), value: 2 }]);
    const rows = (await df.select(F.window(F.col("time"), "5 seconds").as("w"), F.col("value")).collect()) as Row[];
    assertRows(rows, [
      { w: { start: sec(0), end: sec(5) }, value: 1 },
      { w: { start: sec(5), end: sec(10) }, value: 2 },
    ]);
  });
});

describe("millisecond windows (DataFrameTimeWindowingSuite 'millisecond precision sliding windows')", () => {
  it("200 ms windows sliding every 40 ms", async () => {
    const base = Date.UTC(2016, 2, 27, 9, 0, 0);
    const df = timed([
      { time: new Date(base + 410), value: 3 },
      { time: new Date(base + 620), value: 6 },
      { time: new Date(base + 715), value: 8 },
    ]);
    const rows = (await df
      .groupBy(F.window(F.col("time"), "200 milliseconds", "40 milliseconds", "0 milliseconds"))
      .agg(F.count("*").as("counts"))
      .select(F.col("window").getField("start").as("start"), F.col("window").getField("end").as("end"), F.col("counts"))
      .collect()) as Row[];
    const w = (startMs: number, counts: number): Row => ({ start: new Date(base + startMs), end: new Date(base + startMs + 200), counts });
    assertRows(rows, [
      w(240, 1), w(280, 1), w(320, 1), w(360, 1), w(400, 1), w(440, 1),
      w(480, 1), w(520, 2), w(560, 2), w(600, 2), w(640, 1), w(680, 1),
    ]);
  });
});

describe("windowTime", () => {
  it("is window.end - 1 ms (Spark: end - 1 µs, truncated to the engine's millisecond precision)", async () => {
    const df = timed([{ time: sec(12), value: 1 }]);
    const rows = (await df
      .groupBy(F.window(F.col("time"), "5 seconds").as("w"))
      .agg(F.count("*").as("n"))
      .select(F.windowTime(F.col("w")).as("wt"), F.col("n"))
      .collect()) as Row[];
    assertRows(rows, [{ wt: new Date(14_999), n: 1 }]);
  });

  it("lies inside [start, end), so re-windowing by the same duration gives the same window (docs: chained window aggregation)", async () => {
    const df = timed([
      { time: sec(10), value: 1 },
      { time: sec(14), value: 2 },
      { time: sec(16), value: 3 },
    ]);
    const rows = (await df
      .groupBy(F.window(F.col("time"), "5 seconds").as("w"))
      .agg(F.count("*").as("n"))
      .select(F.windowTime(F.col("w")).as("wt"), F.col("n"))
      .groupBy(F.window(F.col("wt"), "5 seconds").as("w2"))
      .agg(F.sum("n").as("total"))
      .select(F.col("w2").getField("start").cast("long").as("start"), F.col("total"))
      .collect()) as Row[];
    assertRows(rows, [
      { start: 10, total: 2 },
      { start: 15, total: 1 },
    ]);
  });
});

describe("window() on streams", () => {
  it("sliding-window counts in update mode (docs: 'Window Operations on Event Time', scaled to seconds)", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { word: "string", t: "long" });
    const df = input
      .toDF()
      .withColumn("time", F.col("t").cast("timestamp"))
      .groupBy(F.window(F.col("time"), "10 seconds", "5 seconds").as("w"), F.col("word"))
      .count()
      .select(F.col("w").getField("start").cast("long").as("start"), F.col("word"), F.col("count"));
    await testStream(df, "update", { clock })(
      AddData(input, { word: "cat", t: 7 }, { word: "dog", t: 7 }),
      CheckNewAnswer(
        { start: 0, word: "cat", count: 1 },
        { start: 5, word: "cat", count: 1 },
        { start: 0, word: "dog", count: 1 },
        { start: 5, word: "dog", count: 1 },
      ),
      AddData(input, { word: "dog", t: 12 }),
      CheckNewAnswer({ start: 5, word: "dog", count: 2 }, { start: 10, word: "dog", count: 1 }),
    );
  });

  it("drops rows whose event time is null before aggregating", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { t: "long" });
    const df = input
      .toDF()
      .withColumn("time", F.col("t").cast("timestamp"))
      .groupBy(F.window(F.col("time"), "10 seconds"))
      .count()
      .select(F.col("window").getField("start").cast("long").as("start"), F.col("count"));
    await testStream(df, "complete", { clock })(AddData(input, { t: 3 }, { t: null }), CheckNewAnswer({ start: 0, count: 1 }));
  });
});

describe("window() argument checks (TimeWindow.checkInputDataTypes)", () => {
  it("rejects a slide longer than the window", async () => {
    const df = timed([{ time: sec(1), value: 1 }]);
    // "The slide duration (...) must be less than or equal to the windowDuration (...)."
    await expectError(
      async () => df.select(F.window(F.col("time"), "5 seconds", "10 seconds")).collect(),
      /slide duration/i,
    );
  });

  it("rejects a zero window duration", async () => {
    const df = timed([{ time: sec(1), value: 1 }]);
    // "The window duration (0) must be greater than 0."
    await expectError(async () => df.select(F.window(F.col("time"), "0 seconds")).collect(), /window duration/i, /greater than 0/i);
  });

  it("rejects a start time whose absolute value is not below the slide", async () => {
    const df = timed([{ time: sec(1), value: 1 }]);
    // "The absolute value of start time (...) must be less than the slide duration (...)."
    await expectError(
      async () => df.select(F.window(F.col("time"), "10 seconds", "10 seconds", "10 seconds")).collect(),
      /start time/i,
    );
  });
});

describe("timestamp casts (API.md: epoch ms inside, seconds at the cast boundary, as in Spark's Cast)", () => {
  it("cast('timestamp') of a number reads seconds (fractions kept to the millisecond)", async () => {
    const { spark } = newSession();
    const df = spark.createDataFrame([{ s: 1 }, { s: 1.5 }, { s: -2.25 }], { s: "double" });
    assertRows((await df.select(F.col("s").cast("timestamp").as("t")).collect()) as Row[], [
      { t: new Date(1000) },
      { t: new Date(1500) },
      { t: new Date(-2250) },
    ]);
  });

  it("cast('long') of a timestamp gives whole seconds, floored (Math.floorDiv), cast('double') keeps the fraction", async () => {
    const df = timed([
      { time: new Date(1500), value: 1 },
      { time: new Date(-1500), value: 2 },
    ]);
    assertRows((await df.select(F.col("value"), F.col("time").cast("long").as("l"), F.col("time").cast("double").as("d")).collect()) as Row[], [
      { value: 1, l: 1, d: 1.5 },
      { value: 2, l: -2, d: -1.5 },
    ]);
  });
});
