import type { DStreamGraph } from "../graph/DStreamGraph";
import type { ReceiverInputDStream } from "../graph/ReceiverInputDStream";
import { waitTill, type CancellableWait } from "./waitTill";
import {
  postToAll,
  type BatchInfo,
  type OutputOperationInfo,
  type StreamInputInfo,
  type StreamingListener,
} from "./StreamingListener";

/** What the scheduler needs from its StreamingContext. */
export interface JobSchedulerContext {
  readonly graph: DStreamGraph;
  listeners(): readonly StreamingListener[];
  /** A failed job or batch: fails awaitTermination (the stream goes on, as in Spark). */
  reportError(error: Error): void;
  /** Writes a checkpoint after the batch at `time` completed, or with `pendingTime` when it was just generated. */
  checkpoint(time: number, pendingTime: number | undefined): Promise<void>;
}

/** How many completed BatchInfos are kept (Spark's UI keeps 1000 by default). */
const RETAINED_BATCHES = 1000;

/**
 * Spark's JobGenerator + JobScheduler: a timer on the context's clock fires at
 * every batch time; the batch's blocks are allocated, its jobs (one per output
 * operation) generated and run one after another (spark.streaming.concurrentJobs = 1),
 * listeners told, old RDDs forgotten and a checkpoint written.
 */
export class JobScheduler {
  /** Completed batches, oldest first (at most 1000). */
  readonly completedBatches: BatchInfo[] = [];
  private running = false;
  private nextTime = 0;
  private inFlight: Promise<void> | undefined;
  private timerWait: CancellableWait | undefined;
  private lastCompletedTime = -Infinity;
  private waiters: { time: number; resolve: (b: BatchInfo) => void; reject: (e: Error) => void }[] = [];

  constructor(private readonly ctx: JobSchedulerContext) {}

  /** The time of the next batch to generate. */
  get nextBatchTime(): number {
    return this.nextTime;
  }

  /** Starts the timer at `firstTime`, after re-running `reschedule` (restored pending and down times). */
  start(firstTime: number, reschedule: number[] = []): void {
    this.running = true;
    this.nextTime = firstTime;
    void this.loop(reschedule);
  }

  private async loop(reschedule: number[]): Promise<void> {
    const clock = this.ctx.graph.sc.clock;
    for (const t of reschedule) {
      if (!this.running) return;
      await this.track(this.runBatch(t));
    }
    while (this.running) {
      const t = this.nextTime;
      this.timerWait = waitTill(clock, t);
      await this.timerWait.promise;
      this.timerWait = undefined;
      if (!this.running) return;
      this.nextTime = t + this.ctx.graph.batchDurationMs;
      await this.track(this.runBatch(t));
    }
  }

  private async track(p: Promise<void>): Promise<void> {
    this.inFlight = p;
    try {
      await p;
    } finally {
      this.inFlight = undefined;
    }
  }

