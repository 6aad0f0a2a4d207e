import type { Example } from "./Example";

export const WATERMARKS: Example = {
  id: "watermarks",
  title: "Watermarks and late data",
  summary: "Out-of-order events: the watermark trails the max event time; rows behind it are dropped and counted.",
  cells: [
    {
      kind: "markdown",
      source: `# Watermarks and late data

The \`events\` source makes out-of-order events: each arrives up to \`maxDelay\` after its event time, and a fraction (\`lateFraction\`) arrives \`lateness\` later still.

\`withWatermark("eventTime", "10 seconds")\` tells Spark how late data may be. After each batch the watermark becomes **max event time seen − 10 s** (it never goes back), and from the next batch on:

- a row whose event time is at or behind the watermark is **dropped** at the aggregation, and counted in \`numRowsDroppedByWatermark\`;
- a window whose end is at or behind the watermark is **final**: in append mode it is written now, and its state is dropped.

The **Watermark** tab draws every row by when it was processed (x) and its event time (y): on time, late but still counted (its window was open), or dropped — with the watermark as a line that steps at each batch and the windows as bands. Hover a row to see the watermark it met and the windows it joined or missed; click the chart, or use the form, to add a late event of your own; replay the same input with another delay and compare the results side by side.`,
    },
    {
      kind: "code",
      source: `const events = spark.readStream.format("events")
  .option("eventsPerSecond", 20)
  .option("keys", 3)
  .option("maxDelay", "4 seconds")
  .option("lateFraction", 0.1)
  .option("lateness", "30 seconds")
  .option("seed", 7)
  .load();

const counts = events
  .withWatermark("eventTime", "10 seconds")
  .groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key"))
  .agg(F.count("*").as("events"), F.sum("value").as("total"));

counts.writeStream.format("memory").queryName("late_data").outputMode("append").start();
`,
    },
  ],
};
