import type { OutputMode } from "../execution/PhysicalOperator";
import { fileFormat } from "../formats/FileFormat";
import type { VirtualFileSystem } from "../fs/VirtualFileSystem";
import { getOption } from "../sources/options";
import { AnalysisException, IllegalArgumentException } from "../util/errors";
import { FileStreamSink } from "./FileStreamSink";

/**
 * The file sink of `writeStream.format("json" | "csv" | "text")`, or undefined for other
 * formats. Throws as Spark: IllegalArgumentException "'path' is not specified";
 * AnalysisException "Data source json does not support Complete output mode" (file sinks
 * are append-only); AnalysisException "checkpointLocation must be specified…".
 */
export function makeFileSink(
  fs: VirtualFileSystem,
  format: string,
  options: Readonly<Record<string, string>>,
  outputMode: OutputMode,
  conf: (key: string) => string | undefined,
): FileStreamSink | undefined {
  const f = fileFormat(format);
  if (f === undefined) return undefined;
  const path = getOption(options, "path");
  if (path === undefined || path === "") throw new IllegalArgumentException("'path' is not specified", "PATH_NOT_SPECIFIED");
  if (outputMode !== "append") {
    const mode = outputMode === "complete" ? "Complete" : "Update";
    throw new AnalysisException(`Data source ${f.name} does not support ${mode} output mode`, "STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE");
  }
  // The writer does not derive a location from spark.sql.streaming.checkpointLocation, so the
  // option is required: with a temporary checkpoint a restart would begin again at batch 0,
  // and the sink would skip those batch ids as already committed.
  if (getOption(options, "checkpointLocation") === undefined) {
    throw new AnalysisException(
      `checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)`,
      "CHECKPOINT_LOCATION_REQUIRED",
    );
  }
  const interval = Number(conf("spark.sql.streaming.fileSink.log.compactInterval") ?? "10");
  return new FileStreamSink(fs, path, f, options, Number.isInteger(interval) && interval > 0 ? interval : 10);
}
