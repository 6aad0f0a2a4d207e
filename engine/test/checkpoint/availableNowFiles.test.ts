import { expect, it } from "vitest";
import { ManualClock, MemoryFileSystem, SparkSession } from "../../index";

it("availableNow reads every file present at start, in batches of maxFilesPerTrigger, then stops (Spark's FileStreamSource)", async () => {
  const fs = new MemoryFileSystem();
  for (let i = 0; i < 3; i++) await fs.writeText(`in/${i}.json`, `{"n":${i}}\n`, 1000 + i);
  const spark = SparkSession.builder().clock(new ManualClock(0)).fileSystem(fs).output(() => undefined).getOrCreate();
  const q = spark.readStream.format("json").schema({ n: "long" }).option("maxFilesPerTrigger", 1).load("in")
    .writeStream.format("memory").queryName("avail").trigger({ availableNow: true }).start();
  await q.awaitTermination();
  const rows = await spark.table("avail").collect();
  expect(rows.map((r) => r.n).sort()).toEqual([0, 1, 2]);
  expect(q.recentProgress.filter((p) => p.numInputRows > 0).length).toBe(3);
  await spark.stop();
});
