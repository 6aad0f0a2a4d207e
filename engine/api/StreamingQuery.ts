import type { MicroBatchExecution, RecoveryInfo } from "../execution/microbatch/MicroBatchExecution";
import type { StreamingQueryProgress, StreamingQueryStatus } from "../execution/microbatch/progress";
import { explainString } from "../plan/explain";
import { groupingColumnsOf, instrumentPlan, planGraph, type PlanGraphNode } from "../execution/planMetrics";
import { IllegalStateException, type StreamingQueryException } from "../util/errors";
import type { WriteSpec } from "../export/capture";
import { queryToPySpark } from "../export/toPySpark";
import { EventTimeWatermarkExec } from "../execution/operators/EventTimeWatermarkExec";
import { collectOperators } from "../execution/PhysicalOperator";
import type { InjectedEvent } from "../sources/Source";
import type { ReplayResult } from "../execution/microbatch/replay";
import { durationToMs } from "../util/durations";
import { LateRowTracer, type LateRowsBatch } from "../execution/trace/lateRows";

/**
 * A handle to a running streaming query (Spark's StreamingQuery).
 *
 * @example
 * const q = df.writeStream.format("console").start();
 * await q.awaitTermination(5000);
 * await q.stop();
 */
export class StreamingQuery {
  /** @internal created by DataStreamWriter.start(). */
  constructor(
    private readonly execution: MicroBatchExecution,
    private readonly print: (text: string) => void,
    /** @internal the writer that started it (sink, mode, trigger, options), for toPySpark(). */
    private readonly writeSpec?: WriteSpec,
  ) {}

  /** The late-row tracer, once `lateRows()` was called (false: the query has no watermark). */
  private tracer: LateRowTracer | false | undefined;

  /** Stable id across restarts from the same checkpoint. */
  get id(): string {
    return this.execution.id;
  }
  /** Id of this run (new at every start). */
  get runId(): string {
    return this.execution.runId;
  }
  /** The queryName, or null. */
  get name(): string | null {
    return this.execution.name;
  }
  /** True until the query stops or fails. */
  get isActive(): boolean {
    return this.execution.isActive;
  }
  /**
   * Playground extension: the kind of trigger the query runs on ("processingTime",
   * "once", "availableNow", "continuous" or "manual"); a "manual" query runs batches
   * only on `step()` / `processAllAvailable()`.
   */
  get triggerKind(): string {
    return this.execution.trigger.kind;
  }
  /** Playground extension: where the query keeps its checkpoint (a temporary location when none was given). */
  get checkpointLocation(): string {
    return this.execution.checkpointLocation;
  }
  /**
   * Playground extension: the physical plan as a tree, with each operator's rows in
   * and out in the last batch and the state rows of stateful operators. The first
   * call starts counting (the plan view calls it when the query starts).
   */
  planGraph(): PlanGraphNode | null {
    const root = (this.execution as { root?: MicroBatchExecution["root"] }).root;
    if (!root) return null; // the continuous execution has no micro-batch plan
    instrumentPlan(root);
    return planGraph(root, this.execution.lastProgress?.batchId ?? -1);
  }
  /**
   * Playground extension: adds one event by hand to the query's source (the events source,
   * or a MemoryStream with a timestamp column); the next batch reads it. Throws
   * IllegalArgumentException naming the problem when the source cannot take it.
   */
  inject(event: InjectedEvent): void {
    const exec = this.execution as { inject?: (e: InjectedEvent) => void };
    if (exec.inject === undefined) throw new IllegalStateException("A continuous query cannot take events by hand.", "INJECT_UNSUPPORTED");
    exec.inject.call(this.execution, event);
  }
  /**
   * Playground extension: "replay with this watermark delay". Runs this query's committed
   * batches again — the same offsets and batch times, the sources re-read (a seeded source
   * gives the same rows) — with every `withWatermark` delay set to `delay` ("20 seconds",
   * or ms; null: as written), fresh state and a private sink, and resolves to the result
   * table and what was dropped. The query itself keeps running untouched.
   */
  async replay(delay: string | number | null): Promise<ReplayResult> {
    const exec = this.execution as { replay?: (ms: number | null) => Promise<ReplayResult> };
    if (exec.replay === undefined) throw new IllegalStateException("A continuous query cannot be replayed.", "REPLAY_UNSUPPORTED");
    const ms = delay === null || typeof delay === "number" ? delay : durationToMs(delay);
    return exec.replay.call(this.execution, ms);
  }
  /**
   * Playground extension ("crash now"): the next batch halts for good once the sink has
   * its rows, before the commit log records it; resolves with that batch's id. Kill the
   * worker then, and a restart re-runs the batch from the offset log.
   */
  haltInNextBatch(): Promise<number> {
    const exec = this.execution as { haltInNextBatch?: () => Promise<number> };
    if (exec.haltInNextBatch === undefined) return Promise.reject(new IllegalStateException("A continuous query cannot be halted mid-batch.", "HALT_UNSUPPORTED"));
    return exec.haltInNextBatch.call(this.execution);
  }
  /** Playground extension: what the start found in the checkpoint (last committed batch, batch re-run from the offset log). */
  async recovery(): Promise<RecoveryInfo | null> {
    const exec = this.execution as { recovery?: () => Promise<RecoveryInfo> };
    return exec.recovery === undefined ? null : exec.recovery.call(this.execution);
  }
  /** Playground extension: where the query writes (format and path or table name), as started. */
  get sinkSpec(): { format: string; path: string | null; queryName: string | null } | null {
    if (!this.writeSpec) return null;
    return { format: this.writeSpec.format, path: this.writeSpec.options.path ?? null, queryName: this.writeSpec.queryName };
  }
  /** Playground extension: the query's `withWatermark` (its column and delay), or null. */
  get eventTimeWatermark(): { column: string; delayMs: number } | null {
    const root = (this.execution as { root?: MicroBatchExecution["root"] }).root;
    const wm = root ? collectOperators(root).find((o): o is EventTimeWatermarkExec => o instanceof EventTimeWatermarkExec) : undefined;
    return wm ? { column: wm.eventTime.name, delayMs: wm.delayMs } : null;
  }
  /**
   * Playground extension: what the last batch did with its rows' event times (the
   * watermark view): each row on time, late but counted, or dropped, by the rule of
   * the stateful operator that reads it, with the watermarks and counts (a no-data batch
   * has no rows, and its output windows). Null for a query without `withWatermark`, and
   * before a batch ran. The first call starts tracing (the notebook calls it when the query starts).
   */
  lateRows(): LateRowsBatch | null {
    if (this.tracer === undefined) {
      const root = (this.execution as { root?: MicroBatchExecution["root"] }).root;
      this.tracer = (root ? LateRowTracer.attach(root, this.execution.outputMode) : null) ?? false;
    }
    if (this.tracer === false) return null;
    return this.tracer.batch(this.execution.lastProgress?.batchId ?? -1);
  }
  /**
   * Playground extension: the result columns that identify a row of an aggregation
   * (its grouping columns, by name), which an update-mode table keys its rows by; null
   * when there is no aggregation or the keys were renamed on the way to the sink.
   */
  groupingColumns(): string[] | null {
    const root = (this.execution as { root?: MicroBatchExecution["root"] }).root;
    return root ? groupingColumnsOf(root) : null;
  }
  /** What the query is doing now. */
  get status(): StreamingQueryStatus {
    return { ...this.execution.status };
  }
  /** The exception that terminated the query, or null. */
  get exception(): StreamingQueryException | null {
    return this.execution.exception;
  }
  /** The progress of the last batch, or null. */
  get lastProgress(): StreamingQueryProgress | null {
    return this.execution.lastProgress;
  }
  /** Progress of recent batches, oldest first. */
  get recentProgress(): StreamingQueryProgress[] {
    return [...this.execution.recentProgress];
  }

