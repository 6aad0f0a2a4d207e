/** StreamingContext lifecycle, errors, pprint, queueStream, listeners, receivers, checkpoints — all on a ManualClock. */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../util/clock";
import { MemoryDStreamCheckpointStore } from "./DStreamCheckpointStore";
import { MemoryDStreamFileSystem } from "./DStreamFileSystem";
import { Receiver } from "./receiver/Receiver";
import type { BatchInfo, ReceiverInfo } from "./scheduler/StreamingListener";
import { SparkContext } from "./SparkContext";
import { StreamingContext } from "./StreamingContext";

function setup(master = "local[2]", conf: Record<string, string> = {}) {
  const clock = new ManualClock(0);
  const printed: string[] = [];
  const warnings: string[] = [];
  const sc = new SparkContext(master, "test", { clock, output: (t) => printed.push(t), warn: (t) => warnings.push(t), conf });
  const ssc = new StreamingContext(sc, 1);
  contexts.push(ssc);
  return { clock, sc, ssc, printed, warnings };
}

const contexts: StreamingContext[] = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.stop(true);
});

/** Advances the clock batch by batch up to `untilMs`, waiting for each batch. */
async function runUntil(ssc: StreamingContext, clock: ManualClock, untilMs: number): Promise<void> {
  while (clock.getTimeMillis() < untilMs) {
    clock.advance(ssc.batchDurationMs);
    await ssc.awaitBatchCompleted(clock.getTimeMillis());
  }
}

describe("pprint", () => {
  it("prints Spark's format: dashes, Time: <ms> ms, dashes, elements, ..., blank line", async () => {
    const { clock, sc, ssc, printed } = setup();
    clock.setTime(1_699_999_999_000);
    const words = ["a", "b", "a", "c", "d", "e", "f", "g", "h", "i", "j", "k"];
    ssc.queueStream([sc.parallelize(words, 2), []]).pprint(3);
    ssc.queueStream([sc.parallelize(["hello"], 1)]).map((w) => [w, 1]).pprint();
    ssc.start();
    clock.advance(1000);
    await ssc.awaitBatchCompleted(1_700_000_000_000);
    expect(printed).toEqual([
      "-------------------------------------------\nTime: 1700000000000 ms\n-------------------------------------------\na\nb\na\n...\n",
      // PySpark's format for pairs: ('hello', 1)
      "-------------------------------------------\nTime: 1700000000000 ms\n-------------------------------------------\n('hello', 1)\n",
    ]);
    clock.advance(1000);
    await ssc.awaitBatchCompleted(1_700_000_001_000);
    // An empty batch still prints its header, as Spark does.
    expect(printed[2]).toBe("-------------------------------------------\nTime: 1700000001000 ms\n-------------------------------------------\n");
  });

  it("prints exactly n elements without '...' when the batch has n", async () => {
    const { clock, sc, ssc, printed } = setup();
    ssc.queueStream([sc.parallelize([1, 2], 1)]).pprint(2);
    ssc.start();
    clock.advance(1000);
    await ssc.awaitBatchCompleted(1000);
    expect(printed[0]).toBe("-------------------------------------------\nTime: 1000 ms\n-------------------------------------------\n1\n2\n");
  });
});

