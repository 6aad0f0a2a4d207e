import { windowStart, type CompiledExpr, type EvalContext } from "../../expressions/compile";
import { isNumericStorage, type Value } from "../../expressions/types";
import { NumericKeyIndex } from "./NumericKeyIndex";
import type { ColumnarBatch } from "../ColumnarBatch";
import type { GroupAccumulator } from "./aggregateFunctions";
import { keyNormalizer, updateByGroup, partialAggregate, type AggSpec, type KeySpec, type PartialAggregation } from "./partialAggregate";
import { densePaneKeyGroupsOf } from "./denseGroups";
import { ScratchSlot } from "../../util/scratch";

/** A time window grouping served by panes. */
export interface PaneWindowSpec {
  /** The event-time expression (over the aggregate's input). */
  readonly time: CompiledExpr;
  readonly windowMs: number;
  readonly slideMs: number;
  readonly startMs: number;
  /** Position of the window among the grouping keys. */
  readonly windowKeyIndex: number;
  /** Ordinal of the event-time column when the time expression is a plain (numeric) column. */
  readonly timeColumn?: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}

type Level = Map<Value, Level | number>;

/**
 * The pane start of each time. A module function rather than a loop in the per-batch key
 * closure: V8 drops a closure's optimized code once no closure of it lives (after a full
 * GC), and this loop runs over every row.
 */
function paneStartsInto(t: Float64Array, n: number, paneMs: number, paneOffset: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const v = t[i] as number;
    // A division instead of fmod (much slower); checked, fmod when it is off.
    const p = Math.floor((v - paneOffset) / paneMs) * paneMs + paneOffset;
    if (p <= v && v < p + paneMs) out[i] = p;
    else {
      const r = (v - paneOffset) % paneMs;
      out[i] = v - (r < 0 ? r + paneMs : r);
    }
  }
  return out;
}

/**
 * The batch's groups by (pane start, other keys): the pane start at `keyValues[0]`, the
 * other keys after it. A pane lies in the same windows for all its rows, so windows are
 * sums of panes.
 */
export function paneGroups(
  batch: ColumnarBatch,
  ctx: EvalContext,
  spec: PaneWindowSpec,
  otherKeys: readonly KeySpec[],
  aggs: readonly AggSpec[],
  expectedGroups = 512,
): PartialAggregation {
  const paneMs = gcd(spec.windowMs, spec.slideMs);
  const paneOffset = ((spec.startMs % paneMs) + paneMs) % paneMs;
  const paneKey: KeySpec = {
    dataType: "long",
    // Pane starts are multiples of the pane length plus the offset; dense grouping divides
    // by the step, so it needs the offset to be 0 (it is unless a window has a start offset).
    step: paneOffset === 0 ? paneMs : 1,
    columnOf:
      spec.timeColumn === undefined
        ? undefined
        : (b, _ctx, into) => {
            const c = b.columns[spec.timeColumn as number];
            if (c === undefined || !(c.values instanceof Float64Array) || c.nulls !== null) return null;
            return paneStartsInto(c.values, b.numRows, paneMs, paneOffset, into());
          },
    eval: (b, c) => {
      const t = spec.time(b, c);
      return (i) => {
        const v = t(i) as number | null;
        if (v === null) return null;
        const r = (v - paneOffset) % paneMs; // windowStart, inlined (hot loop)
        return v - (r < 0 ? r + paneMs : r);
      };
    },
  };
  const fused = spec.timeColumn === undefined || otherKeys.length !== 1 ? null : paneKeyGroups(batch, ctx, spec.timeColumn, paneMs, paneOffset, otherKeys[0] as KeySpec, aggs);
  return fused ?? partialAggregate(batch, ctx, [paneKey, ...otherKeys], aggs, expectedGroups);
}

// Working arrays of `paneKeyGroups`, kept for the next batch.
const paneGids = new ScratchSlot();
const paneKeyColumn = new ScratchSlot();
const paneCounts = new ScratchSlot();

/** The pane groups of a time column and one integer key column by dense indexing, or null (then the general path). */
function paneKeyGroups(
  batch: ColumnarBatch,
  ctx: EvalContext,
  timeColumn: number,
  paneMs: number,
  paneOffset: number,
  key: KeySpec,
  aggs: readonly AggSpec[],
): PartialAggregation | null {
  const n = batch.numRows;
  const t = batch.columns[timeColumn];
  if (t === undefined || !(t.values instanceof Float64Array) || t.nulls !== null || key.columnOf === undefined) return null;
  const keys = key.columnOf(batch, ctx, () => paneKeyColumn.float64(n));
  if (keys === null) return null;
  const gids = paneGids.int32(n);
  // Only count(*) (the usual windowed query): counted in the grouping pass, merged per group.
  const accumulators = aggs.map((a) => a.fn.newAccumulator());
  const countsOnly = aggs.length > 0 && aggs.every((a, j) => a.arg === null && accumulators[j]?.countRows !== undefined);
  const counts = countsOnly ? paneCounts.float64(n) : null;
  const groups = densePaneKeyGroupsOf(t.values, paneMs, paneOffset, keys, n, gids, counts);
  if (groups === null) return null;
  if (counts === null) updateByGroup(batch, ctx, aggs, accumulators, gids, n);
  else for (const acc of accumulators) for (let g = 0; g < groups.numGroups; g++) acc.merge(g, counts[g] as number);
  return { numGroups: groups.numGroups, keyValues: groups.keyValues, accumulators };
}

