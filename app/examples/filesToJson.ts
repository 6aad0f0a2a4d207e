import type { Example } from "./Example";

export const FILES_TO_JSON: Example = {
  id: "files-to-json",
  title: "Files in → JSON out",
  summary: "A CSV file source with a schema, a malformed row, and a JSON file sink.",
  cells: [
    {
      kind: "markdown",
      source: `# Files in, JSON out

A file source reads each new file of a folder once, in modification order (\`maxFilesPerTrigger\` limits how many per batch). The first cell writes two CSV files into \`in/orders\` — you can also upload your own with **Files** in the toolbar.

The second reads them with a schema. One line is malformed: in the default **PERMISSIVE** mode it becomes a row of nulls with the raw text in \`_corrupt_record\` (try \`option("mode", "DROPMALFORMED")\` or \`"FAILFAST"\`). The JSON sink writes part files to \`out/orders\` — download them from **Files**.`,
    },
    {
      kind: "code",
      source: `await spark.fileSystem.writeText("in/orders/1.csv", "id,item,amount\\n1,tea,3.5\\n2,cake,4.25\\n");
await spark.fileSystem.writeText("in/orders/2.csv", "id,item,amount\\n3,coffee,2.8\\nnot,a,number\\n");
console.log(await spark.fileSystem.list("in/orders"));
`,
    },
    {
      kind: "code",
      source: `const orders = spark.readStream.format("csv")
  .option("header", true)
  .option("maxFilesPerTrigger", 1)
  .schema({ id: "long", item: "string", amount: "double", _corrupt_record: "string" })
  .load("in/orders");

const q = orders.writeStream.format("json")
  .option("path", "out/orders")
  .option("checkpointLocation", "cp/orders")
  .trigger({ availableNow: true })
  .start();
await q.awaitTermination();

await display(await spark.read.json("out/orders"));
`,
    },
  ],
};
