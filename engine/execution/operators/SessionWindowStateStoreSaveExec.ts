import type { Attribute, Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import type { StructValue, Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import type { StateKey, StateStore } from "../../state/StateStore";
import { TupleMap } from "../../state/TupleMap";
import { IllegalStateException } from "../../util/errors";
import { getValue, selectRows, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { AggregationLayout } from "../aggregation/AggregationLayout";
import type { AggBuffer } from "../aggregation/aggregateFunctions";
import {
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
    this.metrics = {
      numRowsTotal: total,
      numRowsUpdated: numUpdated,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
      memoryUsedBytes: store?.memoryUsedBytes() ?? 0,
      allUpdatesTimeMs: Math.round(t1 - t0),
      allRemovalsTimeMs: Math.round(t2 - t1),
      commitTimeMs: 0,
    };
    return this.layout.buildOutput(emitted, ctx);
  }

  describe(): string {
    return `SessionWindowStateStoreSave [${this.groupingExpressions.map(exprString).join(", ")}], operatorId = ${this.operatorId}, functions=[${this.aggregateExpressions
      .map(exprString)
      .join(", ")}]`;
  }
}
