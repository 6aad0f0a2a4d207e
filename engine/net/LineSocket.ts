/**
 * LineSocket: a text-line reader over a WebSocket, the transport of the DStream
 * `socketTextStream` receiver and of the Structured Streaming socket source.
 *
 * Spark's socket sources read '\n'-terminated lines from a TCP socket; a browser
 * cannot open TCP sockets, so the playground reads the same lines from a
 * WebSocket (`ws://host:port`). Each WebSocket message is text holding one or
 * more '\n'-separated lines; a trailing part without '\n' is a whole line (a
 * message never continues in the next one), and a '\r' before '\n' is dropped.
 *
 * The connection is observable (`state`, `onStateChange`) and never fails
 * silently: a refused, dropped or closed connection is reported with a message
 * and then either retried with exponential backoff (`reconnect: "retry"`, the
 * default) or ends the socket in state "closed" with `error` set
 * (`reconnect: "fail"`). Binary messages and lines longer than `maxLineLength`
 * are rejected and counted (`stats`), and reported through `onRejected`.
 *
 * Works in a Web Worker (the global `WebSocket`) and in Node (the global
 * `WebSocket` where present, else the `ws` package, loaded with a dynamic import
 * whose specifier is hidden from bundlers so browser bundles never include it).
 */

/** Connection states: "connecting" → "open" → ("retrying" → "connecting" …) → "closed". */
export type LineSocketState = "connecting" | "open" | "retrying" | "closed";

/** What `onStateChange` receives on every state change. */
export interface LineSocketStateEvent {
  /** The new state. */
  state: LineSocketState;
  /** The WebSocket URL. */
  url: string;
  /** Connection attempt number, 1 for the first. */
  attempt: number;
  /** A sentence for the user, e.g. "Connection to ws://127.0.0.1:9999 refused (…); retrying in 1000 ms". */
  message: string;
  /** With state "retrying": how long until the next attempt. */
  retryDelayMs?: number;
  /** The failure that caused "retrying" or a failed "closed", if any. */
  error?: Error;
}

/** Counters, readable at any time through `LineSocket.stats`. */
export interface LineSocketStats {
  /** Lines delivered to `onLine`. */
  linesReceived: number;
  /** Text messages received. */
  messagesReceived: number;
  /** Lines dropped because they were longer than `maxLineLength`. */
  rejectedOversizedLines: number;
  /** Binary messages dropped (only text is accepted). */
  rejectedBinaryMessages: number;
  /** Successful connections (1 + reconnections). */
  connections: number;
}

/** The part of the WHATWG WebSocket that LineSocket uses (browser `WebSocket` and `ws` both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number; reason?: string; wasClean?: boolean }) => void) | null;
  close(code?: number, reason?: string): void;
}

/** Creates a WebSocket for a URL; injectable for tests and special environments. */
export type WebSocketFactory = (url: string) => WebSocketLike | Promise<WebSocketLike>;

/** Options of `new LineSocket(options)`. */
export interface LineSocketOptions {
  /** Host, default "localhost"; the URL is `ws://host:port` unless `url` is given. */
  host?: string;
  /** Port; required unless `url` is given. */
  port?: number;
  /** Full WebSocket URL (ws:// or wss://); overrides host and port. */
  url?: string;
  /** Called with every accepted line, in order. */
  onLine: (line: string) => void;
  /** Called on every state change with a message for the user. */
  onStateChange?: (event: LineSocketStateEvent) => void;
  /** Called when a line or a message is rejected; `total` is the running count of that kind. */
  onRejected?: (reason: "oversized-line" | "binary-message", total: number, message: string) => void;
  /**
   * What to do when the connection cannot be made or is lost: "retry" (default)
   * with exponential backoff, or "fail" (state "closed" with `error` set).
   */
  reconnect?: "retry" | "fail";
  /** First retry delay, ms (default 500). */
  initialBackoffMs?: number;
  /** Largest retry delay, ms (default 10000). */
  maxBackoffMs?: number;
  /** Retries before giving up in "retry" mode (default Infinity). */
  maxRetries?: number;
  /** Longest accepted line in characters (default 1 MiB = 1048576); longer lines are rejected and counted. */
  maxLineLength?: number;
  /** WebSocket constructor override (default: global WebSocket, else the `ws` package). */
  webSocketFactory?: WebSocketFactory;
}

const DEFAULT_MAX_LINE_LENGTH = 1 << 20;

/**
 * Asked before every connection any LineSocket makes; a rejection refuses that
 * connection for good (the socket closes with the rejection's message). The
 * notebook's worker uses it to ask the user before connecting to a host they
 * have not approved.
 */
export type ConnectionGuard = (url: string) => Promise<void>;

/** Sees every LineSocket's state changes, with an id per socket (for a UI). */
export type ConnectionObserver = (socketId: number, event: LineSocketStateEvent) => void;

let connectionGuard: ConnectionGuard | null = null;
let connectionObserver: ConnectionObserver | null = null;
let nextSocketId = 0;

