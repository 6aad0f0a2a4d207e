/**
 * `npm run feed`: the playground's `nc -lk 9999`. A WebSocket server on
 * 127.0.0.1:9999 that sends text lines to every connected client, for
 * `ssc.socketTextStream("127.0.0.1", 9999)` and `readStream.format("socket")`.
 *
 *   npm run feed                                   # send what you type, line by line
 *   npm run feed -- --file words.txt --rate 5      # replay a file at 5 lines/s
 *   npm run feed -- --file words.txt --loop        # … over and over
 *   npm run feed -- --words --rate 10 --seed 42    # random words, reproducible
 *   npm run feed -- --host 0.0.0.0 --port 8888
 *
 * Generated lines (--file, --words) flow only while at least one client is
 * connected, so a notebook started after the feed sees the data from the
 * beginning. Lines typed on stdin are sent to whoever is connected.
 *
 * The core is `startFeedServer(options)`, used by tests and the Playwright
 * suite on port 0.
 */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { WebSocketServer, type WebSocket } from "ws";
import { mulberry32 } from "../engine/util/prng";

/** Options of `startFeedServer`. */
export interface FeedServerOptions {
  /** Interface to listen on (default "127.0.0.1"). */
  host?: string;
  /** Port (default 9999; 0 picks a free port). */
  port?: number;
  /**
   * What to send: "manual" (default; only `send()`/stdin), a file replay, or random words.
   * `rate` is in lines per second (default 10); `loop` restarts the file at its end.
   */
  source?:
    | { kind: "manual" }
    | { kind: "file"; path: string; rate?: number; loop?: boolean }
    | { kind: "words"; rate?: number; seed?: number };
  /** Where to print the address and each connection (default console.log; pass `() => {}` for silence). */
  log?: (text: string) => void;
}

/** A running feed server. */
export interface FeedServer {
  /** "ws://host:port" with the real port. */
  readonly url: string;
  /** The port listened on (the chosen one when started with port 0). */
  readonly port: number;
  /** Number of connected clients. */
  readonly clientCount: number;
  /** Sends text (one or more '\n'-separated lines) to every connected client as one message; returns the number of clients. */
  send(text: string): number;
  /** Resolves once at least `n` clients are connected (default 1). */
  waitForClients(n?: number): Promise<void>;
  /** Stops generating, closes every client and the server. Idempotent. */
  close(): Promise<void>;
}

const WORDS = [
  "spark", "stream", "batch", "window", "state", "key", "value", "count", "word", "line",
  "apple", "banana", "cherry", "data", "event", "time", "late", "water", "mark", "join",
  "the", "a", "of", "to", "and", "in", "is", "it", "hello", "world",
];

/**
 * Starts a feed server. Rejects if the port is taken or the file cannot be read.
 *
 * @example
 * const feed = await startFeedServer({ port: 0, log: () => {} });
 * feed.send("hello world");
 * await feed.close();
 */
