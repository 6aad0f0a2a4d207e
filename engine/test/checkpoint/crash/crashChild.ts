/**
 * The child process of the SIGKILL crash test (crashRecovery.test.ts): runs the query over
 * `<dir>/in` into `<dir>/out` with its checkpoint in `<dir>/cp` until every file present is
 * processed, then prints "done" and exits. The parent kills it at random moments.
 *
 * Usage: node --import tsx crashChild.ts <dir>
 */
import { F, SparkSession } from "../../../index";
import { NodeFileSystem, openFileCheckpointStore } from "../../../node";

const dir = process.argv[2] as string;

export function startCrashQuery(spark: SparkSession) {
  return spark.readStream
    .format("json")
    .schema({ t: "timestamp", k: "string", v: "long" })
    .option("maxFilesPerTrigger", 1)
    .load("in")
    .withWatermark("t", "10 seconds")
    .groupBy(F.window("t", "10 seconds"), "k")
    .agg(F.count("*").as("n"), F.sum("v").as("total"))
    .select(F.col("window").getField("start").as("start"), "k", "n", "total")
    .writeStream.format("json")
    .option("path", "out")
    .option("checkpointLocation", `${dir}/cp`)
    // A short interval spreads the batches over time, so random kills land mid-run.
    .trigger({ processingTime: "100 milliseconds" })
    .start();
}

async function main(): Promise<void> {
  const spark = SparkSession.builder()
    .output(() => undefined)
    .fileSystem(new NodeFileSystem(dir))
    .checkpointStores((loc) => openFileCheckpointStore(loc, { minDeltasForSnapshot: 3 }))
    .config("spark.sql.streaming.minBatchesToRetain", "5")
    .getOrCreate();
  const q = startCrashQuery(spark);
  await q.processAllAvailable();
  await q.stop();
  process.stdout.write("done\n");
}

if (dir !== undefined && process.argv[1]?.endsWith("crashChild.ts")) {
  main().catch((e: unknown) => {
    process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
    process.exit(1);
  });
}
