import type { StructValue, Value } from "../expressions/types";

/** A state key: a tuple of values (a grouping key), compared by value. */
export type StateKey = readonly Value[];

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193);
}

function hashValue(h: number, v: Value): number {
  if (v === null) return mix(h, 0x9e3779b9);
  switch (typeof v) {
    case "number": {
      if (Number.isInteger(v)) return mix(mix(h, v >>> 0), Math.floor(v * 2.3283064365386963e-10) | 0); // v / 2^32, exactly
      const s = String(v);
      for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
      return h;
    }
    case "string":
      h = mix(h, 0x7f4a7c15);
      for (let i = 0; i < v.length; i++) h = mix(h, v.charCodeAt(i));
      return h;
    case "boolean":
      return mix(h, v ? 0x51 : 0x50);
    default: {
      const o = v as StructValue;
      if (!Array.isArray(o) && typeof o.start === "number" && typeof o.end === "number") {
        return hashValue(hashValue(mix(h, 0x77), o.start), o.end);
      }
      const s = JSON.stringify(o);
      for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
      return h;
    }
  }
}

// The same key array is usually hashed several times in a row (get, then put, then the
// undo log): remember the last one. Key arrays are never mutated once used as keys.
let lastKey: StateKey | null = null;
let lastHash = 0;

/** Hash of a key tuple (32-bit, never 0: a map marks free slots with 0). */
export function hashTuple(k: StateKey): number {
  if (k === lastKey) return lastHash;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < k.length; i++) h = hashValue(h, k[i] ?? null);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  if (h === 0) h = 1;
  lastKey = k;
  lastHash = h;
  return h;
}

/** Whether a struct has exactly two fields (a window `{ start, end }`), counted without allocating. */
function isWindowShaped(o: StructValue): boolean {
  let n = 0;
  for (const f in o) {
    if (f !== "start" && f !== "end") return false;
    n++;
  }
  return n === 2;
}

function equalValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  const x = a as StructValue;
  const y = b as StructValue;
  if (!Array.isArray(x) && !Array.isArray(y) && typeof x.start === "number" && typeof x.end === "number") {
    if (x.start !== y.start || x.end !== y.end) return false;
    if (isWindowShaped(x) && isWindowShaped(y)) return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether two key tuples are equal by value. */
export function equalTuples(a: StateKey, b: StateKey): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equalValue(a[i] ?? null, b[i] ?? null)) return false;
  return true;
}

/**
 * A hash map from key tuples to values (open addressing, linear probing, backward-shift
 * deletion). Keys are hashed from their values, so no string is built per key. Iteration
 * order is the slot order. Do not modify the map while iterating it.
 */
export class TupleMap<V> {
  private cap = 16;
  private keys: (StateKey | undefined)[];
  private vals: (V | undefined)[];
  private hashes: Int32Array;
  private n = 0;

  /** @param expected entries expected (sizes the table to avoid growing) */
  constructor(expected = 8) {
    while (this.cap * 6 < expected * 10) this.cap *= 2;
    this.keys = new Array<StateKey | undefined>(this.cap);
    this.vals = new Array<V | undefined>(this.cap);
    this.hashes = new Int32Array(this.cap);
  }

  /** Number of entries. */
  get size(): number {
    return this.n;
  }

  private slotOf(k: StateKey, h: number): number {
    const mask = this.cap - 1;
    const hashes = this.hashes;
    let s = h & mask;
    // The probe reads the (small, dense) hash array first; a key object only on a hash match.
    for (;;) {
      const t = hashes[s] as number;
      if (t === 0) return -1 - s;
      if (t === h && equalTuples(this.keys[s] as StateKey, k)) return s;
      s = (s + 1) & mask;
    }
  }

  /** The value for `k`, or undefined. */
  get(k: StateKey): V | undefined {
    const s = this.slotOf(k, hashTuple(k));
    return s >= 0 ? this.vals[s] : undefined;
  }

  /** Whether `k` is present. */
  has(k: StateKey): boolean {
    return this.slotOf(k, hashTuple(k)) >= 0;
  }

  /**
   * The key tuple stored for the entry the last `set` wrote: the existing key when the
   * entry was already present (so callers can keep that one and drop theirs).
   */
  lastSetKey: StateKey | null = null;

  /** Sets `k` to `v`; returns the previous value (undefined when absent). */
  set(k: StateKey, v: V): V | undefined {
    const h = hashTuple(k);
    const s = this.slotOf(k, h);
    if (s >= 0) {
      const old = this.vals[s];
      this.vals[s] = v;
      this.lastSetKey = this.keys[s] as StateKey;
      return old;
    }
    const free = -1 - s;
    this.keys[free] = k;
    this.vals[free] = v;
    this.hashes[free] = h;
    this.lastSetKey = k;
    if (++this.n * 10 > this.cap * 6) this.grow();
    return undefined;
  }

  /** Removes `k`; returns whether it was present. */
  delete(k: StateKey): boolean {
    return this.take(k) !== undefined;
  }

  /** Removes `k`; returns its value (undefined when absent). One probe. */
  take(k: StateKey): V | undefined {
    let s = this.slotOf(k, hashTuple(k));
    if (s < 0) return undefined;
    const taken = this.vals[s] as V;
    const mask = this.cap - 1;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    let next = (s + 1) & mask;
    while (this.hashes[next] !== 0) {
      const ideal = (this.hashes[next] as number) & mask;
      const dist = (next - ideal) & mask;
      const gap = (next - s) & mask;
      if (dist >= gap) {
        this.keys[s] = this.keys[next];
        this.vals[s] = this.vals[next];
        this.hashes[s] = this.hashes[next] as number;
        s = next;
      }
      next = (next + 1) & mask;
    }
    this.keys[s] = undefined;
    this.vals[s] = undefined;
    this.hashes[s] = 0;
    this.n--;
    return taken;
  }

  /** Every entry, in slot order. */
  *entries(): IterableIterator<[StateKey, V]> {
    const keys = this.keys;
    for (let s = 0; s < keys.length; s++) {
      const k = keys[s];
      if (k !== undefined) yield [k, this.vals[s] as V];
    }
  }

  /** Calls `f` for every entry (faster than entries()). */
  forEach(f: (v: V, k: StateKey) => void): void {
    const keys = this.keys;
    for (let s = 0; s < keys.length; s++) {
      const k = keys[s];
      if (k !== undefined) f(this.vals[s] as V, k);
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const oldHashes = this.hashes;
    this.cap *= 2;
    this.keys = new Array<StateKey | undefined>(this.cap);
    this.vals = new Array<V | undefined>(this.cap);
    this.hashes = new Int32Array(this.cap);
    const mask = this.cap - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i];
      if (k === undefined) continue;
      const h = oldHashes[i] as number;
      let s = h & mask;
      while (this.hashes[s] !== 0) s = (s + 1) & mask;
      this.keys[s] = k;
      this.vals[s] = oldVals[i];
      this.hashes[s] = h;
    }
  }
}
