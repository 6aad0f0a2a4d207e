/**
 * Large typed arrays whose owner is gone (the state of a deleted checkpoint), taken again by
 * a table that grows: memory already touched costs no page faults, where fresh memory for a
 * table of 1e5 keys (tens of megabytes, as it grows) costs a new query more than its first
 * batches' rows (page faults about 11 µs each on the dev VM). An array given to the pool must
 * be unreachable to its old owner; what `take` returns holds whatever that owner wrote.
 */
export type PooledArray = Float64Array | Int32Array | Uint8Array;

export type Ctor<T extends PooledArray> = { new (length: number): T; readonly prototype: T };

/** Arrays smaller than this are cheap to make fresh. */
const MIN_BYTES = 1 << 16;

export class TypedArrayPool {
  private readonly arrays: PooledArray[] = [];
  private bytes = 0;

  /** @param maxBytes the pool keeps at most this much; the oldest arrays go first */
  constructor(private readonly maxBytes: number) {}

  /** Bytes held. */
  get size(): number {
    return this.bytes;
  }

  /**
   * An array of type `ctor` with at least `length` elements and at most 8 times as many (a
   * small table should not hold a big array; a table that has just started growing may take
   * the arrays its predecessor ended with), the smallest the pool has; undefined when none fits.
   */
  take<T extends PooledArray>(ctor: Ctor<T>, length: number): T | undefined {
    if (length * ctor.prototype.BYTES_PER_ELEMENT < MIN_BYTES) return undefined;
    let best = -1;
    for (let i = 0; i < this.arrays.length; i++) {
      const a = this.arrays[i] as PooledArray;
      if (!(a instanceof ctor) || a.length < length || a.length > 8 * length) continue;
      if (best < 0 || a.length < (this.arrays[best] as PooledArray).length) best = i;
    }
    if (best < 0) return undefined;
    const a = this.arrays[best] as T;
    this.arrays.splice(best, 1);
    this.bytes -= a.byteLength;
    return a;
  }

  /** Takes `a` back (kept when large enough and the pool has room, oldest dropped first). */
  give(a: PooledArray): void {
    if (a.byteLength < MIN_BYTES || a.byteLength > this.maxBytes || this.arrays.includes(a)) return;
    this.arrays.push(a);
    this.bytes += a.byteLength;
    while (this.bytes > this.maxBytes) this.bytes -= (this.arrays.shift() as PooledArray).byteLength;
  }
}
