/** A value as comparable JSON: Dates as epoch ms, bigints as numbers, structs field by field. */
export function plain(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = plain(x);
    return o;
  }
  return v;
}
