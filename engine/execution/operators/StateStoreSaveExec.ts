import type { Attribute, Expr } from "../../expressions/Expression";
import type { StructValue, Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import { sameFormat, type NumericStateFormat } from "../../state/NumericStateFormat";
import { NumericStateStore } from "../../state/NumericStateStoreProvider";
import type { StateKey, StateStore } from "../../state/StateStore";
import { IllegalStateException } from "../../util/errors";
import type { ColumnarBatch } from "../ColumnarBatch";
import { AggregationLayout, type PaneWindow } from "../aggregation/AggregationLayout";
import type { AggBuffer, AggregateFunction, GroupAccumulator } from "../aggregation/aggregateFunctions";
import {
  batchStateMetrics,
  PhysicalOperator,
  type ExecContext,
  type OutputMode,
  type StateOperatorMetrics,
  type StatefulOperator,
} from "../PhysicalOperator";
import { aggregationStateFormat, NumericAggregationState } from "./numericAggregationState";

/** A state value of a streaming aggregation: one buffer per aggregate call (the key is the grouping-key tuple). */
export type AggStateEntry = readonly AggBuffer[];

/**
 * Streaming aggregation (Spark's StateStoreRestoreExec + StateStoreSaveExec in one):
 * 1. partial aggregation of the batch (no per-row strings);
 * 2. groups whose event-time key is ≤ the late-events watermark (the previous batch's,
 *    as Spark 3.5) are late: dropped and counted (append and update modes; complete
 *    mode keeps everything);
 * 3. merge into the state store;
 * 4. emit — complete: every group; update: the groups updated now, then evict
 *    expired groups; append: evict expired groups and emit them (final values).
 *
 * The event-time key is the grouping column carrying watermark metadata; for a
 * window struct its `end` is compared with the watermark, as Spark does.
 */
export class StateStoreSaveExec extends PhysicalOperator implements StatefulOperator {
  readonly children: readonly PhysicalOperator[];
  readonly operatorName = "stateStoreSave";
  private readonly layout: AggregationLayout;
  private readonly watermarkKey: number;
  private readonly watermarkOnStruct: boolean;
  private lastWatermarkMs: number | undefined;
  /**
   * State keys by event time (window end), so eviction visits only expired keys instead of
   * scanning the state. Built from the store at the first batch of a run, then maintained.
   */
  private timeIndex: Map<number, StateKey[]> | null = null;
  metrics: StateOperatorMetrics = emptyMetrics();
  readonly stateFormat: NumericStateFormat | undefined;
  /** The batch over a numeric state (when the store keeps one: see NumericStateStoreProvider). */
  private readonly numeric: NumericAggregationState | null;

  constructor(
    readonly operatorId: number,
    readonly groupingExpressions: readonly Expr[],
    readonly aggregateExpressions: readonly Expr[],
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
    readonly pane: PaneWindow | null = null,
  ) {
    super();
    this.children = [child];
    this.layout = new AggregationLayout(groupingExpressions, aggregateExpressions, child.output, output, pane);
    this.watermarkKey = groupingExpressions.findIndex((g) => g.kind === "attr" && g.eventTimeDelayMs !== undefined);
    const wk = groupingExpressions[this.watermarkKey];
    this.watermarkOnStruct = wk !== undefined && typeof (wk as Attribute).dataType !== "string";
    this.stateFormat = aggregationStateFormat(groupingExpressions, this.layout.functions, this.watermarkKey);
    this.numeric = this.stateFormat === undefined ? null : new NumericAggregationState(this.stateFormat, this.layout, this.watermarkKey);
  }

  /** Event time of a key tuple, in ms (window end for a window key). */
  private eventTimeOf(k: readonly Value[]): number | null {
    const v = k[this.watermarkKey] ?? null;
    if (v === null) return null;
    return this.watermarkOnStruct ? ((v as StructValue).end as number) : (v as number);
  }

  private indexOf(store: StateStore<AggStateEntry>): Map<number, StateKey[]> {
    if (this.timeIndex === null) {
      const index = new Map<number, StateKey[]>();
      for (const [k] of store.entries()) {
        const t = this.eventTimeOf(k);
        if (t === null) continue;
        const keys = index.get(t);
        if (keys === undefined) index.set(t, [k]);
        else keys.push(k);
      }
      this.timeIndex = index;
    }
    return this.timeIndex;
  }

  shouldRunAnotherBatch(newWatermarkMs: number, outputMode: OutputMode): boolean {
    return (
      outputMode !== "complete" && this.watermarkKey >= 0 && this.lastWatermarkMs !== undefined && newWatermarkMs > this.lastWatermarkMs
    );
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const store = ctx.stateStores.get(this.operatorId) as StateStore<AggStateEntry> | undefined;
    if (store === undefined) throw new IllegalStateException(`State store of operator ${this.operatorId} is not loaded`, "INTERNAL_ERROR");
    const input = this.child.execute(ctx);
    const t0 = performance.now();
    this.lastWatermarkMs = ctx.watermarkMs;
    const mode = ctx.outputMode;
    const useWatermark = this.watermarkKey >= 0 && mode !== "complete";
    const wm = ctx.watermarkMs;
    const lateWm = ctx.lateEventsWatermarkMs;
    if (this.numeric !== null && store instanceof NumericStateStore && sameFormat(store.format, this.stateFormat as NumericStateFormat)) {
      const r =
        this.numeric.executeDirect(store.table, input, mode, wm, lateWm, ctx) ??
        this.numeric.executePanesOf(store.table, input, mode, wm, lateWm, ctx) ??
        this.numeric.execute(store.table, this.layout.aggregate(input, ctx), input.numRows, mode, wm, lateWm, ctx);
      const t2 = performance.now();
      this.metrics = batchStateMetrics({ total: store.numKeys(), updated: r.updated, removed: r.removed, dropped: r.dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, t2, t2);
      return r.output;
    }
    const partial = this.layout.aggregate(input, ctx);
    const fns = this.layout.functions;
    const accs = partial.accumulators;
    const na = accs.length;
    const keyCols = partial.keyValues;
    const nk = keyCols.length;
    const wk = this.watermarkKey;
    const onStruct = this.watermarkOnStruct;
    let dropped = 0;
    // Emitted groups as parallel arrays (keys, buffers): no wrapper object per group.
    const updatedKeys: StateKey[] = [];
    const updatedBufs: AggStateEntry[] = [];
    let numUpdated = 0;
    // A global aggregation (no keys) has one group even for an empty batch, as Spark's
    // partial aggregation emits one row for empty input: update mode re-emits it unchanged.
    const index = wk >= 0 && mode !== "complete" ? this.indexOf(store) : null;
    let lastT = NaN;
    let lastKeys: StateKey[] | undefined;
    for (let g = 0; g < partial.numGroups; g++) {
      const k: Value[] = new Array(nk);
      for (let c = 0; c < nk; c++) k[c] = (keyCols[c] as readonly Value[])[g] ?? null;
      // Event time of the key (window end for a window key), read once.
      let t: number | null = null;
      if (wk >= 0) {
        const v = k[wk] ?? null;
        t = v === null ? null : onStruct ? ((v as StructValue).end as number) : (v as number);
      }
      if (useWatermark && t !== null && t <= lateWm) {
        dropped++;
        continue;
      }
      const old = store.get(k);
      if (old === undefined && index !== null && t !== null) {
        // New keys of one event time (a window end) often come in a row: the last list is kept.
        if (t !== lastT || lastKeys === undefined) {
          lastT = t;
          lastKeys = index.get(t);
          if (lastKeys === undefined) index.set(t, (lastKeys = []));
        }
        lastKeys.push(k);
      }
      let b: AggBuffer[];
      if (na === 1) {
        const a0 = (accs[0] as GroupAccumulator).buffer(g);
        b = [old === undefined ? a0 : (fns[0] as AggregateFunction).mergeBuffers(old[0] ?? null, a0)];
      } else {
        b = new Array(na);
        for (let j = 0; j < na; j++) {
          const aj = (accs[j] as GroupAccumulator).buffer(g);
          b[j] = old === undefined ? aj : (fns[j] as AggregateFunction).mergeBuffers(old[j] ?? null, aj);
        }
      }
      store.put(k, b);
      numUpdated++;
      if (mode === "update") {
        updatedKeys.push(k);
        updatedBufs.push(b);
      }
    }
    const t1 = performance.now();
    let emittedKeys: StateKey[];
    let emittedBufs: AggStateEntry[];
    let removed = 0;
    if (mode === "complete") {
      emittedKeys = [];
      emittedBufs = [];
      for (const [k, b] of store.entries()) {
        emittedKeys.push(k);
        emittedBufs.push(b);
      }
    } else {
      const expiredKeys: StateKey[] = [];
      const expiredBufs: AggStateEntry[] = [];
      if (index !== null) {
        for (const [t, keys] of index) {
          if (t > wm) continue;
          for (const k of keys) {
            const b = store.get(k);
            if (b === undefined) continue;
            expiredKeys.push(k);
            expiredBufs.push(b);
            store.remove(k);
          }
          index.delete(t);
        }
        removed = expiredKeys.length;
      }
      emittedKeys = mode === "update" ? updatedKeys : expiredKeys;
      emittedBufs = mode === "update" ? updatedBufs : expiredBufs;
    }
    const t2 = performance.now();
    this.metrics = batchStateMetrics({ total: store.numKeys(), updated: numUpdated, removed, dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, t1, t2);
    return this.layout.buildOutputColumns(emittedKeys, emittedBufs, ctx);
  }

  describe(): string {
    return `StateStoreSave [${this.groupingExpressions.map(exprString).join(", ")}], operatorId = ${this.operatorId}, functions=[${this.aggregateExpressions
      .map(exprString)
      .join(", ")}]${this.pane === null ? "" : `, panes of window(${this.pane.windowMs} ms, ${this.pane.slideMs} ms)`}`;
  }
}

/** Zeroed metrics. */
export function emptyMetrics(): StateOperatorMetrics {
  return {
    numRowsTotal: 0,
    numRowsUpdated: 0,
    numRowsRemoved: 0,
    numRowsDroppedByWatermark: 0,
    memoryUsedBytes: 0,
    allUpdatesTimeMs: 0,
    allRemovalsTimeMs: 0,
    commitTimeMs: 0,
  };
}

