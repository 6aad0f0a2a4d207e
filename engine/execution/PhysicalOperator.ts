import type { Attribute } from "../expressions/Expression";
import type { EvalContext } from "../expressions/compile";
import type { NumericStateFormat } from "../state/NumericStateFormat";
import type { StateStore } from "../state/StateStore";
import type { ColumnarBatch } from "./ColumnarBatch";

/** Spark's output modes. */
export type OutputMode = "append" | "update" | "complete";

/** What one execution of a physical plan can read (Spark's IncrementalExecution fields). */
export interface ExecContext extends EvalContext {
  /** Current batch id (-1 for static queries). */
  readonly batchId: number;
  /** The watermark used by this batch for eviction (Spark's eventTimeWatermarkForEviction), epoch ms. */
  readonly watermarkMs: number;
  /**
   * The watermark late rows are judged by (Spark 3.5's eventTimeWatermarkForLateEvents):
   * the previous batch's watermark, so rows a stateful operator emits now are not late
   * for the operator after it.
   */
  readonly lateEventsWatermarkMs: number;
  /** Output mode of the streaming query ("append" for static queries). */
  readonly outputMode: OutputMode;
  /** Data of each streaming source for this batch, by source index. */
  readonly sourceData: readonly ColumnarBatch[];
  /** State stores of the stateful operators, by operator id, loaded before execution. */
  readonly stateStores: ReadonlyMap<number, StateStore<unknown>>;
}

/**
 * A physical operator over columnar batches. A plan is built once per query run
 * and executed once per micro-batch (or once for a static query).
 */
export abstract class PhysicalOperator {
  /** Output attributes, in column order. */
  abstract readonly output: readonly Attribute[];
  /** Child operators. */
  abstract readonly children: readonly PhysicalOperator[];
  /** Runs the operator for one batch. Must not retain `ctx` beyond the call. */
  abstract execute(ctx: ExecContext): ColumnarBatch;
  /** One-line description for explain(), e.g. "Project [value#1, (value#1 * 2) AS v#3]". */
  abstract describe(): string;
  /**
   * Called once when a streaming query run starts, before its first batch: an operator may
   * precompute what no batch changes (a stream-static join hashes its static side). Optional.
   */
  prepare?(): void;
}

/**
 * A stateful operator (Spark's StatefulOperator): owns a state store, reports
 * state metrics, and may ask for a no-data batch when the watermark moves.
 */
export interface StatefulOperator {
  /** Stable id within the query (the state store's operator id in the checkpoint). */
  readonly operatorId: number;
  /** Spark's operator name in progress (`stateStoreSave`, `dedupe`, …). */
  readonly operatorName: string;
  /** Spark's shouldRunAnotherBatch: would a batch with this new watermark emit or evict rows? */
  shouldRunAnotherBatch(newWatermarkMs: number, outputMode: OutputMode): boolean;
  /** Metrics of the last execution. */
  readonly metrics: StateOperatorMetrics;
  /** Spark's operator-specific metrics of the last execution (progress `customMetrics`), e.g. `numDroppedDuplicateRows`. */
  customMetrics?(): Record<string, number>;
  /** Set when the operator's state keys and values are all numbers (see NumericStateFormat). */
  readonly stateFormat?: NumericStateFormat;
}

/** Per-batch metrics of a stateful operator, in Spark's StateOperatorProgress names. */
export interface StateOperatorMetrics {
  numRowsTotal: number;
  numRowsUpdated: number;
  numRowsRemoved: number;
  numRowsDroppedByWatermark: number;
  memoryUsedBytes: number;
  allUpdatesTimeMs: number;
  allRemovalsTimeMs: number;
  commitTimeMs: number;
}

/**
 * A batch's state metrics from its counts and the `performance.now()` marks around its
 * update phase (t0 → t1) and removal phase (t1 → t2); the commit time is filled in later.
 */
export function batchStateMetrics(
  counts: { total: number; updated: number; removed: number; dropped: number; memoryUsedBytes: number },
  t0: number,
  t1: number,
  t2: number,
): StateOperatorMetrics {
  return {
    numRowsTotal: counts.total,
    numRowsUpdated: counts.updated,
    numRowsRemoved: counts.removed,
    numRowsDroppedByWatermark: counts.dropped,
    memoryUsedBytes: counts.memoryUsedBytes,
    allUpdatesTimeMs: Math.round(t1 - t0),
    allRemovalsTimeMs: Math.round(t2 - t1),
    commitTimeMs: 0,
  };
}

/** True if `op` is a stateful operator. */
export function isStateful(op: PhysicalOperator): op is PhysicalOperator & StatefulOperator {
  return typeof (op as unknown as StatefulOperator).shouldRunAnotherBatch === "function";
}

/** Attribute as explain() prints it: `name#id`. */
export function attrString(a: Attribute): string {
  return `${a.name}#${a.id}`;
}

/** Every operator of the tree, pre-order. */
export function collectOperators(root: PhysicalOperator): PhysicalOperator[] {
  const out: PhysicalOperator[] = [];
  const visit = (o: PhysicalOperator) => {
    out.push(o);
    o.children.forEach(visit);
  };
  visit(root);
  return out;
}
