import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { LineSocket, socketUrl, type LineSocketStateEvent } from "./LineSocket";

/** Polls `cond` every 5 ms until true or `ms` elapses (socket tests run against a real server, bounded in time). */
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function server(): Promise<{ wss: WebSocketServer; port: number; clients: WebSocket[] }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const clients: WebSocket[] = [];
  wss.on("connection", (ws) => clients.push(ws));
  const addr = wss.address();
  return { wss, port: typeof addr === "object" && addr ? addr.port : 0, clients };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function closeServer(wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate();
  return new Promise((r) => wss.close(() => r()));
}

describe("socketUrl", () => {
  it("builds ws://host:port, lets url override, rejects bad ports", () => {
    expect(socketUrl({ host: "127.0.0.1", port: 9999 })).toBe("ws://127.0.0.1:9999");
    expect(socketUrl({ host: "::1", port: 1 })).toBe("ws://[::1]:1");
    expect(socketUrl({ host: "x", port: 1, url: "wss://example.org/feed" })).toBe("wss://example.org/feed");
    expect(() => socketUrl({ host: "x" })).toThrow(/port must be an integer/);
    expect(() => socketUrl({ url: "http://x" })).toThrow(/ws:\/\//);
  });
});

describe("LineSocket against a real ws server", () => {
  it("splits messages into lines (several per message, trailing partial line, \\r\\n)", async () => {
    const { wss, port, clients } = await server();
    cleanups.push(() => closeServer(wss));
    const lines: string[] = [];
    const states: string[] = [];
    const sock = new LineSocket({ host: "127.0.0.1", port, onLine: (l) => lines.push(l), onStateChange: (e) => states.push(e.state) });
    cleanups.push(() => sock.stop());
    await sock.start();
    await until(() => sock.state === "open" && clients.length === 1);
    clients[0]!.send("a b\nc");
    clients[0]!.send("d\r\ne\n");
    clients[0]!.send("\n");
    await until(() => lines.length === 5);
    expect(lines).toEqual(["a b", "c", "d", "e", ""]);
    expect(states).toEqual(["connecting", "open"]);
    expect(sock.stats).toMatchObject({ linesReceived: 5, messagesReceived: 3, connections: 1 });
    await sock.stop();
    expect(sock.state).toBe("closed");
  });

  it("rejects binary messages and oversized lines with counts", async () => {
    const { wss, port, clients } = await server();
    cleanups.push(() => closeServer(wss));
    const lines: string[] = [];
    const rejected: string[] = [];
    const sock = new LineSocket({
      url: `ws://127.0.0.1:${port}`,
      maxLineLength: 5,
      onLine: (l) => lines.push(l),
      onRejected: (reason, total) => rejected.push(`${reason}:${total}`),
    });
    cleanups.push(() => sock.stop());
    await sock.start();
    await until(() => clients.length === 1 && sock.state === "open");
    clients[0]!.send(Buffer.from([1, 2, 3]), { binary: true });
    clients[0]!.send("ok\ntoolongline\nfine");
    await until(() => lines.length === 2);
    expect(lines).toEqual(["ok", "fine"]);
    expect(rejected).toEqual(["binary-message:1", "oversized-line:1"]);
    expect(sock.stats).toMatchObject({ rejectedBinaryMessages: 1, rejectedOversizedLines: 1 });
  });

  it("reports a refused connection and fails when reconnect is 'fail'", async () => {
    const { wss, port } = await server();
    await closeServer(wss); // nothing listens on this port now
    const events: LineSocketStateEvent[] = [];
    const sock = new LineSocket({ host: "127.0.0.1", port, reconnect: "fail", onLine: () => {}, onStateChange: (e) => events.push(e) });
    cleanups.push(() => sock.stop());
    await sock.start();
    await until(() => sock.state === "closed");
    expect(sock.error?.message).toMatch(new RegExp(`Could not connect to ws://127.0.0.1:${port}.*npm run feed`));
    expect(events.at(-1)?.message).toMatch(/not retrying/);
  });

  it("retries with exponential backoff until the server comes up, and after the server closes", async () => {
    const { wss, port } = await server();
    await closeServer(wss);
    const events: LineSocketStateEvent[] = [];
    const lines: string[] = [];
    const sock = new LineSocket({
      host: "127.0.0.1",
      port,
      initialBackoffMs: 20,
      maxBackoffMs: 80,
      onLine: (l) => lines.push(l),
      onStateChange: (e) => events.push(e),
    });
    cleanups.push(() => sock.stop());
    await sock.start();
    await until(() => events.filter((e) => e.state === "retrying").length >= 3);
    const delays = events.filter((e) => e.state === "retrying").map((e) => e.retryDelayMs);
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    expect(events.find((e) => e.state === "retrying")?.message).toMatch(/retrying in 20 ms/);
    // Bring a server up on the same port: the socket connects on a later attempt.
    const wss2 = new WebSocketServer({ host: "127.0.0.1", port });
    cleanups.push(() => closeServer(wss2));
    const clients: WebSocket[] = [];
    wss2.on("connection", (ws) => clients.push(ws));
    await until(() => sock.state === "open" && clients.length === 1);
    clients[0]!.send("hello");
    await until(() => lines.length === 1);
    // The server closes the connection: reported, then retried from the first delay.
    events.length = 0;
    clients[0]!.close(1001, "going away");
    await until(() => events.some((e) => e.state === "retrying"));
    const ev = events.find((e) => e.state === "retrying")!;
    expect(ev.message).toMatch(/closed the connection \(code 1001: going away\); retrying in 20 ms/);
    await until(() => sock.state === "open" && clients.length === 2);
  });
});

describe("connection guard", () => {
  it("is asked before connecting, and a refusal closes the socket for good with its message", async () => {
    const { LineSocket, setConnectionGuard } = await import("./LineSocket");
    const asked: string[] = [];
    setConnectionGuard(async (url) => {
      asked.push(url);
      throw new Error(`Not allowed: ${url}`);
    });
    try {
      const states: string[] = [];
      const socket = new LineSocket({ host: "127.0.0.1", port: 9, onLine: () => undefined, onStateChange: (e) => states.push(e.state) });
      await socket.start();
      await new Promise((r) => setTimeout(r, 20));
      expect(asked).toEqual(["ws://127.0.0.1:9"]);
      expect(socket.state).toBe("closed");
      expect(socket.error?.message).toBe("Not allowed: ws://127.0.0.1:9");
      expect(states).toEqual(["connecting", "closed"]);
    } finally {
      setConnectionGuard(null);
    }
  });
});