describe("StreamingContext errors (Spark's texts)", () => {
  it("start without output operations", () => {
    const { sc, ssc } = setup();
    ssc.queueStream([sc.parallelize([1])]);
    expect(() => ssc.start()).toThrow("requirement failed: No output operations registered, so nothing to execute");
  });

  it("adding operations after start and after stop", async () => {
    const { sc, ssc } = setup();
    const s = ssc.queueStream([sc.parallelize([1])]);
    s.pprint();
    ssc.start();
    expect(() => s.map((x) => x)).toThrow(
      "Adding new inputs, transformations, and output operations after starting a context is not supported",
    );
    expect(() => ssc.queueStream<number>([])).toThrow(/after starting a context is not supported/);
    await ssc.stop(false);
    expect(() => s.pprint()).toThrow(
      "Adding new inputs, transformations, and output operations after stopping a context is not supported",
    );
  });

  it("start twice warns; start after stop throws; stop twice warns", async () => {
    const { sc, ssc, warnings } = setup();
    ssc.queueStream([sc.parallelize([1])]).pprint();
    ssc.start();
    ssc.start();
    expect(warnings).toContain("WARN StreamingContext: StreamingContext has already been started");
    expect(ssc.getState()).toBe("ACTIVE");
    await ssc.stop(false);
    expect(ssc.getState()).toBe("STOPPED");
    expect(() => ssc.start()).toThrow("StreamingContext has already been stopped");
    await ssc.stop(false);
    expect(warnings).toContain("WARN StreamingContext: StreamingContext has already been stopped");
  });

  it("only one active StreamingContext", async () => {
    const a = setup();
    a.ssc.queueStream([a.sc.parallelize([1])]).pprint();
    a.ssc.start();
    expect(StreamingContext.getActive()).toBe(a.ssc);
    const b = setup();
    b.ssc.queueStream([b.sc.parallelize([1])]).pprint();
    expect(() => b.ssc.start()).toThrow(/^Only one StreamingContext may be started in this JVM/);
    await a.ssc.stop();
    expect(StreamingContext.getActive()).toBeUndefined();
    b.ssc.start();
  });

  it("window and slide must be multiples of the parent's slide", () => {
    const { sc, ssc } = setup();
    const s = ssc.queueStream([sc.parallelize([1])]);
    expect(() => s.window(1.5, 1)).toThrow(
      "The window duration of windowed DStream (1500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)",
    );
    expect(() => s.window(2, 0.5)).toThrow(
      "The slide duration of windowed DStream (500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)",
    );
    expect(() => s.window(4, 2).window(3, 2)).toThrow(
      "The window duration of windowed DStream (3000 ms) must be a multiple of the slide duration of parent DStream (2000 ms)",
    );
    const pairs = s.map((x) => [x, 1]);
    expect(() => pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 2.5, 1)).toThrow(
      "requirement failed: The window duration of ReducedWindowedDStream (2500 ms) must be multiple of the slide duration of parent DStream (1000 ms)",
    );
  });

  it("updateStateByKey, reduceByKeyAndWindow with inverse and countByWindow need a checkpoint directory", () => {
    const msg = "requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().";
    const ops = [
      (s: ReturnType<StreamingContext["queueStream"]>) =>
        s.map((x) => [x, 1]).updateStateByKey((v: number[], st?: number) => v.length + (st ?? 0)).pprint(),
      (s: ReturnType<StreamingContext["queueStream"]>) =>
        s.map((x) => [x, 1]).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 2, 1).pprint(),
      (s: ReturnType<StreamingContext["queueStream"]>) => s.countByWindow(2, 1).pprint(),
    ];
    for (const op of ops) {
      const { sc, ssc } = setup();
      op(ssc.queueStream([sc.parallelize([1])]));
      expect(() => ssc.start()).toThrow(msg);
    }
    // Without the inverse function no checkpoint is needed.
    const { sc, ssc } = setup();
    ssc.queueStream([sc.parallelize([1])]).map((x) => [x, 1]).reduceByKeyAndWindow((a, b) => a + b, null, 2, 1).pprint();
    expect(() => ssc.start()).not.toThrow();
  });

  it("master URLs are validated as Spark does", () => {
    expect(new SparkContext("local", "x", { output: () => {} }).defaultParallelism).toBe(1);
    expect(new SparkContext("local[3]", "x").defaultParallelism).toBe(3);
    expect(new SparkContext("local[*]", "x").defaultParallelism).toBeGreaterThan(0);
    expect(new SparkContext("local[2, 3]", "x").defaultParallelism).toBe(2);
    expect(() => new SparkContext("lokal[2]", "x")).toThrow("Could not parse Master URL: 'lokal[2]'");
    expect(() => new SparkContext("local[0]", "x")).toThrow("Asked to run locally with 0 threads");
    expect(() => new SparkContext("spark://host:7077", "x")).toThrow(/Could not parse Master URL: 'spark:\/\/host:7077' \(the playground runs in local mode only/);
    expect(() => new SparkContext("local", "")).toThrow("An application name must be set in your configuration");
  });

  it("warns about local[1] as Spark does for receivers", () => {
    const { warnings } = setup("local[1]");
    expect(warnings[0]).toMatch(/spark.master should be set as local\[n\], n > 1 in local mode/);
  });

  it("a failing output operation fails awaitTermination and the stream goes on", async () => {
    const { clock, sc, ssc } = setup();
    const seen: number[] = [];
    ssc.queueStream([sc.parallelize([1]), sc.parallelize([2])]).foreachRDD((rdd) => {
      const [x] = rdd.collect();
      if (x === 1) throw new Error("boom");
      seen.push(x as number);
    });
    ssc.start();
    const waiting = ssc.awaitTermination();
    clock.advance(1000);
    await expect(waiting).rejects.toThrow("boom");
    clock.advance(1000);
    const info = await ssc.awaitBatchCompleted(2000);
    expect(seen).toEqual([2]);
    expect((await ssc.awaitBatchCompleted(1000)).outputOperationInfos[0]?.failureReason).toBe("Error: boom");
    expect(info.outputOperationInfos[0]?.failureReason).toBeUndefined();
  });

  it("awaitTerminationOrTimeout resolves false on timeout and true after stop", async () => {
    const { sc, ssc } = setup();
    ssc.queueStream([sc.parallelize([1])]).pprint();
    ssc.start();
    expect(await ssc.awaitTerminationOrTimeout(0.01)).toBe(false);
    const p = ssc.awaitTerminationOrTimeout(5);
    await ssc.stop(false);
    expect(await p).toBe(true);
    await ssc.awaitTermination();
  });

  it("stop(stopSparkContext) stops the SparkContext; by default too (spark.streaming.stopSparkContextByDefault)", async () => {
    const a = setup();
    a.ssc.queueStream([a.sc.parallelize([1])]).pprint();
    await a.ssc.stop(false);
    expect(a.sc.isStopped).toBe(false);
    const b = setup();
    await b.ssc.stop();
    expect(b.sc.isStopped).toBe(true);
    expect(() => b.sc.parallelize([1])).toThrow("Cannot call methods on a stopped SparkContext.");
  });
});

