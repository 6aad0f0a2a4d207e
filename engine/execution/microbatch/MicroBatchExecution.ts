import type { DataFrame } from "../../api/DataFrame";
import { batchToRowObjects, type Row } from "../../api/Row";
import type { StreamingQueryListener } from "../../api/StreamingQueryListener";
import { BatchOutputEvent } from "./BatchOutputEvent";
import type { CheckpointStore, OffsetSeq } from "../../checkpoint/CheckpointStore";
import { statefulOperatorInfo } from "../../checkpoint/persistent/statefulOperatorInfo";
import type { Attribute } from "../../expressions/Expression";
import { formatIso } from "../../expressions/timestamps";
import { typeName } from "../../expressions/types";
import type { LogicalPlan } from "../../plan/LogicalPlan";
import { planPhysical } from "../../plan/physicalPlanner";
import { checkNoRedefinedWatermark } from "../../plan/unsupportedOperationChecker";
import type { Sink, SinkBatch } from "../../sinks/Sink";
import { offsetEquals, type InjectedEvent, type Offset, type Source } from "../../sources/Source";
import type { StateStore } from "../../state/StateStore";
import type { Clock } from "../../util/clock";
import { IllegalArgumentException, IllegalStateException, SparkException, StreamingQueryException } from "../../util/errors";
import { yieldToEventLoop } from "../../util/yieldToEventLoop";
import { emptyBatch, type ColumnarBatch } from "../ColumnarBatch";
import { EventTimeWatermarkExec } from "../operators/EventTimeWatermarkExec";
import {
  collectOperators,
  isStateful,
  type ExecContext,
  type OutputMode,
  type PhysicalOperator,
  type StatefulOperator,
} from "../PhysicalOperator";
import type { StreamingQueryProgress, StreamingQueryStatus } from "./progress";
import type { Trigger } from "./Trigger";
import { replayWithDelay, type ReplayResult } from "./replay";
import { WatermarkTracker, type MultipleWatermarkPolicy } from "./WatermarkTracker";

/** Session settings a query reads at start (Spark's SQLConf entries). */
export interface StreamingConf {
  /** spark.sql.streaming.noDataMicroBatches.enabled */
  readonly noDataMicroBatches: boolean;
  /** spark.sql.streaming.multipleWatermarkPolicy */
  readonly watermarkPolicy: MultipleWatermarkPolicy;
  /** spark.sql.streaming.pollingDelay (ms): wait between checks for new data when idle. */
  readonly pollingDelayMs: number;
  /** spark.sql.streaming.numRecentProgressUpdates */
  readonly numRecentProgressUpdates: number;
  /** spark.sql.streaming.noDataProgressEventInterval (ms) between idle events. */
  readonly noDataProgressEventIntervalMs: number;
  /** The conf entries recorded in the offset log. */
  readonly recorded: Readonly<Record<string, string>>;
}

/** What a query needs from the session. */
export interface MicroBatchExecutionArgs {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly plan: LogicalPlan;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly sink: Sink;
  readonly checkpoint: CheckpointStore;
  readonly clock: Clock;
  readonly conf: StreamingConf;
  /** Listeners to notify (read at each event, so late registrations count). */
  readonly listeners: () => readonly StreamingQueryListener[];
  /** Builds a static DataFrame of a batch (foreachBatch). */
  readonly toDataFrame: (attrs: readonly Attribute[], data: ColumnarBatch) => DataFrame;
  /** Called once when the query terminates (the manager drops it from `active`). */
  readonly onTerminated: (q: MicroBatchExecution) => void;
}

type TriggerResult = "data" | "noData" | "idle";

/** What a query found in its checkpoint when it started (playground extension). */
export interface RecoveryInfo {
  /** The last batch in the commit log; -1 for a fresh checkpoint. */
  lastCommittedBatchId: number;
  /** A batch in the offset log without a commit, run again with the same offsets; null when none. */
  rerunBatchId: number | null;
  /** Per source, the offsets of the re-run batch. */
  rerunOffsets: Array<{ source: string; start: Offset | null; end: Offset | null }> | null;
}

/** Timer handle type of setTimeout in both Node and browsers. */
type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * Spark's MicroBatchExecution: the trigger loop of one streaming query run.
 *
 * Each trigger goes through named phases, timed under the names that end up in
 * `durationMs`:
 * 1. latestOffset — ask every source for its newest offset; decide whether there is
 *    new data, or whether a no-data batch must run because the watermark moved;
 * 2. walCommit — write the batch's offsets and watermark to the offset log;
 * 3. getBatch — read (committed, end] from each source;
 * 4. queryPlanning — bind the batch (physical plan built once per run);
 * 5. addBatch — run the plan, hand the result to the sink;
 * 6. update the watermark from the batch's event times (used from the next batch);
 * 7. commitOffsets — commit state stores and write the commit log.
 *
 * The loop never blocks the event loop for more than one batch: it yields between
 * batches and polls for data every `pollingDelayMs` when idle.
 */
