import type { StreamingQueryListener } from "../../api/StreamingQueryListener";
import { collectPlan, type LogicalPlan, type StreamingRelation } from "../../plan/LogicalPlan";
import { checkForContinuous } from "../../plan/unsupportedOperationChecker";
import type { Clock } from "../../util/clock";
import { AnalysisException } from "../../util/errors";
import { MicroBatchExecution, type MicroBatchExecutionArgs } from "../microbatch/MicroBatchExecution";
import type { StreamingQueryProgress } from "../microbatch/progress";
import type { Trigger } from "../microbatch/Trigger";

/** Source formats that support continuous processing here (Spark: rate, memory, socket, kafka). */
const CONTINUOUS_SOURCES: ReadonlySet<string> = new Set(["rate", "memory"]);
/** Sink formats that support continuous writing here (Spark: memory, console, foreach, kafka). */
const CONTINUOUS_SINKS: ReadonlySet<string> = new Set(["memory", "console", "foreach"]);

/**
 * Spark's checks for a continuous query (checkForContinuous plus the source and sink
 * capabilities): map-like operations only (select, filter, map-like functions) from rate and
 * memory sources to memory / console / foreach sinks. Throws AnalysisException with Spark's
 * wording ("Continuous processing does not support Aggregate operations.", "Data source
 * json does not support continuous processing.", "'foreachBatch' is not supported with
 * continuous trigger").
 */
export function checkContinuousQuery(plan: LogicalPlan, sinkFormat: string): void {
  checkForContinuous(plan);
  for (const r of collectPlan(plan, (p): p is StreamingRelation => p.kind === "streamingRelation")) {
    if (!CONTINUOUS_SOURCES.has(r.source.format)) {
      throw new AnalysisException(`Data source ${r.source.format} does not support continuous processing.`, "UNSUPPORTED_STREAMING_OPERATION");
    }
  }
  const sink = sinkFormat.toLowerCase();
  if (sink === "foreachbatch") throw new AnalysisException("'foreachBatch' is not supported with continuous trigger", "UNSUPPORTED_STREAMING_OPERATION");
  if (!CONTINUOUS_SINKS.has(sink)) {
    throw new AnalysisException(`Data source ${sinkFormat} does not support continuous writing.`, "UNSUPPORTED_STREAMING_OPERATION");
  }
}

/** End-to-end latency statistics of one epoch, in ms (playground extension of progress). */
export interface ContinuousLatency {
  /** Rows delivered in the epoch. */
  rows: number;
  min: number;
  avg: number;
  max: number;
  p99: number;
}

/** A progress of a continuous query: one per epoch, with the latency of its rows. */
export type ContinuousProgress = StreamingQueryProgress & { latencyMs: ContinuousLatency };

/**
 * Spark's ContinuousExecution, for map-like queries: instead of planned micro-batches, a
 * poll loop (every `spark.sql.streaming.continuous.executorPollIntervalMs`, default 10 ms
 * here) hands every row that has arrived to the plan and the sink at once — event at a time
 * for sources that deliver rows one by one. Each delivery goes through the micro-batch
 * machinery of the base class (offset log before, commit log after), so a restart resumes
 * after the last delivery: at-least-once (in fact no row is delivered twice). Every trigger
 * interval ends an epoch: one progress (`batchId` = epoch id) sums the epoch's deliveries
 * and carries `latencyMs`: per row, from the poll that first saw it to the sink having it.
 *
 * Listeners get one onQueryProgress per epoch (not per delivery), as Spark reports epochs.
 */
export class ContinuousExecution extends MicroBatchExecution {
  private readonly intervalMs: number;
  private readonly pollMs: number;
  private stopLoop = false;
  private loop: Promise<void> = Promise.resolve();
  private epoch = 0;
  private epochStartMs: number;
  private pending: StreamingQueryProgress[] = [];
  private latencies: number[] = [];
  private readonly outerListeners: () => readonly StreamingQueryListener[];
  private readonly sessionClock: Clock;

