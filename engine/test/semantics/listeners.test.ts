/**
 * StreamingQueryListener events and the StreamingQueryManager.
 *
 * Sources:
 * - sql/core/.../streaming/StreamingQueryListener.scala: onQueryStarted (id, runId, name,
 *   timestamp; delivered synchronously with start()), onQueryProgress (progress),
 *   onQueryIdle (id, runId, timestamp; "Called when the query is idle and waiting for new
 *   data to process", Spark 3.5+; posted by ProgressReporter.updateIdleness after
 *   spark.sql.streaming.noDataProgressEventInterval = 10 s without progress), onQueryTerminated (id, runId, exception: null when
 *   stopped normally, the error message otherwise).
 * - StreamingQueryListenerSuite ("single listener, check trigger events are generated
 *   correctly", "adding and removing listener", "QueryIdleEvent").
 * - sql/core/.../streaming/StreamingQueryManager.scala: active, get(id) (null when not
 *   active), awaitAnyTermination() (returns at once if a query terminated since the last
 *   resetTerminated(); rethrows that query's exception), resetTerminated().
 * - StreamingQueryManagerSuite ("listing", "awaitAnyTermination without timeout",
 *   "awaitAnyTermination with timeout and resetTerminated").
 * - docs/streaming/apis-on-dataframes-and-datasets.md "Managing Streaming Queries",
 *   "Reporting Metrics programmatically using Asynchronous APIs".
 */
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStream } from "../../index";
import { eventually, expectError, newSession, recentProgress, startCollecting, stopAllSessions, ticks } from "../streamTest";

afterEach(stopAllSessions);

interface Recorded {
  kind: "started" | "progress" | "idle" | "terminated";
  id?: unknown;
  runId?: unknown;
  name?: unknown;
  batchId?: unknown;
  exception?: unknown;
  timestamp?: unknown;
}

function recordingListener(log: Recorded[]) {
  return {
    onQueryStarted(e: { id: unknown; runId: unknown; name?: unknown; timestamp?: unknown }) {
      log.push({ kind: "started", id: e.id, runId: e.runId, name: e.name, timestamp: e.timestamp });
    },
    onQueryProgress(e: { progress: { batchId: unknown; id?: unknown } }) {
      log.push({ kind: "progress", batchId: e.progress.batchId, id: e.progress.id });
    },
    onQueryIdle(e: { id: unknown; runId: unknown; timestamp?: unknown }) {
      log.push({ kind: "idle", id: e.id, runId: e.runId, timestamp: e.timestamp });
    },
    onQueryTerminated(e: { id: unknown; runId: unknown; exception?: unknown }) {
      log.push({ kind: "terminated", id: e.id, runId: e.runId, exception: e.exception });
    },
  };
}

describe("StreamingQueryListener", () => {
  it("gets started (synchronously with start()), one progress per batch, then terminated with no exception", async () => {
    const { spark } = newSession();
    const log: Recorded[] = [];
    spark.streams.addListener(recordingListener(log));
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append", { queryName: "listened" });
    expect(log.map((r) => r.kind), "onQueryStarted is posted before start() returns").toEqual(["started"]);
    expect(log[0]).toMatchObject({ id: c.query.id, runId: c.query.runId, name: "listened" });
    // QueryStartedEvent.timestamp: the start time on the session clock, ISO-8601 like progress timestamps
    expect(log[0]!.timestamp).toBe("1970-01-01T00:00:00.000Z");

    input.addData(1);
    await c.query.processAllAvailable();
    input.addData(2);
    await c.query.processAllAvailable();
    await c.query.stop();
    await eventually(() => log.some((r) => r.kind === "terminated"), "onQueryTerminated");

    const progress = log.filter((r) => r.kind === "progress");
    expect(progress.map((r) => r.batchId)).toEqual([0, 1]);
    expect(progress.every((r) => r.id === c.query.id)).toBe(true);
    const terminated = log.filter((r) => r.kind === "terminated");
    expect(terminated).toHaveLength(1);
    expect(terminated[0]).toMatchObject({ id: c.query.id, runId: c.query.runId });
    expect(terminated[0]!.exception ?? null).toBeNull();
    expect(log[log.length - 1]!.kind).toBe("terminated");
  });

  it("delivers in onQueryProgress the same progress objects the query keeps (ids, batchId, numInputRows)", async () => {
    const { spark } = newSession();
    const seen: { batchId: unknown; numInputRows: unknown; id: unknown; runId: unknown }[] = [];
    spark.streams.addListener({
      onQueryStarted() {},
      onQueryProgress(e: { progress: { batchId: unknown; numInputRows: unknown; id: unknown; runId: unknown } }) {
        seen.push({ batchId: e.progress.batchId, numInputRows: e.progress.numInputRows, id: e.progress.id, runId: e.progress.runId });
      },
      onQueryIdle() {},
      onQueryTerminated() {},
    });
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1, 2);
    await c.query.processAllAvailable();
    await eventually(() => seen.length === 1, "one progress event");
    expect(seen[0]).toEqual({ batchId: 0, numInputRows: 2, id: c.query.id, runId: c.query.runId });
    await c.query.stop();
  });

  it("gets onQueryIdle once the query has been idle for noDataProgressEventInterval (10 s) on the trigger clock", async () => {
    // ProgressReporter.updateProgress / updateIdleness (Spark 3.5+): a trigger without data
    // records a progress and posts QueryIdleEvent (not QueryProgressEvent) only when
    // now - spark.sql.streaming.noDataProgressEventInterval (default 10000 ms) >= the time of
    // the last progress.
    const { spark, clock } = newSession();
    const log: Recorded[] = [];
    spark.streams.addListener(recordingListener(log));
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1);
    await c.query.step(); // batch 0 at t = 0
    await c.query.step(); // idle at t = 0: too soon for an idle event
    clock.advance(9_999);
    await c.query.step(); // idle at t = 9999: still too soon
    await ticks(100);
    expect(log.filter((r) => r.kind === "idle")).toEqual([]);
    expect(recentProgress(c.query)).toHaveLength(1);

    clock.advance(1);
    await c.query.step(); // idle at t = 10000
    await eventually(() => log.some((r) => r.kind === "idle"), "onQueryIdle");
    expect(log.find((r) => r.kind === "idle")).toMatchObject({ id: c.query.id, runId: c.query.runId, timestamp: "1970-01-01T00:00:10.000Z" });
    expect(log.filter((r) => r.kind === "progress").map((r) => r.batchId), "no QueryProgressEvent for idle triggers").toEqual([0]);
    const ps = recentProgress(c.query);
    expect(ps, "the idle trigger's progress is recorded").toHaveLength(2);
    expect(ps[1]!.numInputRows).toBe(0);
    await c.query.stop();
  });

  it("reports the error of a failed query in onQueryTerminated", async () => {
    const { spark } = newSession();
    const log: Recorded[] = [];
    spark.streams.addListener(recordingListener(log));
    const input = new MemoryStream(spark, { value: "long" });
    const q = await input
      .toDF()
      .writeStream.trigger({ manual: true })
      .foreachBatch(() => {
        throw new Error("boom in foreachBatch");
      })
      .start();
    input.addData(1);
    await expectError(() => q.processAllAvailable(), "boom in foreachBatch");
    await eventually(() => log.some((r) => r.kind === "terminated"), "onQueryTerminated");
    expect(String(log.find((r) => r.kind === "terminated")!.exception)).toContain("boom in foreachBatch");
    expect(q.isActive).toBe(false);
    expect(String((q.exception as { message?: unknown } | null)?.message ?? q.exception)).toContain("boom in foreachBatch");
    await expectError(() => q.awaitTermination(), "boom in foreachBatch");
  });

  it("stops getting events once removed", async () => {
    const { spark } = newSession();
    const log: Recorded[] = [];
    const listener = recordingListener(log);
    spark.streams.addListener(listener);
    spark.streams.removeListener(listener);
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    input.addData(1);
    await c.query.processAllAvailable();
    await c.query.stop();
    await ticks(100);
    expect(log).toEqual([]);
  });
});

