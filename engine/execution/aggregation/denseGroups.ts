/**
 * Grouping by direct indexing: when every key column of a batch holds integers (after
 * dividing by its step, e.g. a pane's length) in a small range, a row's group is found at
 * `slot = Σ (v_k / step_k − min_k) · stride_k` of a dense array, with no hashing. This is the
 * common shape of streaming aggregations — a window or pane start and a small integer key —
 * and it is what makes hand-written loops fast; other batches fall back to NumericKeyIndex.
 *
 * Group ids are given in order of first appearance, as NumericKeyIndex gives them, so both
 * paths produce the same groups in the same order.
 */
import { ScratchSlot } from "../../util/scratch";

/** Slots the dense array may have (8 MB of Int32); wider key ranges use hashing. */
const MAX_SLOTS = 1 << 21;

/** The dense array, reused across batches: every slot is −1 between calls. */
let slotsOf = new Int32Array(0);

/** Each key column divided by its step, per row: the scan's division is not done twice. */
const quotients = [new ScratchSlot(), new ScratchSlot(), new ScratchSlot()];
/** The dense slot of each group of a `densePaneKeyGroupsOf` call, cleared after it. */
const usedSlots = new ScratchSlot();
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Group ids of rows 0..n-1 into `out`, and each group's key values; null when the columns
 * do not fit (a non-integer, a range too wide), in which case nothing was written to `out`.
 *
 * @param cols the key columns (no nulls)
 * @param steps each column's step (1 for plain integers)
 */
export function denseGroupsOf(cols: readonly Float64Array[], steps: readonly number[], n: number, out: Int32Array): { numGroups: number; keyValues: number[][] } | null {
  const nk = cols.length;
  if (nk === 0 || nk > 3 || n === 0) return null;
  const mins: number[] = new Array(nk);
  const strides: number[] = new Array(nk);
  const qs: Int32Array[] = new Array(nk);
  let size = 1;
  for (let k = nk - 1; k >= 0; k--) {
    const c = cols[k] as Float64Array;
    const step = steps[k] as number;
    const q = (qs[k] = (quotients[k] as ScratchSlot).int32(n));
    let lo = Infinity;
    let hi = -Infinity;
    if (step === 1) {
      for (let i = 0; i < n; i++) {
        const v = c[i] as number;
        // Integral (this also rejects NaN and ±Infinity).
        if (v !== Math.floor(v) || v - v !== 0) return null;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        q[i] = v; // wraps outside int32: then the range check below rejects the batch
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = (c[i] as number) / step;
        if (v !== Math.floor(v) || v - v !== 0) return null;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        q[i] = v;
      }
    }
    if (lo < INT32_MIN || hi > INT32_MAX) return null;
    const range = hi - lo + 1;
    if (range > MAX_SLOTS) return null;
    mins[k] = lo;
    strides[k] = size;
    size *= range;
    if (size > MAX_SLOTS || size > 16 * n + 4096) return null;
  }
  if (slotsOf.length < size) {
    slotsOf = new Int32Array(Math.max(size, slotsOf.length * 2)).fill(-1);
  }
  const dense = slotsOf;
  const keyValues: number[][] = Array.from({ length: nk }, () => []);
  let groups = 0;
  const c0 = cols[0] as Float64Array;
  const q0 = qs[0] as Int32Array;
  const m0 = mins[0] as number;
  const st0 = strides[0] as number;
  if (nk === 1) {
    const kv0 = keyValues[0] as number[];
    for (let i = 0; i < n; i++) {
      const slot = ((q0[i] as number) - m0) * st0;
      let g = dense[slot] as number;
      if (g < 0) {
        g = dense[slot] = groups++;
        kv0.push(c0[i] as number);
      }
      out[i] = g;
    }
  } else {
    const q1 = qs[1] as Int32Array;
    const m1 = mins[1] as number;
    const st1 = strides[1] as number;
    const q2 = nk === 3 ? (qs[2] as Int32Array) : null;
    const m2 = nk === 3 ? (mins[2] as number) : 0;
    const st2 = nk === 3 ? (strides[2] as number) : 0;
    for (let i = 0; i < n; i++) {
      let slot = ((q0[i] as number) - m0) * st0 + ((q1[i] as number) - m1) * st1;
      if (q2 !== null) slot += ((q2[i] as number) - m2) * st2;
      let g = dense[slot] as number;
      if (g < 0) {
        g = dense[slot] = groups++;
        for (let k = 0; k < nk; k++) (keyValues[k] as number[]).push((cols[k] as Float64Array)[i] as number);
      }
      out[i] = g;
    }
  }
  // Leave every slot at −1 for the next batch: clear only the slots used.
  for (let g = 0; g < groups; g++) {
    let slot = 0;
    for (let k = 0; k < nk; k++) slot += (((keyValues[k] as number[])[g] as number) / (steps[k] as number) - (mins[k] as number)) * (strides[k] as number);
    dense[slot] = -1;
  }
  return { numGroups: groups, keyValues };
}

