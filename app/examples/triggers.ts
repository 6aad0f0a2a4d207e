import type { Example } from "./Example";

export const TRIGGERS: Example = {
  id: "triggers",
  title: "Triggers compared",
  summary: "The same file source under the default trigger, processingTime, availableNow and once, on one timeline.",
  cells: [
    {
      kind: "markdown",
      source: `# Triggers

A trigger decides when the next micro-batch runs:

- **default**: as soon as the previous batch ends and there is new data;
- **processingTime**: at every multiple of the interval; a batch that overruns starts the next one at once;
- **availableNow**: everything available now, in as many batches as the source's limits need, then stop;
- **once**: one batch, then stop.

The cell writes four files and starts the same query — a JSON file source reading at most one file per batch (\`maxFilesPerTrigger\`) — once per trigger. The timeline draws each query's batches (a bar at each batch's start, as long as it ran): the default trigger takes the four files in four quick batches and then waits for more; processingTime takes one every 2 seconds; availableNow takes four batches and stops; once takes one and stops.`,
    },
    {
      kind: "code",
      source: `for (let i = 0; i < 4; i++) {
  await spark.fileSystem.writeText(\`in/triggers/\${i}.json\`, \`{"n": \${i}}\\n\`);
}
const files = spark.readStream.format("json").schema({ n: "long" }).option("maxFilesPerTrigger", 1).load("in/triggers");

files.writeStream.format("memory").queryName("default_trigger").start();
files.writeStream.format("memory").queryName("every_2_seconds").trigger({ processingTime: "2 seconds" }).start();
files.writeStream.format("memory").queryName("available_now").trigger({ availableNow: true }).start();
files.writeStream.format("memory").queryName("once").trigger({ once: true }).start();
`,
    },
  ],
};
