import { streamingRelation } from "../plan/analyzer";
import { streamSourceFormat, streamSourceFormats } from "../sources/registry";
import { AnalysisException, IllegalArgumentException, UnsupportedOperationException } from "../util/errors";
import { DataFrame } from "./DataFrame";
import { ReaderBase } from "./OptionsBuilder";
import type { SparkSession } from "./SparkSession";

/** Formats that later issues add (file sources), until they register (sources/registry.ts). */
const LATER_FORMATS = new Set(["json", "csv", "text", "parquet", "orc", "kafka"]);

/**
 * `spark.readStream`: builds a streaming DataFrame from a source format and options.
 * Options are validated by `load()` (bad values throw IllegalArgumentException naming the option).
 *
 * @example spark.readStream.format("rate").option("rowsPerSecond", 10).load()
 */
export class DataStreamReader extends ReaderBase {
  /** @internal use spark.readStream. Formats: "rate", "rate-micro-batch", "events", "socket", or any registered one (sources/registry.ts). */
  constructor(private readonly spark: SparkSession) {
    super(null);
  }

  /**
   * Creates the streaming DataFrame. Throws AnalysisException for an unknown format
   * ("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: x.") and
   * IllegalArgumentException for an invalid option value.
   */
  load(path?: string): DataFrame {
    const format = (this.fmt ?? "").trim();
    const lower = format.toLowerCase();
    const registered = streamSourceFormat(lower);
    if (registered !== undefined) {
      if (registered.fixedSchema && this.userSchema !== null) {
        throw new UnsupportedOperationException(`Source ${format} does not support user-specified schema.`, "USER_SPECIFIED_SCHEMA_UNSUPPORTED");
      }
      const desc = registered.build({
        options: { ...this.opts },
        schema: this.userSchema,
        path,
        clock: this.spark.clock,
        conf: (k, d) => this.spark.conf.get(k, d),
        session: this.spark,
      });
      return new DataFrame(this.spark, streamingRelation(desc));
    }
    if ((lower === "json" || lower === "csv") && this.userSchema === null && this.spark.conf.get("spark.sql.streaming.schemaInference", "false").toLowerCase() !== "true") {
      throw new IllegalArgumentException(
        "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.",
        "SCHEMA_REQUIRED",
      );
    }
    if (LATER_FORMATS.has(lower)) {
      throw new UnsupportedOperationException(`The streaming source format "${format}" is not supported yet by this engine.`, "UNSUPPORTED_DATA_SOURCE");
    }
    throw new AnalysisException(
      `[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${format === "" ? "(none: call format(...))" : format}. Available streaming sources: ${streamSourceFormats().join(", ")}.`,
      "DATA_SOURCE_NOT_FOUND",
    );
  }
}
