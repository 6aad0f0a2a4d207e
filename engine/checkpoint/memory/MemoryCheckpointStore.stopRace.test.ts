/**
 * A deleted checkpoint's state goes to stateArrayPool once no query runs on it. On a non-manual trigger, `step()` queues a batch on the execution's chain
 * while the trigger loop runs; `stop()` ends the loop, and runLoop calls `finish` -> close()
 * -> onTerminated -> deleteMemoryCheckpoint (temporary checkpoint) -> release, without waiting
 * for the stepped batch still on the chain (a review found it): the state went to the pool while
 * that batch still ran on it (here: in foreachBatch, before its commit; with a slow source,
 * before getStore, which then made a fresh provider and emitted counts from scratch).
 */
import { describe, expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession } from "../../index";
import { stateArrayPool } from "../../state/NumericStateTable";

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe("a stepped batch racing stop() on a processingTime query (temporary checkpoint)", () => {
  it("keeps the state out of the pool until the in-flight batch is done", async () => {
    const spark = SparkSession.builder().clock(new ManualClock(0)).getOrCreate();
    try {
      const input = new MemoryStream(spark, { id: "long" });
      let openGate: (() => void) | null = null;
      let inFlight = false;
      let batches = 0;
      const q = input
        .toDF()
        .groupBy(F.col("id"))
        .count()
        .writeStream.outputMode("update")
        .trigger({ processingTime: "10 seconds" })
        .foreachBatch(async () => {
          batches++;
          if (batches === 2) {
            inFlight = true;
            await new Promise<void>((r) => (openGate = r));
            inFlight = false;
          }
        })
        .start();
      input.addData(...Array.from({ length: 30_000 }, (_, i) => ({ id: i })));
      // The loop runs batch 0, then waits for the (manual) clock.
      for (let i = 0; i < 400 && batches < 1; i++) await tick();
      expect(batches).toBe(1);
      input.addData(...Array.from({ length: 30_000 }, (_, i) => ({ id: i })));
      const stepped = q.step();
      for (let i = 0; i < 400 && !inFlight; i++) await tick();
      expect(inFlight).toBe(true);
      const before = stateArrayPool.size;
      const stopped = q.stop();
      for (let i = 0; i < 20; i++) await tick(1);
      // Batch 1 has not committed yet: its state must not be in the pool.
      const during = stateArrayPool.size;
      (openGate as unknown as () => void)();
      await stepped.catch(() => undefined);
      await stopped;
      expect(q.isActive).toBe(false);
      expect(during).toBe(before);
    } finally {
      await spark.stop();
    }
  });
});
