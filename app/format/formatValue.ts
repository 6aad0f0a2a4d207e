import type { WireValue } from "../../engine/worker/protocol";

/**
 * Formats a wire value for a table cell as Spark's `show()` would: timestamps
 * as `yyyy-MM-dd HH:mm:ss[.SSS]` (UTC), structs as `{a, b}`, arrays as `[a, b]`,
 * null as `NULL`. The result is text: tables render it as text, never HTML.
 */
export function formatValue(value: WireValue, type: string): string {
  if (value === null) return "NULL";
  if (type === "timestamp" && typeof value === "number") return formatTimestamp(value);
  if (Array.isArray(value)) {
    const inner = elementType(type);
    return `[${value.map((v) => formatValue(v, inner)).join(", ")}]`;
  }
  if (typeof value === "object") {
    const types = structFieldTypes(type);
    return `{${Object.entries(value)
      .map(([k, v]) => formatValue(v, types.get(k) ?? ""))
      .join(", ")}}`;
  }
  return String(value);
}

/** Epoch milliseconds as Spark prints a timestamp in UTC: milliseconds only when there are any. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.000Z
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const millis = iso.slice(20, 23);
  return millis === "000" ? base : `${base}.${millis.replace(/0+$/, "")}`;
}

function elementType(type: string): string {
  const m = /^array<(.*)>$/.exec(type);
  return m ? m[1]! : "";
}

/** Field types of `struct<start:timestamp,end:timestamp>`, top level only. */
function structFieldTypes(type: string): Map<string, string> {
  const m = /^struct<(.*)>$/.exec(type);
  const out = new Map<string, string>();
  if (!m) return out;
  let depth = 0;
  let start = 0;
  const body = m[1]!;
  const parts: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "<") depth++;
    else if (c === ">") depth--;
    else if (c === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  for (const part of parts) {
    const colon = part.indexOf(":");
    if (colon > 0) out.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  return out;
}
