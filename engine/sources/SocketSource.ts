import { ColumnBuilder, emptyBatch, type ColumnarBatch } from "../execution/ColumnarBatch";
import type { StructType } from "../expressions/types";
import { LineSocket, socketUrl, type LineSocketState, type WebSocketFactory } from "../net/LineSocket";
import type { Clock } from "../util/clock";
import { AnalysisException, IllegalArgumentException, SparkException } from "../util/errors";
import { boolOption, getOption, longOption } from "./options";
import type { JsonValue, Offset, Source, SourceContext, SourceDescriptor } from "./Source";

const SCHEMA_REGULAR: StructType = { type: "struct", fields: [{ name: "value", dataType: "string", nullable: true }] };
const SCHEMA_TIMESTAMP: StructType = {
  type: "struct",
  fields: [
    { name: "value", dataType: "string", nullable: true },
    { name: "timestamp", dataType: "timestamp", nullable: true },
  ],
};

/** Where a socket source stands, for `query.status` and the page. */
export interface SocketSourceStatus {
  url: string;
  state: LineSocketState;
  message: string;
  linesReceived: number;
  rejectedLines: number;
  rejectedBinaryMessages: number;
}

/** Validated options of the socket source. */
export interface SocketOptions {
  url: string;
  includeTimestamp: boolean;
  reconnect: "retry" | "fail";
  maxLineLength: number | undefined;
  /** Keep received, uncommitted lines in the checkpoint so a restart replays them. */
  writeAheadLog: boolean;
}

/** The conf that turns the receiver write-ahead log on for every socket source, as in Spark Streaming. */
export const RECEIVER_WAL_CONF = "spark.streaming.receiver.writeAheadLog.enable";

/**
 * Parses the socket source's options as Spark's TextSocketSourceProvider does
 * (`host` and `port` required, `port` a whole number, `includeTimestamp`), plus
 * the playground's: `url` (a ws:// or wss:// URL instead of host and port),
 * `reconnect` ("retry", the default, or "fail") and `maxLineLength`.
 *
 * Throws AnalysisException with Spark's words for a missing host or port, and
 * IllegalArgumentException naming any bad value.
 */
export function socketOptions(options: Readonly<Record<string, string>>, walByDefault = false): SocketOptions {
  const url = getOption(options, "url");
  const host = getOption(options, "host");
  const portRaw = getOption(options, "port");
  if (url === undefined) {
    if (host === undefined) throw new AnalysisException('Set a host to read from with option("host", ...).', "SOCKET_SOURCE_OPTION");
    if (portRaw === undefined) throw new AnalysisException('Set a port to read from with option("port", ...).', "SOCKET_SOURCE_OPTION");
    const port = Number(portRaw.trim());
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new AnalysisException(`Invalid value '${portRaw}' for option 'port': the port must be a whole number from 0 to 65535.`, "SOCKET_SOURCE_OPTION");
    }
  }
  const reconnect = (getOption(options, "reconnect") ?? "retry").trim().toLowerCase();
  if (reconnect !== "retry" && reconnect !== "fail") {
    throw new IllegalArgumentException(`Invalid value '${reconnect}' for option 'reconnect': must be "retry" or "fail".`, "INVALID_OPTION_VALUE");
  }
  let resolved: string;
  try {
    resolved = socketUrl({ ...(url !== undefined ? { url } : {}), ...(host !== undefined ? { host } : {}), ...(portRaw !== undefined ? { port: portRaw.trim() } : {}) });
  } catch (e) {
    throw new IllegalArgumentException(e instanceof Error ? e.message : String(e), "INVALID_OPTION_VALUE");
  }
  const maxLine = getOption(options, "maxLineLength") === undefined ? undefined : longOption(options, "maxLineLength", 0, "positive");
  return {
    url: resolved,
    includeTimestamp: boolOption(options, "includeTimestamp", false),
    reconnect,
    maxLineLength: maxLine,
    writeAheadLog: boolOption(options, "writeAheadLog", walByDefault),
  };
}

/**
 * Spark's socket source (TextSocketMicroBatchStream) over a WebSocket: every
 * line received becomes a row (`value`, and `timestamp` of its arrival with
 * `includeTimestamp`). Offsets count lines; a batch reads the lines in
 * (start, end]; `commit` forgets the committed ones. As in Spark, lines not
 * yet committed are lost when the query stops: the socket cannot replay.
 *
 * With `reconnect: "fail"`, a connection that cannot be made or is lost fails
 * the query at its next trigger, with the reason.
 *
 * Spark's socket source is not fault-tolerant; this one can be: with the
 * receiver write-ahead log (option `writeAheadLog`, or the conf
 * `spark.streaming.receiver.writeAheadLog.enable`), the lines received and not
 * yet committed are stored in the checkpoint's source metadata together with
 * each batch's offsets, so a restarted query re-runs its uncommitted batch with
 * the same lines. Lines received after the last offsets were written are
 * still lost in a crash. Stored as `sources/<i>/0`:
 *
 *   {"wal":{"base":41,"lines":["to be or","not to be"],"arrivals":[1700000000000,1700000000050]}}
 */
export class SocketSource implements Source {
  readonly schema: StructType;
  private readonly socket: LineSocket;
  /** Lines after `firstOffset`, with their arrival times. */
  private lines: string[] = [];
  private arrivals: number[] = [];
  /** The offset of `lines[0]` minus one: lines up to it were committed. */
  private committed = -1;
  /** Lines arrived or were committed since the write-ahead log was last handed to the checkpoint. */
  private walStale = false;

