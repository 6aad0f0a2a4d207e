/**
 * Python-style text of values, for `pprint`.
 *
 * Decision: the playground's users write PySpark-like code, so elements print
 * as PySpark's `pprint` prints them (Python's `str()` of each element): a pair
 * `["a", 1]` prints as `('a', 1)`, a string at top level prints bare (`hello`),
 * nested strings quoted (`'a'`), `null`/`undefined` as `None`, booleans as
 * `True`/`False`, plain objects and Maps as dicts `{'k': 1}`.
 *
 * JavaScript has no tuple type: by our convention an array of length 2 is a
 * pair (every key-value operation takes `[key, value]`) and prints as a tuple;
 * any other array prints as a Python list (`[1, 2, 3]`). A grouped value list
 * of exactly two elements therefore prints as a tuple, e.g. `('a', (1, 1))`.
 */

function reprString(s: string): string {
  // Python's repr: single quotes unless the text has a single quote and no double quote.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return out + quote;
}

function reprNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
}

/** Python `repr()` of a value (strings quoted). */
export function pyRepr(v: unknown, seen: Set<unknown> = new Set()): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return reprString(v);
  if (typeof v === "number") return reprNumber(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "function") return `<function ${v.name || "<lambda>"}>`;
  if (typeof v === "symbol") return v.toString();
  if (seen.has(v)) return "...";
  seen.add(v);
  try {
    if (v instanceof Date) return `datetime.datetime(${v.toISOString()})`;
    if (Array.isArray(v)) {
      const items = v.map((x) => pyRepr(x, seen));
      return v.length === 2 ? `(${items.join(", ")})` : `[${items.join(", ")}]`;
    }
    if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k, seen)}: ${pyRepr(x, seen)}`).join(", ")}}`;
    if (v instanceof Set) return v.size === 0 ? "set()" : `{${[...v].map((x) => pyRepr(x, seen)).join(", ")}}`;
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${reprString(k)}: ${pyRepr(x, seen)}`).join(", ")}}`;
  } finally {
    seen.delete(v);
  }
}

/** Python `str()` of a value: strings bare, everything else as `pyRepr`. This is what `pprint` prints per element. */
export function pyStr(v: unknown): string {
  return typeof v === "string" ? v : pyRepr(v);
}
