import { IllegalArgumentException, IllegalStateException, SparkException } from "../util/errors";
import { DStream } from "./DStream";
import {
  defaultDStreamCheckpointStore,
  type DStreamCheckpointData,
  type DStreamCheckpointStore,
} from "./DStreamCheckpointStore";
import type { DStreamFileSystem } from "./DStreamFileSystem";
import { toDurationMs, type DurationLike } from "./Duration";
import { DStreamGraph, type StreamingContextState } from "./graph/DStreamGraph";
import type { DStreamNode } from "./graph/DStreamNode";
import { FileInputDStream } from "./graph/FileInputDStream";
import { QueueInputDStream } from "./graph/QueueInputDStream";
import { ReceiverInputDStream } from "./graph/ReceiverInputDStream";
import { StateDStream } from "./graph/StateDStream";
import { TransformedDStream } from "./graph/TransformedDStream";
import { UnionDStream } from "./graph/UnionDStream";
import { WindowedDStream } from "./graph/WindowedDStream";
import { ReducedWindowedDStream } from "./graph/ReducedWindowedDStream";
import { RDD } from "./RDD";
import type { Receiver } from "./receiver/Receiver";
import { SocketReceiver, type SocketStreamOptions } from "./receiver/SocketReceiver";
import { JobScheduler } from "./scheduler/JobScheduler";
import type { BatchInfo, ReceiverInfo, StreamingListener } from "./scheduler/StreamingListener";
import type { SparkContext } from "./SparkContext";

export type { StreamingContextState } from "./graph/DStreamGraph";

/** A windowed stream at one batch time: its window (from, to] when it computed one then, else nulls. */
export interface WindowSpan {
  stream: string;
  windowMs: number;
  slideMs: number;
  fromMs: number | null;
  toMs: number | null;
}

/** Options of `new StreamingContext(sc, batchDuration, options)` (playground additions). */
export interface StreamingContextOptions {
  /** Where `checkpoint(dir)` saves (default: a process-wide in-memory store). */
  checkpointStore?: DStreamCheckpointStore;
}

let activeContext: StreamingContext | undefined;

/**
 * The entry point of Spark Streaming (DStreams), as PySpark's
 * `StreamingContext(sparkContext, batchDuration)`: create input streams,
 * declare transformations and output operations, then `start()`.
 *
 * Batches are timed by the SparkContext's clock: the first batch is at the
 * first multiple of the batch duration after `start()`, and each batch's time
 * is what `pprint` prints. With a ManualClock, batches run when the clock is
 * advanced past their time (`await ssc.awaitBatchCompleted(t)` waits for one).
 *
 * Errors follow Spark: "requirement failed: No output operations registered,
 * so nothing to execute" from `start()` without outputs; "StreamingContext has
 * already been stopped" from `start()` after `stop()` (a second `start()` on a
 * running context only warns); "Only one StreamingContext may be started in
 * this JVM…" while another is active; IllegalStateException when adding
 * streams after start; the checkpoint requirement of updateStateByKey and
 * inverse window reductions.
 *
 * @example
 * const sc = new SparkContext("local[2]", "NetworkWordCount");
 * const ssc = new StreamingContext(sc, 1);
 * ssc.socketTextStream("127.0.0.1", 9999)
 *   .flatMap((l) => l.split(" ")).map((w) => [w, 1]).reduceByKey((a, b) => a + b).pprint();
 * ssc.start();
 * await ssc.awaitTerminationOrTimeout(10);
 * await ssc.stop();
 */
export class StreamingContext {
  /** The SparkContext. */
  readonly sparkContext: SparkContext;
  /** The batch duration, ms. */
  readonly batchDurationMs: number;
  /** @internal */
  readonly graph: DStreamGraph;
  private state: StreamingContextState = "INITIALIZED";
  private checkpointDir: string | undefined;
  private readonly checkpointStore: DStreamCheckpointStore;
  private readonly listeners: StreamingListener[] = [];
  private readonly scheduler: JobScheduler;
  private error: Error | undefined;
  private terminationWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private restoreData: DStreamCheckpointData | undefined;
  private stopping: Promise<void> | undefined;