describe("StreamingQueryManager", () => {
  it("lists active queries and gets them by id; a stopped query is neither active nor found", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const a = await startCollecting(input.toDF(), "append", { queryName: "qa" });
    const b = await startCollecting(input.toDF(), "append", { queryName: "qb" });
    expect(spark.streams.active.map((q) => q.id).sort()).toEqual([a.query.id, b.query.id].sort());
    expect(spark.streams.get(a.query.id)?.name).toBe("qa");
    await a.query.stop();
    expect(spark.streams.active.map((q) => q.id)).toEqual([b.query.id]);
    expect(spark.streams.get(a.query.id) ?? null).toBeNull();
    await b.query.stop();
    expect(spark.streams.active).toEqual([]);
  });

  it("awaitAnyTermination waits for a termination, returns at once after one, and waits again after resetTerminated", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const a = await startCollecting(input.toDF(), "append");
    const b = await startCollecting(input.toDF(), "append");

    let done = false;
    const waiting = Promise.resolve(spark.streams.awaitAnyTermination()).then(() => {
      done = true;
    });
    await ticks(100);
    expect(done, "no query has terminated yet").toBe(false);
    await a.query.stop();
    await waiting;
    expect(done).toBe(true);

    // a query terminated since the last reset: returns at once (with a timeout: true)
    await spark.streams.awaitAnyTermination();
    expect(await spark.streams.awaitAnyTermination(10_000)).toBe(true);

    spark.streams.resetTerminated();
    let doneAgain = false;
    const waitingAgain = Promise.resolve(spark.streams.awaitAnyTermination()).then(() => {
      doneAgain = true;
    });
    await ticks(100);
    expect(doneAgain, "after resetTerminated it waits for a new termination").toBe(false);
    await b.query.stop();
    await waitingAgain;
    expect(doneAgain).toBe(true);
  });

  it("query.awaitTermination() resolves when the query is stopped; with a timeout it returns true once stopped", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const c = await startCollecting(input.toDF(), "append");
    let done = false;
    const waiting = Promise.resolve(c.query.awaitTermination()).then(() => {
      done = true;
    });
    await ticks(100);
    expect(done).toBe(false);
    await c.query.stop();
    await waiting;
    expect(done).toBe(true);
    expect(await c.query.awaitTermination(10_000)).toBe(true);
  });

  it("awaitAnyTermination rethrows the error of a query that failed", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const q = await input
      .toDF()
      .writeStream.trigger({ manual: true })
      .foreachBatch(() => {
        throw new Error("kaput");
      })
      .start();
    input.addData(1);
    await expectError(() => q.processAllAvailable(), "kaput");
    await expectError(() => spark.streams.awaitAnyTermination(), "kaput");
    spark.streams.resetTerminated();
  });
});
