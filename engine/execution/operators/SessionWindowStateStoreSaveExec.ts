import type { Attribute, Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import type { StructValue, Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import type { StateKey, StateStore } from "../../state/StateStore";
import { TupleMap } from "../../state/TupleMap";
import { IllegalStateException } from "../../util/errors";
import { columnFromValues, getValue, selectRows, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { AggregationLayout } from "../aggregation/AggregationLayout";
import type { AggBuffer, AggregateFunction, GroupAccumulator } from "../aggregation/aggregateFunctions";
import { groupSessions } from "./sessionGroups";
import { NumericSessionState, sessionStateFormat } from "./numericSessionState";
import { sameFormat, type NumericStateFormat } from "../../state/NumericStateFormat";
import { NumericStateStore } from "../../state/NumericStateStoreProvider";
import { dataTypeOf } from "../../expressions/typeOf";
import { isNumericStorage } from "../../expressions/types";
import {
  batchStateMetrics,
  PhysicalOperator,
  type ExecContext,
  type OutputMode,
  type StateOperatorMetrics,
  type StatefulOperator,
} from "../PhysicalOperator";
import { emptyMetrics } from "./StateStoreSaveExec";

/**
 * One session in the state: `[start, end, buffers]` (plain JSON: the persistent providers
 * store it as it is).
 */
export type SessionEntry = readonly [number, number, readonly AggBuffer[]];

/**
 * Session-window aggregation (Spark's MergingSessionsExec + SessionWindowStateStoreRestoreExec
 * + SessionWindowStateStoreSaveExec in one). The state holds, per group key (the grouping keys
 * other than the session), the sessions sorted by start. Per batch:
 * 1. rows whose own session `[t, t + gap)` ends at or before the late-events watermark are
 *    late: dropped and counted (append mode);
 * 2. partial aggregation of the rest by (keys, per-row session);
 * 3. the new sessions and the stored ones of the same key are merged where they overlap
 *    (`next.start ≤ current.end`; end = the greatest end, buffers merged);
 * 4. emit — complete: every session; append: sessions whose end is ≤ the watermark, which are
 *    then evicted (final). Update mode is rejected by the checker, as in Spark.
 *
 * Static queries (operatorId -1) merge the sessions of the one batch without a store.
 */
export class SessionWindowStateStoreSaveExec extends PhysicalOperator implements StatefulOperator {
  readonly children: readonly PhysicalOperator[];
  readonly operatorName = "sessionWindowStateStoreSaveExec";
  metrics: StateOperatorMetrics = emptyMetrics();
  private readonly layout: AggregationLayout;
  /** Position of the session struct among the grouping keys. */
  private readonly sessionIndex: number;
  /** Position of the session struct in the input rows, or -1. */
  private readonly sessionOrdinal: number;
  /** The grouping keys other than the session, compiled over the input. */
  private readonly otherKeyFns: CompiledExpr[];
  private lastWatermarkMs: number | undefined;
  private lastEvictionWm: number | undefined;
  private lastTotal: number | undefined;
  /** Whether every grouping key but the session is numeric (the typed fast path of `executeAppend`). */
  private readonly numericKeys: boolean;
  /**
   * Group keys by the end of their first (earliest) session, so eviction visits only keys
   * with a closed session instead of scanning the state. A key is (re)registered whenever its
   * first session's end changes; stale entries are skipped (the store is re-read). Built
   * from the store at the first append batch of a run, and rebuilt when the store is not
   * the version after the one this index followed (an aborted batch rolled it back).
   */
  private endIndex: Map<number, EndBucket> | null = null;
  /** The store version `endIndex` is valid for. */
  private endIndexVersion = -1;
  readonly stateFormat: NumericStateFormat | undefined;
  /** The batch over a numeric state (when the store keeps one: see NumericStateStoreProvider). */
  private readonly numeric: NumericSessionState | null;

  constructor(
    readonly operatorId: number,
    readonly groupingExpressions: readonly Expr[],
    readonly aggregateExpressions: readonly Expr[],
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
    sessionAttrId: number,
    /** Whether the gap is a per-row column (sessions of one start may then end differently). */
    private readonly dynamicGap = false,
  ) {
    super();
    this.children = [child];
    this.layout = new AggregationLayout(groupingExpressions, aggregateExpressions, child.output, output, null);
    this.sessionIndex = groupingExpressions.findIndex((g) => g.kind === "attr" && g.id === sessionAttrId);
    this.sessionOrdinal = child.output.findIndex((a) => a.id === sessionAttrId);
    this.otherKeyFns = groupingExpressions.filter((_, i) => i !== this.sessionIndex).map((g) => compileExpr(g, child.output));
    if (this.sessionIndex < 0) throw new IllegalStateException("Session window key not found", "INTERNAL_ERROR");
    this.numericKeys = groupingExpressions.every((g, i) => i === this.sessionIndex || isNumericStorage(dataTypeOf(g)));
    this.stateFormat =
      operatorId >= 0 && this.sessionOrdinal >= 0 ? sessionStateFormat(groupingExpressions, this.layout.functions, this.sessionIndex, dynamicGap) : undefined;
    this.numeric = this.stateFormat === undefined ? null : new NumericSessionState(this.stateFormat, this.layout, this.sessionIndex);
  }

  shouldRunAnotherBatch(newWatermarkMs: number, outputMode: OutputMode): boolean {
    return outputMode === "append" && this.lastWatermarkMs !== undefined && newWatermarkMs > this.lastWatermarkMs;
  }

  private groupKeyOf(k: readonly Value[]): StateKey {
    const out: Value[] = [];
    for (let i = 0; i < k.length; i++) if (i !== this.sessionIndex) out.push(k[i] ?? null);
    return out;
  }

  private fullKey(groupKey: StateKey, s: SessionEntry): Value[] {
    const out: Value[] = [...groupKey];
    out.splice(this.sessionIndex, 0, { start: s[0], end: s[1] });
    return out;
  }

  /**
   * With a per-row gap, rows of one key and one start may end differently, but the partial
   * aggregation groups a session struct by its start: the greatest end per (key, start).
   */
  private maxEndsOf(input: ColumnarBatch, ctx: ExecContext): TupleMap<number> {
    const out = new TupleMap<number>();
    const keyFns = this.otherKeyFns.map((f) => f(input, ctx));
    const col = input.columns[this.sessionOrdinal] as ColumnVector;
    for (let i = 0; i < input.numRows; i++) {
      const w = getValue(col, i) as StructValue | null;
      if (w === null) continue;
      const k: Value[] = keyFns.map((f) => f(i));
      k.push(w.start as number);
      const end = w.end as number;
      const prev = out.get(k);
      if (prev === undefined || end > prev) out.set(k, end);
    }
    return out;
  }

  /** Merges sessions (any order) into sorted, non-overlapping sessions. */
  private merge(sessions: SessionEntry[]): SessionEntry[] {
    sessions.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const fns = this.layout.functions;
    const out: SessionEntry[] = [];
    let cur: SessionEntry | undefined;
    for (const s of sessions) {
      if (cur !== undefined && s[0] <= cur[1]) {
        const c: SessionEntry = cur;
        cur = [c[0], Math.max(c[1], s[1]), c[2].map((b, j) => fns[j]!.mergeBuffers(b, s[2][j] ?? null))];
        continue;
      }
      if (cur !== undefined) out.push(cur);
      cur = s;
    }
    if (cur !== undefined) out.push(cur);
    return out;
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const stateful = this.operatorId >= 0;
    const store = stateful ? (ctx.stateStores.get(this.operatorId) as StateStore<SessionEntry[]> | undefined) : undefined;
    if (stateful && store === undefined) throw new IllegalStateException(`State store of operator ${this.operatorId} is not loaded`, "INTERNAL_ERROR");
    let input = this.child.execute(ctx);
    const t0 = performance.now();
    this.lastWatermarkMs = ctx.watermarkMs;
    const mode = stateful ? ctx.outputMode : "complete";
    if (this.numeric !== null && store instanceof NumericStateStore && sameFormat(store.format, this.stateFormat as NumericStateFormat)) {
      const groups = groupSessions(input, ctx, this.layout, this.sessionOrdinal, this.sessionIndex, mode === "append" ? ctx.lateEventsWatermarkMs : null);
      if (groups === null) throw new IllegalStateException("Sessions of one batch with different gaps in a fixed-gap session window", "INTERNAL_ERROR");
      const r = this.numeric.execute(store.table, store.version, groups, mode, ctx.watermarkMs, ctx);
      const t2 = performance.now();
      this.metrics = batchStateMetrics({ total: r.total, updated: r.updated, removed: r.removed, dropped: groups.dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, r.mergedAt, t2);
      return r.output;
    }
    if (mode === "append" && store !== undefined && !this.dynamicGap && this.numericKeys && this.sessionOrdinal >= 0) {
      const out = this.executeAppend(input, ctx, store, t0);
      if (out !== null) return out;
    }
    this.endIndex = null;
    let dropped = 0;
    if (mode === "append" && this.sessionOrdinal >= 0) {
      // Late rows (Spark's SessionWindowStateStoreRestoreExec): their own session ends at or
      // before the late-events watermark. Counted per input row.
      const col = input.columns[this.sessionOrdinal] as ColumnVector;
      const sel: number[] = [];
      for (let i = 0; i < input.numRows; i++) {
        const w = getValue(col, i) as StructValue | null;
        if (w !== null && (w.end as number) <= ctx.lateEventsWatermarkMs) dropped++;
        else sel.push(i);
      }
      if (dropped > 0) input = selectRows(input, sel);
    }
    const maxEnds = this.dynamicGap ? this.maxEndsOf(input, ctx) : null;
    const partial = this.layout.aggregate(input, ctx);
    const byKey = new TupleMap<SessionEntry[]>();
    for (let g = 0; g < partial.numGroups; g++) {
      const k = partial.keyValues.map((col) => col[g] ?? null);
      const w = k[this.sessionIndex] as StructValue;
      const start = w.start as number;
      const gk = this.groupKeyOf(k);
      const end = maxEnds?.get([...gk, start]) ?? (w.end as number);
      let list = byKey.get(gk);
      if (list === undefined) byKey.set(gk, (list = []));
      list.push([start, end, partial.accumulators.map((a) => a.buffer(g))]);
    }
    let numUpdated = 0;
    /** Sessions of the touched keys before the merge (to keep the total without a scan). */
    let touchedBefore = 0;
    const emitted: { k: readonly Value[]; b: readonly AggBuffer[] }[] = [];
    byKey.forEach((fresh, gk) => {
      const old = store?.get(gk) ?? [];
      touchedBefore += old.length;
      const merged = this.merge([...old, ...fresh]);
      numUpdated += merged.length;
      if (store !== undefined) store.put(gk, merged);
      else for (const s of merged) emitted.push({ k: this.fullKey(gk, s), b: s[2] });
    });
    const t1 = performance.now();
    let removed = 0;
    let total = 0;
    // Append mode scans the state for closed sessions only when the watermark moved (or at
    // the first batch of a run); the total is kept up to date in between.
    const scan = mode === "complete" || this.lastEvictionWm === undefined || ctx.watermarkMs > this.lastEvictionWm;
    if (store !== undefined && !scan) {
      total = (this.lastTotal ?? 0) + numUpdated - touchedBefore;
    } else if (store !== undefined) {
      this.lastEvictionWm = ctx.watermarkMs;
      const wm = ctx.watermarkMs;
      const updates: [StateKey, SessionEntry[]][] = [];
      for (const [gk, sessions] of store.entries()) {
        if (mode === "complete") {
          for (const s of sessions) emitted.push({ k: this.fullKey(gk, s), b: s[2] });
          total += sessions.length;
          continue;
        }
        const keep = sessions.filter((s) => s[1] > wm);
        for (const s of sessions) if (s[1] <= wm) emitted.push({ k: this.fullKey(gk, s), b: s[2] });
        removed += sessions.length - keep.length;
        total += keep.length;
        if (keep.length !== sessions.length) updates.push([gk, keep]);
      }
      for (const [gk, keep] of updates) {
        if (keep.length === 0) store.remove(gk);
        else store.put(gk, keep);
      }
    }
    this.lastTotal = total;
    const t2 = performance.now();
    this.metrics = batchStateMetrics({ total, updated: numUpdated, removed, dropped, memoryUsedBytes: store?.memoryUsedBytes() ?? 0 }, t0, t1, t2);
    return this.layout.buildOutput(emitted, ctx);
  }

  /**
   * Append mode with a fixed gap and numeric group keys (the common case), the same results as
   * the general path with less work: rows are grouped by (keys, session start) through a
   * typed-array hash table, the groups of one key are merged with its stored sessions in one
   * linear pass (both sorted: the order a stable sort of old-then-new would give, so buffers
   * merge in the same order), and eviction visits only keys whose first session has ended
   * (`endIndex`) instead of scanning the state. Returns null (nothing done) when the batch's
   * sessions do not all have one gap; the general path then runs.
   */
  private executeAppend(batch: ColumnarBatch, ctx: ExecContext, store: StateStore<SessionEntry[]>, t0: number): ColumnarBatch | null {
    const groups = groupSessions(batch, ctx, this.layout, this.sessionOrdinal, this.sessionIndex, ctx.lateEventsWatermarkMs);
    if (groups === null) return null;
    const { dropped, gap, numKeys, offsets, order, groupStarts, keyVals, nOther } = groups;
    const si = this.sessionIndex;
    const nk = nOther + 1;
    const index = this.indexFor(store);
    const fns = this.layout.functions;
    const accs = groups.accumulators;
    const na = accs.length;
    let numUpdated = 0;
    let touchedBefore = 0;
    for (let k = 0; k < numKeys; k++) {
      const gk = nOther === 1 ? [(keyVals[0] as ArrayLike<number | null>)[k] ?? null] : keyOf(keyVals, k, nOther);
      const old = store.get(gk);
      const oldLen = old === undefined ? 0 : old.length;
      touchedBefore += oldLen;
      // Merge old (sorted, disjoint) and fresh (sorted by start; one end per start) sessions in
      // (start, end) order, old first on ties, folding overlapping ones as `merge` does.
      // The merged sessions; the array is made only for a second one (one session, the usual
      // case, is stored as a one-element literal below).
      let merged: SessionEntry[] | null = null;
      let firstMerged: SessionEntry | undefined;
      let cur: SessionEntry | undefined;
      let i = 0;
      let x = offsets[k] as number;
      const xEnd = offsets[k + 1] as number;
      while (i < oldLen || x < xEnd) {
        let s: SessionEntry;
        if (x >= xEnd) s = (old as SessionEntry[])[i++] as SessionEntry;
        else {
          const g = order[x] as number;
          const fs = groupStarts[g] as number;
          const o = i < oldLen ? ((old as SessionEntry[])[i] as SessionEntry) : undefined;
          if (o !== undefined && (o[0] < fs || (o[0] === fs && o[1] <= fs + gap))) {
            s = o;
            i++;
          } else {
            // Array literals for what the state keeps: V8 can then allocate them in the old
            // generation directly (allocation-site pretenuring) instead of copying them twice.
            const bufs: AggBuffer[] = na === 1 ? [(accs[0] as GroupAccumulator).buffer(g)] : accs.map((a) => a.buffer(g));
            s = [fs, fs + gap, bufs];
            x++;
          }
        }
        if (cur !== undefined && s[0] <= cur[1]) {
          const c: SessionEntry = cur;
          const bufs: AggBuffer[] =
            na === 1 ? [(fns[0] as AggregateFunction).mergeBuffers(c[2][0] ?? null, s[2][0] ?? null)] : fns.map((f, j) => f.mergeBuffers(c[2][j] ?? null, s[2][j] ?? null));
          cur = [c[0], Math.max(c[1], s[1]), bufs];
          continue;
        }
        if (cur !== undefined) {
          if (firstMerged === undefined) firstMerged = cur;
          else (merged ??= [firstMerged]).push(cur);
        }
        cur = s;
      }
      if (cur !== undefined) {
        if (firstMerged === undefined) firstMerged = cur;
        else (merged ??= [firstMerged]).push(cur);
      }
      const first = firstMerged as SessionEntry;
      numUpdated += merged === null ? 1 : merged.length;
      store.put(gk, merged ?? [first]);
      const firstEnd = first[1];
      if (old === undefined || (old[0] as SessionEntry)[1] !== firstEnd) addKey(index, firstEnd, gk, nOther);
    }
    const t1 = performance.now();
    // Eviction: keys registered in a bucket that starts at or before the watermark; each
    // entry whose registered end is ≤ the watermark is re-read (it may be stale).
    const wm = ctx.watermarkMs;
    const outKeys: number[][] = [];
    for (let o = 0; o < nOther; o++) outKeys.push([]);
    const outSessions: Value[] = [];
    const outBufs: (readonly AggBuffer[])[] = [];
    let removed = 0;
    const again: EndBucket = { ends: [], keys: [] };
    const wmBucket = Math.floor(wm / END_BUCKET_MS);
    for (const [b, bucket] of index) {
      if (b > wmBucket) continue;
      index.delete(b);
      const ends = bucket.ends;
      const list = bucket.keys;
      for (let e = 0; e < ends.length; e++) {
        if ((ends[e] as number) > wm) {
          again.ends.push(ends[e] as number);
          for (let o = 0; o < nOther; o++) again.keys.push(list[e * nOther + o] ?? null);
          continue;
        }
        const gk = flatKeyOf(list, e, nOther);
        const sessions = store.get(gk);
        if (sessions === undefined || (sessions[0] as SessionEntry)[1] > wm) continue;
        let closed = 0;
        for (let x = 0; x < sessions.length; x++) {
          const s = sessions[x] as SessionEntry;
          if (s[1] > wm) continue;
          closed++;
          for (let o = 0; o < nOther; o++) (outKeys[o] as Value[]).push(gk[o] ?? null);
          outSessions.push({ start: s[0], end: s[1] });
          outBufs.push(s[2]);
        }
        removed += closed;
        if (closed === sessions.length) store.remove(gk);
        else {
          const keep = sessions.filter((s) => s[1] > wm);
          store.put(gk, keep);
          again.ends.push((keep[0] as SessionEntry)[1]);
          for (let o = 0; o < nOther; o++) again.keys.push((gk[o] as number | null) ?? null);
        }
      }
    }
    for (let e = 0; e < again.ends.length; e++) addKeyAt(index, again.ends[e] as number, again.keys, e * nOther, nOther);
    const total = (this.lastTotal ?? 0) + numUpdated - touchedBefore - removed;
    this.lastTotal = total;
    this.lastEvictionWm = wm;
    this.endIndexVersion = store.version + 1;
    const t2 = performance.now();
    this.metrics = batchStateMetrics({ total, updated: numUpdated, removed, dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, t1, t2);
    const keyCols: ColumnVector[] = [];
    const nOut = outBufs.length;
    for (let k = 0, o = 0; k < nk; k++) {
      if (k === si) keyCols.push({ dataType: (this.groupingExpressions[si] as Attribute).dataType, length: nOut, values: outSessions, nulls: null });
      else keyCols.push(columnFromValues(dataTypeOf(this.groupingExpressions[k] as Expr), outKeys[o++] as Value[]));
    }
    return this.layout.buildOutputFromKeyColumns(keyCols, outBufs, ctx);
  }

  /** The end index for `store` (see `endIndex`), rebuilt with the session total when stale. */
  private indexFor(store: StateStore<SessionEntry[]>): Map<number, EndBucket> {
    if (this.endIndex !== null && this.endIndexVersion === store.version) return this.endIndex;
    const index = new Map<number, EndBucket>();
    let total = 0;
    const nOther = this.groupingExpressions.length - 1;
    for (const [gk, sessions] of store.entries()) {
      total += sessions.length;
      const first = sessions[0];
      if (first !== undefined) addKey(index, first[1], gk, nOther);
    }
    this.endIndex = index;
    this.lastTotal = total;
    return index;
  }

  describe(): string {
    return `SessionWindowStateStoreSave [${this.groupingExpressions.map(exprString).join(", ")}], operatorId = ${this.operatorId}, functions=[${this.aggregateExpressions
      .map(exprString)
      .join(", ")}]`;
  }
}

/**
 * Keys registered at session ends within one bucket of `END_BUCKET_MS`: `ends[e]`, and the key's
 * values (numbers or null) at `keys[e * nOther …]` — numbers rather than key tuples, so the
 * index holds no object per key.
 */
interface EndBucket {
  readonly ends: number[];
  readonly keys: (number | null)[];
}

/** Width of an eviction bucket: a bucket is visited once the watermark reaches its start. */
const END_BUCKET_MS = 1000;

/** Registers key `k` (its first `nOther` values) at end `t`. */
function addKey(index: Map<number, EndBucket>, t: number, k: StateKey, nOther: number): void {
  addKeyAt(index, t, k as readonly (number | null)[], 0, nOther);
}

/** Registers the key whose values are `vals[at … at + nOther)` at end `t`. */
function addKeyAt(index: Map<number, EndBucket>, t: number, vals: readonly (number | null)[], at: number, nOther: number): void {
  const b = Math.floor(t / END_BUCKET_MS);
  let bucket = index.get(b);
  if (bucket === undefined) index.set(b, (bucket = { ends: [], keys: [] }));
  bucket.ends.push(t);
  for (let o = 0; o < nOther; o++) bucket.keys.push(vals[at + o] ?? null);
}

/** A new key tuple: row `at` of the key columns `cols` (`n` of them). */
function keyOf(cols: readonly ArrayLike<number | null>[], at: number, n: number): Value[] {
  const out: Value[] = new Array(n);
  for (let o = 0; o < n; o++) out[o] = (cols[o] as ArrayLike<number | null>)[at] ?? null;
  return out;
}

/** A new key tuple: entry `at` of flattened key values (`n` per entry). */
function flatKeyOf(vals: readonly (number | null)[], at: number, n: number): Value[] {
  if (n === 1) return [vals[at] ?? null];
  const out: Value[] = new Array(n);
  for (let o = 0; o < n; o++) out[o] = vals[at * n + o] ?? null;
  return out;
}
