import { afterEach, describe, expect, it } from "vitest";
import { startFeedServer } from "../../scripts/feed";
import { ManualClock } from "../util/clock";
import { SocketSource, socketOptions, socketSourceDescriptor } from "./SocketSource";

type Feed = Awaited<ReturnType<typeof startFeedServer>>;
let feed: Feed | null = null;
afterEach(async () => {
  await feed?.close();
  feed = null;
});

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("socket source options", () => {
  it("needs a host and a port, in Spark's words", () => {
    expect(() => socketOptions({ port: "9999" })).toThrow('Set a host to read from with option("host", ...).');
    expect(() => socketOptions({ host: "localhost" })).toThrow('Set a port to read from with option("port", ...).');
    expect(() => socketOptions({ host: "localhost", port: "nine" })).toThrow(/option 'port'/);
    expect(() => socketOptions({ host: "localhost", port: "1", reconnect: "maybe" })).toThrow(/reconnect/);
  });

  it("builds ws://host:port, or takes a url", () => {
    expect(socketOptions({ host: "127.0.0.1", port: "9999" }).url).toBe("ws://127.0.0.1:9999");
    expect(socketOptions({ url: "wss://example.test/feed" }).url).toBe("wss://example.test/feed");
  });

  it("has Spark's schemas", () => {
    const clock = new ManualClock(0);
    expect(socketSourceDescriptor({ host: "h", port: "1" }, clock).schema.fields.map((f) => f.name)).toEqual(["value"]);
    expect(socketSourceDescriptor({ host: "h", port: "1", includeTimestamp: "true" }, clock).schema.fields.map((f) => f.name)).toEqual([
      "value",
      "timestamp",
    ]);
  });
});

describe("SocketSource against a real WebSocket server on 127.0.0.1", () => {
  it("reads one row per line, batches by offsets, and forgets committed lines", async () => {
    feed = await startFeedServer({ host: "127.0.0.1", port: 0, log: () => undefined });
    const clock = new ManualClock(5000);
    const source = new SocketSource(socketOptions({ host: "127.0.0.1", port: String(feed.port), includeTimestamp: "true" }), clock);
    try {
      await feed.waitForClients(1);
      feed.send("hello world\nsecond line");
      await until(() => source.latestOffset() === 1);
      const batch = source.getBatch(null, 1);
      expect(batch.numRows).toBe(2);
      expect(source.status).toMatchObject({ state: "open", linesReceived: 2 });
      source.commit(1);
      feed.send("third");
      await until(() => source.latestOffset() === 2);
      expect(source.getBatch(1, 2).numRows).toBe(1);
      expect(() => source.getBatch(null, 2)).toThrow(/cannot replay/);
    } finally {
      source.stop();
    }
  });

  it("with reconnect=fail, a server that is down fails at the next trigger, naming the address", async () => {
    feed = await startFeedServer({ host: "127.0.0.1", port: 0, log: () => undefined });
    const port = feed.port;
    await feed.close();
    feed = null;
    const source = new SocketSource(socketOptions({ host: "127.0.0.1", port: String(port), reconnect: "fail" }), new ManualClock(0));
    try {
      await until(() => source.status.state === "closed");
      expect(() => source.latestOffset()).toThrow(`ws://127.0.0.1:${port}`);
    } finally {
      source.stop();
    }
  });
});

describe("receiver write-ahead log", () => {
  it("a batch that failed before its commit is re-run after a restart with the same lines", async () => {
    const { SparkSession } = await import("../index");
    feed = await startFeedServer({ host: "127.0.0.1", port: 0, log: () => undefined });
    const spark = SparkSession.builder().clock(new ManualClock(0)).output(() => undefined).getOrCreate();
    spark.conf.set("spark.streaming.receiver.writeAheadLog.enable", "true");
    const received: string[] = [];
    let failNext = true;
    const start = () =>
      spark.readStream.format("socket").option("host", "127.0.0.1").option("port", feed!.port).load()
        .writeStream.option("checkpointLocation", "socket-wal-test")
        .foreachBatch(async (df) => {
          if (failNext) {
            failNext = false;
            throw new Error("crash inside the sink");
          }
          for (const r of await df.collect()) received.push(String(r.value));
        })
        .trigger({ manual: true })
        .start();
    try {
      const first = start();
      await feed.waitForClients(1);
      feed.send("to be\nor not");
      // Lines travel over loopback; give them a moment to arrive before the batch is planned.
      await new Promise((r) => setTimeout(r, 200));
      await expect(first.processAllAvailable()).rejects.toThrow(/crash inside the sink/);
      // The lines reached no sink, and the server will not send them again.
      const second = start();
      await second.processAllAvailable();
      expect(received).toEqual(["to be", "or not"]);
      expect(second.lastProgress?.sources[0]?.metrics.writeAheadLog).toBe("true");
      await second.stop();
    } finally {
      await spark.stop();
    }
  });
});

describe("socket state in the query status", () => {
  it("says what the socket is waiting on while no data arrives", async () => {
    const { SparkSession } = await import("../index");
    feed = await startFeedServer({ host: "127.0.0.1", port: 0, log: () => undefined });
    const port = feed.port;
    await feed.close();
    feed = null;
    const spark = SparkSession.builder().clock(new ManualClock(0)).output(() => undefined).getOrCreate();
    try {
      const q = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port).load()
        .writeStream.format("memory").queryName("sock_status").trigger({ manual: true }).start();
      await new Promise((r) => setTimeout(r, 100));
      await q.step();
      expect(q.status.message).toMatch(new RegExp(`^Waiting for data to arrive: .*ws://127\\.0\\.0\\.1:${port}`));
      await q.stop();
    } finally {
      await spark.stop();
    }
  });
});
