import { IllegalArgumentException, SparkException } from "../util/errors";
import type { StructType, Value } from "../expressions/types";

/** Spark's parse modes of the json and csv readers (option "mode"). */
export type ParseMode = "PERMISSIVE" | "DROPMALFORMED" | "FAILFAST";

/** Reader options shared by json and csv, as Spark names them. */
export interface ParseOptions {
  readonly mode: ParseMode;
  /** Option columnNameOfCorruptRecord (default spark.sql.columnNameOfCorruptRecord = "_corrupt_record"). */
  readonly columnNameOfCorruptRecord: string;
}

/** Reads "mode" and "columnNameOfCorruptRecord". Throws IllegalArgumentException for an unknown mode. */
export function parseOptions(opts: Readonly<Record<string, string>>): ParseOptions {
  const raw = (opts.mode ?? "PERMISSIVE").toUpperCase();
  if (raw !== "PERMISSIVE" && raw !== "DROPMALFORMED" && raw !== "FAILFAST") {
    throw new IllegalArgumentException(`${opts.mode ?? ""} is not a valid parse mode. Valid modes are PERMISSIVE, DROPMALFORMED and FAILFAST.`, "INVALID_PARSE_MODE");
  }
  return { mode: raw, columnNameOfCorruptRecord: opts.columnNameOfCorruptRecord ?? "_corrupt_record" };
}

/**
 * A record that does not match the schema (Spark's BadRecordException): `partial` holds the
 * fields that did parse (null elsewhere), as Spark 3 keeps partial results in PERMISSIVE mode.
 */
export class BadRecord extends Error {
  constructor(
    readonly record: string,
    readonly partial: Value[] | null,
  ) {
    super(`Malformed record: ${record}`);
  }
}

/** FAILFAST's error: `[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION]`, Spark's wording. */
export function malformedRecordError(record: string): SparkException {
  return new SparkException(
    `[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: ${record}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
    "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
  );
}

/**
 * Applies the parse mode to one record: `parse` returns the row in schema order (without the
 * corrupt-record column) or throws BadRecord. PERMISSIVE keeps the partial row and fills the
 * corrupt-record column when the schema has it; DROPMALFORMED drops it; FAILFAST throws.
 * Returns the row (in full schema order) or null when dropped; `onMalformed` counts bad records.
 */
export function applyParseMode(
  schema: StructType,
  opts: ParseOptions,
  record: string,
  parse: () => Value[],
  onMalformed: () => void,
): Value[] | null {
  const corruptIndex = schema.fields.findIndex((f) => f.name === opts.columnNameOfCorruptRecord && f.dataType === "string");
  try {
    const row = parse();
    if (corruptIndex >= 0) row.splice(corruptIndex, 0, null);
    return row;
  } catch (e) {
    if (!(e instanceof BadRecord)) throw e;
    onMalformed();
    if (opts.mode === "FAILFAST") throw malformedRecordError(record);
    if (opts.mode === "DROPMALFORMED") return null;
    const n = schema.fields.length - (corruptIndex >= 0 ? 1 : 0);
    const row: Value[] = e.partial ?? new Array<Value>(n).fill(null);
    if (corruptIndex >= 0) row.splice(corruptIndex, 0, record);
    return row;
  }
}

/** The schema without the corrupt-record column (what the parser fills). */
export function dataFields(schema: StructType, opts: ParseOptions): StructType["fields"] {
  return schema.fields.filter((f) => !(f.name === opts.columnNameOfCorruptRecord && f.dataType === "string"));
}
