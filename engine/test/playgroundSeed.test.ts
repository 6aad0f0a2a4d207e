import { expect, it } from "vitest";
import { ManualClock, SparkSession } from "../index";

async function firstEvents(seedConf: string | null, seedOption?: number): Promise<unknown[]> {
  const clock = new ManualClock(0);
  const spark = SparkSession.builder().clock(clock).output(() => undefined).getOrCreate();
  if (seedConf !== null) spark.conf.set("spark.playground.seed", seedConf);
  let reader = spark.readStream.format("events").option("eventsPerSecond", 20);
  if (seedOption !== undefined) reader = reader.option("seed", seedOption);
  const q = reader.load().writeStream.format("memory").queryName("ev").trigger({ manual: true }).start();
  await q.step();
  clock.advance(2000);
  await q.processAllAvailable();
  const rows = await spark.table("ev").collect();
  await spark.stop();
  return rows.map((r) => [r.key, r.value, (r.eventTime as Date).getTime()]);
}

it("spark.playground.seed is the events source's default seed; an explicit seed option wins", async () => {
  const a = await firstEvents("7");
  expect(a.length).toBeGreaterThan(0);
  expect(await firstEvents("7")).toEqual(a);
  expect(await firstEvents("8")).not.toEqual(a);
  expect(await firstEvents("8", 7)).toEqual(await firstEvents(null, 7));
});