/**
 * `denseGroupsOf` for the commonest streaming grouping, (pane of a time column, one
 * integer key), in two passes straight from the time column: the pane index is computed,
 * checked and range-tracked in the same pass as the key, instead of a pass writing pane
 * starts, one dividing them again and one per key. Same groups, same order, same key
 * values (the pane start as `floor((t − offset) / paneMs) · paneMs + offset`); null when
 * the batch does not fit (then nothing was written to `out`). With `counts` (n long), each
 * group's row count is left at `counts[g]` instead, and `out` is not written.
 */
export function densePaneKeyGroupsOf(
  times: Float64Array,
  paneMs: number,
  paneOffset: number,
  keys: Float64Array,
  n: number,
  out: Int32Array,
  counts: Float64Array | null = null,
): { numGroups: number; keyValues: number[][] } | null {
  // Whole milliseconds only: then pane bounds are exact, and "in the previous row's pane"
  // agrees with the division (a 0.1 ms pane's bounds need not).
  if (n === 0 || !Number.isInteger(paneMs) || !Number.isInteger(paneOffset)) return null;
  if (counts !== null) {
    const counted = countInBox(times, paneMs, paneOffset, keys, n, counts);
    if (counted !== null) return counted;
  }
  const qp = (quotients[0] as ScratchSlot).int32(n);
  const qk = (quotients[1] as ScratchSlot).int32(n);
  let plo = Infinity;
  let phi = -Infinity;
  let klo = Infinity;
  let khi = -Infinity;
  // The pane of the previous row: rows come mostly in time order, so most rows fall in it
  // and need no division.
  let p = NaN;
  let paneStart = NaN;
  let paneEnd = NaN;
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    if (!(paneStart <= t && t < paneEnd)) {
      p = Math.floor((t - paneOffset) / paneMs);
      paneStart = p * paneMs + paneOffset;
      paneEnd = paneStart + paneMs;
      // The division's pane must hold t (false for NaN too); when rounding says otherwise the general path decides.
      if (!(paneStart <= t && t < paneEnd)) return null;
      if (p < plo) plo = p;
      if (p > phi) phi = p;
    }
    const k = keys[i] as number;
    // An int32 integer (−0 included); anything else goes to the general path.
    if ((k | 0) !== k) return null;
    if (k < klo) klo = k;
    if (k > khi) khi = k;
    qp[i] = p; // wraps outside int32: the range check below rejects the batch
    qk[i] = k;
  }
  if (plo < INT32_MIN || phi > INT32_MAX || klo < INT32_MIN || khi > INT32_MAX) return null;
  const kRange = khi - klo + 1;
  const size = (phi - plo + 1) * kRange;
  if (kRange > MAX_SLOTS || size > MAX_SLOTS || size > 16 * n + 4096) return null;
  lastKeyLo = klo;
  lastKeyHi = khi;
  if (slotsOf.length < size) slotsOf = new Int32Array(Math.max(size, slotsOf.length * 2)).fill(-1);
  const dense = slotsOf;
  const used = usedSlots.int32(n);
  const starts: number[] = [];
  const keyValues: number[] = [];
  let groups = 0;
  // Small integers from here on (checked above): int32 arithmetic for the slot.
  const pl = plo | 0;
  const kl = klo | 0;
  const kr = kRange | 0;
  if (counts !== null) {
    // Counting only (nobody reads `out`): count by slot, numbering a slot's group when its
    // first row comes (the same order as below), one load and one store a row instead of
    // the group id's load, its count's load and two stores. `dense` holds counts − 1 here.
    for (let i = 0; i < n; i++) {
      const slot = (((qp[i] as number) - pl) * kr + ((qk[i] as number) - kl)) | 0;
      const c = (dense[slot] as number) + 1;
      if (c === 0) {
        used[groups++] = slot;
        starts.push((qp[i] as number) * paneMs + paneOffset);
        keyValues.push(keys[i] as number);
      }
      dense[slot] = c;
    }
    takeCounts(dense, used, groups, counts);
    return { numGroups: groups, keyValues: [starts, keyValues] };
  }
  for (let i = 0; i < n; i++) {
    const slot = (((qp[i] as number) - pl) * kr + ((qk[i] as number) - kl)) | 0;
    let g = dense[slot] as number;
    if (g < 0) {
      g = dense[slot] = groups++;
      used[g] = slot;
      starts.push((qp[i] as number) * paneMs + paneOffset);
      keyValues.push(keys[i] as number);
    }
    out[i] = g;
  }
  // Leave every slot at −1 for the next batch: clear exactly the slots used (recorded, not
  // recomputed from the pane starts, which need not divide back exactly).
  for (let g = 0; g < groups; g++) dense[used[g] as number] = -1;
  return { numGroups: groups, keyValues: [starts, keyValues] };
}

