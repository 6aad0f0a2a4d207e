import type { LateRowsBatch } from "../execution/trace/lateRows";
import type { WireField, WireLateRows, WireProgress, WireValue } from "./protocol";

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