export class MicroBatchExecution {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly root: PhysicalOperator;
  readonly logicalPlan: LogicalPlan;
  private readonly sources: Source[];
  private readonly statefulOps: (PhysicalOperator & StatefulOperator)[];
  private readonly watermarkOps: EventTimeWatermarkExec[];
  private watermarkTracker: WatermarkTracker;
  /** Conf entries recorded in the offset log (from the checkpoint after a restart, as Spark). */
  private recordedConf: Readonly<Record<string, string>>;
  private readonly hasWatermark: boolean;

  private currentBatchId = 0;
  /** The watermark of the batch before the current one (late-events watermark). */
  private prevBatchWatermarkMs = 0;
  private committedOffsets: (Offset | null)[];
  private constructedBatch: OffsetSeq | null = null;
  private ranBatchInThisRun = false;
  /** Trigger.AvailableNow: per source, the offset to stop at; undefined for a source that limits itself (SupportsTriggerAvailableNow). */
  private availableNowTarget: (Offset | null | undefined)[] | null = null;
  private lastTriggerStartMs: number | null = null;
  /** Session time of the last executed batch or idle event (Spark's lastNoExecutionProgressEventTime). */
  private lastIdleEventMs: number;

  private state: "initializing" | "active" | "terminated" = "initializing";
  private stopRequested = false;
  private readonly initPromise: Promise<void>;
  private chain: Promise<unknown> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private terminationError: StreamingQueryException | null = null;
  private terminated!: Promise<void>;
  private resolveTerminated!: () => void;
  private idleWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  /** What the start found in the checkpoint (set by init). */
  private recoveryInfo: RecoveryInfo = { lastCommittedBatchId: -1, rerunBatchId: null, rerunOffsets: null };
  /** "Crash now": settled when the armed batch has handed its rows to the sink, before its commit (or the query ended). */
  private haltArmed: { resolve: (batchId: number) => void; reject: (e: unknown) => void } | null = null;
  /** Batches after which a trigger found nothing to do (this run): where a replay may run a no-data batch of its own. */
  private readonly idleAfter = new Set<number>();
  /** Releases a halted batch (by failing it) when the query is stopped instead of killed. */
  private releaseHalt: (() => void) | null = null;

  /** Spark's recentProgress (bounded by numRecentProgressUpdates). */
  readonly recentProgress: StreamingQueryProgress[] = [];
  /** Spark's status. */
  status: StreamingQueryStatus = { message: "Initializing sources", isDataAvailable: false, isTriggerActive: false };

  constructor(private readonly args: MicroBatchExecutionArgs) {
    this.id = args.id;
    this.runId = args.runId;
    this.name = args.name;
    this.outputMode = args.outputMode;
    this.trigger = args.trigger;
    this.logicalPlan = args.plan;
    const physical = planPhysical(args.plan);
    this.root = physical.root;
    this.sources = physical.sources.map((d, i) => {
      const meta = args.checkpoint.sourceMetadata(i);
      return d.create({
        clock: args.clock,
        metadata: { get: (k) => meta.get(k), set: (k, v) => void meta.set(k, v) },
      });
    });
    const ops = collectOperators(this.root);
    this.statefulOps = ops.filter(isStateful);
    this.watermarkOps = ops.filter((o): o is EventTimeWatermarkExec => o instanceof EventTimeWatermarkExec);
    this.hasWatermark = this.watermarkOps.length > 0;
    this.watermarkTracker = new WatermarkTracker(args.conf.watermarkPolicy, this.watermarkOps.length);
    this.recordedConf = args.conf.recorded;
    this.committedOffsets = this.sources.map(() => null);
    this.lastIdleEventMs = args.clock.getTimeMillis();
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
    this.initPromise = this.init();
    // Surface init failures as query termination, never as an unhandled rejection.
    this.initPromise.catch(() => undefined);
  }

  /** Whether the query is running (not yet terminated). */
  get isActive(): boolean {
    return this.state !== "terminated";
  }

  /** The error that terminated the query, or null. */
  get exception(): StreamingQueryException | null {
    return this.terminationError;
  }

  /** The last progress, or null before the first batch. */
  get lastProgress(): StreamingQueryProgress | null {
    return this.recentProgress[this.recentProgress.length - 1] ?? null;
  }

  /** The checkpointLocation (a temporary one when the user gave none). */
  get checkpointLocation(): string {
    return this.args.checkpoint.location;
  }