describe("queueStream", () => {
  it("oneAtATime takes one RDD per batch, then the default RDD; arrays are parallelized; later pushes feed later batches", async () => {
    const { clock, sc, ssc } = setup();
    const queue: (ReturnType<typeof sc.parallelize<number>> | number[])[] = [sc.parallelize([1, 2]), [3]];
    const out: number[][] = [];
    ssc.queueStream(queue, true, [0]).foreachRDD((rdd) => {
      out.push(rdd.collect());
    });
    ssc.start();
    await runUntil(ssc, clock, 3000);
    queue.push([9]);
    await runUntil(ssc, clock, 4000);
    expect(out).toEqual([[1, 2], [3], [0], [9]]);
  });

  it("oneAtATime = false takes everything queued at once", async () => {
    const { clock, sc, ssc } = setup();
    const out: number[][] = [];
    ssc.queueStream([sc.parallelize([1]), sc.parallelize([2, 3])], false).foreachRDD((rdd) => {
      out.push(rdd.collect());
    });
    ssc.start();
    await runUntil(ssc, clock, 2000);
    expect(out).toEqual([[1, 2, 3], []]);
  });
});

/** A receiver driven by the test: `push` stores records. */
class TestReceiver extends Receiver<string> {
  started = false;
  onStart(): void {
    this.started = true;
  }
  onStop(): void {
    this.started = false;
  }
  push(...lines: string[]): void {
    for (const l of lines) this.store(l);
  }
}

