import type { DataType, StructField, StructType, Value } from "../expressions/types";
import { formatIso } from "../expressions/timestamps";
import { ConversionError, fromJson } from "./convert";
import { applyParseMode, BadRecord, dataFields, parseOptions } from "./parseMode";

/** The records of a JSON Lines file (Spark's default multiLine=false): one object per non-blank line. */
export function jsonRecords(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "");
}

/**
 * Parses a JSON Lines file against `schema` (fields looked up by name) with Spark's parse
 * modes: a line that is not a JSON object, or a value that does not convert, is malformed.
 */
export function parseJson(text: string, schema: StructType, opts: Readonly<Record<string, string>>, onMalformed: () => void): Value[][] {
  const po = parseOptions(opts);
  const fields = dataFields(schema, po);
  const rows: Value[][] = [];
  for (const line of jsonRecords(text)) {
    const row = applyParseMode(schema, po, line, () => parseJsonRecord(line, fields), onMalformed);
    if (row !== null) rows.push(row);
  }
  return rows;
}

function parseJsonRecord(line: string, fields: readonly StructField[]): Value[] {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    throw new BadRecord(line, null);
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new BadRecord(line, null);
  const row: Value[] = [];
  let bad = false;
  for (const f of fields) {
    try {
      row.push(fromJson((obj as Record<string, unknown>)[f.name], f.dataType));
    } catch (e) {
      if (!(e instanceof ConversionError)) throw e;
      row.push(null);
      bad = true;
    }
  }
  if (bad) throw new BadRecord(line, row);
  return row;
}

function toJsonValue(v: Value, t: DataType): unknown {
  if (v === null) return null;
  if (t === "timestamp" && typeof v === "number") return formatIso(v);
  if (typeof t !== "string" && t.type === "array" && Array.isArray(v)) return v.map((x) => toJsonValue(x, t.elementType));
  if (typeof t !== "string" && t.type === "struct" && typeof v === "object" && !Array.isArray(v)) {
    const o: Record<string, unknown> = {};
    for (const f of t.fields) {
      const x = v[f.name] ?? null;
      if (x !== null) o[f.name] = toJsonValue(x, f.dataType);
    }
    return o;
  }
  return v;
}

/**
 * Writes rows as JSON Lines, as Spark's JSON writer: null fields left out
 * (ignoreNullFields=true), timestamps as ISO-8601 UTC ("2023-11-14T22:13:20.000Z").
 */
export function writeJson(fields: readonly StructField[], rows: readonly (readonly Value[])[]): string {
  const out: string[] = [];
  for (const r of rows) {
    const o: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      const v = r[i] ?? null;
      if (v !== null) o[f.name] = toJsonValue(v, f.dataType);
    });
    out.push(JSON.stringify(o));
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}
