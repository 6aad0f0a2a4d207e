import type { Example } from "./Example";

export const OUTPUT_MODES: Example = {
  id: "output-modes",
  title: "The three output modes side by side",
  summary: "One windowed count, written in append, update and complete mode.",
  cells: [
    {
      kind: "markdown",
      source: `# Output modes

The same aggregation — a count per 5-second window of a \`rate\` stream, with a 2-second watermark — written three ways:

- **complete** rewrites the whole result table every batch;
- **update** writes only the rows that changed in the batch (watch them highlight);
- **append** writes a window once, when the watermark passes its end and it can no longer change — so rows appear late, but never change.

Run all three and compare.`,
    },
    {
      kind: "code",
      source: `const counts = spark.readStream.format("rate").option("rowsPerSecond", 4).load()
  .withWatermark("timestamp", "2 seconds")
  .groupBy(F.window(F.col("timestamp"), "5 seconds"))
  .count();

counts.writeStream.format("memory").queryName("complete_counts").outputMode("complete").start();
`,
    },
    {
      kind: "code",
      source: `const counts = spark.readStream.format("rate").option("rowsPerSecond", 4).load()
  .withWatermark("timestamp", "2 seconds")
  .groupBy(F.window(F.col("timestamp"), "5 seconds"))
  .count();

counts.writeStream.format("memory").queryName("update_counts").outputMode("update").start();
`,
    },
    {
      kind: "code",
      source: `const counts = spark.readStream.format("rate").option("rowsPerSecond", 4).load()
  .withWatermark("timestamp", "2 seconds")
  .groupBy(F.window(F.col("timestamp"), "5 seconds"))
  .count();

counts.writeStream.format("memory").queryName("append_counts").outputMode("append").start();
`,
    },
  ],
};