/** Installs (or, with null, removes) the guard asked before every connection. */
export function setConnectionGuard(guard: ConnectionGuard | null): void {
  connectionGuard = guard;
}

/** Installs (or removes) the observer of every socket's state changes. */
export function setConnectionObserver(observer: ConnectionObserver | null): void {
  connectionObserver = observer;
}

/**
 * Builds the WebSocket URL of a socket source: `url` if given, else `ws://host:port`.
 * Throws a RangeError for a missing or invalid port or a non-ws URL.
 *
 * @example socketUrl({ host: "127.0.0.1", port: 9999 }) // "ws://127.0.0.1:9999"
 */
export function socketUrl(opts: { host?: string; port?: number | string; url?: string }): string {
  if (opts.url !== undefined && opts.url !== "") {
    if (!/^wss?:\/\//i.test(opts.url)) {
      throw new RangeError(`Socket URL must start with ws:// or wss://, got '${opts.url}'`);
    }
    return opts.url;
  }
  const port = typeof opts.port === "string" ? Number(opts.port) : opts.port;
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Socket port must be an integer in 0..65535, got '${String(opts.port)}'`);
  }
  let host = opts.host ?? "localhost";
  if (host.includes(":") && !host.startsWith("[")) host = `[${host}]`; // IPv6 literal
  return `ws://${host}:${port}`;
}

/**
 * The default WebSocket factory: the global `WebSocket` (browsers, workers, Node ≥ 22),
 * else the `ws` package through a dynamic import. Rejects if neither is available.
 */
export const defaultWebSocketFactory: WebSocketFactory = async (url) => {
  const g = globalThis as { WebSocket?: new (url: string) => WebSocketLike };
  if (typeof g.WebSocket === "function") return new g.WebSocket(url);
  // The specifier is in a variable so that bundlers (Vite) do not pull `ws` into browser bundles.
  const specifier = "ws";
  const mod = (await import(/* @vite-ignore */ specifier)) as {
    WebSocket?: new (url: string) => WebSocketLike;
    default?: new (url: string) => WebSocketLike;
  };
  const Ctor = mod.WebSocket ?? mod.default;
  if (typeof Ctor !== "function") throw new Error("No WebSocket implementation: neither a global WebSocket nor the 'ws' package");
  return new Ctor(url);
};

function describeError(ev: unknown): string | undefined {
  if (ev instanceof Error) return ev.message;
  if (ev && typeof ev === "object") {
    const e = ev as { message?: unknown; error?: unknown };
    if (typeof e.message === "string" && e.message !== "") return e.message;
    if (e.error instanceof Error) return e.error.message;
  }
  return undefined;
}

/**
 * Reads text lines from a WebSocket; see the module comment for the rules.
 *
 * Contract: `start()` begins connecting and resolves at once (it never rejects
 * for network errors: those go to `onStateChange`); `stop()` closes the socket,
 * cancels retries, moves to "closed" and resolves when done. After "closed" the
 * socket is finished; create a new one to reconnect.
 *
 * @example
 * const sock = new LineSocket({ host: "127.0.0.1", port: 9999, onLine: (l) => console.log(l),
 *   onStateChange: (e) => console.log(e.message) });
 * await sock.start();
 * // … later
 * await sock.stop();
 */
export class LineSocket {
  /** The WebSocket URL this socket connects to. */
  readonly url: string;
  private readonly opts: LineSocketOptions;
  private _state: LineSocketState | "idle" = "idle";
  private _error: Error | undefined;
  private ws: WebSocketLike | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Tells this socket's events apart for a ConnectionObserver. */
  readonly socketId = ++nextSocketId;
  private readonly _stats: LineSocketStats = {
    linesReceived: 0,
    messagesReceived: 0,
    rejectedOversizedLines: 0,
    rejectedBinaryMessages: 0,
    connections: 0,
  };
  private lastMessage = "";

  /** Throws a RangeError for a bad URL/port (see `socketUrl`). */
  constructor(options: LineSocketOptions) {
    this.opts = options;
    this.url = socketUrl(options);
  }

  /** Current state; "connecting" before the first `start()` has run its course is reported as "connecting". */
  get state(): LineSocketState {
    return this._state === "idle" ? "connecting" : this._state;
  }

  /** The message of the last state change, for a status line. */
  get statusMessage(): string {
    return this.lastMessage;
  }

  /** The error that closed the socket (reconnect "fail" or retries exhausted), else undefined. */
  get error(): Error | undefined {
    return this._error;
  }

  /** A copy of the counters. */
  get stats(): LineSocketStats {
    return { ...this._stats };
  }