  /** Throws IllegalArgumentException for a non-positive batch duration, IllegalStateException for a stopped SparkContext. */
  constructor(sparkContext: SparkContext, batchDuration: DurationLike, options: StreamingContextOptions = {}) {
    sparkContext.assertNotStopped();
    this.sparkContext = sparkContext;
    this.batchDurationMs = toDurationMs(batchDuration, "batchDuration");
    this.checkpointStore = options.checkpointStore ?? defaultDStreamCheckpointStore;
    this.graph = new DStreamGraph(
      sparkContext,
      this.batchDurationMs,
      () => this.state,
      () => this.checkpointDir !== undefined,
    );
    this.scheduler = new JobScheduler({
      graph: this.graph,
      listeners: () => this.listeners,
      reportError: (e) => this.reportError(e),
      checkpoint: (time, pending) => this.writeCheckpoint(time, pending),
    });
    const master = sparkContext.master;
    if (master === "local" || master === "local[1]") {
      sparkContext.warn(
        "WARN StreamingContext: spark.master should be set as local[n], n > 1 in local mode if you have receivers to get data, otherwise Spark jobs will not get resources to process the received data.",
      );
    }
  }

  /** The active (started, not stopped) StreamingContext, if any. */
  static getActive(): StreamingContext | undefined {
    return activeContext;
  }

  /** The active StreamingContext, else `createFn()` (Spark's getActiveOrCreate). */
  static getActiveOrCreate(createFn: () => StreamingContext): StreamingContext {
    return activeContext ?? createFn();
  }

  /**
   * Spark's getOrCreate: if `checkpointPath` holds a checkpoint, rebuilds the
   * context with `createFn` (which must build the same streams in the same
   * order) and restores the checkpointed state and pending batches; otherwise
   * returns `createFn()`. Rejects if the checkpoint does not match the graph.
   *
   * @example
   * const ssc = await StreamingContext.getOrCreate("wordcount", () => {
   *   const ssc = new StreamingContext(new SparkContext("local[2]", "wc"), 1);
   *   ssc.checkpoint("wordcount");
   *   ssc.socketTextStream("127.0.0.1", 9999).map((w) => [w, 1])
   *     .updateStateByKey((vs: number[], s?: number) => vs.length + (s ?? 0)).pprint();
   *   return ssc;
   * });
   */
  static async getOrCreate(
    checkpointPath: string,
    createFn: () => StreamingContext,
    store: DStreamCheckpointStore = defaultDStreamCheckpointStore,
  ): Promise<StreamingContext> {
    const data = await store.load(checkpointPath);
    const ssc = createFn();
    if (!data) return ssc;
    if (data.batchDurationMs !== ssc.batchDurationMs) {
      throw new SparkException(
        `Checkpoint in '${checkpointPath}' was written with a batch duration of ${data.batchDurationMs} ms, but createFn made one of ${ssc.batchDurationMs} ms`,
      );
    }
    for (const s of data.states) {
      const node = ssc.graph.nodes[s.streamId];
      if (!node || node.constructor.name !== s.kind) {
        throw new SparkException(
          `Checkpoint in '${checkpointPath}' does not match the streams built by createFn: stream ${s.streamId} was a ${s.kind}, now ${node ? node.constructor.name : "missing"}`,
        );
      }
    }
    if (ssc.checkpointDir === undefined) ssc.checkpointDir = checkpointPath;
    ssc.restoreData = data;
    return ssc;
  }

  /** Lifecycle state: "INITIALIZED", "ACTIVE" or "STOPPED". */
  getState(): StreamingContextState {
    return this.state;
  }

  /** The checkpoint directory, if set. */
  get checkpointDirectory(): string | undefined {
    return this.checkpointDir;
  }

  /** Completed batches, oldest first (at most 1000), for a UI. */
  get completedBatches(): readonly BatchInfo[] {
    return this.scheduler.completedBatches;
  }

  /** Current info of every receiver stream. */
  get receiverInfos(): ReceiverInfo[] {
    return this.graph.inputStreams
      .filter((s): s is ReceiverInputDStream<unknown> => s instanceof ReceiverInputDStream)
      .map((s) => s.receiverInfo);
  }

