import { LineSocket, type LineSocketOptions } from "../../net/LineSocket";
import { Receiver } from "./Receiver";

/** Options of `socketTextStream` beyond host and port (see LineSocketOptions). */
export type SocketStreamOptions = Pick<
  LineSocketOptions,
  "url" | "reconnect" | "initialBackoffMs" | "maxBackoffMs" | "maxRetries" | "maxLineLength" | "webSocketFactory"
>;

/**
 * Spark's SocketReceiver over a LineSocket: every line becomes a record.
 * Connection problems are reported as receiver errors with LineSocket's
 * message; with `reconnect: "fail"` (or retries exhausted) the receiver stops
 * with that error, which also fails `awaitTermination`.
 */
export class SocketReceiver extends Receiver<string> {
  private socket: LineSocket | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: SocketStreamOptions = {},
  ) {
    super();
    // Validate the address now, so a bad port fails at socketTextStream(), as Spark fails early.
    new LineSocket({ host, port, ...options, onLine: () => {} });
  }

  /** The connection's state, or undefined before start. */
  get connectionState(): string | undefined {
    return this.socket?.state;
  }

  override async onStart(): Promise<void> {
    const socket = new LineSocket({
      host: this.host,
      port: this.port,
      ...this.options,
      onLine: (line) => this.store(line),
      onStateChange: (e) => {
        this.reportConnectionState(e.state, e.message);
        if (e.state === "retrying") this.reportError(e.message, e.error);
        else if (e.state === "closed" && e.error) this.stop(e.message, e.error);
      },
      onRejected: (_reason, _total, message) => this.reportError(message),
    });
    this.socket = socket;
    await socket.start();
  }

  override async onStop(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    await s?.stop();
  }
}