/**
 * Window aggregation through panes (slices of gcd(window, slide)): each row is
 * aggregated once into its pane, then each pane's buffers are merged into the
 * window/slide windows that contain it. Work is O(rows + panes × windows per pane)
 * instead of O(rows × windows per row). Only for aggregates whose result does not
 * depend on arrival order across panes (count, sum, avg, min, max, distinct counts).
 *
 * The result has the same shape as `partialAggregate` over the expanded rows:
 * the window key ({ start, end }) at `windowKeyIndex`, other keys around it.
 */
export function paneAggregate(
  batch: ColumnarBatch,
  ctx: EvalContext,
  spec: PaneWindowSpec,
  otherKeys: readonly KeySpec[],
  aggs: readonly AggSpec[],
  expectedGroups = 512,
  windowCache: Map<number, Value> = new Map(),
): PartialAggregation {
  // One window object per window start (shared by its groups and, through the cache, by
  // later batches): fewer objects in the state and `===` hits when keys are compared.
  if (windowCache.size > 4096) windowCache.clear();
  const windowOf = (start: number): Value => {
    let w = windowCache.get(start);
    if (w === undefined) windowCache.set(start, (w = { start, end: start + spec.windowMs }));
    return w;
  };
  const panes = paneGroups(batch, ctx, spec, otherKeys, aggs, expectedGroups);
  const nOther = otherKeys.length;
  const { windowMs, slideMs, startMs, windowKeyIndex } = spec;
  const paneStarts = panes.keyValues[0] as ArrayLike<Value>;
  const reorder = (windows: Value[], others: readonly ArrayLike<Value>[]): ArrayLike<Value>[] => {
    const ordered: ArrayLike<Value>[] = [];
    for (let i = 0, o = 0; i <= nOther; i++) ordered.push(i === windowKeyIndex ? windows : (others[o++] as ArrayLike<Value>));
    return ordered;
  };
  if (windowMs === slideMs && !Array.prototype.includes.call(paneStarts, null)) {
    // Tumbling: every pane is a window; the pane groups are the answer.
    // Groups of one pane are often adjacent: the last window is reused without a Map lookup.
    let lastStart = NaN;
    let lastWindow: Value = null;
    const windows = Array.from(paneStarts, (p): Value => {
      if (p !== lastStart) {
        lastStart = p as number;
        lastWindow = windowOf(lastStart);
      }
      return lastWindow;
    });
    return { numGroups: panes.numGroups, keyValues: reorder(windows, panes.keyValues.slice(1)), accumulators: panes.accumulators };
  }
  const maxOverlap = Math.ceil(windowMs / slideMs);
  if (otherKeys.every((k) => isNumericStorage(k.dataType))) {
    // Numeric keys: windows found through a typed-array hash table.
    const index = new NumericKeyIndex(nOther + 1, panes.numGroups * maxOverlap);
    const tuple = new Float64Array(nOther + 1);
    const isNull = new Uint8Array(nOther + 1);
    const accs = aggs.map((a) => a.fn.newAccumulator());
    for (let g = 0; g < panes.numGroups; g++) {
      const p = paneStarts[g] as number | null;
      if (p === null) continue;
      for (let o = 0; o < nOther; o++) {
        const v = (panes.keyValues[o + 1] as ArrayLike<Value>)[g] ?? null;
        isNull[o + 1] = v === null ? 1 : 0;
        tuple[o + 1] = v === null ? 0 : (v as number);
      }
      const last = windowStart(p, slideMs, startMs);
      const buffers = panes.accumulators.map((a) => a.buffer(g));
      for (let k = 0; k < maxOverlap; k++) {
        const s = last - k * slideMs;
        if (!(s <= p && p < s + windowMs)) continue;
        tuple[0] = s;
        const w = index.groupOf(tuple, isNull);
        for (let a = 0; a < accs.length; a++) accs[a]!.merge(w, buffers[a] ?? null);
      }
    }
    const windows = Array.from(index.keyValues[0] as ArrayLike<number>, (st): Value => windowOf(st));
    return { numGroups: index.size, keyValues: reorder(windows, index.keyValues.slice(1)), accumulators: accs };
  }
  const norms = otherKeys.map((k) => keyNormalizer(k.dataType));
  const accs: GroupAccumulator[] = aggs.map((a) => a.fn.newAccumulator());
  const keyValues: Value[][] = Array.from({ length: nOther + 1 }, () => []);
  const root: Level = new Map();
  let numGroups = 0;
  for (let g = 0; g < panes.numGroups; g++) {
    const p = paneStarts[g] as number | null;
    if (p === null) continue; // null event time: no window (Spark drops the row)
    const last = windowStart(p, slideMs, startMs);
    const buffers = panes.accumulators.map((a) => a.buffer(g));
    for (let k = 0; k < maxOverlap; k++) {
      const s = last - k * slideMs;
      if (!(s <= p && p < s + windowMs)) continue;
      // Group lookup: window start, then the other keys (nested Maps, no strings).
      let level = root;
      let found: number | undefined;
      for (let j = 0; j <= nOther; j++) {
        const prim = j === 0 ? s : norms[j - 1]!((panes.keyValues[j] as ArrayLike<Value>)[g] ?? null);
        if (j === nOther) {
          found = level.get(prim) as number | undefined;
          if (found === undefined) {
            found = numGroups++;
            level.set(prim, found);
            keyValues[0]!.push(windowOf(s));
            for (let o = 0; o < nOther; o++) keyValues[o + 1]!.push((panes.keyValues[o + 1] as ArrayLike<Value>)[g] ?? null);
          }
        } else {
          let next = level.get(prim) as Level | undefined;
          if (next === undefined) level.set(prim, (next = new Map()));
          level = next;
        }
      }
      for (let a = 0; a < accs.length; a++) accs[a]!.merge(found as number, buffers[a] ?? null);
    }
  }
  return { numGroups, keyValues: reorder(keyValues[0] as Value[], keyValues.slice(1)), accumulators: accs };
}
