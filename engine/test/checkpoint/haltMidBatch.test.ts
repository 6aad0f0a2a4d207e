/**
 * "Crash now": a batch halted after the sink has its rows and before commits/N is
 * re-run from the offset log by the next start, and the file sink, which already
 * committed that batch in _spark_metadata, skips it: no row twice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { newSession, stopAllSessions } from "../streamTest";

afterEach(stopAllSessions);

describe("haltInNextBatch and recovery()", () => {
  it("re-runs the halted batch with the same offsets; the file sink keeps each row once", async () => {
    const { spark } = newSession();
    const start = () =>
      spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 5).load()
        .writeStream.format("json").option("path", "out/crash").option("checkpointLocation", "cp/crash")
        .trigger({ manual: true }).start();
    const q1 = start();
    expect(await q1.recovery()).toEqual({ lastCommittedBatchId: -1, rerunBatchId: null, rerunOffsets: null });
    await q1.step();
    await q1.step();
    const halted = q1.haltInNextBatch();
    const stepping = q1.step().then(() => null, (e: unknown) => e);
    expect(await halted).toBe(2);
    expect(q1.status.message).toContain("Halted in the middle of batch 2");
    await q1.stop();
    expect(String(await stepping)).toContain("Stopped in the middle of batch 2");

    const q2 = start();
    const info = await q2.recovery();
    expect(info?.lastCommittedBatchId).toBe(1);
    expect(info?.rerunBatchId).toBe(2);
    expect(info?.rerunOffsets).toEqual([{ source: expect.stringContaining("RatePerMicroBatch"), start: expect.anything(), end: expect.anything() }]);
    await q2.step(); // batch 2 again: the sink already has it
    await q2.step(); // batch 3
    expect(q2.lastProgress?.batchId).toBe(3);
    const rows = await (await spark.read.json("out/crash")).collect();
    const values = rows.map((r) => Number(r.value));
    expect(values.length).toBe(20);
    expect(new Set(values).size).toBe(20);
    await q2.stop();
  });

  it("an armed halt never hangs: a second arm or a stop rejects it", async () => {
    const { spark } = newSession();
    const q = spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 1).load().writeStream.format("memory").queryName("armed").trigger({ manual: true }).start();
    const first = q.haltInNextBatch();
    const second = q.haltInNextBatch();
    await expect(first).rejects.toThrow(/Armed again/);
    await q.stop();
    await expect(second).rejects.toThrow(/stopped before a batch could be halted/);
  });
});
