/**
 * Recovery from a checkpoint: a batch that was planned (offsets written) but not committed
 * is re-run after a restart with the same batchId and the same offsets; its state changes
 * are not kept; committed batches are not re-run.
 *
 * Sources:
 * - docs/streaming/apis-on-dataframes-and-datasets.md, "Recovering from Failures with
 *   Checkpointing" and "Fault Tolerance Semantics" (offsets written ahead, replayable
 *   sources, idempotent sinks: end-to-end exactly-once).
 * - sql/core/.../streaming/MicroBatchExecution.scala populateStartOffsets: "If the last
 *   batch in the offset log was not committed, re-run it with the same offsets".
 * - ForeachBatchSink docs: "the batchId can be used to deduplicate and transactionally
 *   write the output ... to guarantee exactly-once" (a re-run batch comes with the same id).
 * - API.md "A query restarted with the same checkpointLocation resumes after the last
 *   committed batch, re-runs a batch that was planned but not committed with the same
 *   offsets, restores state".
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../../index";
import { assertRows, expectError, newSession, stopAllSessions, uniqueCheckpoint, type DataFrame, type Row } from "../streamTest";

afterEach(stopAllSessions);

/** Starts `df` with a foreachBatch that fails while `failing()` is true; records successful deliveries. */
async function startFlaky(
  df: DataFrame,
  mode: "append" | "update" | "complete",
  checkpointLocation: string,
  delivered: { id: number; rows: Row[] }[],
  failing: () => boolean,
) {
  return await df.writeStream
    .outputMode(mode)
    .trigger({ manual: true })
    .option("checkpointLocation", checkpointLocation)
    .foreachBatch(async (batchDf: DataFrame, batchId: number) => {
      const rows = (await batchDf.collect()) as Row[];
      if (failing()) throw new Error(`sink failure in batch ${batchId}`);
      delivered.push({ id: Number(batchId), rows });
    })
    .start();
}

describe("a batch that failed before its commit", () => {
  it("is re-run after restart with the same batchId and only the data it planned; later data goes to the next batch", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const delivered: { id: number; rows: Row[] }[] = [];
    const checkpoint = uniqueCheckpoint("recovery-rerun");
    let fail = true;
    const q1 = await startFlaky(input.toDF(), "append", checkpoint, delivered, () => fail);
    input.addData(1, 2);
    await expectError(() => q1.processAllAvailable(), "sink failure in batch 0");
    expect(q1.isActive).toBe(false);

    input.addData(3); // arrives after batch 0 was planned
    fail = false;
    const q2 = await startFlaky(input.toDF(), "append", checkpoint, delivered, () => fail);
    await q2.processAllAvailable();
    await q2.stop();
    expect(delivered.map((d) => [d.id, d.rows.map((r) => r.value)])).toEqual([
      [0, [1, 2]],
      [1, [3]],
    ]);
    assertRows(delivered[0]!.rows, [{ value: 1 }, { value: 2 }]);
    assertRows(delivered[1]!.rows, [{ value: 3 }]);
    expect(q2.id).toBe(q1.id);
  });

  it("does not keep the failed batch's state changes (the re-run counts each row once)", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const df = input.toDF().groupBy(F.col("value")).count();
    const delivered: { id: number; rows: Row[] }[] = [];
    const checkpoint = uniqueCheckpoint("recovery-state");
    let fail = false;
    const q1 = await startFlaky(df, "update", checkpoint, delivered, () => fail);
    input.addData(1);
    await q1.processAllAvailable(); // batch 0 committed: count(1) = 1
    fail = true;
    input.addData(1, 2);
    await expectError(() => q1.processAllAvailable(), "sink failure in batch 1");

    fail = false;
    const q2 = await startFlaky(df, "update", checkpoint, delivered, () => fail);
    await q2.processAllAvailable();
    await q2.stop();
    expect(delivered.map((d) => d.id)).toEqual([0, 1]);
    assertRows(delivered[1]!.rows, [
      { value: 1, count: 2 },
      { value: 2, count: 1 },
    ]);
  });

  it("a committed batch is not re-run after a clean stop", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const delivered: { id: number; rows: Row[] }[] = [];
    const checkpoint = uniqueCheckpoint("recovery-clean");
    const q1 = await startFlaky(input.toDF(), "append", checkpoint, delivered, () => false);
    input.addData(1);
    await q1.processAllAvailable();
    await q1.stop();
    const q2 = await startFlaky(input.toDF(), "append", checkpoint, delivered, () => false);
    await q2.processAllAvailable();
    input.addData(2);
    await q2.processAllAvailable();
    await q2.stop();
    expect(delivered.map((d) => d.id)).toEqual([0, 1]);
    assertRows(delivered[1]!.rows, [{ value: 2 }]);
  });

  it("the failed query reports the error in exception and awaitTermination, as a StreamingQueryException", async () => {
    const { spark } = newSession();
    const input = new MemoryStream(spark, { value: "long" });
    const checkpoint = uniqueCheckpoint("recovery-exception");
    const q = await startFlaky(input.toDF(), "append", checkpoint, [], () => true);
    input.addData(1);
    const e = await expectError(() => q.processAllAvailable(), "sink failure in batch 0");
    expect((e as Error).name).toBe("StreamingQueryException");
    expect(String((q.exception as Error | null)?.message)).toContain("sink failure in batch 0");
    await expectError(() => q.awaitTermination(), "sink failure in batch 0");
  });
});
