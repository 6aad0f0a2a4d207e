import type { DataType, Value } from "./types";
import { formatTimestamp, parseTimestamp } from "./timestamps";

/**
 * Spark's (non-ANSI) cast of one value. Invalid input gives null, as Spark does
 * with `spark.sql.ansi.enabled=false`. Timestamps are epoch ms: a number cast to
 * timestamp is read as seconds; a timestamp cast to long gives whole seconds (floor).
 */
export function castValue(v: Value, from: DataType, to: DataType): Value {
  if (v === null) return null;
  if (to === from) return v;
  switch (to) {
    case "long":
    case "int": {
      let n: number;
      if (from === "timestamp") n = Math.floor((v as number) / 1000);
      else if (typeof v === "number") n = Math.trunc(v);
      else if (typeof v === "boolean") n = v ? 1 : 0;
      else if (typeof v === "string") {
        const t = v.trim();
        if (!/^[+-]?\d+(\.\d*)?$/.test(t)) return null;
        n = Math.trunc(Number(t));
      } else return null;
      if (!Number.isFinite(n)) return null;
      if (to === "int") n = n | 0;
      return n;
    }
    case "double": {
      if (from === "timestamp") return (v as number) / 1000;
      if (typeof v === "number") return v;
      if (typeof v === "boolean") return v ? 1 : 0;
      if (typeof v === "string") {
        const t = v.trim();
        if (t === "" || Number.isNaN(Number(t))) return null;
        return Number(t);
      }
      return null;
    }
    case "timestamp": {
      // NaN and ±Infinity have no timestamp: null, as Spark.
      if (typeof v === "number") return from === "timestamp" ? v : Number.isFinite(v) ? Math.round(v * 1000 * 1000) / 1000 : null;
      if (typeof v === "string") return parseTimestamp(v);
      return null;
    }
    case "boolean": {
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string") {
        const t = v.trim().toLowerCase();
        if (["true", "t", "yes", "y", "1"].includes(t)) return true;
        if (["false", "f", "no", "n", "0"].includes(t)) return false;
        return null;
      }
      return null;
    }
    case "string":
      return valueToString(v, from);
    default:
      return v;
  }
}

/** Spark's string form of a value (cast to string): doubles keep ".0", timestamps in UTC. */
export function valueToString(v: Value, t: DataType): string {
  if (v === null) return "null";
  if (t === "timestamp" && typeof v === "number") return formatTimestamp(v);
  if (t === "double" && typeof v === "number") return formatDouble(v);
  if (t === "interval" && typeof v === "object" && !Array.isArray(v)) {
    // Spark's CalendarInterval.toString: "1 months 2 days 3.5 seconds".
    const { months, days, microseconds } = v as { months: number; days: number; microseconds: number };
    const parts: string[] = [];
    if (months !== 0) parts.push(`${months} months`);
    if (days !== 0) parts.push(`${days} days`);
    if (microseconds !== 0 || parts.length === 0) parts.push(`${microseconds / 1_000_000} seconds`);
    return parts.join(" ");
  }
  if (typeof v === "object") {
    if (Array.isArray(v)) {
      const et = typeof t !== "string" && t.type === "array" ? t.elementType : "string";
      return `[${v.map((x) => (x === null ? "NULL" : valueToString(x, et))).join(", ")}]`;
    }
    const fields = typeof t !== "string" && t.type === "struct" ? t.fields : [];
    return `{${fields.map((f) => (v[f.name] === null || v[f.name] === undefined ? "NULL" : valueToString(v[f.name] as Value, f.dataType))).join(", ")}}`;
  }
  return String(v);
}

/** Java's Double.toString for the common cases: 1 → "1.0", 0.1 → "0.1", 1e21 → "1.0E21". */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [m, e] = v.toExponential().split("e");
    const mant = (m as string).includes(".") ? (m as string) : `${m}.0`;
    return `${mant}E${Number(e)}`;
  }
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}