  /** Starts the trigger loop (not for the manual trigger). */
  startLoop(): void {
    if (this.trigger.kind === "manual") {
      this.initPromise.then(
        () => {
          if (this.state === "initializing") this.state = "active";
          this.status = { message: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
        },
        (e: unknown) => this.fail(e),
      );
      return;
    }
    this.loopDone = this.runLoop();
  }

  // ---------------------------------------------------------------------------------
  // Restart from the checkpoint (Spark's populateStartOffsets)

  private async init(): Promise<void> {
    const cp = this.args.checkpoint;
    // Persistent stores: take ownership, validate the logs, check the stateful operators.
    await cp.open?.();
    await cp.checkStatefulOperators?.(this.statefulOps.map(statefulOperatorInfo));
    // Per-run precomputation (e.g. the hash table of a stream-static join's static side).
    for (const op of collectOperators(this.root)) op.prepare?.();
    const latest = await cp.latestOffsetsBatchId();
    if (latest < 0) return;
    const seq = await cp.getOffsets(latest);
    if (seq === undefined) throw new IllegalStateException(`Offset log of batch ${latest} is missing`, "CHECKPOINT_CORRUPT");
    if (seq.offsets.length !== this.sources.length) {
      throw new IllegalStateException(
        `The checkpoint has ${seq.offsets.length} sources but the query has ${this.sources.length}; use a new checkpointLocation after changing the sources.`,
        "CHECKPOINT_SOURCES_CHANGED",
      );
    }
    // Settings recorded in the checkpoint win over the session's (OffsetSeqMetadata.setSessionConf).
    const policy = seq.metadata.conf["spark.sql.streaming.multipleWatermarkPolicy"];
    if (policy === "min" || policy === "max") {
      this.watermarkTracker = new WatermarkTracker(policy, this.watermarkOps.length);
      this.recordedConf = { ...this.recordedConf, ...seq.metadata.conf };
    }
    const lastCommitted = await cp.latestCommittedBatchId();
    this.recoveryInfo = { lastCommittedBatchId: lastCommitted, rerunBatchId: null, rerunOffsets: null };
    if (lastCommitted === latest) {
      const commit = await cp.getCommit(latest);
      this.currentBatchId = latest + 1;
      this.committedOffsets = [...seq.offsets];
      this.prevBatchWatermarkMs = seq.metadata.batchWatermarkMs;
      this.watermarkTracker.setWatermark(Math.max(seq.metadata.batchWatermarkMs, commit?.nextBatchWatermarkMs ?? 0));
    } else {
      // The last batch was planned but not committed: re-run it with the same offsets.
      this.currentBatchId = latest;
      const prev = latest > 0 ? await cp.getOffsets(latest - 1) : undefined;
      this.committedOffsets = prev === undefined ? this.sources.map(() => null) : [...prev.offsets];
      this.constructedBatch = seq;
      this.recoveryInfo = {
        lastCommittedBatchId: lastCommitted,
        rerunBatchId: latest,
        rerunOffsets: this.sources.map((src, i) => ({ source: src.description, start: this.committedOffsets[i] ?? null, end: seq.offsets[i] ?? null })),
      };
      this.prevBatchWatermarkMs = prev?.metadata.batchWatermarkMs ?? 0;
      this.watermarkTracker.setWatermark(seq.metadata.batchWatermarkMs);
    }
  }

  // ---------------------------------------------------------------------------------
  // Trigger loop

  /** Waits `ms` of real time (0: just yield to the event loop); `stop()` wakes it early. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let cancel: (() => void) | null = null;
      const done = () => {
        cancel?.();
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
      if (ms <= 0) cancel = yieldToEventLoop(done);
      else {
        const timer: TimerHandle = setTimeout(done, ms);
        cancel = () => clearTimeout(timer);
      }
    });
  }

  private waitForClock(targetMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wakeUp = null;
        resolve();
      };
      this.wakeUp = done;
      void this.args.clock.waitTillTime(targetMs).then(done);
    });
  }

  private async runLoop(): Promise<void> {
    try {
      await this.initPromise;
      if (this.state === "initializing") this.state = "active";
      if (this.trigger.kind === "availableNow") await this.prepareAvailableNow();
      while (!this.stopRequested) {
        const triggerStart = this.args.clock.getTimeMillis();
        const r = await this.exclusive(() => this.runOneTrigger(true));
        await this.notifyTrigger(r);
        if (this.stopRequested) break;
        if (this.trigger.kind === "once") break;
        if (this.trigger.kind === "availableNow" && r === "idle") break;
        if (this.trigger.kind === "processingTime" && this.trigger.intervalMs > 0) {
          const interval = this.trigger.intervalMs;
          // Spark's ProcessingTimeExecutor: the next multiple of the interval; a batch that
          // overran starts the next one at once.
          const next = (Math.floor(triggerStart / interval) + 1) * interval;
          if (next > this.args.clock.getTimeMillis()) await this.waitForClock(next);
          else await this.sleep(0);
        } else if (r === "idle") {
          await this.sleep(this.args.conf.pollingDelayMs);
        } else {
          await this.sleep(0);
        }
      }
      // A batch `step()` queued may still be running: it finishes on the state before the
      // query terminates (and a deleted checkpoint releases that state).
      await this.chain;
      await this.finish(null);
    } catch (e) {
      await this.chain;
      await this.finish(e);
    }
  }

  private async prepareAvailableNow(): Promise<void> {
    const target: (Offset | null | undefined)[] = [];
    for (let i = 0; i < this.sources.length; i++) {
      const src = this.sources[i] as Source;
      if (src.prepareForTriggerAvailableNow) {
        // The source fixes what is available now and keeps its own per-batch limits
        // (maxFilesPerTrigger), as Spark's SupportsTriggerAvailableNow sources do.
        src.prepareForTriggerAvailableNow();
        target.push(undefined);
      } else {
        target.push(await src.latestOffset(this.committedOffsets[i] ?? null));
      }
    }
    this.availableNowTarget = target;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Runs one trigger: a data batch, a no-data batch, or nothing ("idle"). */
  private async runOneTrigger(allowData: boolean): Promise<TriggerResult> {
    if (this.state === "terminated") return "idle";
    const timings: Record<string, number> = {};
    const time = async <T>(phase: string, fn: () => T | Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        timings[phase] = (timings[phase] ?? 0) + Math.round(performance.now() - t0);
      }
    };
    const triggerStartMs = this.args.clock.getTimeMillis();
    const t0 = performance.now();
    this.status = { message: "Getting offsets from sources", isDataAvailable: this.status.isDataAvailable, isTriggerActive: true };
    let seq = this.constructedBatch;
    let latest: (Offset | null)[] = [];
    let hasNewData: boolean;
    if (seq === null) {
      latest = await time("latestOffset", async () => {
        const out: (Offset | null)[] = [];
        for (let i = 0; i < this.sources.length; i++) {
          const fixed = this.availableNowTarget?.[i];
          out.push(fixed !== undefined ? fixed : await (this.sources[i] as Source).latestOffset(this.committedOffsets[i] ?? null));
        }
        return out;
      });
      hasNewData = allowData && latest.some((o, i) => o !== null && !offsetEquals(o, this.startOffsetOf(i)));
      if (!hasNewData) {
        const wm = this.watermarkTracker.currentWatermark;
        const runNoData =
          this.args.conf.noDataMicroBatches && this.ranBatchInThisRun && this.statefulOps.some((op) => op.shouldRunAnotherBatch(wm, this.outputMode));
        if (!runNoData) {
          // Spark's words, plus what a source (a socket) says it is waiting on.
          const waiting = this.sources.map((src) => src.waitingMessage?.() ?? null).filter((m): m is string => m !== null);
          const message = waiting.length > 0 ? `Waiting for data to arrive: ${waiting.join("; ")}` : "Waiting for data to arrive";
          this.status = { message, isDataAvailable: false, isTriggerActive: false };
          this.maybePostIdle(triggerStartMs);
          if (this.ranBatchInThisRun && this.idleAfter.size < 100_000) this.idleAfter.add(this.currentBatchId - 1);
          return "idle";
        }
      }
      const endOffsets = hasNewData ? latest.map((o, i) => o ?? this.committedOffsets[i] ?? null) : [...this.committedOffsets];
      seq = {
        offsets: endOffsets,
        metadata: {
          batchWatermarkMs: this.watermarkTracker.currentWatermark,
          batchTimestampMs: triggerStartMs,
          conf: this.recordedConf,
        },
      };
      const planned = seq;
      await time("walCommit", () => this.args.checkpoint.putOffsets(this.currentBatchId, planned));
      this.constructedBatch = seq;
    } else {
      latest = [...seq.offsets];
      hasNewData = seq.offsets.some((o, i) => !offsetEquals(o, this.committedOffsets[i] ?? null));
    }
    this.status = { message: "Processing new data", isDataAvailable: hasNewData, isTriggerActive: true };
    await this.runBatch(seq, latest, hasNewData, time, timings, triggerStartMs, t0);
    this.status = { message: "Waiting for next trigger", isDataAvailable: hasNewData, isTriggerActive: false };
    return hasNewData ? "data" : "noData";
  }

