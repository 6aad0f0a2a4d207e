/**
 * A first batch that goes straight to the state does not reserve by its sample: the sample
 * (the first 2,048 rows) says nothing of the batch's size, and a large first batch over a few
 * thousand keys (a backlog replayed at start) reserved one entry per row, which the table
 * keeps for good (a review found it).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, memoryCheckpointStore } from "../../index";
import { NumericStateStoreProvider } from "../../state/NumericStateStoreProvider";
import { NumericAggregationState } from "./numericAggregationState";

const sessions: SparkSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sessions.splice(0)) {
    for (const q of [...s.streams.active]) await q.stop().catch(() => undefined);
    await s.stop();
  }
});

describe("tumbling count straight to the state: the first batch's reservation", () => {
  it("is about the batch's groups, not its rows", async () => {
    const spark = SparkSession.builder().appName("first-reserve").clock(new ManualClock(0)).output(() => undefined).getOrCreate();
    sessions.push(spark);
    const location = `first-reserve-${Date.now()}`;
    const input = new MemoryStream(spark, { t: "timestamp", k: "int" } as const);
    const df = input.toDF().withWatermark("t", "5 seconds").groupBy(F.window(F.col("t"), "10 seconds"), F.col("k")).agg(F.count("*").as("n"));
    const direct = vi.spyOn(NumericAggregationState.prototype, "executeDirect");
    const q = df.writeStream.foreachBatch(() => undefined).outputMode("update").trigger({ manual: true }).option("checkpointLocation", location).start();
    // 200,000 rows, 4,096 keys (k = i mod 4096), one window: the first 2,048 rows are all new groups.
    const KEYS = 4096;
    const rows: { t: number; k: number }[] = [];
    for (let i = 0; i < 200_000; i++) rows.push({ t: 100_000 + (i % 1000), k: i % KEYS });
    input.addData(rows);
    await q.processAllAvailable();
    expect(direct.mock.results.some((r) => r.type === "return" && r.value !== undefined), "the direct path").toBe(true);
    const provider = memoryCheckpointStore(location).stateStoreProvider<unknown>(0);
    expect(provider).toBeInstanceOf(NumericStateStoreProvider);
    const table = (provider as NumericStateStoreProvider<unknown>).table;
    expect(table.size).toBe(KEYS);
    const capacity = (table as unknown as { entryCap: number }).entryCap;
    // Growing by half from 1,024 ends at 5,184; reserving by the sample took 200,000 (about 10 MB, kept).
    expect(capacity).toBeLessThan(8 * KEYS);
  });
});
