/**
 * A deleted in-memory checkpoint gives its state's typed arrays to other queries' tables
 * (stateArrayPool) — but only once no query runs on it: deleting it under a running query
 * keeps the query's state, which goes when the query stops.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream, SparkSession, deleteMemoryCheckpoint, type Row } from "../../index";
import { stateArrayPool } from "../../state/NumericStateTable";

const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
});

/** A count by id over `ids` distinct ids (a numeric state of `ids` keys), on checkpoint `location`. */
async function countById(location: string, ids: number) {
  const spark = SparkSession.builder().getOrCreate();
  sessions.push(spark);
  const input = new MemoryStream(spark, { id: "long" });
  const rows: Row[] = [];
  const q = input
    .toDF()
    .groupBy(F.col("id"))
    .count()
    .writeStream.outputMode("update")
    .option("checkpointLocation", location)
    .trigger({ manual: true })
    .foreachBatch(async (df) => {
      rows.push(...(await df.collect()));
    })
    .start();
  const batch = async (from: number, to: number) => {
    input.addData(...Array.from({ length: to - from }, (_, i) => ({ id: from + i })));
    await q.step();
  };
  await batch(0, ids);
  await batch(0, ids);
  return { q, rows, batch };
}

describe("deleting an in-memory checkpoint", () => {
  it("releases its state to the pool once its query stopped, not before", async () => {
    const { q, rows, batch } = await countById("release-a", 60_000);
    const before = stateArrayPool.size;
    // Deleted under the running query: its state stays.
    deleteMemoryCheckpoint("release-a");
    expect(stateArrayPool.size).toBe(before);
    await batch(0, 10);
    expect(rows.slice(-10).map((r) => r.count)).toEqual(Array(10).fill(3));
    await q.stop();
    expect(stateArrayPool.size).toBeGreaterThan(before + 60_000 * 8);
    // The next query's table grows into it, and counts right.
    const pooled = stateArrayPool.size;
    const next = await countById("release-b", 60_000);
    expect(stateArrayPool.size).toBeLessThan(pooled);
    expect(next.rows.length).toBe(120_000);
    expect(next.rows.slice(-3).map((r) => r.count)).toEqual([2, 2, 2]);
    await next.q.stop();
    deleteMemoryCheckpoint("release-b");
  });

  it("keeps the state of a stopped query whose checkpoint is not deleted (a restart resumes from it)", async () => {
    const { q } = await countById("release-c", 30_000);
    await q.stop();
    const before = stateArrayPool.size;
    const again = await countById("release-c", 30_000);
    // Resumed from the state (count 2): the new stream's first batch has an offset the
    // checkpoint already committed, its second one counts.
    expect(again.rows.slice(-1)[0]?.count).toBe(3);
    expect(stateArrayPool.size).toBe(before);
    await again.q.stop();
    deleteMemoryCheckpoint("release-c");
  });
});
