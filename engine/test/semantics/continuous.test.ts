/**
 * Continuous trigger (trigger({ continuous: "1 second" })): map-like queries from rate and
 * memory sources to memory / console / foreach sinks, rows delivered as they arrive, one
 * progress per epoch with the end-to-end latency, Spark's errors for any other query.
 *
 * Sources: docs/streaming/performance-tips.md / the programming guide's "Continuous
 * Processing" section (supported queries: projections, selections and map-like functions;
 * sources rate, kafka; sinks kafka, memory, console; at-least-once; epochs checkpointed at
 * the trigger interval), ContinuousSuite ("basic", "map", "filter", "query without test
 * harness"), UnsupportedOperationsSuite (checkForContinuous).
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import { expectError, newSession, stopAllSessions, uniqueCheckpoint } from "../streamTest";

afterEach(stopAllSessions);

describe("continuous trigger", () => {
  it("map-like query from a MemoryStream: rows reach the memory sink as they arrive; epochs report latency", async () => {
    const { spark, clock } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const epochs: unknown[] = [];
    spark.streams.addListener({ onQueryProgress: (e) => epochs.push(e.progress) });
    const q = input
      .toDF()
      .select(F.col("value").multiply(2).as("v"))
      .filter(F.col("v").gt(2))
      .writeStream.format("memory")
      .queryName("cont")
      .trigger({ continuous: "1 second" })
      .start();
    expect(q.status).toBeDefined();
    input.addData(1, 2, 3);
    await q.processAllAvailable();
    expect((await spark.table("cont").collect()).map((r) => r.v).sort()).toEqual([4, 6]);
    input.addData(4);
    await q.processAllAvailable();
    expect((await spark.table("cont").collect()).map((r) => r.v).sort()).toEqual([4, 6, 8]);
    // No epoch has ended yet (the session clock has not moved): no progress.
    expect(epochs).toHaveLength(0);
    clock.advance(1000);
    input.addData(5);
    await q.processAllAvailable();
    expect(epochs).toHaveLength(1);
    const p = q.lastProgress as unknown as { batchId: number; numInputRows: number; latencyMs: { rows: number; avg: number; max: number } };
    expect(p.batchId).toBe(0);
    expect(p.numInputRows).toBe(5);
    expect(p.latencyMs.rows).toBe(5);
    expect(p.latencyMs.avg).toBeGreaterThanOrEqual(0);
    expect(p.latencyMs.max).toBeGreaterThanOrEqual(p.latencyMs.avg);
    await q.stop();
  });

  it("rate source rows flow without planned batches; a restart resumes after the last delivery", async () => {
    const { spark, clock } = newSession();
    const cp = uniqueCheckpoint("continuous-rate");
    const start = () =>
      spark.readStream
        .format("rate")
        .option("rowsPerSecond", 2)
        .load()
        .select(F.col("value"))
        .writeStream.format("memory")
        .queryName("rate")
        .option("checkpointLocation", cp)
        .trigger({ continuous: "1 second" })
        .start();
    let q = start();
    clock.advance(1000);
    await q.processAllAvailable();
    await q.stop();
    clock.advance(1000);
    q = start();
    await q.processAllAvailable();
    const values = (await spark.table("rate").collect()).map((r) => r.value as number).sort((a, b) => a - b);
    expect(values).toEqual([0, 1, 2, 3]);
    await q.stop();
  });

  it("rejects what continuous processing does not support, with Spark's messages", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const cont = { continuous: "1 second" } as const;
    await expectError(
      () => input.toDF().groupBy("value").count().writeStream.format("memory").queryName("a").outputMode("complete").trigger(cont).start(),
      "Continuous processing does not support Aggregate operations.",
    );
    await expectError(() => input.toDF().dropDuplicates().writeStream.format("memory").queryName("b").trigger(cont).start(), "Continuous processing does not support Deduplicate operations.");
    await expectError(
      () => input.toDF().select(F.currentTimestamp().as("now")).writeStream.format("memory").queryName("d").trigger(cont).start(),
      "Continuous processing does not support current time operations.",
    );
    await expectError(
      () =>
        input
          .toDF()
          .withColumn("t", F.col("value").cast("timestamp"))
          .withWatermark("t", "1 second")
          .writeStream.format("memory")
          .queryName("e")
          .trigger(cont)
          .start(),
      "Continuous processing does not support EventTimeWatermark operations.",
    );
    await expectError(
      () => input.toDF().writeStream.foreachBatch(() => undefined).trigger(cont).start(),
      "'foreachBatch' is not supported with continuous trigger",
    );
    await expectError(
      () => spark.readStream.format("events").load().writeStream.format("memory").queryName("c").trigger(cont).start(),
      "Data source events does not support continuous processing.",
    );
  });
});