  private startOffsetOf(i: number): Offset | null {
    const c = this.committedOffsets[i];
    if (c !== null && c !== undefined) return c;
    const src = this.sources[i] as Source;
    return src.initialOffset ? src.initialOffset() : null;
  }

  private async runBatch(
    seq: OffsetSeq,
    latest: readonly (Offset | null)[],
    hasNewData: boolean,
    time: <T>(phase: string, fn: () => T | Promise<T>) => Promise<T>,
    timings: Record<string, number>,
    triggerStartMs: number,
    t0: number,
  ): Promise<void> {
    const batchId = this.currentBatchId;
    const data = await time("getBatch", async () => {
      const out: ColumnarBatch[] = [];
      for (let i = 0; i < this.sources.length; i++) {
        const src = this.sources[i] as Source;
        const end = seq.offsets[i] ?? null;
        const start = this.committedOffsets[i] ?? null;
        if (end === null || offsetEquals(end, start)) out.push(emptyBatch(src.schema.fields.map((f) => f.dataType)));
        else out.push(await src.getBatch(start, end));
      }
      return out;
    });
    const stores = await time("queryPlanning", async () => {
      checkNoRedefinedWatermark(this.logicalPlan);
      const m = new Map<number, StateStore<unknown>>();
      for (const op of this.statefulOps) {
        m.set(op.operatorId, await this.args.checkpoint.stateStoreProvider<unknown>(op.operatorId, op.stateFormat).getStore(batchId));
      }
      return m;
    });
    const ctx: ExecContext = {
      batchId,
      batchTimestampMs: seq.metadata.batchTimestampMs,
      watermarkMs: seq.metadata.batchWatermarkMs,
      lateEventsWatermarkMs: this.prevBatchWatermarkMs,
      outputMode: this.outputMode,
      sourceData: data,
      stateStores: stores,
    };
    let result: ColumnarBatch;
    try {
      result = await time("addBatch", async () => {
        const r = this.root.execute(ctx);
        await this.deliver(batchId, r);
        if (this.haltArmed !== null) await this.halt(batchId);
        return r;
      });
    } catch (e) {
      for (const s of stores.values()) s.abort();
      throw e;
    }
    this.ranBatchInThisRun = true;
    // Event-time statistics of this batch, read before the watermark moves.
    const eventStats = this.watermarkOps.find((w) => w.stats.count > 0)?.stats;
    await time("commitOffsets", async () => {
      for (const [opId, s] of stores) {
        const c0 = performance.now();
        await s.commit();
        const op = this.statefulOps.find((o) => o.operatorId === opId);
        if (op) op.metrics.commitTimeMs = Math.round(performance.now() - c0);
      }
      this.watermarkTracker.update(this.watermarkOps.map((w) => ({ stats: w.stats, delayMs: w.delayMs })));
      await this.args.checkpoint.putCommit(batchId, { nextBatchWatermarkMs: this.watermarkTracker.currentWatermark });
      for (let i = 0; i < this.sources.length; i++) {
        const end = seq.offsets[i] ?? null;
        if (end !== null) (this.sources[i] as Source).commit(end);
      }
    });
    const startOffsets = [...this.committedOffsets];
    this.committedOffsets = [...seq.offsets];
    this.constructedBatch = null;
    this.currentBatchId = batchId + 1;
    this.prevBatchWatermarkMs = seq.metadata.batchWatermarkMs;
    timings.triggerExecution = Math.round(performance.now() - t0);
    this.reportProgress(batchId, seq, startOffsets, latest, data, result, timings, triggerStartMs, eventStats, hasNewData);
  }

