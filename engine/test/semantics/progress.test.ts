/**
 * StreamingQueryProgress fields, with Spark's names and formats.
 *
 * Sources:
 * - sql/core/.../streaming/progress.scala (StreamingQueryProgress, StateOperatorProgress):
 *   id, runId, name, timestamp (ISO-8601 "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'" UTC), batchId,
 *   numInputRows, inputRowsPerSecond, processedRowsPerSecond, durationMs (triggerExecution…),
 *   eventTime (min/max/avg/watermark, the same ISO format), stateOperators (numRowsTotal,
 *   numRowsUpdated, numRowsRemoved, numRowsDroppedByWatermark, memoryUsedBytes…).
 * - docs/streaming/apis-on-dataframes-and-datasets.md "Reading Metrics Interactively".
 * - EventTimeWatermarkSuite "event time and watermark metrics": no eventTime entries without
 *   a watermark; min/max/avg/watermark of the batches with data.
 * - StreamingAggregationSuite "state metrics - append mode" and the spark-cases notes: the
 *   state row counts batch by batch.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import {
  AddData,
  CheckNewAnswer,
  Execute,
  MultiAddData,
  StartStream,
  StopStream,
  isoOfSeconds,
  lastProgress,
  newSession,
  recentProgress,
  startCollecting,
  stopAllSessions,
  testStream,
  type ProgressView,
  type StreamingQuery,
} from "../streamTest";

afterEach(stopAllSessions);

function windowedCount() {
  const { spark, clock } = newSession();
  const input = new MemoryStream(spark, { value: "long" });
  const df = input
    .toDF()
    .withColumn("eventTime", F.col("value").cast("timestamp"))
    .withWatermark("eventTime", "10 seconds")
    .groupBy(F.window(F.col("eventTime"), "5 seconds").as("window"))
    .agg(F.count("*").as("count"))
    .select(F.col("window").getField("start").cast("long").as("start"), F.col("count").cast("long").as("count"));
  return { spark, clock, input, df };
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function stateOp(p: ProgressView) {
  const op = p.stateOperators?.[0];
  if (!op) throw new Error(`batch ${p.batchId}: stateOperators[0] missing`);
  return {
    total: Number(op.numRowsTotal),
    updated: Number(op.numRowsUpdated),
    removed: Number(op.numRowsRemoved),
    dropped: Number(op.numRowsDroppedByWatermark),
  };
}

describe("progress of each batch", () => {
  it("batchId counts batches from 0; numInputRows is the batch's row count", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    await testStream(input.toDF(), "append", { clock })(
      AddData(input, 1, 2, 3),
      AddData(input, 4),
      Execute((q: StreamingQuery) => {
        const ps = recentProgress(q);
        expect(ps.map((p) => p.batchId)).toEqual([0, 1]);
        expect(ps.map((p) => p.numInputRows)).toEqual([3, 1]);
        expect(lastProgress(q).batchId).toBe(1);
      }),
    );
  });

  it("carries id, runId, name, an ISO timestamp from the session clock, rates and durationMs.triggerExecution", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append", { queryName: "progress_fields" });
    clock.advance(5000);
    input.addData(1, 2);
    await c.query.processAllAvailable();
    const p = lastProgress(c.query);
    expect(p.id).toBe(c.query.id);
    expect(p.runId).toBe(c.query.runId);
    expect(p.name).toBe("progress_fields");
    expect(p.timestamp).toBe("1970-01-01T00:00:05.000Z");
    expect(typeof p.inputRowsPerSecond).toBe("number");
    expect(typeof p.processedRowsPerSecond).toBe("number");
    expect(typeof p.durationMs?.triggerExecution).toBe("number");
    expect(Number(p.durationMs?.triggerExecution)).toBeGreaterThanOrEqual(0);
    // a stateless query has no state operators
    expect(p.stateOperators).toEqual([]);
    await c.query.stop();
  });

  it("durationMs has Spark's phase names for a data batch", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1);
    await c.query.processAllAvailable();
    const keys = Object.keys(lastProgress(c.query).durationMs ?? {});
    for (const k of ["addBatch", "getBatch", "latestOffset", "queryPlanning", "triggerExecution", "walCommit", "commitOffsets"]) {
      expect(keys, k).toContain(k);
    }
    await c.query.stop();
  });

  // ProgressReporter.addNewProgress: `progressBuffer += p; while (progressBuffer.length >=
  // streamingProgressRetention) progressBuffer.dequeue()` — so Spark keeps retention - 1 progresses.
  it("recentProgress keeps the last numRecentProgressUpdates - 1 progresses (default 100: 99)", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    for (let i = 0; i < 105; i++) {
      input.addData(i);
      await c.query.processAllAvailable();
    }
    const ps = recentProgress(c.query);
    expect(ps).toHaveLength(99);
    expect(ps[0]!.batchId).toBe(6);
    expect(ps[98]!.batchId).toBe(104);
    await c.query.stop();
  });

  it("spark.sql.streaming.numRecentProgressUpdates bounds recentProgress (default '100'; 3 keeps 2)", async () => {
    const { spark } = newSession();
    expect(spark.conf.get("spark.sql.streaming.numRecentProgressUpdates")).toBe("100");
    spark.conf.set("spark.sql.streaming.numRecentProgressUpdates", "3");
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    for (let i = 0; i < 5; i++) {
      input.addData(i);
      await c.query.processAllAvailable();
    }
    expect(recentProgress(c.query).map((p) => p.batchId)).toEqual([3, 4]);
    await c.query.stop();
  });

  it("keeps the query id across restarts and gives each run a new runId", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const ids: { id: unknown; runId: unknown }[] = [];
    const remember = Execute("remember ids", (q: StreamingQuery) => {
      ids.push({ id: q.id, runId: q.runId });
    });
    await testStream(input.toDF(), "append", { clock })(
      AddData(input, 1),
      remember,
      StopStream,
      StartStream(),
      AddData(input, 2),
      remember,
      Execute("batchId continues after restart", (q: StreamingQuery) => {
        expect(lastProgress(q).batchId).toBe(1);
      }),
    );
    expect(ids[0]!.id).toBe(ids[1]!.id);
    expect(ids[0]!.runId).not.toBe(ids[1]!.runId);
  });
});

describe("before the first batch and after stop (StreamingQuerySuite)", () => {
  it("lastProgress is null and recentProgress empty before any batch", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    expect(c.query.lastProgress ?? null).toBeNull();
    expect(recentProgress(c.query)).toEqual([]);
    await c.query.stop();
  });

  it("status says 'Stopped' after stop(), with no trigger active; processAllAvailable() on a stopped query returns", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1);
    await c.query.processAllAvailable();
    await c.query.stop();
    const status = c.query.status as unknown as { message: unknown; isDataAvailable: unknown; isTriggerActive: unknown };
    expect(status.message).toBe("Stopped");
    expect(status.isTriggerActive).toBe(false);
    expect(typeof status.isDataAvailable).toBe("boolean");
    expect(c.query.isActive).toBe(false);
    // StreamingQuerySuite "processAllAvailable should not block forever when a query is stopped"
    input.addData(2);
    await c.query.processAllAvailable();
  });
});

describe("sources", () => {
  it("has one entry per source with its own numInputRows (Spark's SourceProgress)", async () => {
    const { spark, clock } = newSession();
    const a = new MemoryStream(spark, { value: "long" });
    const b = new MemoryStream(spark, { value: "long" });
    await testStream(a.toDF().union(b.toDF()), "append", { clock })(
      MultiAddData([a, [1, 2]], [b, [3]]),
      Execute((q: StreamingQuery) => {
        const p = q.lastProgress as unknown as { numInputRows: number; sources: { numInputRows: number; description: unknown }[] };
        expect(p.numInputRows).toBe(3);
        expect(p.sources).toHaveLength(2);
        expect(p.sources.map((s) => s.numInputRows).sort()).toEqual([1, 2]);
        expect(p.sources.every((s) => typeof s.description === "string")).toBe(true);
      }),
    );
  });
});

describe("eventTime", () => {
  it("holds min, max, avg and watermark as ISO strings for a batch with data (EventTimeWatermarkSuite)", async () => {
    const { clock, input, df } = windowedCount();
    const lastWithData = (q: StreamingQuery): ProgressView => {
      const ps = recentProgress(q).filter((p) => p.numInputRows > 0);
      return ps[ps.length - 1]!;
    };
    await testStream(df, "append", { clock })(
      AddData(input, 15),
      Execute((q: StreamingQuery) => {
        expect(lastWithData(q).eventTime).toEqual({ min: isoOfSeconds(15), max: isoOfSeconds(15), avg: isoOfSeconds(15), watermark: isoOfSeconds(0) });
      }),
      AddData(input, 10, 12, 14),
      Execute((q: StreamingQuery) => {
        expect(lastWithData(q).eventTime).toEqual({ min: isoOfSeconds(10), max: isoOfSeconds(14), avg: isoOfSeconds(12), watermark: isoOfSeconds(5) });
      }),
      AddData(input, 25),
      CheckNewAnswer({ start: 10, count: 3 }),
      Execute((q: StreamingQuery) => {
        expect(lastWithData(q).eventTime).toEqual({ min: isoOfSeconds(25), max: isoOfSeconds(25), avg: isoOfSeconds(25), watermark: isoOfSeconds(5) });
        // the no-data batch after it reports only the watermark
        expect(lastProgress(q).numInputRows).toBe(0);
        expect(lastProgress(q).eventTime).toEqual({ watermark: isoOfSeconds(15) });
      }),
    );
  });

  it("is empty without a watermark", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("value").cast("timestamp"))
      .groupBy(F.window(F.col("eventTime"), "5 seconds"))
      .count();
    await testStream(df, "complete", { clock })(
      AddData(input, 15),
      Execute((q: StreamingQuery) => {
        expect(Object.keys(lastProgress(q).eventTime ?? {})).toEqual([]);
      }),
    );
  });

  it("formats fractional seconds with milliseconds", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { ms: "long" });
    const df = input
      .toDF()
      .withColumn("eventTime", F.col("ms").divide(1000).cast("timestamp"))
      .withWatermark("eventTime", "1 second")
      .groupBy(F.col("eventTime"))
      .count();
    await testStream(df, "append", { clock })(
      AddData(input, { ms: 2500 }),
      Execute((q: StreamingQuery) => {
        const p = recentProgress(q).find((x) => x.numInputRows > 0)!;
        expect(p.eventTime?.max).toBe("1970-01-01T00:00:02.500Z");
        expect(lastProgress(q).eventTime?.watermark).toBe("1970-01-01T00:00:01.500Z");
        expect(String(p.eventTime?.min)).toMatch(ISO);
      }),
    );
  });
});

describe("stateOperators", () => {
  it("count total, updated, removed and dropped-by-watermark rows batch by batch (append mode)", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 10, 11, 12, 13, 14, 15),
      AddData(input, 25),
      AddData(input, 10),
      Execute((q: StreamingQuery) => {
        const ps = recentProgress(q);
        expect(ps.map((p) => [p.batchId, p.numInputRows])).toEqual([
          [0, 6],
          [1, 0],
          [2, 1],
          [3, 0],
          [4, 1],
        ]);
        // batch 0: windows [10,15) and [15,20) created; the watermark moves 0 -> 5
        expect(stateOp(ps[0]!)).toEqual({ total: 2, updated: 2, removed: 0, dropped: 0 });
        // batch 1 (no data, watermark 5): nothing to close
        expect(stateOp(ps[1]!)).toEqual({ total: 2, updated: 0, removed: 0, dropped: 0 });
        // batch 2: [25,30) created; the watermark moves to 15
        expect(stateOp(ps[2]!)).toEqual({ total: 3, updated: 1, removed: 0, dropped: 0 });
        // batch 3 (no data, watermark 15): [10,15) emitted and removed
        expect(stateOp(ps[3]!)).toEqual({ total: 2, updated: 0, removed: 1, dropped: 0 });
        // batch 4: the late 10 is dropped
        expect(stateOp(ps[4]!)).toEqual({ total: 2, updated: 0, removed: 0, dropped: 1 });
        const op = ps[4]!.stateOperators![0]!;
        expect(typeof op.memoryUsedBytes).toBe("number");
      }),
    );
  });

  it("count updated rows in update mode", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().groupBy(F.col("value")).count();
    await testStream(df, "update", { clock })(
      AddData(input, 1, 2, 2),
      AddData(input, 2, 3),
      Execute((q: StreamingQuery) => {
        const ps = recentProgress(q);
        expect(stateOp(ps[0]!)).toMatchObject({ total: 2, updated: 2 });
        expect(stateOp(ps[1]!)).toMatchObject({ total: 3, updated: 2 });
      }),
    );
  });

  it("lastProgress is JSON-serialisable with Spark's field names", async () => {
    const { clock, input, df } = windowedCount();
    await testStream(df, "append", { clock })(
      AddData(input, 15),
      Execute((q: StreamingQuery) => {
        const json = JSON.parse(JSON.stringify(q.lastProgress)) as Record<string, unknown>;
        for (const k of ["id", "runId", "timestamp", "batchId", "numInputRows", "durationMs", "eventTime", "stateOperators"]) {
          expect(json, k).toHaveProperty(k);
        }
        const op = (json.stateOperators as Record<string, unknown>[])[0]!;
        for (const k of ["numRowsTotal", "numRowsUpdated", "numRowsRemoved", "numRowsDroppedByWatermark", "memoryUsedBytes"]) {
          expect(op, k).toHaveProperty(k);
        }
      }),
    );
  });
});