export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((t: string) => console.log(t));
  const source = options.source ?? { kind: "manual" };
  let fileLines: string[] = [];
  if (source.kind === "file") {
    const text = await readFile(source.path, "utf8");
    fileLines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
    if (fileLines.length > 0 && fileLines[fileLines.length - 1] === "") fileLines.pop();
  }
  const wss = new WebSocketServer({ host, port: options.port ?? 9999 });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", () => resolve());
    wss.once("error", (e) => reject(e));
  });
  const address = wss.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 9999);
  const url = `ws://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const clients = new Set<WebSocket>();
  const clientWaiters: { n: number; resolve: () => void }[] = [];
  let closed = false;

  const send = (text: string): number => {
    let n = 0;
    for (const c of clients) {
      if (c.readyState === c.OPEN) {
        c.send(text);
        n++;
      }
    }
    return n;
  };

  // Generated lines: a rate-limited producer that runs only while clients are connected.
  let timer: ReturnType<typeof setInterval> | undefined;
  let nextLine: (() => string | undefined) | undefined;
  const rate = source.kind === "manual" ? 0 : (source.rate ?? 10);
  if (source.kind !== "manual" && !(rate > 0)) throw new RangeError(`--rate must be > 0, got ${rate}`);
  if (source.kind === "file") {
    let i = 0;
    nextLine = () => {
      if (i >= fileLines.length) {
        if (!source.loop || fileLines.length === 0) return undefined;
        i = 0;
      }
      return fileLines[i++];
    };
  } else if (source.kind === "words") {
    const rnd = mulberry32(source.seed ?? Date.now());
    nextLine = () => {
      const n = 1 + Math.floor(rnd() * 6);
      const words: string[] = [];
      for (let k = 0; k < n; k++) words.push(WORDS[Math.floor(rnd() * WORDS.length)] as string);
      return words.join(" ");
    };
  }
  let finished = false;
  const startProducer = () => {
    if (!nextLine || timer !== undefined || finished) return;
    const startedAt = Date.now();
    let sent = 0;
    const tickMs = Math.max(10, Math.floor(1000 / rate));
    timer = setInterval(() => {
      const due = Math.floor(((Date.now() - startedAt) * rate) / 1000) + 1 - sent;
      const batch: string[] = [];
      for (let k = 0; k < due; k++) {
        const line = nextLine?.();
        if (line === undefined) {
          finished = true;
          break;
        }
        batch.push(line);
      }
      sent += batch.length;
      if (batch.length > 0) send(batch.join("\n"));
      if (finished) {
        stopProducer();
        log(`Replay finished (${fileLines.length} lines); use --loop to repeat`);
      }
    }, tickMs);
  };
  const stopProducer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  wss.on("connection", (ws, req) => {
    clients.add(ws);
    const who = `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`;
    log(`Client connected from ${who} (${clients.size} connected)`);
    ws.on("close", () => {
      clients.delete(ws);
      log(`Client ${who} disconnected (${clients.size} connected)`);
      if (clients.size === 0) stopProducer();
    });
    ws.on("error", () => ws.terminate());
    for (const w of clientWaiters.filter((w) => clients.size >= w.n)) {
      clientWaiters.splice(clientWaiters.indexOf(w), 1);
      w.resolve();
    }
    startProducer();
  });

  const what =
    source.kind === "file"
      ? `replaying ${source.path} at ${rate} lines/s${source.loop ? ", looping" : ""}`
      : source.kind === "words"
        ? `sending random words at ${rate} lines/s`
        : "type lines and press Enter to send them";
  log(`Feed server listening on ${url} (${what})`);

  return {
    url,
    port,
    get clientCount() {
      return clients.size;
    },
    send,
    waitForClients(n = 1) {
      if (clients.size >= n) return Promise.resolve();
      return new Promise<void>((resolve) => clientWaiters.push({ n, resolve }));
    },
    async close() {
      if (closed) return;
      closed = true;
      stopProducer();
      for (const c of clients) c.terminate();
      clients.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Parses the command line; throws an Error with usage text on bad flags. */
export function parseFeedArgs(argv: string[]): FeedServerOptions {
  const usage =
    "Usage: npm run feed -- [--host H] [--port P] [--file F [--loop]] [--words [--seed S]] [--rate LINES_PER_SEC]";
  let host: string | undefined;
  let port: number | undefined;
  let file: string | undefined;
  let words = false;
  let loop = false;
  let rate: number | undefined;
  let seed: number | undefined;
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number\n${usage}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--host") host = argv[++i];
    else if (a === "--port") port = num(a, argv[++i]);
    else if (a === "--file") file = argv[++i];
    else if (a === "--words") words = true;
    else if (a === "--loop") loop = true;
    else if (a === "--rate") rate = num(a, argv[++i]);
    else if (a === "--seed") seed = num(a, argv[++i]);
    else if (a === "--help" || a === "-h") throw new Error(usage);
    else throw new Error(`Unknown argument '${a}'\n${usage}`);
  }
  if (file !== undefined && words) throw new Error(`--file and --words cannot be combined\n${usage}`);
  const source: FeedServerOptions["source"] =
    file !== undefined
      ? { kind: "file", path: file, rate, loop }
      : words
        ? { kind: "words", rate, seed }
        : { kind: "manual" };
  return { host, port, source };
}

async function main(): Promise<void> {
  let options: FeedServerOptions;
  try {
    options = parseFeedArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const server = await startFeedServer(options);
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    const n = server.send(line);
    if (n === 0) console.log("(no client connected; line dropped)");
  });
  const shutdown = () => {
    rl.close();
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
