import type { Value, StructValue } from "../../expressions/types";
import type { EvalContext } from "../../expressions/compile";
import { getValue, selectRows, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import type { AggregationLayout } from "../aggregation/AggregationLayout";
import type { GroupAccumulator } from "../aggregation/aggregateFunctions";
import { NumericKeyIndex } from "../aggregation/NumericKeyIndex";
import { partialAggregate, type KeySpec } from "../aggregation/partialAggregate";
import { ScratchSlot } from "../../util/scratch";
import { TypedWindowColumn } from "../TypedWindowColumn";

// Each row's session start and the rows kept: read within one call, kept for the next batch.
const startsScratch = new ScratchSlot();
const selScratch = new ScratchSlot();

/**
 * A batch's rows for a session-window aggregation with a fixed gap and numeric group keys,
 * grouped by (group key, session start) and then by group key: the sessions of key k are
 * groups `order[offsets[k] .. offsets[k+1])`, sorted by start.
 */
export interface SessionGroups {
  /** Rows dropped as late (their own session ends at or before the late-events watermark). */
  readonly dropped: number;
  readonly gap: number;
  readonly numKeys: number;
  readonly offsets: Int32Array;
  readonly order: Int32Array;
  /** Session start of each group. */
  readonly groupStarts: ArrayLike<number>;
  /** The group keys (the grouping keys but the session): `keyVals[o][k]`. */
  readonly keyVals: readonly ArrayLike<number | null>[];
  /** Number of group key parts. */
  readonly nOther: number;
  readonly accumulators: readonly GroupAccumulator[];
}

/**
 * Groups a batch's sessions (see SessionGroups). Returns null when the batch's sessions do not
 * all have one gap. `lateWm`: drop rows whose session ends at or before it (null: keep all).
 */
export function groupSessions(
  batch: ColumnarBatch,
  ctx: EvalContext,
  layout: AggregationLayout,
  sessionOrdinal: number,
  sessionIndex: number,
  lateWm: number | null,
): SessionGroups | null {
    const col = batch.columns[sessionOrdinal] as ColumnVector;
    let n = batch.numRows;
    const starts = startsScratch.float64(n);
    const sel = selScratch.int32(n);
    let kept = 0;
    let gap = NaN;
    let dropped = 0;
    // Typed starts and ends when the session_window column comes straight from its projection.
    const typed = col instanceof TypedWindowColumn ? col : null;
    for (let i = 0; i < n; i++) {
      let s: number;
      let e: number;
      if (typed !== null) {
        s = typed.starts[i] as number;
        e = typed.ends[i] as number;
      } else {
        const w = getValue(col, i) as StructValue | null;
        if (w === null) return null;
        s = w.start as number;
        e = w.end as number;
      }
      // The gap, to the microsecond (timestamps' precision): end − start can be off by a rounding
      // step (64000.001 + 2000 − 64000.001 is 1999.9999999999927), start + gap is not.
      if (gap !== gap) gap = Math.round((e - s) * 1000) / 1000;
      if (s + gap !== e) return null;
      if (lateWm !== null && e <= lateWm) {
        dropped++;
        continue;
      }
      starts[kept] = s;
      sel[kept++] = i;
    }
    let input = batch;
    if (dropped > 0) {
      input = selectRows(batch, sel, kept);
      n = kept;
    }
    const startCol = starts.subarray(0, n);
    // Grouping keys with the session replaced by its start (a plain number).
    const keys: KeySpec[] = layout.keys.map((k, i) =>
      i !== sessionIndex
        ? k
        : { dataType: "double", eval: () => (r: number) => startCol[r] as number, columnOf: () => startCol },
    );
    const partial = partialAggregate(input, ctx, keys, layout.aggs, Math.max(512, n));
    const numGroups = partial.numGroups;
    const si = sessionIndex;
    const nk = keys.length;
    const groupStarts = partial.keyValues[si] as ArrayLike<number>;
    // The groups of each group key, contiguous, by ascending start.
    const nOther = nk - 1;
    const keyIndex = new NumericKeyIndex(nOther, Math.max(512, numGroups));
    const otherCols: Float64Array[] = [];
    const otherNulls: (Uint8Array | null)[] = [];
    for (let k = 0; k < nk; k++) {
      if (k === si) continue;
      const vals = partial.keyValues[k] as ArrayLike<Value>;
      const c = new Float64Array(numGroups);
      let nulls: Uint8Array | null = null;
      for (let g = 0; g < numGroups; g++) {
        const v = vals[g] ?? null;
        if (v === null) (nulls ??= new Uint8Array(numGroups))[g] = 1;
        else c[g] = v as number;
      }
      otherCols.push(c);
      otherNulls.push(nulls);
    }
    const keyOfGroup = new Int32Array(numGroups);
    if (nOther > 0) keyIndex.groupsOf(otherCols, otherNulls, numGroups, keyOfGroup);
    const numKeys = nOther > 0 ? keyIndex.size : numGroups > 0 ? 1 : 0;
    const offsets = new Int32Array(numKeys + 1);
    for (let g = 0; g < numGroups; g++) (offsets[(keyOfGroup[g] as number) + 1] as number)++;
    for (let k = 0; k < numKeys; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
    const order = new Int32Array(numGroups);
    const fill = offsets.slice(0, numKeys);
    for (let g = 0; g < numGroups; g++) order[(fill[keyOfGroup[g] as number] as number)++] = g;
    for (let k = 0; k < numKeys; k++) {
      const a = offsets[k] as number;
      const b = offsets[k + 1] as number;
      if (b - a < 2) continue;
      if (b - a <= 16) {
        for (let x = a + 1; x < b; x++) {
          const g = order[x] as number;
          const sg = groupStarts[g] as number;
          let y = x - 1;
          while (y >= a && (groupStarts[order[y] as number] as number) > sg) {
            order[y + 1] = order[y] as number;
            y--;
          }
          order[y + 1] = g;
        }
      } else order.subarray(a, b).sort((x, y) => (groupStarts[x] as number) - (groupStarts[y] as number));
    }
    const keyVals = nOther > 0 ? keyIndex.keyValues : [];
  return { dropped, gap, numKeys, offsets, order, groupStarts, keyVals, nOther, accumulators: partial.accumulators };
}
