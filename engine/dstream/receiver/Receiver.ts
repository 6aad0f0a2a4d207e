/** What a running receiver is connected to (set by its ReceiverInputDStream). */
export interface ReceiverSupervisor<T> {
  store(record: T): void;
  reportError(message: string, error?: Error): void;
  /** The receiver stopped for good; `error` when it failed. */
  stopped(message: string, error?: Error): void;
  /** A connection state change, for ReceiverInfo.connectionState. */
  connectionState(state: string, message: string): void;
}

/**
 * Spark's Receiver: receives data from outside and `store`s records, which the
 * stream groups into blocks and then into each batch's RDD. Subclasses
 * implement `onStart` (start receiving, without blocking) and `onStop`.
 *
 * @example
 * class Ticker extends Receiver<number> {
 *   private timer?: ReturnType<typeof setInterval>;
 *   onStart() { let i = 0; this.timer = setInterval(() => this.store(i++), 100); }
 *   onStop() { clearInterval(this.timer); }
 * }
 * ssc.receiverStream(new Ticker()).pprint();
 */
export abstract class Receiver<T> {
  private supervisor: ReceiverSupervisor<T> | undefined;
  private _streamId = -1;

  /** Starts receiving; must not block (use callbacks or timers). May be async. */
  abstract onStart(): void | Promise<void>;
  /** Stops receiving and releases resources. May be async. */
  abstract onStop(): void | Promise<void>;

  /** The input stream id this receiver feeds. */
  get streamId(): number {
    return this._streamId;
  }

  /** True between start and stop. */
  isStarted(): boolean {
    return this.supervisor !== undefined;
  }

  /** Stores one record into the current block. Ignored when the receiver is not started. */
  store(record: T): void {
    this.supervisor?.store(record);
  }

  /** Reports an error to listeners (onReceiverError) without stopping. */
  reportError(message: string, error?: Error): void {
    this.supervisor?.reportError(message, error);
  }

  /** Stops this receiver for good because of `error` (listeners get onReceiverError then onReceiverStopped). */
  stop(message: string, error?: Error): void {
    this.supervisor?.stopped(message, error);
  }

  /** Reports a connection state change (socket receivers). */
  protected reportConnectionState(state: string, message: string): void {
    this.supervisor?.connectionState(state, message);
  }

  /** @internal Attaches the receiver to its stream. */
  attach(streamId: number, supervisor: ReceiverSupervisor<T> | undefined): void {
    this._streamId = streamId;
    this.supervisor = supervisor;
  }
}
