import type { LateRowsBatch } from "../execution/trace/lateRows";
import type { ColumnarBatch } from "../execution/ColumnarBatch";
import type { WireColumn, WireField, WireLateRows, WireProgress, WireValue } from "./protocol";

/**
 * Converts a row value as `collect()` gives it (Date for timestamps, objects
 * for structs) into a structured-clone-safe wire value: Dates become epoch
 * milliseconds, and anything that is not plain data becomes its string form.
 */
export function toWireValue(value: unknown): WireValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
      return value;
    case "bigint":
      return Number(value);
    case "object":
      if (Array.isArray(value)) return value.map(toWireValue);
      if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toWireValue(v)]));
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toWireValue(v)]));
    default:
      return String(value);
  }
}

/** Rows (plain objects) to arrays in schema order. */
export function toWireRows(schema: readonly WireField[], rows: readonly Record<string, unknown>[]): WireValue[][] {
  return rows.map((row) => schema.map((field) => toWireValue(row[field.name])));
}

/** The page's view of a progress object; the raw JSON keeps every field. */
export function toWireProgress(progress: Record<string, unknown>): WireProgress {
  const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return {
    batchId: num(progress.batchId),
    timestamp: String(progress.timestamp ?? ""),
    numInputRows: num(progress.numInputRows),
    inputRowsPerSecond: num(progress.inputRowsPerSecond),
    processedRowsPerSecond: num(progress.processedRowsPerSecond),
    durationMs: (progress.durationMs ?? {}) as Record<string, number>,
    eventTime: (progress.eventTime ?? {}) as Record<string, string>,
    stateOperators: (progress.stateOperators ?? []) as Array<Record<string, unknown>>,
    json: JSON.stringify(progress, null, 2),
  };
}

/** The watermark view's batch, its row values made wire-safe. */
export function toWireLateRows(batch: LateRowsBatch): WireLateRows {
  return { ...batch, points: batch.points.map((p) => ({ ...p, values: p.values.map(toWireValue) })) };
}

/**
 * Rows [from, numRows) of a batch as wire columns: numeric columns copied into fresh
 * Float64Arrays whose buffers are listed in `transfer` (moved to the page, not cloned),
 * other columns as arrays of wire values. `bytes` is what the message carries.
 */
export function toWireColumns(data: ColumnarBatch, from: number): { columns: WireColumn[]; transfer: ArrayBuffer[]; bytes: number } {
  const transfer: ArrayBuffer[] = [];
  let bytes = 0;
  const n = data.numRows;
  const columns = data.columns.map((col): WireColumn => {
    if (col.values instanceof Float64Array) {
      const values = col.values.slice(from, n);
      const nulls = col.nulls === null ? null : col.nulls.slice(from, n);
      transfer.push(values.buffer);
      bytes += values.byteLength;
      if (nulls !== null) {
        transfer.push(nulls.buffer);
        bytes += nulls.byteLength;
      }
      return { kind: "f64", values, nulls };
    }
    const values: WireValue[] = new Array(n - from);
    for (let i = from; i < n; i++) {
      const v = col.nulls !== null && col.nulls[i] === 1 ? null : toWireValue(col.values[i]);
      values[i - from] = v;
      bytes += estimateBytes(v);
    }
    return { kind: "values", values };
  });
  return { columns, transfer, bytes };
}

/** Decodes wire columns into rows (arrays in schema order), for the page's tables. */
export function wireColumnsToRows(columns: readonly WireColumn[], numRows: number): WireValue[][] {
  const rows: WireValue[][] = new Array(numRows);
  for (let i = 0; i < numRows; i++) {
    const row: WireValue[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      row[c] = col.kind === "f64" ? (col.nulls !== null && col.nulls[i] === 1 ? null : (col.values[i] as number)) : (col.values[i] ?? null);
    }
    rows[i] = row;
  }
  return rows;
}

/** Rows (arrays in schema order) as wire columns of values: for tests and small static tables. */
export function rowsToWireColumns(width: number, rows: readonly WireValue[][]): WireColumn[] {
  return Array.from({ length: width }, (_, c) => ({ kind: "values" as const, values: rows.map((r) => r[c] ?? null) }));
}

/** Roughly what structured clone carries for a value: 8 bytes a number, 2 a character, plus a little per object. */
export function estimateBytes(v: unknown): number {
  if (v === null || v === undefined) return 1;
  switch (typeof v) {
    case "number":
      return 8;
    case "boolean":
      return 1;
    case "string":
      return 2 * v.length + 4;
    case "object": {
      if (ArrayBuffer.isView(v)) return v.byteLength;
      let n = 8;
      if (Array.isArray(v)) for (const x of v) n += estimateBytes(x);
      else for (const [k, x] of Object.entries(v as Record<string, unknown>)) n += 2 * k.length + estimateBytes(x);
      return n;
    }
    default:
      return 8;
  }
}