  /**
   * Sets the checkpoint directory (a key of the checkpoint store); required by
   * updateStateByKey and inverse window reductions. `null` disables checkpointing.
   */
  checkpoint(directory: string | null): void {
    if (this.state === "ACTIVE") throw new IllegalStateException("Cannot set the checkpoint directory of a started StreamingContext");
    this.checkpointDir = directory ?? undefined;
  }

  /** Keeps each stream's RDDs at least this long (Spark's `remember`). */
  remember(duration: DurationLike): void {
    this.graph.validateAtInit();
    this.graph.rememberDurationMs = toDurationMs(duration, "remember duration");
  }

  private wrap<T>(node: DStreamNode<T>): DStream<T> {
    return new DStream<T>(this, node);
  }

  /**
   * Lines from a WebSocket at `ws://hostname:port` (`options.url` overrides),
   * the playground's form of Spark's TCP socketTextStream; start a server with
   * `npm run feed`. Connection problems are reported to listeners
   * (onReceiverError) and retried with backoff, or, with `reconnect: "fail"`,
   * stop the receiver and fail `awaitTermination`.
   * Throws a RangeError at once for an invalid port or URL.
   */
  socketTextStream(hostname: string, port: number, options: SocketStreamOptions = {}): DStream<string> {
    this.graph.validateAtInit();
    return this.receiverStream(new SocketReceiver(hostname, port, options));
  }

  /** A stream fed by a custom Receiver. */
  receiverStream<T>(receiver: Receiver<T>): DStream<T> {
    return this.wrap(
      new ReceiverInputDStream<T>(this.graph, receiver, () => this.listeners, (e) => this.reportError(e)),
    );
  }

  /**
   * A stream from a queue of RDDs (or arrays, parallelized): one per batch with
   * `oneAtATime` (default), else all queued at once; `defaultRDD` (or an empty
   * RDD) when the queue is empty. Push to `queue` later to feed later batches.
   *
   * @example
   * const queue = [sc.parallelize([1, 2]), [3, 4]];
   * ssc.queueStream(queue).pprint();
   */
  queueStream<T>(queue: (RDD<T> | readonly T[])[], oneAtATime = true, defaultRDD?: RDD<T> | readonly T[]): DStream<T> {
    const def = defaultRDD === undefined || defaultRDD instanceof RDD ? defaultRDD : this.sparkContext.parallelize<T>(defaultRDD);
    return this.wrap(new QueueInputDStream<T>(this.graph, queue, oneAtATime, def));
  }

  /** The file system `textFileStream` uses when given none (the browser host sets its virtual file system here). */
  static defaultFileSystem: DStreamFileSystem | undefined;

  /**
   * New files of `directory`, as lines (Spark's textFileStream: files whose
   * modification time falls after the stream started, each read once).
   * Throws IllegalArgumentException when no file system is given or set.
   *
   * @example ssc.textFileStream("/tmp/in", new NodeDStreamFileSystem()).pprint();
   */
  textFileStream(directory: string, fs?: DStreamFileSystem): DStream<string> {
    const fileSystem = fs ?? StreamingContext.defaultFileSystem;
    if (!fileSystem) {
      throw new IllegalArgumentException(
        "textFileStream needs a file system: pass one (e.g. new NodeDStreamFileSystem()) or set StreamingContext.defaultFileSystem",
      );
    }
    return this.wrap(new FileInputDStream(this.graph, directory, fileSystem));
  }

  /** The union of several streams (same slide duration). */
  union<T>(...streams: (DStream<T> | DStream<T>[])[]): DStream<T> {
    const all = streams.flat();
    return this.wrap(new UnionDStream(all.map((s) => s.node)));
  }

  /** A stream computed from the RDDs of several streams at each batch. */
  transform<U>(streams: DStream<unknown>[], f: (rdds: RDD<unknown>[], time: number) => RDD<U>): DStream<U> {
    return this.wrap(new TransformedDStream<U>(streams.map((s) => s.node), f));
  }

  /** Adds a listener of batches and receivers. */
  addStreamingListener(listener: StreamingListener): void {
    this.listeners.push(listener);
  }