/** The key range of the last two-pass grouping: the next batch's keys are likely within it. */
let lastKeyLo = NaN;
let lastKeyHi = NaN;
/** Panes either side of the first row's that the one-pass box spans (late and early rows). */
const BOX_PANES = 8;

/**
 * `densePaneKeyGroupsOf` with counts, in one pass, when every row falls in a box guessed
 * before the pass: the last grouping's key range, and the panes around the first row's.
 * The two-pass path finds the box first, storing each row's pane and key and reading them
 * back; this skips both. The same groups, order and counts; null (the dense array left
 * clean) when a row falls outside the box or is not an integer key, or the box is too large.
 */
function countInBox(times: Float64Array, paneMs: number, paneOffset: number, keys: Float64Array, n: number, counts: Float64Array): { numGroups: number; keyValues: number[][] } | null {
  if (lastKeyLo !== lastKeyLo) return null;
  const p0 = Math.floor(((times[0] as number) - paneOffset) / paneMs);
  if (!(p0 - BOX_PANES >= INT32_MIN && p0 + BOX_PANES <= INT32_MAX)) return null;
  const kRange = lastKeyHi - lastKeyLo + 1;
  const size = (2 * BOX_PANES + 1) * kRange;
  if (size > MAX_SLOTS || size > 16 * n + 4096) return null;
  if (slotsOf.length < size) slotsOf = new Int32Array(Math.max(size, slotsOf.length * 2)).fill(-1);
  const dense = slotsOf;
  const used = usedSlots.int32(n);
  const starts: number[] = [];
  const keyValues: number[] = [];
  const pl = (p0 - BOX_PANES) | 0;
  const pr = 2 * BOX_PANES + 1;
  const kl = lastKeyLo | 0;
  const kr = kRange | 0;
  let groups = 0;
  let p = 0;
  let paneStart = NaN;
  let paneEnd = NaN;
  let fits = true;
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    if (!(paneStart <= t && t < paneEnd)) {
      const q = Math.floor((t - paneOffset) / paneMs);
      paneStart = q * paneMs + paneOffset;
      paneEnd = paneStart + paneMs;
      const dp = q - pl;
      // Outside the box, or a division whose pane does not hold t (NaN too): the two-pass path decides.
      if (!(paneStart <= t && t < paneEnd) || dp < 0 || dp >= pr) {
        fits = false;
        break;
      }
      p = dp | 0;
    }
    const k = keys[i] as number;
    // An int32 integer first (as the two passes require): then k − kl is exact. A fraction
    // could round to a whole offset (1e-17 − (−1) is 1) and join its integer neighbour's group.
    const kk = (k - kl) | 0;
    if ((k | 0) !== k || kk < 0 || kk >= kr) {
      fits = false;
      break;
    }
    const slot = (p * kr + kk) | 0;
    const c = (dense[slot] as number) + 1;
    if (c === 0) {
      used[groups++] = slot;
      starts.push(paneStart);
      keyValues.push(k);
    }
    dense[slot] = c;
  }
  takeCounts(dense, used, groups, counts);
  return fits ? { numGroups: groups, keyValues: [starts, keyValues] } : null;
}

/**
 * Each group's count from its dense slot (which holds count − 1) into `counts[g]`, and the
 * slot back to −1 for the next call.
 */
function takeCounts(dense: Int32Array, used: Int32Array, groups: number, counts: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const slot = used[g] as number;
    counts[g] = (dense[slot] as number) + 1;
    dense[slot] = -1;
  }
}
