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
2. Press **Crash now** on the query: the engine is killed in the middle of the next batch — its offsets are in \`offsets/N\` and the sink has its rows, but \`commits/N\` was never written — and the cell runs again on a new engine.
3. The query says which batch it **re-ran from the offset log**, with the same offsets, and reads the sink back: every value is there once, because the file sink only counts files listed in its \`_spark_metadata\` log and skips a batch it already logged. The **Checkpoint** tab shows the files.
4. A reload or **Restart engine** works the same way: run the first cell again and it resumes after the last committed batch. The second cell reads the output back.

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
