/**
 * Key identity for pair operations. JavaScript Maps compare objects by
 * reference, but Spark compares keys by value (`equals`/`hashCode`): a key
 * `["a", 1]` built twice is one key. Primitive keys are used as they are;
 * arrays, objects and Dates are turned into a canonical string.
 */

/** A Map key equal for equal keys (by value). */
export type KeyId = string | number | boolean | bigint | null | undefined | symbol;

function canonical(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "0" : String(v);
    case "bigint":
      return `${v}n`;
    case "boolean":
      return String(v);
    default:
      break;
  }
  if (v instanceof Date) return `D${v.getTime()}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v instanceof Map) return `M{${[...v].map(([k, x]) => `${canonical(k)}:${canonical(x)}`).sort().join(",")}}`;
  if (v instanceof Set) return `S{${[...v].map(canonical).sort().join(",")}}`;
  const obj = v as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(",")}}`;
}

/** The by-value identity of a key (primitives as they are; -0 is 0 as in Spark). */
export function keyId(k: unknown): KeyId {
  if (typeof k === "number") return Object.is(k, -0) ? 0 : k;
  if (k === null || k === undefined || typeof k !== "object") return k as KeyId;
  return "\u0000" + canonical(k);
}

/** A non-negative hash of a key, for hash partitioning (deterministic across runs). */
export function keyHash(k: unknown): number {
  const s = typeof k === "string" ? k : canonical(k);
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h >>> 0;
}

/** The canonical text of any value (equal for values equal by value); for comparisons in tests and logs. */
export function canonicalText(v: unknown): string {
  return canonical(v);
}
