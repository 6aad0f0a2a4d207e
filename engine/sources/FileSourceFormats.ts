import { inferOrFail } from "../api/DataFrameReader";
import type { StructType } from "../expressions/types";
import { fileFormat, type FileFormat, type FileFormatName } from "../formats/FileFormat";
import { IllegalArgumentException } from "../util/errors";
import { fileStreamSourceDescriptor } from "./FileStreamSource";
import { listDataFilesSync } from "./FileListing";
import { registerStreamSource, type SourceRequest } from "./registry";

/**
 * Registers the json / csv / text streaming sources (`spark.readStream.format("json").load(dir)`)
 * over the session's file system. Schema: the user's, the text format's fixed one, or — with
 * spark.sql.streaming.schemaInference=true — inferred from the files present at `load()`
 * (Spark's rule); otherwise IllegalArgumentException "Schema must be specified…".
 */
function build(format: FileFormat, req: SourceRequest) {
  const path = req.path ?? req.options.path;
  if (path === undefined || path === "") {
    throw new IllegalArgumentException("'path' is not specified", "PATH_NOT_SPECIFIED");
  }
  let schema: StructType | null = req.schema ?? format.fixedSchema;
  if (schema === null) {
    if (req.conf("spark.sql.streaming.schemaInference", "false").toLowerCase() !== "true") {
      throw new IllegalArgumentException(
        "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.",
        "SCHEMA_REQUIRED",
      );
    }
    const fs = req.session.fileSystem;
    const files = listDataFilesSync(fs, path) ?? [];
    const texts = fs.readTextSync === undefined ? [] : files.map((f) => (fs.readTextSync as (p: string) => string)(f.path));
    schema = inferOrFail(format, texts, req.options);
  }
  return fileStreamSourceDescriptor(req.session.fileSystem, path, format, schema, req.options);
}

for (const name of ["json", "csv", "text"] as FileFormatName[]) {
  const format = fileFormat(name) as FileFormat;
  registerStreamSource(name, (req) => build(format, req), false);
}
