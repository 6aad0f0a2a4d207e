/**
 * Python source helpers for the PySpark export: string literals, comments,
 * identifiers, numbers and Spark duration strings. Everything here returns text
 * that `python3 -m py_compile` accepts, whatever the input.
 */

/**
 * A double-quoted Python string literal for `s`: backslash, quote and control
 * characters escaped; lone UTF-16 surrogates (which UTF-8 cannot carry) as `\\uXXXX`.
 *
 * @example pyStr('say "hi"\n') // "\"say \\\"hi\\\"\\n\""
 */
export function pyStr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      out += ch + (s[i + 1] as string);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Text safe inside a `#` comment line: no line breaks, no NUL or other control characters. */
function commentSafe(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (m) => {
    return "\\u" + m.charCodeAt(0).toString(16).padStart(4, "0");
  });
}

/**
 * `text` as Python comment lines (one `# ` per line, indented by `indent`). Line breaks of any
 * kind start a new comment line; control characters are shown escaped.
 */
export function pyComment(text: string, indent = ""): string[] {
  return text.split(/\r\n|\r|\n|\u2028|\u2029|\u0085|\u000b|\u000c/).map((l) => {
    const safe = commentSafe(l).replace(/\s+$/, "");
    return safe === "" ? `${indent}#` : `${indent}# ${safe}`;
  });
}

const PY_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type print spark F args parser os argparse datetime q".split(" "),
);

/**
 * A Python identifier made from `name` (letters, digits and `_`; never a keyword, never
 * starting with a digit). Used for variable and argument names.
 */
export function pyIdent(name: string, fallback = "value"): string {
  let s = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") s = fallback;
  if (/^[0-9]/.test(s)) s = `${fallback}_${s}`;
  if (PY_KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

/** Allocates unique Python names within one script. */
export class NameAllocator {
  private readonly used = new Set<string>();
  /** A fresh name based on `base`: `base`, `base_2`, `base_3`… */
  fresh(base: string): string {
    const b = pyIdent(base);
    if (!this.used.has(b)) {
      this.used.add(b);
      return b;
    }
    for (let i = 2; ; i++) {
      const n = `${b}_${i}`;
      if (!this.used.has(n)) {
        this.used.add(n);
        return n;
      }
    }
  }
}

/** A JS number as a Python number literal (ints stay ints; NaN/Infinity via float()). */
export function pyNumber(n: number, asFloat = false): string {
  if (Number.isNaN(n)) return 'float("nan")';
  if (n === Infinity) return 'float("inf")';
  if (n === -Infinity) return 'float("-inf")';
  if (Number.isInteger(n) && !asFloat) return String(n);
  const s = String(n);
  if (/e/.test(s)) return s.replace("e+", "e");
  return s.includes(".") ? s : `${s}.0`;
}

/** A plain JS value (from user data) as a Python literal: lists, dicts, strings, numbers, None. */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return pyNumber(v);
  if (typeof v === "bigint") return String(v);
  if (typeof v === "string") return pyStr(v);
  if (v instanceof Date) return `datetime.datetime.fromtimestamp(${pyNumber(v.getTime() / 1000, true)}, tz=datetime.timezone.utc)`;
  if (Array.isArray(v)) return `[${v.map(pyValue).join(", ")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyStr(k)}: ${pyValue(x)}`)
      .join(", ")}}`;
  }
  return pyStr(String(v));
}

const UNITS: [number, string][] = [
  [7 * 86_400_000, "week"],
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
  [1000, "second"],
  [1, "millisecond"],
];

/**
 * Milliseconds as Spark's interval text, in the largest unit that divides it:
 * 5000 → "5 seconds", 60000 → "1 minute", 1500 → "1500 milliseconds".
 */
export function durationText(ms: number): string {
  if (ms === 0) return "0 seconds";
  for (const [size, unit] of UNITS) {
    if (unit === "week") continue; // Spark's window() accepts weeks, but days read better
    if (Number.isInteger(ms / size)) {
      const n = ms / size;
      return `${n} ${unit}${Math.abs(n) === 1 ? "" : "s"}`;
    }
  }
  const us = Math.round(ms * 1000);
  return `${us} microseconds`;
}

/**
 * A user's duration text kept as written when Spark reads it the same way ("10 seconds",
 * "1 minute"), else re-spelled from its milliseconds ("4s" → "4 seconds").
 */
export function sparkDuration(text: string, ms: number): string {
  return /^\s*\d+\s+(millisecond|second|minute|hour|day|week)s?\s*$/i.test(text) ? text.trim() : durationText(ms);
}

/** Indents every line of `lines` by `by`. */
export function indent(lines: readonly string[], by = "    "): string[] {
  return lines.map((l) => (l === "" ? l : by + l));
}
