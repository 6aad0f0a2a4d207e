import type { Attribute } from "../expressions/Expression";
import { formatDouble, valueToString } from "../expressions/cast";
import type { DataType, Value } from "../expressions/types";
import { getValue, type ColumnarBatch, type ColumnVector } from "../execution/ColumnarBatch";

function cell(v: Value, t: DataType): string {
  if (v === null) return "NULL";
  if (t === "double" && typeof v === "number") return formatDouble(v);
  if (typeof t !== "string" || t === "timestamp") return valueToString(v, t);
  return String(v);
}

/**
 * Spark's Dataset.showString: an ASCII table of the first `numRows` rows.
 * `truncate` true cuts cells to 20 characters and right-aligns; a number cuts to
 * that width; false shows full cells left-aligned. Nulls print as NULL (Spark 3.5+).
 *
 * ```
 * +-----+-----+
 * |value|count|
 * +-----+-----+
 * |    1|    2|
 * +-----+-----+
 * only showing top 1 row
 * ```
 */
export function showString(attrs: readonly Attribute[], batch: ColumnarBatch, numRows = 20, truncate: boolean | number = true, totalRows = batch.numRows): string {
  const width = truncate === true ? 20 : truncate === false ? 0 : truncate;
  const n = Math.min(numRows, batch.numRows);
  const rows: string[][] = [attrs.map((a) => a.name)];
  for (let i = 0; i < n; i++) {
    rows.push(
      attrs.map((a, c) => {
        const s = cell(getValue(batch.columns[c] as ColumnVector, i), a.dataType);
        if (width > 0 && s.length > width) return width < 4 ? s.slice(0, width) : s.slice(0, width - 3) + "...";
        return s;
      }),
    );
  }
  const widths = attrs.map((_, c) => Math.max(3, ...rows.map((r) => (r[c] as string).length)));
  const sep = "+" + widths.map((w) => "-".repeat(w)).join("+") + "+";
  const line = (r: string[]) =>
    "|" + r.map((s, c) => (width > 0 ? s.padStart(widths[c] as number) : s.padEnd(widths[c] as number))).join("|") + "|";
  const out = [sep, line(rows[0] as string[]), sep, ...rows.slice(1).map(line), sep];
  let text = out.join("\n") + "\n";
  if (totalRows > numRows) text += `only showing top ${numRows} row${numRows === 1 ? "" : "s"}\n`;
  return text;
}

/** Spark's printSchema tree. */
export function schemaTreeString(attrs: readonly Attribute[]): string {
  const lines = ["root"];
  const typeStr = (t: DataType): string => (typeof t === "string" ? (t === "long" ? "long" : t === "int" ? "integer" : t) : t.type);
  const visit = (name: string, t: DataType, nullable: boolean, depth: number) => {
    lines.push(`${" |   ".repeat(depth)} |-- ${name}: ${typeStr(t)} (nullable = ${nullable})`);
    if (typeof t !== "string" && t.type === "struct") for (const f of t.fields) visit(f.name, f.dataType, f.nullable, depth + 1);
    if (typeof t !== "string" && t.type === "array") lines.push(`${" |   ".repeat(depth + 1)} |-- element: ${typeStr(t.elementType)} (containsNull = true)`);
  };
  for (const a of attrs) visit(a.name, a.dataType, a.nullable, 0);
  return lines.join("\n") + "\n";
}
