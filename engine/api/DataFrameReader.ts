import { batchFromRows } from "../execution/ColumnarBatch";
import type { StructType, Value } from "../expressions/types";
import { fileFormat, type FileFormat } from "../formats/FileFormat";
import { localRelation } from "../plan/analyzer";
import { listDataFiles } from "../sources/FileListing";
import { AnalysisException } from "../util/errors";
import { DataFrame } from "./DataFrame";
import { ReaderBase } from "./OptionsBuilder";
import type { SparkSession } from "./SparkSession";

/**
 * `spark.read`: static reads of json / csv / text files on the session's VirtualFileSystem.
 * Loading is asynchronous (the file system is IndexedDB in the browser), so `load()` and the
 * shortcuts resolve to the DataFrame. A directory written by a file sink is read through its
 * `_spark_metadata` log: only committed files.
 *
 * Rejects with [PATH_NOT_FOUND] for a missing path, [UNABLE_TO_INFER_SCHEMA] when there is
 * nothing to infer from, [MALFORMED_RECORD_IN_PARSING.*] in FAILFAST mode.
 *
 * @example
 * const df = await spark.read.json("out/");
 * const people = await spark.read.format("csv").option("header", true).option("inferSchema", true).load("people.csv");
 */
export class DataFrameReader extends ReaderBase {
  /** @internal use spark.read. Formats: "json" (default), "csv", "text"; options: header, inferSchema, sep, mode, columnNameOfCorruptRecord, …; without a schema it is inferred from the files. */
  constructor(private readonly spark: SparkSession) {
    super("json");
  }
  /** Reads JSON Lines files. */
  json(path: string): Promise<DataFrame> {
    return this.format("json").load(path);
  }
  /** Reads CSV files. */
  csv(path: string): Promise<DataFrame> {
    return this.format("csv").load(path);
  }
  /** Reads text files (column `value`). */
  text(path: string): Promise<DataFrame> {
    return this.format("text").load(path);
  }

  /** Reads `path` (a file or a directory). */
  async load(path: string): Promise<DataFrame> {
    const format = requireFileFormat(this.fmt ?? "json");
    const fs = this.spark.fileSystem;
    const files = await listDataFiles(fs, path);
    if (files.length === 0 && (await fs.stat(path)) === undefined) {
      throw new AnalysisException(`[PATH_NOT_FOUND] Path does not exist: ${path}.`, "PATH_NOT_FOUND");
    }
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    const texts: string[] = [];
    for (const f of files) texts.push(await fs.readText(f.path));
    const schema = this.userSchema ?? format.fixedSchema ?? inferOrFail(format, texts, this.opts);
    const rows: Value[][] = [];
    for (const t of texts) for (const r of format.parse(t, schema, this.opts, () => undefined)) rows.push(r);
    const data = batchFromRows(
      schema.fields.map((f) => f.dataType),
      rows,
    );
    return new DataFrame(this.spark, localRelation(schema.fields.map((f) => ({ name: f.name, dataType: f.dataType, nullable: f.nullable })), data));
  }
}

/** The FileFormat of `name`, or AnalysisException [DATA_SOURCE_NOT_FOUND]. */
export function requireFileFormat(name: string): FileFormat {
  const f = fileFormat(name.trim());
  if (f === undefined) {
    throw new AnalysisException(`[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${name}. Available file formats: json, csv, text.`, "DATA_SOURCE_NOT_FOUND");
  }
  return f;
}

/** Infers a schema, or throws Spark's [UNABLE_TO_INFER_SCHEMA] when there is nothing to infer from. */
export function inferOrFail(format: FileFormat, texts: readonly string[], opts: Readonly<Record<string, string>>): StructType {
  const schema = format.infer(texts, opts);
  if (schema.fields.length === 0) {
    throw new AnalysisException(`[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for ${format.name.toUpperCase()}. It must be specified manually.`, "UNABLE_TO_INFER_SCHEMA");
  }
  return schema;
}
