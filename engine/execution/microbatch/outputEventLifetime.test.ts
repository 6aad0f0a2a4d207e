/**
 * A batch's output must die young: the app's worker and the benchmark read it from
 * `onQueryBatchOutput` and drop it, and a minor GC should then free its columns. An event
 * built as an object literal with a `rows` getter was allocated by V8 in the old
 * generation; once dropped, that dead old object still pinned the batch's columns through
 * every minor GC until the next full one, so each batch's output stayed in memory and the
 * next batch wrote to fresh, page-faulting memory (a stateless query ran 2-4x slower).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream, SparkSession } from "../../index";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (options?: { type: "minor" | "major" }) => void;

const arrayBufferBytes = (): number => process.memoryUsage().arrayBuffers;

describe("a batch's output after onQueryBatchOutput", () => {
  let spark: SparkSession | null = null;
  afterEach(async () => {
    await spark?.stop();
    spark = null;
  });

  it("is freed by a minor GC once the listener has dropped it", async () => {
    spark = SparkSession.builder().appName("output-lifetime").getOrCreate();
    const input = new MemoryStream(spark, { key: "int", value: "int" });
    const n = 200_000;
    const key = new Int32Array(n).map((_, i) => i % 1000);
    const value = new Int32Array(n).map((_, i) => i);
    let seen = 0;
    spark.streams.addListener({
      onQueryBatchOutput(e) {
        seen += e.data?.numRows ?? 0;
      },
    });
    const query = await input
      .toDF()
      .select("key", F.col("value").multiply(2).as("v2"))
      .writeStream.outputMode("append")
      .trigger({ manual: true })
      .foreachBatch(() => {})
      .start();
    // Array-buffer bytes in use after each batch and a minor GC, from the first batch on.
    const inUse: number[] = [];
    const batches = 16;
    for (let b = 0; b < batches; b++) {
      input.addColumns({ key, value });
      await query.step();
      await new Promise((r) => setTimeout(r, 0));
      gc({ type: "minor" });
      inUse.push(arrayBufferBytes());
    }
    await query.stop();
    expect(seen).toBe(batches * n);
    // Each batch allocates one 1.6 MB output column (v2; key is the source's). The engine may
    // keep its latest outputs a while (up to 4 batches' worth were seen), but pinned outputs
    // pile up batch after batch: 15 batches' worth by the last one.
    const batchBytes = n * 8;
    const growth = Math.max(...inUse.slice(1).map((bytes) => bytes - (inUse[0] as number)));
    expect(growth).toBeLessThan(6 * batchBytes);
  });
});
