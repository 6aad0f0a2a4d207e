/**
 * explain(true) of a typical windowed streaming aggregation, compared with a saved
 * golden file (attribute ids normalised to #n). Regenerate with UPDATE_GOLDEN=1.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import { F, ManualClock, SparkSession } from "../index";

const GOLDEN = new URL("./golden/explain-windowed-count.txt", import.meta.url);
const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
});

it("explain(true) of a windowed count matches the golden file", () => {
  const out: string[] = [];
  const spark = SparkSession.builder().clock(new ManualClock(0)).output((t) => void out.push(t)).getOrCreate();
  sessions.push(spark);
  spark.readStream
    .format("rate")
    .option("rowsPerSecond", 10)
    .load()
    .withColumn("bucket", F.col("value").mod(F.lit(2).plus(1)))
    .filter(F.col("bucket").notEq(0))
    .withWatermark("timestamp", "10 seconds")
    .groupBy(F.window(F.col("timestamp"), "10 seconds", "5 seconds"), F.col("bucket"))
    .agg(F.count("*").as("n"))
    .explain(true);
  const text = out.join("").replace(/#\d+/g, "#n");
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, text);
  expect(text).toBe(readFileSync(GOLDEN, "utf8"));
});
