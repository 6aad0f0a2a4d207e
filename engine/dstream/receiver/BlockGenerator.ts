import type { Clock } from "../../util/clock";
import { waitTill, type CancellableWait } from "../scheduler/waitTill";

/** A block of received records (Spark's block of a StreamBlockId). */
export interface ReceivedBlock<T> {
  /** Spark's name "input-<streamId>-<uniqueId>", the unique id being the block's start time. */
  blockId: string;
  streamId: number;
  records: T[];
}

/**
 * Spark's BlockGenerator: records stored by a receiver are buffered and, every
 * block interval (`spark.streaming.blockInterval`, default 200 ms), the buffer
 * becomes a block. Block boundaries follow the clock: `tick(now)` cuts every
 * block whose interval has ended, so with a ManualClock the result does not
 * depend on timer order. Empty intervals make no block.
 */
export class BlockGenerator<T> {
  private buffer: T[] = [];
  private nextBlockTime = 0;
  private running = false;
  private wait: CancellableWait | undefined;

  constructor(
    private readonly streamId: number,
    private readonly blockIntervalMs: number,
    private readonly clock: Clock,
    private readonly onBlock: (block: ReceivedBlock<T>) => void,
  ) {}

  /** Starts the block timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.getTimeMillis();
    this.nextBlockTime = (Math.floor(now / this.blockIntervalMs) + 1) * this.blockIntervalMs;
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.wait = waitTill(this.clock, this.nextBlockTime);
      await this.wait.promise;
      if (!this.running) return;
      this.tick(this.clock.getTimeMillis());
    }
  }

  /** Adds one record to the block of the current interval (cutting blocks that are due first, so block contents follow the clock even before the timer wakes). */
  add(record: T): void {
    if (this.running) this.tick(this.clock.getTimeMillis());
    this.buffer.push(record);
  }

  /** Cuts the blocks of every interval that ended at or before `now`. */
  tick(now: number): void {
    while (this.nextBlockTime <= now) {
      this.cut(this.nextBlockTime - this.blockIntervalMs);
      this.nextBlockTime += this.blockIntervalMs;
    }
  }

  private cut(uniqueId: number): void {
    if (this.buffer.length === 0) return;
    const records = this.buffer;
    this.buffer = [];
    this.onBlock({ blockId: `input-${this.streamId}-${uniqueId}`, streamId: this.streamId, records });
  }

  /** Stops the timer and turns what is buffered into a last block. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.wait?.cancel();
    this.cut(this.nextBlockTime - this.blockIntervalMs);
  }
}
