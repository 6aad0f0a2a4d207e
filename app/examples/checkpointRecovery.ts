import type { Example } from "./Example";

export const CHECKPOINT_RECOVERY: Example = {
  id: "checkpoint-recovery",
  title: "Checkpoint and recovery",
  summary: "A query with a checkpointLocation survives a crash or a reload, losing and duplicating nothing.",
  cells: [
    {
      kind: "markdown",
      source: `# Checkpoint and recovery

With \`option("checkpointLocation", …)\` a query writes, for every micro-batch, its **offsets** before the batch runs (a write-ahead log) and a **commit** after it, next to its state. Here they live in IndexedDB, so they survive a reload.

1. Run the first cell and let a few batches go by.
2. Press **Restart engine** (it kills the worker mid-batch), or reload the page.
3. Run the first cell again: the query resumes after the last committed batch, and re-runs a batch that was planned but not committed with the same offsets.
4. Stop it and run the second cell: every value is there once — nothing lost, nothing duplicated — because the file sink only counts files listed in its \`_spark_metadata\` log.

**Reset checkpoint** on the query starts over from scratch.`,
    },
    {
      kind: "code",
      source: `spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 5).load()
  .writeStream.format("json")
  .option("path", "out/recovery")
  .option("checkpointLocation", "cp/recovery")
  .trigger({ processingTime: "500 milliseconds" })
  .start();
`,
    },
    {
      kind: "code",
      source: `if ((await spark.fileSystem.list("out/recovery")).length === 0) {
  console.log("No output yet: let the query above run a few batches first.");
} else {
  const rows = await (await spark.read.json("out/recovery")).collect();
  const values = rows.map((r) => Number(r.value)).sort((a, b) => a - b);
  console.log(\`\${values.length} rows, \${new Set(values).size} distinct, values 0..\${values.at(-1)}\`);
}
`,
    },
  ],
};
