/**
 * The StreamTest DSL itself (streamTest.ts) behaves as Spark's StreamTest does
 * (sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamTest.scala) and as the
 * spark-cases README tables it: value comparison, the auto-start rule, CheckNewAnswer vs
 * CheckAnswer in complete mode, and the failure report ("=>" at the failing action).
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  CheckAnswer,
  CheckLastBatch,
  CheckNewAnswer,
  Execute,
  ExpectFailure,
  MultiAddData,
  StartStream,
  StopStream,
  newSession,
  recentProgress,
  rowsMatch,
  stopAllSessions,
  testStream,
  valueEquals,
} from "../streamTest";

afterEach(stopAllSessions);

describe("value comparison", () => {
  it("compares doubles to 1e-6, integers exactly, Dates by time, and never a number with a Date", () => {
    expect(valueEquals(0.3, 0.1 + 0.2)).toBe(true);
    expect(valueEquals(2.167, 2.1670000001)).toBe(true);
    expect(valueEquals(1459107574, 1459107575)).toBe(false);
    expect(valueEquals(new Date(5), new Date(5))).toBe(true);
    expect(valueEquals(5, new Date(5))).toBe(false);
    expect(valueEquals(new Date(5), 5)).toBe(false);
    expect(valueEquals({ start: new Date(0), end: new Date(10) }, { start: new Date(0), end: new Date(10) })).toBe(true);
    expect(valueEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valueEquals(null, undefined)).toBe(true);
    expect(valueEquals([1, 2], [2, 1])).toBe(false);
  });

  it("matches rows as multisets unless sorted", () => {
    expect(rowsMatch([{ v: 1 }, { v: 1 }, { v: 2 }], [{ v: 2 }, { v: 1 }, { v: 1 }])).toBe(true);
    expect(rowsMatch([{ v: 1 }, { v: 2 }], [{ v: 1 }, { v: 1 }])).toBe(false);
    expect(rowsMatch([{ v: 1 }, { v: 2 }], [{ v: 2 }, { v: 1 }], true)).toBe(false);
  });
});

describe("testStream", () => {
  function counts() {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().groupBy(F.col("value")).count();
    return { clock, input, df };
  }

  it("CheckNewAnswer in complete mode is the result table once per new batch; CheckAnswer always the last table", async () => {
    const { clock, input, df } = counts();
    await testStream(df, "complete", { clock })(
      AddData(input, 1),
      CheckNewAnswer({ value: 1, count: 1 }),
      CheckNewAnswer(),
      CheckAnswer({ value: 1, count: 1 }),
      AddData(input, 2),
      CheckNewAnswer({ value: 1, count: 1 }, { value: 2, count: 1 }),
      CheckLastBatch({ value: 1, count: 1 }, { value: 2, count: 1 }),
    );
  });

  it("keeps append/update sink rows across StopStream/StartStream", async () => {
    const { clock, input, df } = counts();
    await testStream(df, "update", { clock })(
      AddData(input, 1),
      StopStream,
      StartStream(),
      AddData(input, 1),
      CheckNewAnswer({ value: 1, count: 1 }, { value: 1, count: 2 }),
      CheckAnswer({ value: 1, count: 1 }, { value: 1, count: 2 }),
      // every check marks what it saw as fetched (Spark's lastFetchedMemorySinkLastBatchId)
      CheckNewAnswer(),
    );
  });

  it("MultiAddData lands in one batch; each AddData is one batch", async () => {
    const { spark, clock } = newSession();
    const a = new MemoryStream(spark, { value: "long" });
    const b = new MemoryStream(spark, { value: "long" });
    await testStream(a.toDF().union(b.toDF()), "append", { clock })(
      MultiAddData([a, [1]], [b, [2]]),
      CheckLastBatch({ value: 1 }, { value: 2 }),
      AddData(a, 3),
      AddData(b, 4),
      CheckLastBatch({ value: 4 }),
      Execute((q) => {
        expect(recentProgress(q).map((p) => p.numInputRows)).toEqual([2, 1, 1]);
      }),
    );
  });

  it("does not start the query before a StartStream that precedes the first check", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    await testStream(input.toDF(), "append", { clock })(
      AddData(input, 1),
      StartStream(),
      CheckAnswer({ value: 1 }),
    );
  });

  it("fails with a Spark-like report: '=>' at the failing action, both answers, the last progress", async () => {
    const { clock, input, df } = counts();
    let message = "";
    try {
      await testStream(df, "update", { clock })(AddData(input, 1), CheckNewAnswer({ value: 1, count: 2 }), AddData(input, 2));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("=> CheckNewAnswer: {value: 1, count: 2}");
    expect(message).toContain("   AddData to");
    expect(message).toContain("== Correct Answer - 1 ==");
    expect(message).toContain("== Engine Answer - 1 ==");
    expect(message).toContain("{value: 1, count: 1}");
    expect(message).toContain("== Last progress ==");
    expect(message).toContain('"batchId": 0');
  });

  it("ExpectFailure claims an analysis error raised at start, and fails when nothing fails", async () => {
    const { clock, input, df } = counts();
    await testStream(df, "append", { clock })(ExpectFailure("without watermark"));
    let message = "";
    try {
      await testStream(input.toDF(), "append", { clock })(AddData(input, 1), ExpectFailure("anything"));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("ran without error");
  });
});
