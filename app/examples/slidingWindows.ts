import type { Example } from "./Example";

export const SLIDING_WINDOWS: Example = {
  id: "sliding-windows",
  title: "Sliding window counts",
  summary: "10-second windows every 5 seconds, per key, charted over event time.",
  cells: [
    {
      kind: "markdown",
      source: `# Sliding windows

\`F.window(time, "10 seconds", "5 seconds")\` puts every row in **two** windows: each window is 10 seconds long and a new one starts every 5 seconds. Windows are aligned to the epoch and include their start, not their end: \`[start, end)\`.

\`display(df)\` shows the result as a chart: each window is a bar from its start to its end, so you can see them overlap.`,
    },
    {
      kind: "code",
      source: `const events = spark.readStream.format("rate").option("rowsPerSecond", 10).load()
  .withColumn("sensor", F.concat(F.lit("sensor-"), F.col("value").mod(3).cast("string")))
  .withWatermark("timestamp", "5 seconds");

const counts = events
  .groupBy(F.window(F.col("timestamp"), "10 seconds", "5 seconds"), F.col("sensor"))
  .count();

await display(counts);
`,
    },
  ],
};
