/**
 * File sources and sinks over the virtual file system: json / csv / text, maxFilesPerTrigger,
 * latestFirst, maxFileAge, modification order, parse modes, the _spark_metadata log,
 * spark.read over committed files. Spark references: FileStreamSourceSuite, FileStreamSinkSuite,
 * CSVSuite / JsonSuite parse-mode tests.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, ManualClock, MemoryFileSystem, SparkSession, type Row } from "../../index";
import { MemoryCheckpointFileManager } from "../../checkpoint/persistent/CheckpointFileManager";
import { PersistentCheckpointStore } from "../../checkpoint/persistent/PersistentCheckpointStore";

const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
});

function session(fs: MemoryFileSystem, conf: Record<string, string> = {}): SparkSession {
  const disks = new Map<string, MemoryCheckpointFileManager>();
  let b = SparkSession.builder()
    .clock(new ManualClock(1_700_000_000_000))
    .output(() => undefined)
    .fileSystem(fs)
    .checkpointStores((loc) => {
      let fm = disks.get(loc);
      if (fm === undefined) disks.set(loc, (fm = new MemoryCheckpointFileManager(loc)));
      return new PersistentCheckpointStore(fm, { sources: new Map() });
    });
  for (const [k, v] of Object.entries(conf)) b = b.config(k, v);
  const s = b.getOrCreate();
  sessions.push(s);
  return s;
}

async function steps(q: { step(): Promise<void> }, n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await q.step();
}

const byKey = (a: Row, b: Row) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe("file source", () => {
  it("reads json files in modification order, maxFilesPerTrigger per batch, each file once", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/b.json", '{"v":2}\n', 2000);
    await fs.writeText("in/a.json", '{"v":1}\n{"v":11}\n', 1000);
    await fs.writeText("in/_ignored.json", '{"v":99}\n', 500);
    const spark = session(fs);
    const batches: { id: number; rows: Row[] }[] = [];
    const q = spark.readStream
      .format("json")
      .schema({ v: "long" })
      .option("maxFilesPerTrigger", 1)
      .load("in")
      .writeStream.trigger({ manual: true })
      .foreachBatch(async (df, id) => void batches.push({ id, rows: (await df.collect()) as Row[] }))
      .start();
    await steps(q, 4);
    expect(batches).toEqual([
      { id: 0, rows: [{ v: 1 }, { v: 11 }] },
      { id: 1, rows: [{ v: 2 }] },
    ]);
    await fs.writeText("in/c.json", '{"v":3}\n', 3000);
    await steps(q, 2);
    expect(batches[2]).toEqual({ id: 2, rows: [{ v: 3 }] });
    expect(q.lastProgress?.sources[0]?.endOffset).toEqual({ logOffset: 2 });
  });

  it("latestFirst takes the newest file first; maxFileAge ignores old files", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/a.txt", "old\n", 1000);
    await fs.writeText("in/b.txt", "new\n", 2000);
    const spark = session(fs);
    const seen: string[] = [];
    const q = spark.readStream
      .format("text")
      .option("maxFilesPerTrigger", 1)
      .option("latestFirst", true)
      .load("in")
      .writeStream.trigger({ manual: true })
      .foreachBatch(async (df) => void seen.push(...((await df.collect()) as Row[]).map((r) => String(r.value))))
      .start();
    await steps(q, 3);
    expect(seen).toEqual(["new", "old"]);

    const fs2 = new MemoryFileSystem();
    await fs2.writeText("in/new.txt", "new\n", 10 * 86_400_000);
    const spark2 = session(fs2);
    const seen2: string[] = [];
    const q2 = spark2.readStream
      .format("text")
      .option("maxFileAge", "1d")
      .load("in")
      .writeStream.trigger({ manual: true })
      .foreachBatch(async (df) => void seen2.push(...((await df.collect()) as Row[]).map((r) => String(r.value))))
      .start();
    await steps(q2, 1);
    // A file older than the newest seen file minus maxFileAge is ignored; a newer one is read.
    await fs2.writeText("in/old.txt", "old\n", 1000);
    await fs2.writeText("in/newer.txt", "newer\n", 10 * 86_400_000 + 1);
    await steps(q2, 3);
    expect(seen2).toEqual(["new", "newer"]);
  });

  it("csv parse modes: PERMISSIVE with _corrupt_record, DROPMALFORMED, FAILFAST", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/x.csv", "1,a\nnope,b\n3\n", 1000);
    const spark = session(fs);
    const read = (mode: string, schema: Record<string, string>) =>
      spark.read.format("csv").schema(schema).option("mode", mode).load("in");
    const permissive = await (await read("PERMISSIVE", { n: "int", s: "string", _corrupt_record: "string" })).collect();
    expect(permissive).toEqual([
      { n: 1, s: "a", _corrupt_record: null },
      { n: null, s: "b", _corrupt_record: "nope,b" },
      { n: 3, s: null, _corrupt_record: "3" },
    ]);
    expect(await (await read("DROPMALFORMED", { n: "int", s: "string" })).collect()).toEqual([{ n: 1, s: "a" }]);
    await expect(read("FAILFAST", { n: "int", s: "string" })).rejects.toThrow(/MALFORMED_RECORD_IN_PARSING/);
  });

  it("json inference (schemaInference) adds _corrupt_record for malformed lines and counts them", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/x.json", '{"b":1,"a":"x"}\n{oops\n{"b":2.5}\n', 1000);
    const spark = session(fs, { "spark.sql.streaming.schemaInference": "true" });
    const df = spark.readStream.format("json").load("in");
    expect(df.columns).toEqual(["_corrupt_record", "a", "b"]);
    const rows: Row[] = [];
    const q = df.writeStream
      .trigger({ manual: true })
      .foreachBatch(async (b) => void rows.push(...((await b.collect()) as Row[])))
      .start();
    await steps(q, 2);
    expect(rows).toEqual([
      { _corrupt_record: null, a: "x", b: 1 },
      { _corrupt_record: "{oops", a: null, b: null },
      { _corrupt_record: null, a: null, b: 2.5 },
    ]);
    expect(q.lastProgress?.sources[0]?.metrics).toEqual({ numMalformedRecords: "1" });
  });

  it("requires a schema without schemaInference, as Spark", () => {
    const spark = session(new MemoryFileSystem());
    expect(() => spark.readStream.format("json").load("in")).toThrow(/Schema must be specified/);
  });
});

describe("file sink", () => {
  it("writes part files and a _spark_metadata log; spark.read reads only committed files", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/a.csv", "1,x\n2,y\n", 1000);
    const spark = session(fs);
    const q = spark.readStream
      .format("csv")
      .schema({ n: "long", s: "string" })
      .load("in")
      .withColumn("m", F.col("n").multiply(10))
      .writeStream.format("json")
      .option("path", "out")
      .option("checkpointLocation", "cp")
      .trigger({ manual: true })
      .start();
    await steps(q, 2);
    const log = await fs.readText("out/_spark_metadata/0");
    expect(log.split("\n")[0]).toBe("v1");
    expect(JSON.parse(log.split("\n")[1] as string)).toMatchObject({ isDir: false, action: "add", blockReplication: 1 });
    // An uncommitted part file (a crashed batch) is not output.
    await fs.writeText("out/part-00000-orphan.c000.json", '{"n":99}\n');
    const rows = (await (await spark.read.json("out")).collect()) as Row[];
    expect(rows.sort(byKey)).toEqual([
      { m: 10, n: 1, s: "x" },
      { m: 20, n: 2, s: "y" },
    ]);
  });

  it("rejects complete mode, a missing path and a missing checkpointLocation, as Spark", () => {
    const spark = session(new MemoryFileSystem());
    const df = spark.readStream.format("text").load("in");
    expect(() => df.writeStream.format("json").option("checkpointLocation", "c").start()).toThrow(/'path' is not specified/);
    expect(() =>
      df.groupBy("value").count().writeStream.format("csv").outputMode("complete").option("path", "o").option("checkpointLocation", "c").start(),
    ).toThrow(/does not support Complete output mode/);
    expect(() => df.writeStream.format("text").option("path", "o").start()).toThrow(/checkpointLocation must be specified/);
  });

  it("compacts the sink log every compactInterval batches; a re-run batch id is skipped", async () => {
    const fs = new MemoryFileSystem();
    const spark = session(fs, { "spark.sql.streaming.fileSink.log.compactInterval": "2" });
    const q = spark.readStream
      .format("text")
      .load("in")
      .writeStream.format("text")
      .option("path", "out")
      .option("checkpointLocation", "cp")
      .trigger({ manual: true })
      .start();
    for (let i = 0; i < 3; i++) {
      await fs.writeText(`in/${i}.txt`, `line ${i}\n`, 1000 + i);
      await q.step();
    }
    expect((await fs.list("out/_spark_metadata")).map((f) => f.path)).toEqual(["out/_spark_metadata/0", "out/_spark_metadata/1.compact", "out/_spark_metadata/2"]);
    const compact = (await fs.readText("out/_spark_metadata/1.compact")).split("\n");
    expect(compact[0]).toBe("v1");
    expect(compact.length).toBe(3);
    expect(((await (await spark.read.text("out")).collect()) as Row[]).map((r) => r.value).sort()).toEqual(["line 0", "line 1", "line 2"]);
    // The sink itself skips a batch id it has already logged (a re-run after a crash).
    const { FileStreamSink } = await import("../../sinks/FileStreamSink");
    const { fileFormat } = await import("../../formats/FileFormat");
    const sink = new FileStreamSink(fs, "out", fileFormat("text")!, {}, 2);
    const before = (await fs.list("out")).length;
    await sink.addBatch({ batchId: 2, outputMode: "append", attrs: [], data: { numRows: 1, columns: [] } as never, rows: () => [], toDataFrame: () => null as never });
    expect((await fs.list("out")).length).toBe(before);
  });

  it("csv and text sinks round-trip through spark.read", async () => {
    const fs = new MemoryFileSystem();
    await fs.writeText("in/a.txt", "hello, world\nbye\n", 1000);
    const spark = session(fs);
    const lines = spark.readStream.format("text").load("in");
    const q1 = lines.writeStream.format("text").option("path", "t").option("checkpointLocation", "c1").trigger({ manual: true }).start();
    const q2 = lines.writeStream.format("csv").option("path", "c").option("checkpointLocation", "c2").trigger({ manual: true }).start();
    await steps(q1, 2);
    await steps(q2, 2);
    expect(await (await spark.read.text("t")).collect()).toEqual([{ value: "hello, world" }, { value: "bye" }]);
    expect(await (await spark.read.format("csv").load("c")).collect()).toEqual([{ _c0: "hello, world" }, { _c0: "bye" }]);
  });
});
