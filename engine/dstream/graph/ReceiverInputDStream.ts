import { BlockGenerator, type ReceivedBlock } from "../receiver/BlockGenerator";
import type { Receiver } from "../receiver/Receiver";
import type { RDD } from "../RDD";
import { postToAll, type ReceiverInfo, type StreamInputInfo, type StreamingListener } from "../scheduler/StreamingListener";
import type { DStreamGraph } from "./DStreamGraph";
import { InputDStream } from "./InputDStream";

/** Parses `spark.streaming.blockInterval` ("200ms", "1s", or a number of ms). */
export function parseBlockInterval(v: string | undefined): number {
  if (v === undefined) return 200;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/i.exec(v);
  if (!m) throw new RangeError(`spark.streaming.blockInterval must be like "200ms", got '${v}'`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "ms").toLowerCase();
  const ms = unit === "ms" ? n : unit === "s" ? n * 1000 : n * 60_000;
  if (!(ms > 0)) throw new RangeError(`spark.streaming.blockInterval must be positive, got '${v}'`);
  return ms;
}

/**
 * Spark's ReceiverInputDStream with its ReceiverSupervisor, BlockGenerator and
 * ReceivedBlockTracker folded in: the receiver's records become blocks every
 * block interval; at each batch time every block not yet allocated goes to
 * that batch (Spark's allocateBlocksToBatch), and the batch's RDD has one
 * partition per block.
 */
export class ReceiverInputDStream<T> extends InputDStream<T> {
  private readonly unallocated: ReceivedBlock<T>[] = [];
  private readonly allocated = new Map<number, ReceivedBlock<T>[]>();
  private blockGenerator: BlockGenerator<T> | undefined;
  private active = false;
  private readonly info: ReceiverInfo;

  constructor(
    graph: DStreamGraph,
    readonly receiver: Receiver<T>,
    private readonly listeners: () => readonly StreamingListener[],
    private readonly onFatalError: (error: Error) => void,
  ) {
    super(graph);
    this.info = {
      streamId: this.inputStreamId,
      name: receiver.constructor.name,
      active: false,
      location: "localhost",
      lastErrorMessage: "",
      lastError: "",
      lastErrorTime: -1,
    };
  }

  /** A copy of the receiver's current info. */
  get receiverInfo(): ReceiverInfo {
    return { ...this.info };
  }

  override async start(): Promise<void> {
    const sc = this.sc;
    const blockIntervalMs = parseBlockInterval(sc.getConf().get("spark.streaming.blockInterval"));
    this.blockGenerator = new BlockGenerator<T>(this.inputStreamId, blockIntervalMs, sc.clock, (b) => this.unallocated.push(b));
    this.blockGenerator.start();
    this.active = true;
    this.receiver.attach(this.inputStreamId, {
      store: (r) => {
        if (this.active) this.blockGenerator?.add(r);
      },
      reportError: (message, error) => this.error(message, error),
      stopped: (message, error) => {
        if (error) this.error(message, error);
        void this.stopReceiver(message);
        if (error) this.onFatalError(error);
      },
      connectionState: (state) => {
        this.info.connectionState = state;
      },
    });
    this.info.active = true;
    postToAll(this.listeners(), "onReceiverStarted", { receiverInfo: this.receiverInfo });
    try {
      await this.receiver.onStart();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.error(`Error starting receiver ${this.inputStreamId}: ${err.message}`, err);
      await this.stopReceiver(err.message);
      this.onFatalError(err);
    }
  }

  private error(message: string, error?: Error): void {
    this.info.lastErrorMessage = message;
    this.info.lastError = error ? `${error.name}: ${error.message}` : "";
    this.info.lastErrorTime = this.sc.clock.getTimeMillis();
    postToAll(this.listeners(), "onReceiverError", { receiverInfo: this.receiverInfo });
  }

  private async stopReceiver(_message: string): Promise<void> {
    if (!this.active) return;
    this.active = false;
    try {
      await this.receiver.onStop();
    } catch (e) {
      this.error(`Error stopping receiver ${this.inputStreamId}: ${(e as Error).message}`, e as Error);
    }
    this.receiver.attach(this.inputStreamId, undefined);
    // Graceful or not, what is buffered becomes a last block; only a graceful stop runs a batch for it.
    this.blockGenerator?.stop();
    this.info.active = false;
    postToAll(this.listeners(), "onReceiverStopped", { receiverInfo: this.receiverInfo });
  }

  override async stop(_graceful: boolean): Promise<void> {
    await this.stopReceiver("Stopped by driver");
  }

  /** True when blocks are waiting for a batch (graceful stop drains them). */
  get hasUnallocatedBlocks(): boolean {
    return this.unallocated.length > 0;
  }

  /** Spark's allocateBlocksToBatch: every block cut by `time` goes to the batch at `time`. */
  override async prepare(time: number): Promise<void> {
    this.blockGenerator?.tick(time);
    this.allocated.set(time, this.unallocated.splice(0));
  }

  override compute(time: number): RDD<T> {
    const blocks = this.allocated.get(time) ?? [];
    return this.sc.union(blocks.map((b) => this.sc.parallelize(b.records, 1)));
  }

  override inputInfo(time: number): StreamInputInfo {
    const blocks = this.allocated.get(time) ?? [];
    this.allocated.delete(time);
    const infos = blocks.map((b) => ({ streamId: b.streamId, blockId: b.blockId, numRecords: b.records.length }));
    return { inputStreamId: this.inputStreamId, numRecords: infos.reduce((n, b) => n + b.numRecords, 0), blocks: infos };
  }
}
