import type { Attribute } from "../expressions/Expression";
import type { DataType, StructValue, Value } from "../expressions/types";
import { getValue, type ColumnarBatch, type ColumnVector } from "../execution/ColumnarBatch";

/** A value as `collect()` returns it: timestamps as Date, structs as objects, arrays as arrays. */
export type RowValue = number | string | boolean | null | Date | RowValue[] | { [field: string]: RowValue };

/** A row as `collect()` returns it: a plain object keyed by column name. */
export type Row = Record<string, RowValue>;

/** Converts an internal value to its collect() form for type `t`. */
export function toRowValue(v: Value, t: DataType): RowValue {
  if (v === null) return null;
  if (t === "timestamp") return new Date(v as number);
  if (typeof t === "string") return v as RowValue;
  if (t.type === "array") return (v as Value[]).map((x) => toRowValue(x, t.elementType));
  const o: { [field: string]: RowValue } = {};
  for (const f of t.fields) o[f.name] = toRowValue((v as StructValue)[f.name] ?? null, f.dataType);
  return o;
}

/** Converts a collect()-style value back to the internal form (Date → epoch ms). */
export function fromRowValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (Array.isArray(v)) return v.map(fromRowValue);
  if (typeof v === "object") {
    const o: StructValue = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = fromRowValue(x);
    return o;
  }
  if (typeof v === "bigint") return Number(v);
  return v as Value;
}

/** The rows of a batch as collect() returns them. Duplicate column names: the last one wins, as in a JS object. */
export function batchToRowObjects(attrs: readonly Attribute[], b: ColumnarBatch): Row[] {
  const out: Row[] = new Array(b.numRows);
  for (let i = 0; i < b.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < attrs.length; c++) {
      const a = attrs[c] as Attribute;
      row[a.name] = toRowValue(getValue(b.columns[c] as ColumnVector, i), a.dataType);
    }
    out[i] = row;
  }
  return out;
}
