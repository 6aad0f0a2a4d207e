import type { StructValue, Value } from "../expressions/types";
import type { StateKey } from "./TupleMap";

/**
 * The shape of a state whose keys and values are all numbers, so that it can live in
 * typed arrays (NumericStateTable) instead of one small array per key and per value.
 *
 * Keys: a tuple with one part per grouping column; a part is a number (int, long,
 * double, timestamp; null allowed) or a window `{ start, end }` (two numbers).
 * Values: a tuple with one part per aggregation buffer (or a dedup's event time); a part is
 * - `number`: a number (count);
 * - `nullableNumber`: a number or null (sum, min, max, a dedup's event time);
 * - `pair`: `[number, number]` (avg's sum and count).
 */
export interface NumericStateFormat {
  readonly keys: readonly NumericKeyPart[];
  readonly values: readonly NumericValuePart[];
  /**
   * Partition the state by `floor(key slot / width)`: an event time in the key (a window's
   * end, a dedup's event time) by which state expires (see NumericStateTable).
   */
  readonly partitionBy?: { readonly slot: number; readonly width: number };
}

export type NumericKeyPart = "number" | "window";
export type NumericValuePart = "number" | "nullableNumber" | "pair";

/** Typed-array slots taken by one key part. */
export function keyPartWidth(p: NumericKeyPart): number {
  return p === "window" ? 2 : 1;
}

/** Typed-array slots taken by one value part (a null flag for nullable numbers). */
export function valuePartWidth(p: NumericValuePart): number {
  return p === "number" ? 1 : 2;
}

/** Slots of a whole key and a whole value. */
export function formatWidths(f: NumericStateFormat): { keyWidth: number; valueWidth: number } {
  let keyWidth = 0;
  let valueWidth = 0;
  for (const p of f.keys) keyWidth += keyPartWidth(p);
  for (const p of f.values) valueWidth += valuePartWidth(p);
  return { keyWidth, valueWidth };
}

export function sameFormat(a: NumericStateFormat, b: NumericStateFormat): boolean {
  return a.keys.join() === b.keys.join() && a.values.join() === b.values.join() && a.partitionBy?.slot === b.partitionBy?.slot && a.partitionBy?.width === b.partitionBy?.width;
}

export function formatString(f: NumericStateFormat): string {
  return `keys (${f.keys.join(", ")}), values (${f.values.join(", ")})`;
}

/** Key slot where key part `part` starts. */
export function keySlotOf(f: NumericStateFormat, part: number): number {
  let s = 0;
  for (let i = 0; i < part; i++) s += keyPartWidth(f.keys[i] as NumericKeyPart);
  return s;
}

/**
 * Writes a key tuple into `out` / `nulls` (slots 0..keyWidth); returns false when the tuple
 * does not have the format's shape.
 */
export function encodeKey(f: NumericStateFormat, key: StateKey, out: Float64Array, nulls: Uint8Array): boolean {
  if (key.length !== f.keys.length) return false;
  let s = 0;
  for (let i = 0; i < f.keys.length; i++) {
    const p = f.keys[i] as NumericKeyPart;
    if (!encodeKeyPart(p, key[i] ?? null, out, nulls, s)) return false;
    s += keyPartWidth(p);
  }
  return true;
}

/** Writes key part `p` with value `v` at slot `s` of `out` / `nulls`; false when `v` does not fit the part. */
export function encodeKeyPart(p: NumericKeyPart, v: Value, out: Float64Array, nulls: Uint8Array, s: number): boolean {
  if (p === "window") {
    if (v === null) {
      out[s] = out[s + 1] = 0;
      nulls[s] = nulls[s + 1] = 1;
      return true;
    }
    const w = v as StructValue;
    if (typeof v !== "object" || typeof w.start !== "number" || typeof w.end !== "number") return false;
    out[s] = w.start;
    out[s + 1] = w.end;
    nulls[s] = nulls[s + 1] = 0;
    return true;
  }
  if (v === null) {
    out[s] = 0;
    nulls[s] = 1;
    return true;
  }
  if (typeof v !== "number") return false;
  out[s] = v;
  nulls[s] = 0;
  return true;
}

/** The key tuple stored at `keys[base..]`, its null flags at `nulls[nullBase..]` (windows as `{ start, end }`). */
export function decodeKey(f: NumericStateFormat, keys: Float64Array, base: number, nulls: Uint8Array, nullBase: number): Value[] {
  const out: Value[] = new Array(f.keys.length);
  let s = 0;
  for (let i = 0; i < f.keys.length; i++) {
    const isNull = nulls[nullBase + s] === 1;
    if (f.keys[i] === "window") {
      out[i] = isNull ? null : { start: keys[base + s] as number, end: keys[base + s + 1] as number };
      s += 2;
    } else {
      out[i] = isNull ? null : (keys[base + s] as number);
      s++;
    }
  }
  return out;
}

/** Writes a value tuple at `base`; returns false when it does not have the format's shape. */
export function encodeValue(f: NumericStateFormat, value: readonly Value[], out: Float64Array, base: number): boolean {
  if (value.length !== f.values.length) return false;
  let s = base;
  for (let i = 0; i < f.values.length; i++) {
    const v = value[i] ?? null;
    switch (f.values[i]) {
      case "number":
        if (typeof v !== "number") return false;
        out[s++] = v;
        break;
      case "nullableNumber":
        if (v !== null && typeof v !== "number") return false;
        out[s] = v ?? 0;
        out[s + 1] = v === null ? 0 : 1;
        s += 2;
        break;
      case "pair": {
        const p = v as readonly Value[];
        if (!Array.isArray(p) || typeof p[0] !== "number" || typeof p[1] !== "number") return false;
        out[s] = p[0];
        out[s + 1] = p[1];
        s += 2;
        break;
      }
    }
  }
  return true;
}

/** The value part `part` (its first slot at `s`) as the buffer it stands for. */
export function decodeValuePart(part: NumericValuePart, bufs: Float64Array, s: number): Value {
  switch (part) {
    case "number":
      return bufs[s] as number;
    case "nullableNumber":
      return bufs[s + 1] === 1 ? (bufs[s] as number) : null;
    case "pair":
      return [bufs[s] as number, bufs[s + 1] as number];
  }
}

/** The value tuple stored at `base`. */
export function decodeValue(f: NumericStateFormat, bufs: Float64Array, base: number): Value[] {
  const out: Value[] = new Array(f.values.length);
  let s = base;
  for (let i = 0; i < f.values.length; i++) {
    const p = f.values[i] as NumericValuePart;
    out[i] = decodeValuePart(p, bufs, s);
    s += valuePartWidth(p);
  }
  return out;
}
