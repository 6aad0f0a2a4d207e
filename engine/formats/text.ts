import type { StructField, Value } from "../expressions/types";
import { AnalysisException } from "../util/errors";

/** The text format's schema: one string column `value`. */
export const TEXT_SCHEMA_FIELDS: readonly StructField[] = [{ name: "value", dataType: "string", nullable: true }];

/** Lines of a text file as rows (`wholetext=true`: the whole file as one row). A final newline adds no row. */
export function parseText(text: string, opts: Readonly<Record<string, string>>): Value[][] {
  if ((opts.wholetext ?? "false").toLowerCase() === "true") return [[text]];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => [l]);
}

/**
 * Writes rows of a single string column, one per line. Throws AnalysisException (Spark's
 * wording) when the data has another shape.
 */
export function writeText(fields: readonly StructField[], rows: readonly (readonly Value[])[]): string {
  if (fields.length !== 1) {
    throw new AnalysisException(`Text data source supports only a single column, and you have ${fields.length} columns.`, "TEXT_DATA_SOURCE_SINGLE_COLUMN");
  }
  if ((fields[0] as StructField).dataType !== "string") {
    throw new AnalysisException(
      `[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the column \`${(fields[0] as StructField).name}\` of the type "${String((fields[0] as StructField).dataType).toUpperCase()}".`,
      "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
    );
  }
  return rows.length === 0 ? "" : rows.map((r) => (r[0] === null ? "" : String(r[0]))).join("\n") + "\n";
}