describe("receivers, blocks and listeners", () => {
  it("records become blocks every block interval; each batch's blocks make its RDD; BatchInfo reports them", async () => {
    const { clock, ssc } = setup("local[2]", { "spark.streaming.blockInterval": "200ms" });
    const receiver = new TestReceiver();
    const batches: BatchInfo[] = [];
    const events: string[] = [];
    ssc.addStreamingListener({
      onReceiverStarted: (e) => events.push(`started ${e.receiverInfo.name} ${e.receiverInfo.streamId}`),
      onReceiverStopped: (e) => events.push(`stopped ${e.receiverInfo.streamId}`),
      onBatchStarted: (e) => events.push(`batch started ${e.batchInfo.batchTime}`),
      onBatchCompleted: (e) => batches.push(e.batchInfo),
    });
    const partitions: string[][][] = [];
    ssc.receiverStream(receiver).foreachRDD((rdd) => {
      partitions.push(rdd.partitions.map((p) => [...p]));
    });
    ssc.start();
    await Promise.resolve();
    expect(receiver.started).toBe(true);
    receiver.push("a", "b");
    clock.advance(200); // block input-0-0
    receiver.push("c");
    clock.advance(200); // block input-0-200
    receiver.push("d");
    clock.advance(600); // block input-0-400 (cut at 600) and the batch at 1000
    await ssc.awaitBatchCompleted(1000);
    receiver.push("e");
    clock.advance(1000);
    await ssc.awaitBatchCompleted(2000);
    expect(partitions).toEqual([[["a", "b"], ["c"], ["d"]], [["e"]]]);
    expect(batches.map((b) => b.numRecords)).toEqual([4, 1]);
    expect(batches[0]?.blocks).toEqual([
      { streamId: 0, blockId: "input-0-0", numRecords: 2 },
      { streamId: 0, blockId: "input-0-200", numRecords: 1 },
      { streamId: 0, blockId: "input-0-400", numRecords: 1 },
    ]);
    expect(batches[1]?.blocks).toEqual([{ streamId: 0, blockId: "input-0-1000", numRecords: 1 }]);
    expect(batches[0]?.streamIdToInputInfo[0]?.numRecords).toBe(4);
    expect(batches[0]).toMatchObject({ batchTime: 1000, submissionTime: 1000, schedulingDelay: 0, processingDelay: 0 });
    await ssc.stop(false);
    expect(events).toEqual(["started TestReceiver 0", "batch started 1000", "batch started 2000", "stopped 0"]);
  });

  it("graceful stop runs a last batch for received data; a non-graceful stop does not", async () => {
    for (const graceful of [true, false]) {
      const { clock, ssc } = setup();
      const receiver = new TestReceiver();
      const seen: string[][] = [];
      ssc.receiverStream(receiver).foreachRDD((rdd) => {
        seen.push(rdd.collect());
      });
      ssc.start();
      await Promise.resolve();
      receiver.push("x");
      clock.advance(1000);
      await ssc.awaitBatchCompleted(1000);
      receiver.push("late");
      await ssc.stop(false, graceful);
      expect(seen).toEqual(graceful ? [["x"], ["late"]] : [["x"]]);
    }
  });

  it("stopOnShutdown honours spark.streaming.stopGracefullyOnShutdown", async () => {
    const { clock, ssc, sc } = setup("local[2]", { "spark.streaming.stopGracefullyOnShutdown": "true" });
    const receiver = new TestReceiver();
    const seen: string[][] = [];
    ssc.receiverStream(receiver).foreachRDD((rdd) => {
      seen.push(rdd.collect());
    });
    ssc.start();
    await Promise.resolve();
    receiver.push("y");
    clock.advance(300);
    await ssc.stopOnShutdown();
    expect(seen).toEqual([["y"]]);
    expect(sc.isStopped).toBe(true);
  });

  it("a receiver that stops with an error is reported and fails awaitTermination", async () => {
    const { ssc } = setup();
    const receiver = new TestReceiver();
    const errors: ReceiverInfo[] = [];
    ssc.addStreamingListener({ onReceiverError: (e) => errors.push(e.receiverInfo) });
    ssc.receiverStream(receiver).pprint();
    ssc.start();
    await Promise.resolve();
    const waiting = ssc.awaitTermination();
    receiver.stop("Could not connect", new Error("refused"));
    await expect(waiting).rejects.toThrow("refused");
    expect(errors[0]).toMatchObject({ streamId: 0, lastErrorMessage: "Could not connect", lastError: "Error: refused" });
  });
});

describe("textFileStream (in-memory file system)", () => {
  it("reads each new file once, in the batch whose time is at or after its modification time; ignores old and dot files", async () => {
    const { clock, ssc } = setup();
    clock.setTime(10_000);
    const fs = new MemoryDStreamFileSystem();
    fs.writeFile("in/old.txt", "old", 9_000);
    const out: string[][] = [];
    const infos: BatchInfo[] = [];
    ssc.addStreamingListener({ onBatchCompleted: (e) => infos.push(e.batchInfo) });
    ssc.textFileStream("in", fs).foreachRDD((rdd) => {
      out.push(rdd.collect());
    });
    ssc.start();
    fs.writeFile("in/a.txt", "a1\na2\n", 10_500);
    fs.writeFile("in/.hidden", "h", 10_500);
    fs.writeFile("in/sub/x.txt", "x", 10_500);
    await runUntil(ssc, clock, 11_000);
    fs.writeFile("in/b.txt", "b1", 11_200);
    fs.writeFile("in/c.txt", "c1\r\nc2", 11_900);
    await runUntil(ssc, clock, 13_000);
    expect(out).toEqual([["a1", "a2"], ["b1", "c1", "c2"], []]);
    expect(infos[1]?.streamIdToInputInfo[0]).toMatchObject({ numRecords: 3, description: "files: in/b.txt, in/c.txt" });
  });
});

