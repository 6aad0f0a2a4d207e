import type { SparkSession } from "../api/SparkSession";
import { FileStreamSinkLog, SPARK_METADATA } from "../sinks/FileStreamSinkLog";
import type { SinkCheck } from "./protocol";

const FILE_FORMATS = new Set(["json", "csv", "text", "parquet"]);

/**
 * Reads back what a query's sink holds — a file sink through its _spark_metadata log,
 * as `spark.read` does, a memory sink through its table — and counts the rows that are
 * there more than once. For a file sink it also sets the files the log lists against
 * those on disk: a batch killed half-way leaves a file no reader counts.
 */
export async function checkSink(spark: SparkSession, spec: { format: string; path: string | null; queryName: string | null }): Promise<SinkCheck> {
  const format = spec.format.toLowerCase();
  let rows: Record<string, unknown>[];
  let committedBatches: number | null = null;
  let filesListed: number | null = null;
  let filesOnDisk: number | null = null;
  let target: string;
  if (FILE_FORMATS.has(format) && spec.path !== null) {
    target = spec.path;
    const fs = spark.fileSystem;
    const log = new FileStreamSinkLog(fs, spec.path);
    committedBatches = (await log.getLatestBatchId()) + 1;
    filesListed = (await log.allFiles()).length;
    filesOnDisk = (await fs.list(spec.path)).filter((f) => !f.isDir && !f.path.includes(SPARK_METADATA) && !/\/[._][^/]*$/.test(f.path)).length;
    rows = committedBatches === 0 ? [] : ((await (await spark.read.format(format).load(spec.path)).collect()) as Record<string, unknown>[]);
  } else if (format === "memory" && spec.queryName !== null) {
    target = spec.queryName;
    rows = (await spark.sql(`select * from ${spec.queryName}`).collect()) as Record<string, unknown>[];
  } else {
    throw new Error(`The ${spec.format} sink cannot be read back; a file sink (json, csv, text) or the memory sink can.`);
  }
  const distinct = new Set(rows.map((r) => JSON.stringify(r)));
  return { format: spec.format, target, rows: rows.length, distinctRows: distinct.size, committedBatches, filesListed, filesOnDisk };
}
