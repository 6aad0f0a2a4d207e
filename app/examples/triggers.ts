import type { Example } from "./Example";

export const TRIGGERS: Example = {
  id: "triggers",
  title: "Triggers compared",
  summary: "The same source under the default trigger, processingTime, availableNow and once.",
  cells: [
    {
      kind: "markdown",
      source: `# Triggers

A trigger decides when the next micro-batch runs:

- **default**: as soon as the previous batch ends (and there is data);
- **processingTime**: at every multiple of the interval; a batch that overruns starts the next at once;
- **availableNow**: everything available now, in as many batches as the source's limits need, then stop;
- **once**: one batch of everything available now, then stop.

Each cell below reads a \`rate-micro-batch\` source (a fixed number of rows per batch) and prints each batch to the console.`,
    },
    {
      kind: "code",
      source: `spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 3).load()
  .writeStream.format("console").queryName("every_2s")
  .trigger({ processingTime: "2 seconds" })
  .start();
`,
    },
    {
      kind: "code",
      source: `const q = spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 3).load()
  .writeStream.format("memory").queryName("once")
  .trigger({ once: true })
  .start();
await q.awaitTermination();
console.log("once: stopped after batch", q.lastProgress?.batchId);
`,
    },
  ],
};
