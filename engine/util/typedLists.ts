/**
 * A growable list of int32 values in one typed array, meant to be kept and reused batch after
 * batch (`clear()`): appending ids to a fresh JS array costs a reallocation every doubling and,
 * on a machine where fresh memory is slow to touch, more than the work that produced them.
 */
export class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data[this.length++] = v;
  }

  /** Removes and returns the last value (the list must not be empty). */
  pop(): number {
    return this.data[--this.length] as number;
  }

  clear(): void {
    this.length = 0;
  }

  /** The values, `data[0..length)` (a view: valid until the next push or clear). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** IntList's twin for doubles (times, values). */
export class F64List {
  data: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data[this.length++] = v;
  }

  clear(): void {
    this.length = 0;
  }
}

/** Where a batch's entry ids are appended: an IntList, or a plain array. */
export interface IdSink {
  push(id: number): void;
}

/** A typed array of length `n` (≥ a.length) holding a's values first, the rest zero. */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  return b;
}
