import type { DataType, StructValue, Value } from "../expressions/types";
import { parseTimestamp } from "../expressions/timestamps";

/** Thrown by the converters when a value does not fit its type (turned into a BadRecord). */
export class ConversionError extends Error {}

/**
 * Converts a parsed JSON value to `t` as Spark's JacksonParser does: integers to long/int
 * (a fraction is an error), numbers to double, any scalar to string (objects/arrays as JSON
 * text), booleans, timestamps from strings (ISO / "yyyy-MM-dd HH:mm:ss") or numbers (seconds),
 * objects to structs, arrays to arrays. Throws ConversionError on a mismatch.
 */
export function fromJson(v: unknown, t: DataType): Value {
  if (v === null || v === undefined) return null;
  if (typeof t === "string") {
    switch (t) {
      case "long":
      case "int":
        if (typeof v === "number" && Number.isInteger(v)) return t === "int" ? v | 0 : v;
        throw new ConversionError();
      case "double":
        if (typeof v === "number") return v;
        if (v === "NaN") return NaN;
        throw new ConversionError();
      case "boolean":
        if (typeof v === "boolean") return v;
        throw new ConversionError();
      case "string":
        return typeof v === "string" ? v : JSON.stringify(v);
      case "timestamp": {
        if (typeof v === "number") return v * 1000;
        if (typeof v === "string") {
          const ms = parseTimestamp(v);
          if (ms !== null) return ms;
        }
        throw new ConversionError();
      }
      default:
        return null;
    }
  }
  if (t.type === "array") {
    if (!Array.isArray(v)) throw new ConversionError();
    return v.map((x) => fromJson(x, t.elementType));
  }
  if (typeof v !== "object" || Array.isArray(v)) throw new ConversionError();
  const o: StructValue = {};
  for (const f of t.fields) o[f.name] = fromJson((v as Record<string, unknown>)[f.name], f.dataType);
  return o;
}

/** Converts a CSV token (null = absent/empty) to `t` as Spark's UnivocityParser. Throws ConversionError. */
export function fromCsv(token: string | null, t: DataType): Value {
  if (token === null) return null;
  const s = token;
  switch (t) {
    case "string":
      return s;
    case "long":
    case "int": {
      if (!/^[+-]?\d+$/.test(s.trim())) throw new ConversionError();
      const n = Number(s.trim());
      if (t === "int" && (n > 2147483647 || n < -2147483648)) throw new ConversionError();
      return n;
    }
    case "double": {
      const x = s.trim();
      if (x === "NaN") return NaN;
      if (x === "Inf" || x === "Infinity") return Infinity;
      if (x === "-Inf" || x === "-Infinity") return -Infinity;
      if (x === "" || Number.isNaN(Number(x))) throw new ConversionError();
      return Number(x);
    }
    case "boolean": {
      const x = s.trim().toLowerCase();
      if (x === "true") return true;
      if (x === "false") return false;
      throw new ConversionError();
    }
    case "timestamp": {
      const ms = parseTimestamp(s);
      if (ms === null) throw new ConversionError();
      return ms;
    }
    default:
      throw new ConversionError();
  }
}
