import type { StructField, StructType, Value } from "../expressions/types";
import { parseCsv, writeCsv } from "./csv";
import { inferCsvSchema, inferJsonSchema } from "./inferSchema";
import { parseJson, writeJson } from "./json";
import { parseText, TEXT_SCHEMA_FIELDS, writeText } from "./text";

/** A file format (Spark's FileFormat): how files are parsed, written and have their schema inferred. */
export interface FileFormat {
  /** "json", "csv" or "text". */
  readonly name: FileFormatName;
  /** Extension of written part files (Spark's: ".json", ".csv", ".txt"). */
  readonly extension: string;
  /** Parses one file's text into rows of `schema`; `onMalformed` is called per malformed record. Throws in FAILFAST mode. */
  parse(text: string, schema: StructType, opts: Readonly<Record<string, string>>, onMalformed: () => void): Value[][];
  /** Serializes rows (columns of `fields`) as one file's text. */
  write(fields: readonly StructField[], rows: readonly (readonly Value[])[], opts: Readonly<Record<string, string>>): string;
  /** Infers a schema from files' texts. */
  infer(texts: readonly string[], opts: Readonly<Record<string, string>>): StructType;
  /** Whether a user schema is required without inference (json and csv: yes; text: fixed schema). */
  readonly fixedSchema: StructType | null;
}

/** Names of the supported file formats. */
export type FileFormatName = "json" | "csv" | "text";

const FORMATS: Record<FileFormatName, FileFormat> = {
  json: { name: "json", extension: ".json", parse: parseJson, write: (f, r) => writeJson(f, r), infer: inferJsonSchema, fixedSchema: null },
  csv: { name: "csv", extension: ".csv", parse: parseCsv, write: writeCsv, infer: inferCsvSchema, fixedSchema: null },
  text: {
    name: "text",
    extension: ".txt",
    parse: (text, _schema, opts) => parseText(text, opts),
    write: (f, r) => writeText(f, r),
    infer: () => ({ type: "struct", fields: TEXT_SCHEMA_FIELDS }),
    fixedSchema: { type: "struct", fields: TEXT_SCHEMA_FIELDS },
  },
};

/** The file format named `name` (case-insensitive), or undefined. */
export function fileFormat(name: string): FileFormat | undefined {
  const n = name.toLowerCase();
  return n === "json" || n === "csv" || n === "text" ? FORMATS[n] : undefined;
}
