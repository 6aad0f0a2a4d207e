import type { Example } from "./Example";

export const DEDUPLICATION: Example = {
  id: "deduplication",
  title: "Deduplication",
  summary: "dropDuplicates with a watermark, and dropDuplicatesWithinWatermark, over events that arrive twice.",
  cells: [
    {
      kind: "markdown",
      source: `# Deduplication

Sources often deliver an event more than once. \`dropDuplicates(["id"])\` keeps the first row of each id; **without a watermark it remembers every id forever**. With a watermark and the event time among the columns, an id's state is dropped once its event time is behind the watermark, so state stays bounded — and a late duplicate is dropped as late.

\`dropDuplicatesWithinWatermark(["id"])\` needs only the id: a key expires at its first event time + the delay, then may appear again.

Each event below is sent twice (ids repeat); watch **Rows in state** in the Progress tab stay flat.`,
    },
    {
      kind: "code",
      source: `const events = spark.readStream.format("rate").option("rowsPerSecond", 6).load()
  .withColumn("id", F.col("value").divide(2).cast("long"))   // every id arrives twice
  .withWatermark("timestamp", "3 seconds");

events.dropDuplicates(["id", "timestamp"])
  .writeStream.format("memory").queryName("dedup_with_watermark").start();
`,
    },
    {
      kind: "code",
      source: `events.dropDuplicatesWithinWatermark(["id"])
  .writeStream.format("memory").queryName("dedup_within_watermark").start();
`,
    },
  ],
};
