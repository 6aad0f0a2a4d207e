/** The feed server (`npm run feed`) against real WebSocket clients on 127.0.0.1 port 0; bounded in time. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { parseFeedArgs, startFeedServer, type FeedServer } from "./feed";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A client that collects the lines it receives. */
async function client(feed: FeedServer): Promise<{ lines: string[]; ws: WebSocket }> {
  const ws = new WebSocket(feed.url);
  const lines: string[] = [];
  ws.on("message", (data) => lines.push(...String(data).split("\n")));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  cleanups.push(() => ws.terminate());
  return { lines, ws };
}

describe("startFeedServer", () => {
  it("listens on a free port, logs the address and connections, sends lines to every client", async () => {
    const log: string[] = [];
    const feed = await startFeedServer({ port: 0, log: (t) => log.push(t) });
    cleanups.push(() => feed.close());
    expect(feed.port).toBeGreaterThan(0);
    expect(feed.url).toBe(`ws://127.0.0.1:${feed.port}`);
    expect(log[0]).toBe(`Feed server listening on ws://127.0.0.1:${feed.port} (type lines and press Enter to send them)`);
    const a = await client(feed);
    const b = await client(feed);
    await feed.waitForClients(2);
    expect(log.filter((l) => l.startsWith("Client connected from 127.0.0.1:"))).toHaveLength(2);
    expect(feed.send("hello world")).toBe(2);
    await until(() => a.lines.length === 1 && b.lines.length === 1);
    expect(a.lines).toEqual(["hello world"]);
    a.ws.close();
    await until(() => feed.clientCount === 1);
    expect(log.at(-1)).toMatch(/disconnected \(1 connected\)/);
  });

  it("replays a file at a rate, looping with loop: true", async () => {
    const dir = await mkdtemp(join(tmpdir(), "feed-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "lines.txt");
    await writeFile(file, "one\ntwo\r\nthree\n");
    const feed = await startFeedServer({ port: 0, log: () => {}, source: { kind: "file", path: file, rate: 200, loop: true } });
    cleanups.push(() => feed.close());
    const c = await client(feed);
    await until(() => c.lines.length >= 7);
    expect(c.lines.slice(0, 7)).toEqual(["one", "two", "three", "one", "two", "three", "one"]);
  });

  it("stops a replay at the end of the file without loop, and says so", async () => {
    const dir = await mkdtemp(join(tmpdir(), "feed-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "lines.txt");
    await writeFile(file, "a\nb");
    const log: string[] = [];
    const feed = await startFeedServer({ port: 0, log: (t) => log.push(t), source: { kind: "file", path: file, rate: 500 } });
    cleanups.push(() => feed.close());
    const c = await client(feed);
    await until(() => c.lines.length >= 2 && log.some((l) => l.startsWith("Replay finished")));
    expect(c.lines).toEqual(["a", "b"]);
  });

  it("generates reproducible random words with a seed", async () => {
    const run = async () => {
      const feed = await startFeedServer({ port: 0, log: () => {}, source: { kind: "words", rate: 500, seed: 42 } });
      const c = await client(feed);
      await until(() => c.lines.length >= 5);
      await feed.close();
      return c.lines.slice(0, 5);
    };
    const first = await run();
    expect(first.every((l) => /^[a-z]+( [a-z]+)*$/.test(l))).toBe(true);
    expect(await run()).toEqual(first);
  });

  it("rejects when the port is taken", async () => {
    const feed = await startFeedServer({ port: 0, log: () => {} });
    cleanups.push(() => feed.close());
    await expect(startFeedServer({ port: feed.port, log: () => {} })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("parseFeedArgs", () => {
  it("parses the flags", () => {
    expect(parseFeedArgs([])).toEqual({ host: undefined, port: undefined, source: { kind: "manual" } });
    expect(parseFeedArgs(["--host", "0.0.0.0", "--port", "8888", "--file", "f.txt", "--rate", "5", "--loop"])).toEqual({
      host: "0.0.0.0",
      port: 8888,
      source: { kind: "file", path: "f.txt", rate: 5, loop: true },
    });
    expect(parseFeedArgs(["--words", "--seed", "7"]).source).toEqual({ kind: "words", rate: undefined, seed: 7 });
    expect(() => parseFeedArgs(["--bogus"])).toThrow(/Unknown argument '--bogus'/);
    expect(() => parseFeedArgs(["--port", "x"])).toThrow(/--port needs a number/);
    expect(() => parseFeedArgs(["--words", "--file", "f"])).toThrow(/cannot be combined/);
  });
});