  constructor(
    private readonly opts: SocketOptions,
    private readonly clock: Clock,
    webSocketFactory?: WebSocketFactory,
    private readonly ctx?: SourceContext,
  ) {
    this.schema = opts.includeTimestamp ? SCHEMA_TIMESTAMP : SCHEMA_REGULAR;
    const wal = opts.writeAheadLog ? (ctx?.metadata.get("wal") as { base?: number; lines?: string[]; arrivals?: number[] } | undefined) : undefined;
    if (wal && typeof wal.base === "number" && Array.isArray(wal.lines)) {
      this.committed = wal.base;
      this.lines = wal.lines.slice();
      this.arrivals = Array.isArray(wal.arrivals) ? wal.arrivals.slice() : wal.lines.map(() => this.clock.getTimeMillis());
    }
    this.socket = new LineSocket({
      url: opts.url,
      reconnect: opts.reconnect,
      ...(opts.maxLineLength !== undefined ? { maxLineLength: opts.maxLineLength } : {}),
      ...(webSocketFactory ? { webSocketFactory } : {}),
      onLine: (line) => {
        this.lines.push(line);
        this.arrivals.push(this.clock.getTimeMillis());
        this.walStale = true;
      },
    });
    void this.socket.start();
  }

  get description(): string {
    return `TextSocketV2[url: ${this.opts.url}]`;
  }

  /** The connection and what it has received and rejected. */
  get status(): SocketSourceStatus {
    const stats = this.socket.stats;
    return {
      url: this.opts.url,
      state: this.socket.state,
      message: this.socket.statusMessage,
      linesReceived: this.committed + 1 + this.lines.length,
      rejectedLines: stats.rejectedOversizedLines,
      rejectedBinaryMessages: stats.rejectedBinaryMessages,
    };
  }

  latestOffset(): Offset | null {
    if (this.socket.state === "closed" && this.socket.error) {
      throw new SparkException(`The socket source lost ${this.opts.url}: ${this.socket.error.message}`, "SOCKET_SOURCE_CLOSED");
    }
    const last = this.committed + this.lines.length;
    // Written with this batch's offsets (the same checkpoint write), before the batch runs.
    // The loop polls every few milliseconds: copy the lines only when they changed.
    if (this.opts.writeAheadLog && this.ctx && this.walStale) {
      this.walStale = false;
      const wal = { base: this.committed, lines: this.lines.slice(), arrivals: this.arrivals.slice() };
      this.ctx.metadata.set("wal", wal as unknown as JsonValue);
    }
    return last < 0 ? null : last;
  }

  /** While the connection is not open, what it is doing ("retrying in 2000 ms: …"), for `query.status`. */
  waitingMessage(): string | null {
    return this.socket.state === "open" ? null : this.socket.statusMessage;
  }

  /** Shown in the progress (`sources[i].metrics`): the connection and what was received and rejected. */
  metrics(): Record<string, string> {
    const st = this.status;
    return {
      connectionState: st.state,
      connectionMessage: st.message,
      linesReceived: String(st.linesReceived),
      rejectedOversizedLines: String(st.rejectedLines),
      rejectedBinaryMessages: String(st.rejectedBinaryMessages),
      writeAheadLog: String(this.opts.writeAheadLog),
    };
  }

  getBatch(start: Offset | null, end: Offset): ColumnarBatch {
    const from = (start === null ? -1 : (start as number)) + 1 - (this.committed + 1);
    const to = (end as number) - this.committed;
    if (from < 0) {
      throw new SparkException(
        `The socket source cannot replay lines ${String(start)}..${String(end)}: they were committed and dropped (a socket is not a replayable source).`,
        "SOCKET_SOURCE_REPLAY",
      );
    }
    if (to <= from) return emptyBatch(this.schema.fields.map((f) => f.dataType));
    const value = new ColumnBuilder("string", to - from);
    const time = this.opts.includeTimestamp ? new ColumnBuilder("timestamp", to - from) : null;
    for (let i = from; i < to; i++) {
      value.append(this.lines[i] ?? null);
      time?.append(this.arrivals[i] ?? null);
    }
    return { numRows: to - from, columns: time ? [value.build(), time.build()] : [value.build()] };
  }

  commit(end: Offset): void {
    const drop = (end as number) - this.committed;
    if (drop <= 0) return;
    this.lines = this.lines.slice(drop);
    this.arrivals = this.arrivals.slice(drop);
    this.committed = end as number;
    this.walStale = true;
  }

  stop(): void {
    void this.socket.stop();
  }
}

/** The plan-level descriptor of `format("socket")`: options are checked now, the socket opens when the query starts. */
export function socketSourceDescriptor(
  options: Record<string, string>,
  clock: Clock,
  webSocketFactory?: WebSocketFactory,
  walByDefault = false,
): SourceDescriptor {
  const opts = socketOptions(options, walByDefault);
  return {
    format: "socket",
    schema: opts.includeTimestamp ? SCHEMA_TIMESTAMP : SCHEMA_REGULAR,
    options,
    description: `TextSocketV2[url: ${opts.url}]`,
    create: (ctx) => new SocketSource(opts, clock, webSocketFactory, ctx),
  };
}