  /**
   * Runs (manual trigger) or waits for batches until everything available now is processed
   * and no no-data batch is pending. Rejects with the query's StreamingQueryException.
   */
  processAllAvailable(): Promise<void> {
    return this.execution.processAllAvailable();
  }

  /** Runs exactly one trigger (a data batch, a no-data batch, or nothing when idle). */
  step(): Promise<void> {
    return this.execution.step();
  }

  /**
   * Waits for termination. Without a timeout resolves when stopped (rejects if failed);
   * with one, resolves to whether the query terminated within `timeoutMs`.
   */
  awaitTermination(timeoutMs?: number): Promise<boolean> {
    return this.execution.awaitTermination(timeoutMs);
  }

  /** Stops the query after the current batch; resolves when stopped. */
  stop(): Promise<void> {
    return this.execution.stop();
  }

  /** Prints the query's plans (as DataFrame.explain). */
  explain(extended = false): void {
    this.print(explainString(this.execution.logicalPlan, extended));
  }

  /**
   * A complete PySpark script that runs this query on Apache Spark: session and confs,
   * source, transformations, sink, output mode, trigger, checkpoint, awaitTermination().
   * Playground-only pieces map to Spark's with a comment (see engine/export/README-section.md).
   * Throws IllegalStateException for a query not started by a DataStreamWriter.
   *
   * @example const script = df.writeStream.format("console").start().toPySpark();
   */
  toPySpark(): string {
    if (this.writeSpec === undefined) throw new IllegalStateException("This query has no writer to export.", "EXPORT_NO_WRITER");
    return queryToPySpark(this.writeSpec);
  }

  /** `StreamingQuery(name, id)` */
  toString(): string {
    return `StreamingQuery(${this.name ?? "<no name>"}, id=${this.id}, runId=${this.runId})`;
  }
}