  private async deliver(batchId: number, data: ColumnarBatch): Promise<void> {
    const attrs = this.root.output;
    let rows: Row[] | null = null;
    const getRows = () => (rows ??= batchToRowObjects(attrs, data));
    const batch: SinkBatch = {
      batchId,
      outputMode: this.outputMode,
      attrs,
      data,
      rows: getRows,
      toDataFrame: () => this.args.toDataFrame(attrs, data),
    };
    await this.args.sink.addBatch(batch);
    const listeners = this.args.listeners().filter((l) => l.onQueryBatchOutput);
    if (listeners.length > 0) {
      const schema = attrs.map((a) => ({ name: a.name, type: typeName(a.dataType), nullable: a.nullable }));
      const event = new BatchOutputEvent(this.id, this.runId, this.name, batchId, this.outputMode, this.args.sink.format, schema, getRows, data);
      for (const l of listeners) this.safely(() => l.onQueryBatchOutput?.(event));
    }
  }

  // ---------------------------------------------------------------------------------
  // Progress (Spark's ProgressReporter)

  private reportProgress(
    batchId: number,
    seq: OffsetSeq,
    startOffsets: readonly (Offset | null)[],
    latest: readonly (Offset | null)[],
    data: readonly ColumnarBatch[],
    result: ColumnarBatch,
    timings: Record<string, number>,
    triggerStartMs: number,
    eventStats: { max: number; min: number; sum: number; count: number } | undefined,
    _hasNewData: boolean,
  ): void {
    const numInputRows = data.reduce((s, b) => s + b.numRows, 0);
    const triggerExecution = timings.triggerExecution ?? 0;
    const sinceLast = this.lastTriggerStartMs === null ? 0 : (triggerStartMs - this.lastTriggerStartMs) / 1000;
    this.lastTriggerStartMs = triggerStartMs;
    const inputRowsPerSecond = sinceLast > 0 ? numInputRows / sinceLast : 0;
    const processedRowsPerSecond = triggerExecution > 0 ? numInputRows / (triggerExecution / 1000) : 0;
    const eventTime: StreamingQueryProgress["eventTime"] = {};
    if (eventStats !== undefined) {
      eventTime.avg = formatIso(Math.floor(eventStats.sum / eventStats.count));
      eventTime.max = formatIso(eventStats.max);
      eventTime.min = formatIso(eventStats.min);
    }
    if (this.hasWatermark) eventTime.watermark = formatIso(seq.metadata.batchWatermarkMs);
    const progress: StreamingQueryProgress = {
      id: this.id,
      runId: this.runId,
      name: this.name,
      timestamp: formatIso(triggerStartMs),
      batchId,
      batchDuration: triggerExecution,
      numInputRows,
      inputRowsPerSecond,
      processedRowsPerSecond,
      durationMs: { ...timings },
      eventTime,
      stateOperators: this.statefulOps.map((op) => ({
        operatorName: op.operatorName,
        numRowsTotal: op.metrics.numRowsTotal,
        numRowsUpdated: op.metrics.numRowsUpdated,
        allUpdatesTimeMs: op.metrics.allUpdatesTimeMs,
        numRowsRemoved: op.metrics.numRowsRemoved,
        allRemovalsTimeMs: op.metrics.allRemovalsTimeMs,
        commitTimeMs: op.metrics.commitTimeMs,
        memoryUsedBytes: op.metrics.memoryUsedBytes,
        numRowsDroppedByWatermark: op.metrics.numRowsDroppedByWatermark,
        numShufflePartitions: 1,
        numStateStoreInstances: 1,
        customMetrics: op.customMetrics?.() ?? {},
      })),
      sources: this.sources.map((s, i) => ({
        description: s.description,
        startOffset: startOffsets[i] ?? null,
        endOffset: seq.offsets[i] ?? null,
        latestOffset: latest[i] ?? null,
        numInputRows: data[i]?.numRows ?? 0,
        inputRowsPerSecond: sinceLast > 0 ? (data[i]?.numRows ?? 0) / sinceLast : 0,
        processedRowsPerSecond: triggerExecution > 0 ? (data[i]?.numRows ?? 0) / (triggerExecution / 1000) : 0,
        metrics: s.metrics?.() ?? {},
      })),
      sink: { description: this.args.sink.description, numOutputRows: result.numRows, metrics: {} },
      observedMetrics: {},
    };
    this.recentProgress.push(progress);
    // ProgressReporter.addNewProgress: dequeue while the buffer holds >= numRecentProgressUpdates.
    while (this.recentProgress.length >= this.args.conf.numRecentProgressUpdates) this.recentProgress.shift();
    this.lastIdleEventMs = this.args.clock.getTimeMillis();
    for (const l of this.args.listeners()) this.safely(() => l.onQueryProgress?.({ progress }));
  }