  /** Starts connecting. Resolves at once; throws only if called after `stop()`. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error(`LineSocket for ${this.url} was stopped; create a new one`);
    if (this._state !== "idle") return;
    void this.connect();
  }

  /** Closes the connection and cancels retries; the state becomes "closed". Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      // Not null: the `ws` package raises "closed before the connection was established" as an
      // 'error' event when a connecting socket is closed, and an EventEmitter with no 'error'
      // listener throws it.
      ws.onerror = () => undefined;
      try {
        ws.close(1000, "stopped");
      } catch {
        // closing a socket that never opened may throw in some implementations; it is gone either way
      }
    }
    this.setState({ state: "closed", url: this.url, attempt: this.attempt, message: `Closed the connection to ${this.url}` });
  }

  private setState(ev: LineSocketStateEvent): void {
    this._state = ev.state;
    this.lastMessage = ev.message;
    try {
      this.opts.onStateChange?.(ev);
      connectionObserver?.(this.socketId, ev);
    } catch {
      // a throwing observer must not break the socket
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.attempt++;
    this.setState({
      state: "connecting",
      url: this.url,
      attempt: this.attempt,
      message: this.attempt === 1 ? `Connecting to ${this.url}` : `Connecting to ${this.url} (attempt ${this.attempt})`,
    });
    if (connectionGuard) {
      try {
        await connectionGuard(this.url);
      } catch (e) {
        this.refuse(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (this.stopped) return;
    }
    let ws: WebSocketLike;
    try {
      ws = await (this.opts.webSocketFactory ?? defaultWebSocketFactory)(this.url);
    } catch (e) {
      this.onFailure(e instanceof Error ? e : new Error(String(e)), false);
      return;
    }
    if (this.stopped) {
      try {
        ws.close();
      } catch {
        // ignore: stopping anyway
      }
      return;
    }
    this.ws = ws;
    try {
      ws.binaryType = "arraybuffer";
    } catch {
      // some implementations do not allow it; binary data is rejected whatever its type
    }
    let opened = false;
    let errorText: string | undefined;
    ws.onopen = () => {
      opened = true;
      this._stats.connections++;
      this.setState({ state: "open", url: this.url, attempt: this.attempt, message: `Connected to ${this.url}` });
      this.attempt = 0;
    };
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onerror = (ev) => {
      errorText = describeError(ev) ?? errorText;
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      const code = ev?.code;
      const reason = ev?.reason ? `: ${ev.reason}` : "";
      let text: string;
      if (!opened) {
        const hint = /localhost/.test(this.url) ? " (if the server listens on 127.0.0.1, try host 127.0.0.1)" : "";
        text = `Could not connect to ${this.url}${errorText ? ` (${errorText})` : ""}: is a server running there? Start one with \`npm run feed\`${hint}`;
      } else {
        text = `The server at ${this.url} closed the connection${code !== undefined ? ` (code ${code}${reason})` : ""}${errorText ? ` (${errorText})` : ""}`;
      }
      this.onFailure(new Error(text), opened);
    };
  }

  /** The guard said no: closed for good, whatever `reconnect` says. */
  private refuse(error: Error): void {
    this._error = error;
    this.stopped = true;
    this.setState({ state: "closed", url: this.url, attempt: this.attempt, error, message: error.message });
  }

  private onFailure(error: Error, wasOpen: boolean): void {
    if (this.stopped) return;
    const retry = (this.opts.reconnect ?? "retry") === "retry";
    const maxRetries = this.opts.maxRetries ?? Infinity;
    // After an established connection is lost, the backoff starts again from the first delay.
    const failures = wasOpen ? 1 : this.attempt;
    if (!retry || failures > maxRetries) {
      this._error = error;
      this.stopped = true;
      this.setState({
        state: "closed",
        url: this.url,
        attempt: this.attempt,
        error,
        message: retry ? `${error.message}; giving up after ${maxRetries} retries` : `${error.message}; not retrying (reconnect: "fail")`,
      });
      return;
    }
    if (wasOpen) this.attempt = 0;
    const initial = this.opts.initialBackoffMs ?? 500;
    const max = this.opts.maxBackoffMs ?? 10_000;
    const delay = Math.min(max, initial * 2 ** Math.max(0, failures - 1));
    this.setState({
      state: "retrying",
      url: this.url,
      attempt: this.attempt,
      error,
      retryDelayMs: delay,
      message: `${error.message}; retrying in ${delay} ms`,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== "string") {
      const n = ++this._stats.rejectedBinaryMessages;
      this.opts.onRejected?.("binary-message", n, `Rejected a binary message from ${this.url} (only text lines are accepted); ${n} so far`);
      return;
    }
    this._stats.messagesReceived++;
    if (data === "") return;
    const parts = data.split("\n");
    // "a\nb\n" holds two lines; the empty string after the last '\n' is not a line.
    if (parts[parts.length - 1] === "") parts.pop();
    const max = this.opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    for (let line of parts) {
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line.length > max) {
        const n = ++this._stats.rejectedOversizedLines;
        this.opts.onRejected?.(
          "oversized-line",
          n,
          `Rejected a line of ${line.length} characters from ${this.url} (maxLineLength ${max}); ${n} so far`,
        );
        continue;
      }
      this._stats.linesReceived++;
      this.opts.onLine(line);
    }
  }
}