  /** Removes a listener added before. */
  removeStreamingListener(listener: StreamingListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /**
   * Starts the streams: validates the graph, starts receivers, schedules
   * batches. Throws (synchronously) Spark's errors: see the class comment.
   */
  start(): void {
    if (this.state === "ACTIVE") {
      this.sparkContext.warn("WARN StreamingContext: StreamingContext has already been started");
      return;
    }
    if (this.state === "STOPPED") throw new IllegalStateException("StreamingContext has already been stopped");
    if (activeContext && activeContext !== this) {
      throw new IllegalStateException(
        "Only one StreamingContext may be started in this JVM. Currently running StreamingContext was started at " +
          `${activeContext.startedAt} ms (stop it first: await StreamingContext.getActive()?.stop(false))`,
      );
    }
    this.sparkContext.assertNotStopped();
    this.graph.validate();
    const clock = this.sparkContext.clock;
    const now = clock.getTimeMillis();
    const batch = this.batchDurationMs;
    const restore = this.restoreData;
    let zeroTime: number;
    let firstTime: number;
    let reschedule: number[] = [];
    if (restore) {
      zeroTime = restore.zeroTime;
      firstTime = zeroTime + (Math.floor((now - zeroTime) / batch) + 1) * batch;
      const down: number[] = [];
      for (let t = restore.checkpointTime + batch; t < firstTime; t += batch) down.push(t);
      reschedule = [...new Set([...restore.pendingTimes, ...down])].filter((t) => t < firstTime).sort((a, b) => a - b);
    } else {
      firstTime = (Math.floor(now / batch) + 1) * batch;
      zeroTime = firstTime - batch;
    }
    this.graph.start(zeroTime); // throws the checkpoint requirement
    if (restore) {
      for (const s of restore.states) {
        const node = this.graph.nodes[s.streamId] as DStreamNode<unknown>;
        node.generatedRDDs.set(s.time, new RDD<unknown>(this.sparkContext, s.partitions));
      }
      this.lastCheckpoint = restore;
      this.restoreData = undefined;
    }
    this.state = "ACTIVE";
    this.startedAt = now;
    activeContext = this;
    for (const l of [...this.listeners]) {
      try {
        l.onStreamingStarted?.({ time: now });
      } catch {
        // listener failures are ignored
      }
    }
    void (async () => {
      for (const input of this.graph.inputStreams) await input.start();
    })().catch((e: unknown) => this.reportError(e instanceof Error ? e : new Error(String(e))));
    this.scheduler.start(firstTime, reschedule);
  }

  /** @internal When `start()` ran, by the clock. */
  private startedAt = 0;

  /**
   * Resolves when the context stops; rejects with the first error of a job or
   * a receiver that failed. With `timeoutSeconds`, resolves after that time at
   * the latest (PySpark's `awaitTermination(timeout)`).
   */
  awaitTermination(timeoutSeconds?: number): Promise<void> {
    if (timeoutSeconds === undefined) return this.waitForStopOrError();
    return this.awaitTerminationOrTimeout(timeoutSeconds).then(() => undefined);
  }

  /** Resolves true if the context stopped within `timeoutSeconds`, false on timeout; rejects on a stream error. */
  awaitTerminationOrTimeout(timeoutSeconds: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, timeoutSeconds * 1000));
      this.waitForStopOrError().then(
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private waitForStopOrError(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (this.state === "STOPPED") return Promise.resolve();
    return new Promise((resolve, reject) => this.terminationWaiters.push({ resolve, reject }));
  }

  private reportError(e: Error): void {
    if (!this.error) this.error = e;
    for (const w of this.terminationWaiters.splice(0)) w.reject(e);
  }

  /**
   * Playground extension: resolves with the BatchInfo when the batch at
   * `batchTimeMs` has completed (at once if it has); rejects if no batch runs
   * at that time or the context stops first. Tests advance a ManualClock, then await this.
   */
  /**
   * Playground extension: the windowed streams of the graph (window, reduceByWindow,
   * countByWindow, reduceByKeyAndWindow…) and the window each computed at `batchTimeMs`,
   * (from, to] — for the notebook's DStream timeline. A stream computes a window only at
   * batch times on its slide.
   */
  windowsAt(batchTimeMs: number): WindowSpan[] {
    const out: WindowSpan[] = [];
    for (const node of this.graph.nodes) {
      if (!(node instanceof WindowedDStream) && !(node instanceof ReducedWindowedDStream)) continue;
      const windowMs = node.windowDurationMs;
      const slideMs = node.slideDurationMs;
      const valid = node.zeroTime !== undefined && node.isTimeValid(batchTimeMs);
      out.push({ stream: `${node.constructor.name}@${node.id}`, windowMs, slideMs, fromMs: valid ? batchTimeMs - windowMs : null, toMs: valid ? batchTimeMs : null });
    }
    return out;
  }

  awaitBatchCompleted(batchTimeMs: number): Promise<BatchInfo> {
    return this.scheduler.awaitBatchCompleted(batchTimeMs);
  }

  /**
   * Stops the streams: receivers first, then the batch timer (after the running
   * batch). `stopGracefully` first runs a batch for data already received.
   * `stopSparkContext` defaults to conf `spark.streaming.stopSparkContextByDefault`
   * (true). A second call is a no-op with a warning, as in Spark.
   */
  async stop(stopSparkContext?: boolean, stopGracefully = false): Promise<void> {
    const stopSc =
      stopSparkContext ?? this.sparkContext.getConf().get("spark.streaming.stopSparkContextByDefault", "true") === "true";
    if (this.state === "STOPPED") {
      this.sparkContext.warn("WARN StreamingContext: StreamingContext has already been stopped");
      if (stopSc) this.sparkContext.stop();
      return;
    }
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      if (this.state === "ACTIVE") {
        for (const input of this.graph.inputStreams) {
          try {
            await input.stop(stopGracefully);
          } catch (e) {
            this.reportError(e instanceof Error ? e : new Error(String(e)));
          }
        }
        await this.scheduler.stop(stopGracefully);
      }
      this.state = "STOPPED";
      if (activeContext === this) activeContext = undefined;
      if (stopSc) this.sparkContext.stop();
      for (const w of this.terminationWaiters.splice(0)) w.resolve();
    })();
    return this.stopping;
  }

  /**
   * What a process shutdown does (Spark's shutdown hook): stops the context,
   * gracefully if conf `spark.streaming.stopGracefullyOnShutdown` is "true".
   * The worker calls it when a notebook is stopped or reset.
   */
  stopOnShutdown(): Promise<void> {
    const graceful = this.sparkContext.getConf().get("spark.streaming.stopGracefullyOnShutdown", "false") === "true";
    return this.stop(true, graceful);
  }

  private async writeCheckpoint(time: number, pendingTime: number | undefined): Promise<void> {
    const dir = this.checkpointDir;
    if (dir === undefined || this.graph.zeroTime === undefined) return;
    const states = this.graph.nodes
      .filter((n) => n instanceof StateDStream)
      .flatMap((n) => {
        const times = [...n.generatedRDDs.keys()].filter((t) => t <= time);
        if (times.length === 0) return [];
        const t = Math.max(...times);
        const rdd = n.generatedRDDs.get(t) as RDD<unknown>;
        return [{ streamId: n.id, kind: n.constructor.name, time: t, partitions: rdd.partitions.map((p) => [...p]) }];
      });
    const previous = pendingTime !== undefined ? this.lastCheckpoint : undefined;
    const data: DStreamCheckpointData =
      pendingTime !== undefined
        ? {
            version: 1,
            checkpointTime: previous?.checkpointTime ?? this.graph.zeroTime,
            zeroTime: this.graph.zeroTime,
            batchDurationMs: this.batchDurationMs,
            pendingTimes: [pendingTime],
            states: previous?.states ?? [],
          }
        : { version: 1, checkpointTime: time, zeroTime: this.graph.zeroTime, batchDurationMs: this.batchDurationMs, pendingTimes: [], states };
    if (pendingTime === undefined) this.lastCheckpoint = data;
    await this.checkpointStore.save(dir, data);
  }

  private lastCheckpoint: DStreamCheckpointData | undefined;
}