  /**
   * Spark's ProgressReporter.updateIdleness: at most once per noDataProgressEventInterval
   * without batches, record an idle progress (no input rows, state metrics of the last batch
   * with nothing updated) and post QueryIdleEvent — not QueryProgressEvent.
   */
  private maybePostIdle(triggerStartMs: number): void {
    const now = this.args.clock.getTimeMillis();
    if (now - this.lastIdleEventMs < this.args.conf.noDataProgressEventIntervalMs) return;
    this.lastIdleEventMs = now;
    const last = this.lastProgress;
    const progress: StreamingQueryProgress = {
      id: this.id,
      runId: this.runId,
      name: this.name,
      timestamp: formatIso(triggerStartMs),
      batchId: this.currentBatchId,
      batchDuration: 0,
      numInputRows: 0,
      inputRowsPerSecond: 0,
      processedRowsPerSecond: 0,
      durationMs: { latestOffset: 0, triggerExecution: 0 },
      // Spark reports offsetSeqMetadata.batchWatermarkMs: the watermark of the last planned batch.
      eventTime: this.hasWatermark ? { watermark: last?.eventTime.watermark ?? formatIso(this.watermarkTracker.currentWatermark) } : {},
      stateOperators: (last?.stateOperators ?? []).map((op) => ({ ...op, numRowsUpdated: 0, numRowsRemoved: 0, numRowsDroppedByWatermark: 0 })),
      sources: this.sources.map((s, i) => ({
        description: s.description,
        startOffset: this.committedOffsets[i] ?? null,
        endOffset: this.committedOffsets[i] ?? null,
        latestOffset: this.committedOffsets[i] ?? null,
        numInputRows: 0,
        inputRowsPerSecond: 0,
        processedRowsPerSecond: 0,
        metrics: {},
      })),
      sink: { description: this.args.sink.description, numOutputRows: -1, metrics: {} },
      observedMetrics: {},
    };
    this.recentProgress.push(progress);
    // ProgressReporter.addNewProgress: dequeue while the buffer holds >= numRecentProgressUpdates.
    while (this.recentProgress.length >= this.args.conf.numRecentProgressUpdates) this.recentProgress.shift();
    const event = { id: this.id, runId: this.runId, timestamp: formatIso(triggerStartMs) };
    for (const l of this.args.listeners()) this.safely(() => l.onQueryIdle?.(event));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Spark's listener bus logs and continues.
      console.error("StreamingQueryListener threw", e);
    }
  }

  // ---------------------------------------------------------------------------------
  // Public controls

  /**
   * Playground extension: runs the recorded batches again with another watermark delay,
   * beside this query (which is not touched); see replay.ts.
   */
  replay(watermarkDelayMs: number | null): Promise<ReplayResult> {
    return replayWithDelay(this.args, this.args.checkpoint, this.sources.length, watermarkDelayMs, this.idleAfter, (a) => new MicroBatchExecution(a));
  }

  /**
   * Playground extension ("crash now"): the next batch stops for good once the sink has
   * its rows — after offsets/N, before commits/N — and the promise resolves with its id,
   * so the page can kill the worker in the middle of that batch. A `stop()` instead of a
   * kill fails the batch without committing it.
   */
  haltInNextBatch(): Promise<number> {
    if (this.state === "terminated") return Promise.reject(new IllegalStateException("The query is not running.", "QUERY_TERMINATED"));
    this.haltArmed?.reject(new IllegalStateException("Armed again: only the last call halts the batch.", "HALT_REARMED"));
    return new Promise((resolve, reject) => (this.haltArmed = { resolve, reject }));
  }

  private halt(batchId: number): Promise<never> {
    const notify = this.haltArmed?.resolve;
    this.haltArmed = null;
    this.status = { message: `Halted in the middle of batch ${batchId} (crash now)`, isDataAvailable: true, isTriggerActive: true };
    return new Promise<never>((_, reject) => {
      this.releaseHalt = () => reject(new IllegalStateException(`Stopped in the middle of batch ${batchId}: it was not committed and will run again from offsets/${batchId}.`, "HALTED_MID_BATCH"));
      notify?.(batchId);
    });
  }

  /** Playground extension: what the start found in the checkpoint — the last committed batch, and the batch re-run from the offset log, if any. */
  async recovery(): Promise<RecoveryInfo> {
    await this.initPromise.catch(() => undefined);
    return this.recoveryInfo;
  }

  /** Playground extension: hands one event to the first source that takes injected events; the next batch reads it. */
  inject(event: InjectedEvent): void {
    if (this.state === "terminated") throw new IllegalStateException("Cannot add an event to a stopped query", "QUERY_TERMINATED");
    // The first source that takes the event (a MemoryStream without a timestamp column refuses it).
    let refusal: unknown = null;
    for (const source of this.sources) {
      if (source.inject === undefined) continue;
      try {
        source.inject(event);
        return;
      } catch (e) {
        refusal ??= e;
      }
    }
    if (refusal !== null) throw refusal;
    throw new IllegalArgumentException(
      `None of this query's sources takes events by hand (${this.sources.map((s) => s.description).join(", ")}); the events source and a MemoryStream with a timestamp column do.`,
      "INJECT_UNSUPPORTED",
    );
  }

  /** Runs exactly one trigger (a data batch, a no-data batch, or nothing). Rejects if the query failed. */
  async step(): Promise<void> {
    await this.initPromise.catch((e: unknown) => this.fail(e));
    this.throwIfFailed();
    if (this.state === "terminated") throw new IllegalStateException("Cannot step a terminated query", "QUERY_TERMINATED");
    try {
      await this.exclusive(() => this.runOneTrigger(true));
    } catch (e) {
      await this.finish(e);
    }
    this.throwIfFailed();
  }

  /**
   * Runs (manual trigger) or waits for (other triggers) batches until the data available
   * now is processed and no no-data batch is pending. Rejects with the query's exception.
   */
  async processAllAvailable(): Promise<void> {
    await this.initPromise.catch((e: unknown) => this.fail(e));
    this.throwIfFailed();
    if (this.state === "terminated") return;
    if (this.trigger.kind === "manual") {
      try {
        // Everything available now: one freshly planned data batch takes it all (a batch
        // re-run after a restart comes first and does not count), then no-data batches.
        let ranFreshData = false;
        for (let guard = 0; guard < 100_000; guard++) {
          const rerun = this.constructedBatch !== null;
          const r = await this.exclusive(() => this.runOneTrigger(!ranFreshData));
          if (r === "idle") break;
          if (r === "data" && !rerun) ranFreshData = true;
        }
      } catch (e) {
        await this.finish(e);
      }
      this.throwIfFailed();
      return;
    }
    const waiting = new Promise<void>((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
    await this.chain;
    if (this.isActive && (await this.caughtUp())) this.releaseWaiters();
    await waiting;
    this.throwIfFailed();
  }

  /** Resolves when the query terminates; rejects with its exception. With a timeout, resolves to whether it terminated. */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) {
      await this.terminated;
      this.throwIfFailed();
      return true;
    }
    let timer: TimerHandle | null = null;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = this.terminated.then(() => true);
    const r = await Promise.race([done, timeout]);
    if (timer !== null) clearTimeout(timer);
    this.throwIfFailed();
    return r;
  }

  /** Stops the query after the running batch (if any); resolves when stopped. Never rejects. */
  async stop(): Promise<void> {
    if (this.state === "terminated") return;
    this.stopRequested = true;
    this.releaseHalt?.();
    this.releaseHalt = null;
    this.wakeUp?.();
    if (this.trigger.kind === "manual") {
      await this.chain;
      await this.finish(null);
    } else {
      await this.loopDone;
      await this.finish(null);
    }
  }

  private throwIfFailed(): void {
    if (this.terminationError !== null) throw this.terminationError;
  }

  private fail(e: unknown): void {
    void this.finish(e);
  }

  private async finish(error: unknown): Promise<void> {
    if (this.state === "terminated") return;
    this.state = "terminated";
    this.stopRequested = true;
    if (error !== null && error !== undefined) {
      const msg = error instanceof Error ? error.message : String(error);
      this.terminationError = new StreamingQueryException(
        `Query ${this.name ?? ""} [id = ${this.id}, runId = ${this.runId}] terminated with exception: ${msg}`,
        error,
        this.id,
        this.runId,
      );
    }
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        /* a source that fails to stop must not hide the termination */
      }
    }
    this.status = { message: "Stopped", isDataAvailable: false, isTriggerActive: false };
    this.haltArmed?.reject(new IllegalStateException("The query stopped before a batch could be halted.", "QUERY_TERMINATED"));
    this.haltArmed = null;
    const cp = this.args.checkpoint;
    if (cp.close) await cp.close();
    this.args.onTerminated(this);
    const ex = this.terminationError;
    const event = {
      id: this.id,
      runId: this.runId,
      exception: ex === null ? null : `${(ex.cause as Error | undefined)?.name ?? "Error"}: ${(ex.cause as Error | undefined)?.message ?? ex.message}`,
      errorClassOnException: ex === null ? null : ex.cause instanceof SparkException ? ex.cause.errorClass : null,
    };
    for (const l of this.args.listeners()) this.safely(() => l.onQueryTerminated?.(event));
    for (const w of this.idleWaiters.splice(0)) {
      if (ex) w.reject(ex);
      else w.resolve();
    }
    this.resolveTerminated();
  }

  /** Called by the loop after each trigger: wakes processAllAvailable() callers once caught up. */
  private async notifyTrigger(r: TriggerResult): Promise<void> {
    if (this.idleWaiters.length === 0) return;
    if (r === "idle" || (await this.caughtUp())) this.releaseWaiters();
  }

  private releaseWaiters(): void {
    for (const w of this.idleWaiters.splice(0)) w.resolve();
  }

  /** True when every source's newest offset is committed and no no-data batch is pending. */
  private async caughtUp(): Promise<boolean> {
    if (this.constructedBatch !== null) return false;
    for (let i = 0; i < this.sources.length; i++) {
      const fixed = this.availableNowTarget?.[i];
      const latest = fixed !== undefined ? fixed : await (this.sources[i] as Source).latestOffset(this.committedOffsets[i] ?? null);
      if (latest !== null && !offsetEquals(latest, this.startOffsetOf(i))) return false;
    }
    const wm = this.watermarkTracker.currentWatermark;
    return !(this.args.conf.noDataMicroBatches && this.ranBatchInThisRun && this.statefulOps.some((op) => op.shouldRunAnotherBatch(wm, this.outputMode)));
  }
}