  constructor(args: MicroBatchExecutionArgs, pollMs = 10) {
    const outer = args.listeners;
    super({ ...args, trigger: { kind: "manual" }, listeners: () => outer().map(withoutProgress) });
    this.outerListeners = outer;
    this.sessionClock = args.clock;
    const trigger = args.trigger;
    this.intervalMs = trigger.kind === "continuous" ? trigger.intervalMs : 1000;
    this.pollMs = pollMs;
    this.epochStartMs = args.clock.getTimeMillis();
    // Report the continuous trigger (the base class runs its batches as a manual trigger).
    (this as { trigger: Trigger }).trigger = trigger;
  }

  override startLoop(): void {
    this.loop = this.pollLoop();
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopLoop && this.isActive) {
      let delivered = false;
      try {
        delivered = await this.deliverAvailable();
      } catch {
        // The base class terminated the query with the error (query.exception).
        return;
      }
      await new Promise<void>((resolve) => setTimeout(resolve, delivered ? 0 : this.pollMs));
    }
  }

  /** One poll: runs a delivery if rows arrived; ends the epoch when the interval passed. Resolves to whether rows came. */
  private async deliverAvailable(): Promise<boolean> {
    const before = this.recentProgress.length;
    const t0 = performance.now();
    await this.step();
    const t1 = performance.now();
    // Per-delivery progress entries of the base class become part of the epoch.
    const fresh = this.recentProgress.splice(before);
    let rows = 0;
    for (const p of fresh) rows += p.numInputRows;
    if (rows > 0) {
      this.pending.push(...fresh);
      for (let i = 0; i < Math.min(rows, 10_000); i++) this.latencies.push(t1 - t0);
    }
    this.maybeEndEpoch();
    return rows > 0;
  }

  private maybeEndEpoch(): void {
    const now = this.clockMs();
    if (now - this.epochStartMs < this.intervalMs) return;
    this.epochStartMs = now - ((now - this.epochStartMs) % this.intervalMs);
    const last = this.pending[this.pending.length - 1];
    const lat = [...this.latencies].sort((a, b) => a - b);
    const latencyMs: ContinuousLatency = {
      rows: lat.length,
      min: lat[0] ?? 0,
      avg: lat.length === 0 ? 0 : lat.reduce((a, b) => a + b, 0) / lat.length,
      max: lat[lat.length - 1] ?? 0,
      p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] ?? 0,
    };
    const numInputRows = this.pending.reduce((a, p) => a + p.numInputRows, 0);
    const base: StreamingQueryProgress | undefined = last ?? this.lastEpoch;
    if (base === undefined) {
      this.latencies = [];
      this.epoch++;
      return;
    }
    const progress: ContinuousProgress = {
      ...base,
      batchId: this.epoch++,
      numInputRows,
      inputRowsPerSecond: numInputRows / (this.intervalMs / 1000),
      durationMs: { ...base.durationMs, triggerExecution: this.intervalMs },
      latencyMs,
    };
    this.pending = [];
    this.latencies = [];
    this.lastEpoch = progress;
    this.recentProgress.push(progress);
    for (const l of this.outerListeners()) {
      try {
        l.onQueryProgress?.({ progress });
      } catch (e) {
        console.error("StreamingQueryListener threw", e);
      }
    }
  }

  private lastEpoch: StreamingQueryProgress | undefined;

  private clockMs(): number {
    return this.sessionClock.getTimeMillis();
  }

  /** Delivers everything available now, then closes the epoch if its interval passed. */
  override async processAllAvailable(): Promise<void> {
    for (let guard = 0; guard < 100_000; guard++) {
      if (!this.isActive) break;
      if (!(await this.deliverAvailable())) break;
    }
    if (this.exception !== null) throw this.exception;
  }

  override async stop(): Promise<void> {
    this.stopLoop = true;
    await this.loop;
    await super.stop();
  }
}

/** A listener without the per-delivery progress and idle events (the epochs report instead). */
function withoutProgress(l: StreamingQueryListener): StreamingQueryListener {
  const out: StreamingQueryListener = {};
  if (l.onQueryStarted) out.onQueryStarted = (e) => l.onQueryStarted?.(e);
  if (l.onQueryTerminated) out.onQueryTerminated = (e) => l.onQueryTerminated?.(e);
  if (l.onQueryBatchOutput) out.onQueryBatchOutput = (e) => l.onQueryBatchOutput?.(e);
  return out;
}
