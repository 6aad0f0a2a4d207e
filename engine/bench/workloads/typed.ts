/**
 * Typed-array building blocks for the ceiling implementations: open-addressing hash
 * tables with linear probing over Int32Array/Float64Array (no per-entry objects), and a
 * growable column buffer. Hot loops are written out inline on purpose (as in arquero's
 * perf/ baselines): these are the "how fast can plain JS go" reference.
 */

const EMPTY = -2147483648;

/** Int32 key → Int32 count. Keys must not be −2^31. */
export class IntCountMap {
  keys: Int32Array;
  counts: Int32Array;
  size = 0;
  private mask: number;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.counts = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Adds `by` to the count of `k`. */
  add(k: number, by: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(k, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const s = keys[i] as number;
      if (s === k) {
        (this.counts[i] as number) += by;
        return;
      }
      if (s === EMPTY) {
        keys[i] = k;
        this.counts[i] = by;
        if (++this.size * 2 > mask) this.grow();
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** The value for `k`, or −1 when absent (used as a lookup table with non-negative values). */
  get(k: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(k, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const s = keys[i] as number;
      if (s === k) return this.counts[i] as number;
      if (s === EMPTY) return -1;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const cap = oldKeys.length * 2;
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.counts = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i] as number;
      if (k !== EMPTY) this.add(k, oldCounts[i] as number);
    }
  }

  /** Calls fn(key, count) for every entry. */
  forEach(fn: (k: number, count: number) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) fn(keys[i] as number, this.counts[i] as number);
  }
}

/** A set of (Int32 key, Float64 time) pairs. */
export class PairSet {
  private keys: Int32Array;
  private times: Float64Array;
  size = 0;
  private mask: number;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.times = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Adds (k, t); returns false when it was already present. */
  add(k: number, t: number): boolean {
    const keys = this.keys;
    const times = this.times;
    const mask = this.mask;
    let i = (Math.imul(k ^ (t | 0), 0x9e3779b1) ^ Math.imul((t / 4294967296) | 0, 0x85ebca6b)) >>> 0 & mask;
    for (;;) {
      const s = keys[i] as number;
      if (s === EMPTY) {
        keys[i] = k;
        times[i] = t;
        if (++this.size * 2 > mask) this.grow();
        return true;
      }
      if (s === k && times[i] === t) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldTimes = this.times;
    const cap = oldKeys.length * 2;
    this.keys = new Int32Array(cap).fill(EMPTY);
    this.times = new Float64Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.add(oldKeys[i] as number, oldTimes[i] as number);
  }
}

/** A growable Float64 column (result buffers of the ceiling implementations). */
export class F64Buffer {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** A static table's key → attr lookup: the attr, or −1 when the key is absent. */
export interface Lookup {
  get(k: number): number;
}

/**
 * Integer keys in a range at most 4 times their number (a table's ids) by direct index:
 * one array read a lookup. What a hand-written loop would use for such keys, and what the
 * engine's join does for them.
 */
export class DirectLookup implements Lookup {
  private constructor(
    private readonly lo: number,
    private readonly attrs: Int32Array,
  ) {}

  /** The lookup of `key` → `attr`, or null when the keys do not fit (repeated, or too spread). */
  static of(key: Int32Array, attr: Int32Array): DirectLookup | null {
    if (key.length === 0) return null;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < key.length; i++) {
      const k = key[i] as number;
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
    const range = hi - lo + 1;
    if (range > Math.max(1024, 4 * key.length)) return null;
    const attrs = new Int32Array(range).fill(-1);
    for (let i = 0; i < key.length; i++) {
      const at = (key[i] as number) - lo;
      if (attrs[at] !== -1) return null;
      attrs[at] = attr[i] as number;
    }
    return new DirectLookup(lo, attrs);
  }

  get(k: number): number {
    const d = k - this.lo;
    return d >= 0 && d < this.attrs.length ? (this.attrs[d] as number) : -1;
  }
}

/** A static table as a lookup (keys are Int32: integers): direct index when they fit, else an IntCountMap. */
export function lookupMap(key: Int32Array, attr: Int32Array): Lookup {
  const direct = DirectLookup.of(key, attr);
  if (direct !== null) return direct;
  const m = new IntCountMap(key.length);
  for (let i = 0; i < key.length; i++) m.add(key[i] as number, attr[i] as number);
  return m;
}