  /**
   * Stops the timer and waits for the running batch. With `drain`, first runs
   * batches at the next batch times (without waiting for the clock) while
   * receivers hold unallocated blocks (graceful stop).
   */
  async stop(drain: boolean): Promise<void> {
    this.running = false;
    this.timerWait?.cancel();
    if (this.inFlight) await this.inFlight;
    if (drain) {
      const receivers = this.ctx.graph.inputStreams.filter(
        (s): s is ReceiverInputDStream<unknown> => "hasUnallocatedBlocks" in s,
      );
      while (receivers.some((r) => r.hasUnallocatedBlocks)) {
        const t = this.nextTime;
        this.nextTime = t + this.ctx.graph.batchDurationMs;
        await this.runBatch(t);
      }
    }
    const err = new Error("StreamingContext stopped before the batch completed");
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  /** Resolves with the BatchInfo once the batch at `time` has completed (at once if it has). */
  awaitBatchCompleted(time: number): Promise<BatchInfo> {
    const done = this.completedBatches.find((b) => b.batchTime === time);
    if (done) return Promise.resolve(done);
    if (time <= this.lastCompletedTime) {
      return Promise.reject(new Error(`No batch ran at ${time} ms (batches run every ${this.ctx.graph.batchDurationMs} ms)`));
    }
    return new Promise((resolve, reject) => this.waiters.push({ time, resolve, reject }));
  }

  /** Generates and runs the batch at `time`. Never rejects: failures go to reportError. */
  async runBatch(time: number): Promise<void> {
    const { graph } = this.ctx;
    const clock = graph.sc.clock;
    const listeners = this.ctx.listeners();
    const submissionTime = clock.getTimeMillis();
    const streamIdToInputInfo: Record<number, StreamInputInfo> = {};
    let jobs: ReturnType<(typeof graph.outputStreams)[number]["generateJob"]>[] = [];
    try {
      for (const input of graph.inputStreams) await input.prepare(time);
      for (const input of graph.inputStreams) {
        input.getOrCompute(time);
        streamIdToInputInfo[input.inputStreamId] = input.inputInfo(time);
      }
      jobs = graph.outputStreams.map((o) => o.generateJob(time));
    } catch (e) {
      this.ctx.reportError(withMessage(e, `Error generating jobs for time ${time} ms`));
      jobs = [];
    }
    const infos = Object.values(streamIdToInputInfo);
    const batchInfo: BatchInfo = {
      batchTime: time,
      streamIdToInputInfo,
      submissionTime,
      numRecords: infos.reduce((n, i) => n + i.numRecords, 0),
      blocks: infos.flatMap((i) => i.blocks),
      outputOperationInfos: [],
    };
    postToAll(listeners, "onBatchSubmitted", { batchInfo: { ...batchInfo } });
    await this.ctx.checkpoint(time, time).catch((e: unknown) => this.ctx.reportError(withMessage(e, "Error writing checkpoint")));
    batchInfo.processingStartTime = clock.getTimeMillis();
    batchInfo.schedulingDelay = batchInfo.processingStartTime - submissionTime;
    postToAll(listeners, "onBatchStarted", { batchInfo: { ...batchInfo } });
    for (const job of jobs) {
      if (!job) continue;
      const op: OutputOperationInfo = { batchTime: time, id: job.outputOpId, name: job.name, startTime: clock.getTimeMillis() };
      batchInfo.outputOperationInfos.push(op);
      postToAll(listeners, "onOutputOperationStarted", { outputOperationInfo: { ...op } });
      try {
        await job.run();
      } catch (e) {
        op.failureReason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        this.ctx.reportError(e instanceof Error ? e : new Error(String(e)));
      }
      op.endTime = clock.getTimeMillis();
      postToAll(listeners, "onOutputOperationCompleted", { outputOperationInfo: { ...op } });
    }
    batchInfo.processingEndTime = clock.getTimeMillis();
    batchInfo.processingDelay = batchInfo.processingEndTime - batchInfo.processingStartTime;
    batchInfo.totalDelay = batchInfo.processingEndTime - submissionTime;
    try {
      graph.clearMetadata(time);
    } catch (e) {
      this.ctx.reportError(withMessage(e, "Error clearing metadata"));
    }
    await this.ctx.checkpoint(time, undefined).catch((e: unknown) => this.ctx.reportError(withMessage(e, "Error writing checkpoint")));
    this.completedBatches.push(batchInfo);
    if (this.completedBatches.length > RETAINED_BATCHES) this.completedBatches.shift();
    this.lastCompletedTime = Math.max(this.lastCompletedTime, time);
    postToAll(listeners, "onBatchCompleted", { batchInfo: { ...batchInfo } });
    const ready = this.waiters.filter((w) => w.time <= time);
    this.waiters = this.waiters.filter((w) => w.time > time);
    for (const w of ready) {
      if (w.time === time) w.resolve(batchInfo);
      else w.reject(new Error(`No batch ran at ${w.time} ms (batches run every ${graph.batchDurationMs} ms)`));
    }
  }
}

/** Spark's wording for scheduler failures, e.g. "Error generating jobs for time 1000 ms: <cause>"; the cause is kept. */
function withMessage(e: unknown, context: string): Error {
  const err = new Error(`${context}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  if (e instanceof Error) err.name = e.name;
  return err;
}