describe("failures while generating a batch", () => {
  it("a file system error fails awaitTermination with Spark's 'Error generating jobs for time … ms'", async () => {
    const { clock, ssc } = setup();
    const fs = {
      list: () => Promise.reject(new Error("EACCES: permission denied, scandir 'in'")),
      readText: () => Promise.resolve(""),
    };
    ssc.textFileStream("in", fs).pprint();
    ssc.start();
    const waiting = ssc.awaitTermination();
    clock.advance(1000);
    await expect(waiting).rejects.toThrow("Error generating jobs for time 1000 ms: EACCES: permission denied, scandir 'in'");
    expect((await ssc.awaitBatchCompleted(1000)).numRecords).toBe(0);
  });

  it("textFileStream without a file system says how to give one", () => {
    const { ssc } = setup();
    expect(() => ssc.textFileStream("in")).toThrow(/textFileStream needs a file system/);
  });
});

describe("checkpoint and getOrCreate", () => {
  it("updateStateByKey state survives stop() and a new context made by getOrCreate", async () => {
    const store = new MemoryDStreamCheckpointStore();
    const clock = new ManualClock(0);
    const feed: string[][] = [["a", "b"], ["a"]];
    const results: string[][] = [];
    const create = () => {
      const sc = new SparkContext("local[2]", "stateful", { clock, output: () => {}, warn: () => {} });
      const ssc = new StreamingContext(sc, 1, { checkpointStore: store });
      ssc.checkpoint("wc");
      ssc
        .queueStream(feed.splice(0).map((b) => sc.parallelize(b)))
        .map((w) => [w, 1])
        .updateStateByKey((vs: number[], s: number | undefined) => vs.length + (s ?? 0))
        .foreachRDD((rdd) => {
          results.push(rdd.collect().map(([k, v]) => `${k}=${v}`).sort());
        });
      contexts.push(ssc);
      return ssc;
    };
    const first = await StreamingContext.getOrCreate("wc", create, store);
    first.start();
    await runUntil(first, clock, 2000);
    await first.stop(true);
    expect(results).toEqual([["a=1", "b=1"], ["a=2", "b=1"]]);
    expect(store.load("wc")).toMatchObject({ checkpointTime: 2000, zeroTime: 0, pendingTimes: [] });

    feed.push(["b", "c"]);
    const second = await StreamingContext.getOrCreate("wc", create, store);
    second.start();
    await runUntil(second, clock, 3000);
    expect(results[2]).toEqual(["a=2", "b=2", "c=1"]);
  });

  it("a restored context re-runs the batches it was down for (Spark's down times), then continues on the clock", async () => {
    const store = new MemoryDStreamCheckpointStore();
    const clock = new ManualClock(0);
    const times: number[] = [];
    const states: string[] = [];
    const create = () => {
      const sc = new SparkContext("local[2]", "down", { clock, output: () => {}, warn: () => {} });
      const ssc = new StreamingContext(sc, 1, { checkpointStore: store });
      ssc.checkpoint("down");
      ssc
        .queueStream<string>([], true, ["k"])
        .map((w) => [w, 1])
        .updateStateByKey((vs: number[], s: number | undefined) => vs.length + (s ?? 0))
        .foreachRDD((rdd, time) => {
          times.push(time);
          states.push(JSON.stringify(rdd.collect()));
        });
      contexts.push(ssc);
      return ssc;
    };
    const first = await StreamingContext.getOrCreate("down", create, store);
    first.start();
    await runUntil(first, clock, 2000);
    await first.stop(true);
    clock.setTime(4500);
    const second = await StreamingContext.getOrCreate("down", create, store);
    second.start();
    await second.awaitBatchCompleted(4000);
    clock.advance(500);
    await second.awaitBatchCompleted(5000);
    expect(times).toEqual([1000, 2000, 3000, 4000, 5000]);
    // The state continued across the restart: one "k" per batch.
    expect(states).toEqual(['[["k",1]]', '[["k",2]]', '[["k",3]]', '[["k",4]]', '[["k",5]]']);
  });

  it("getOrCreate rejects a checkpoint that does not match the graph", async () => {
    const store = new MemoryDStreamCheckpointStore();
    store.save("x", {
      version: 1,
      checkpointTime: 1000,
      zeroTime: 0,
      batchDurationMs: 1000,
      pendingTimes: [],
      states: [{ streamId: 0, kind: "StateDStream", time: 1000, partitions: [] }],
    });
    const create = () => {
      const sc = new SparkContext("local[2]", "x", { clock: new ManualClock(0) });
      const ssc = new StreamingContext(sc, 1);
      ssc.queueStream<number>([]).pprint();
      return ssc;
    };
    await expect(StreamingContext.getOrCreate("x", create, store)).rejects.toThrow(
      /does not match the streams built by createFn: stream 0 was a StateDStream, now QueueInputDStream/,
    );
  });
});
