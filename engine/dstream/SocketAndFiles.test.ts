/**
 * Real-time tests (bounded): socket word count against a real ws feed server
 * on 127.0.0.1 port 0, and textFileStream over a temporary directory with node:fs.
 */
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFeedServer, type FeedServer } from "../../scripts/feed";
import { ManualClock } from "../util/clock";
import { NodeDStreamFileSystem } from "./NodeDStreamFileSystem";
import type { ReceiverInfo } from "./scheduler/StreamingListener";
import { SparkContext } from "./SparkContext";
import { StreamingContext } from "./StreamingContext";

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("socketTextStream over a real WebSocket feed", () => {
  it("counts words sent by the feed server (network word count)", async () => {
    const feed: FeedServer = await startFeedServer({ port: 0, log: () => {} });
    cleanups.push(() => feed.close());
    const printed: string[] = [];
    const sc = new SparkContext("local[2]", "NetworkWordCount", {
      warn: () => {},
      output: (t) => printed.push(t),
      conf: { "spark.streaming.blockInterval": "50ms" },
    });
    const ssc = new StreamingContext(sc, 0.2);
    cleanups.push(() => ssc.stop(true));
    const counts = new Map<string, number>();
    const states: string[] = [];
    ssc.addStreamingListener({ onReceiverStarted: (e) => states.push(`started ${e.receiverInfo.name}`) });
    const wordCounts = ssc
      .socketTextStream("127.0.0.1", feed.port)
      .flatMap((l) => l.split(" "))
      .map((w) => [w, 1])
      .reduceByKey((a, b) => a + b);
    wordCounts.foreachRDD((rdd) => {
      for (const [w, n] of rdd.collect()) counts.set(w, (counts.get(w) ?? 0) + n);
    });
    wordCounts.pprint();
    ssc.start();
    await feed.waitForClients(1);
    feed.send("hello world hello\nspark");
    feed.send("world");
    await until(() => counts.get("world") === 2 && counts.get("hello") === 2 && counts.get("spark") === 1);
    expect(states).toEqual(["started SocketReceiver"]);
    expect(ssc.receiverInfos[0]).toMatchObject({ active: true, connectionState: "open" });
    expect(printed.some((p) => p.includes("('hello', 2)"))).toBe(true);
    await ssc.stop(true);
    expect(ssc.receiverInfos[0]?.active).toBe(false);
  });

  it("reports a server that is down as receiver errors while retrying, and fails with reconnect: 'fail'", async () => {
    const feed = await startFeedServer({ port: 0, log: () => {} });
    const port = feed.port;
    await feed.close(); // nothing listens there now
    const errors: ReceiverInfo[] = [];
    const sc = new SparkContext("local[2]", "down", { clock: new ManualClock(0), warn: () => {} });
    const ssc = new StreamingContext(sc, 1);
    cleanups.push(() => ssc.stop(true));
    ssc.addStreamingListener({ onReceiverError: (e) => errors.push(e.receiverInfo) });
    ssc.socketTextStream("127.0.0.1", port, { reconnect: "fail" }).pprint();
    ssc.start();
    await expect(ssc.awaitTermination()).rejects.toThrow(new RegExp(`Could not connect to ws://127.0.0.1:${port}`));
    expect(errors.at(-1)?.lastErrorMessage).toMatch(/not retrying/);

    const sc2 = new SparkContext("local[2]", "down-retry", { clock: new ManualClock(0), warn: () => {} });
    await ssc.stop(true);
    const ssc2 = new StreamingContext(sc2, 1);
    cleanups.push(() => ssc2.stop(true));
    const errors2: ReceiverInfo[] = [];
    ssc2.addStreamingListener({ onReceiverError: (e) => errors2.push(e.receiverInfo) });
    ssc2.socketTextStream("127.0.0.1", port, { initialBackoffMs: 10, maxBackoffMs: 20 }).pprint();
    ssc2.start();
    await until(() => errors2.length >= 2);
    expect(errors2[0]?.lastErrorMessage).toMatch(/retrying in 10 ms/);
    expect(errors2[1]?.lastErrorMessage).toMatch(/retrying in 20 ms/);
    expect(ssc2.receiverInfos[0]?.connectionState).toMatch(/retrying|connecting/);
  });

  it("rejects an invalid port at once", () => {
    const ssc = new StreamingContext(new SparkContext("local[2]", "bad"), 1);
    expect(() => ssc.socketTextStream("127.0.0.1", 70000)).toThrow(/port must be an integer in 0..65535/);
  });
});

describe("textFileStream over node:fs", () => {
  it("reads new files of a temporary directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dstream-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const start = 1_700_000_000_000;
    const clock = new ManualClock(start);
    const sc = new SparkContext("local[2]", "files", { clock, output: () => {} });
    const ssc = new StreamingContext(sc, 1);
    cleanups.push(() => ssc.stop(true));
    const out: string[][] = [];
    ssc.textFileStream(dir, new NodeDStreamFileSystem()).foreachRDD((rdd) => {
      out.push(rdd.collect().sort());
    });
    ssc.start();
    const file = join(dir, "words.txt");
    await writeFile(file, "to be\nor not\n");
    const mtime = new Date(start + 500);
    await utimes(file, mtime, mtime);
    clock.advance(1000);
    await ssc.awaitBatchCompleted(start + 1000);
    clock.advance(1000);
    await ssc.awaitBatchCompleted(start + 2000);
    expect(out).toEqual([["or not", "to be"], []]);
  });

  it("lists a missing directory as empty", async () => {
    expect(await new NodeDStreamFileSystem().list(join(tmpdir(), "does-not-exist-dstream-xyz"))).toEqual([]);
  });
});
