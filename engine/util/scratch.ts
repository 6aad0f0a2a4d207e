/**
 * Per-batch working arrays kept from one batch to the next. A batch of 1e5 rows needs
 * arrays of 0.4–0.8 MB for its group ids or a computed key column; allocating them fresh
 * each batch touches new memory every time (a large typed array is freed only at the
 * next GC), which costs 20× the work that fills them on a machine where page faults are
 * slow. Each use site owns a slot; what a slot returns is valid until that slot is asked
 * for again, so it must never outlive the call that asked (never in a batch's output).
 */
export class ScratchSlot {
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);

  /** A Float64Array of length n (contents undefined). */
  float64(n: number): Float64Array {
    if (this.f64.length < n) this.f64 = new Float64Array(Math.max(n, this.f64.length * 2));
    return this.f64.subarray(0, n);
  }

  /** An Int32Array of length n (contents undefined). */
  int32(n: number): Int32Array {
    if (this.i32.length < n) this.i32 = new Int32Array(Math.max(n, this.i32.length * 2));
    return this.i32.subarray(0, n);
  }
}
