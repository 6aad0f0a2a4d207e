/**
 * The browser's checkpoint and file system on IndexedDB (fake-indexeddb runs the same code
 * paths in Node): restart and resume, one strict transaction per batch commit (a failing
 * commit writes nothing), Web Locks ownership with an explicit take-over, reset, and clear
 * errors when IndexedDB is unavailable, blocked or full.
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { F, IdbFileSystem, ManualClock, MemoryStream, SparkSession, openIdbCheckpointCatalog, type IdbCheckpointCatalog, type Row } from "../../index";
import { InProcessLockManager } from "../../checkpoint/idb/checkpointLock";
import { openDatabase } from "../../checkpoint/idb/checkpointDb";

let dbCounter = 0;
const sessions: SparkSession[] = [];
const catalogs: IdbCheckpointCatalog[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
  for (const c of catalogs.splice(0)) c.close();
});

async function catalog(dbName: string, locks = new InProcessLockManager(), onLockLost?: (l: string) => void): Promise<IdbCheckpointCatalog> {
  const c = await openIdbCheckpointCatalog({ dbName, locks, onLockLost });
  catalogs.push(c);
  return c;
}

function session(c: IdbCheckpointCatalog, fs?: IdbFileSystem): SparkSession {
  let b = SparkSession.builder().clock(new ManualClock(1_700_000_000_000)).output(() => undefined).checkpointStores(c.factory);
  if (fs) b = b.fileSystem(fs);
  const s = b.getOrCreate();
  sessions.push(s);
  return s;
}

function counts(input: MemoryStream, name: string) {
  return input
    .toDF()
    .groupBy("value")
    .agg(F.count("*").as("n"))
    .writeStream.format("memory")
    .queryName(name)
    .outputMode("complete")
    .trigger({ manual: true })
    .option("checkpointLocation", "wordcount");
}

const sorted = (rows: Row[]) => [...rows].sort((a, b) => Number(a.value) - Number(b.value));

describe("IndexedDB checkpoint", () => {
  it("resumes after a reload (a new catalog on the same database) with the same query id and state", async () => {
    const dbName = `cp-${++dbCounter}`;
    const c1 = await catalog(dbName);
    const spark1 = session(c1);
    const input = new MemoryStream(spark1, { value: "long" });
    input.addData(1, 2, 2);
    const q1 = counts(input, "c1").start();
    await q1.processAllAvailable();
    await q1.stop();
    c1.close();

    const c2 = await catalog(dbName);
    expect(c2.locations()).toEqual(["wordcount"]);
    const spark2 = session(c2);
    // The same replayable source after the reload: offset 0 was committed, offset 1 is new.
    const input2 = new MemoryStream(spark2, { value: "long" });
    input2.addData(1, 2, 2);
    input2.addData(2, 3);
    const q2 = counts(input2, "c2").start();
    expect(q2.id).toBe(q1.id);
    await q2.processAllAvailable();
    await q2.stop();
    expect(sorted((await spark2.table("c2").collect()) as Row[])).toEqual([
      { value: 1, n: 1 },
      { value: 2, n: 3 },
      { value: 3, n: 1 },
    ]);
  });

  it("files() lists a checkpoint in Spark's layout, in natural order, with each file's text", async () => {
    const c = await catalog(`cp-${++dbCounter}`);
    const spark = session(c);
    const input = new MemoryStream(spark, { value: "long" });
    const q = counts(input, "listed").start();
    for (let i = 0; i < 12; i++) {
      input.addData(i);
      await q.processAllAvailable();
    }
    await q.stop();
    const files = await c.files("wordcount");
    const paths = files.map((f) => f.path);
    expect(paths).toContain("metadata");
    expect(paths.filter((p) => p.startsWith("offsets/"))).toEqual(Array.from({ length: 12 }, (_, i) => `offsets/${i}`));
    expect(paths.filter((p) => p.startsWith("commits/"))).toHaveLength(12);
    const offsets0 = files.find((f) => f.path === "offsets/0");
    expect(offsets0?.text.startsWith("v1\n")).toBe(true);
    expect(offsets0?.size).toBe(offsets0?.text.length);
  });

  it("a batch commit is one transaction: a full quota fails with a clear error and writes neither state nor commit", async () => {
    const dbName = `cp-${++dbCounter}`;
    const c = await catalog(dbName);
    const spark = session(c);
    const input = new MemoryStream(spark, { value: "long" });
    input.addData(1);
    const q = counts(input, "quota").start();
    await q.processAllAvailable();
    const proto = (globalThis as unknown as { IDBObjectStore: { prototype: { put: (v: unknown) => unknown } } }).IDBObjectStore.prototype;
    const put = proto.put;
    proto.put = function (this: unknown, v: unknown) {
      if ((v as { path?: string }).path === "commits/1") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.call(this, v);
    };
    try {
      input.addData(2);
      await expect(q.processAllAvailable()).rejects.toThrow(/CHECKPOINT_STORAGE_UNAVAILABLE.*quota is full.*No part of the batch was written/);
    } finally {
      proto.put = put;
    }
    const db = await openDatabase<never>(dbName, 1, () => undefined);
    const keys = (await (db as unknown as { getAllKeys(s: string): Promise<[string, string][]> }).getAllKeys("files")).map((k) => k[1]).sort();
    db.close();
    expect(keys).toContain("offsets/1"); // the WAL of batch 1 was written before it ran
    expect(keys).not.toContain("commits/1");
    expect(keys).not.toContain("state/0/0/2.delta");
    expect(keys).toContain("state/0/0/1.delta");
  });

  it("one tab owns a checkpoint: a second gets CHECKPOINT_LOCKED, and takes over only explicitly", async () => {
    const dbName = `cp-${++dbCounter}`;
    const locks = new InProcessLockManager();
    const lost: string[] = [];
    const tab1 = await catalog(dbName, locks, (l) => lost.push(l));
    const tab2 = await catalog(dbName, locks);
    const spark1 = session(tab1);
    const spark2 = session(tab2);
    const in1 = new MemoryStream(spark1, { value: "long" });
    const in2 = new MemoryStream(spark2, { value: "long" });
    in1.addData(1);
    const q1 = counts(in1, "t1").start();
    await q1.processAllAvailable();
    const q2 = counts(in2, "t2").start();
    await expect(q2.processAllAvailable()).rejects.toThrow(/\[CHECKPOINT_LOCKED\] The checkpoint "wordcount" is in use by a query in another tab/);
    tab2.takeOver("wordcount");
    const q3 = counts(in2, "t3").start();
    await q3.processAllAvailable();
    expect(lost).toEqual(["wordcount"]);
    // The tab that lost the checkpoint can no longer write to it.
    in1.addData(2);
    await expect(q1.processAllAvailable()).rejects.toThrow(/CHECKPOINT_LOCKED/);
    await q3.stop();
  });

  it("reset deletes the checkpoint: the next start is a new query", async () => {
    const dbName = `cp-${++dbCounter}`;
    const c = await catalog(dbName);
    const spark = session(c);
    const input = new MemoryStream(spark, { value: "long" });
    input.addData(1);
    const q1 = counts(input, "r1").start();
    await q1.processAllAvailable();
    await q1.stop();
    await c.reset("wordcount");
    expect(c.locations()).toEqual([]);
    const q2 = counts(input, "r2").start();
    expect(q2.id).not.toBe(q1.id);
    await q2.stop();
  });

  it("IndexedDB unavailable, or an upgrade blocked by another tab, gives a clear error", async () => {
    const g = globalThis as { indexedDB?: IDBFactory };
    const saved = g.indexedDB;
    g.indexedDB = undefined;
    try {
      await expect(openIdbCheckpointCatalog({ dbName: "none" })).rejects.toThrow(/CHECKPOINT_STORAGE_UNAVAILABLE.*IndexedDB is not available/);
    } finally {
      g.indexedDB = saved;
    }
    const name = `blocked-${++dbCounter}`;
    const old = await new Promise<IDBDatabase>((resolve) => {
      const r = (saved as IDBFactory).open(name, 1);
      r.onsuccess = () => resolve(r.result);
    });
    await expect(openDatabase(name, 2, () => undefined)).rejects.toThrow(/upgrade is blocked by another tab/);
    old.close();
  });
});

describe("IndexedDB file system", () => {
  it("keeps files across reopen; a file source and file sink run on it and resume from an IndexedDB checkpoint", async () => {
    const fsName = `fs-${++dbCounter}`;
    const cpName = `cp-${++dbCounter}`;
    const fs1 = await IdbFileSystem.open({ dbName: fsName });
    await fs1.writeText("in/a.csv", "1,x\n2,y\n", 1000);
    const run = async (fs: IdbFileSystem) => {
      const spark = session(await catalog(cpName), fs);
      const q = spark.readStream
        .format("csv")
        .schema({ n: "long", s: "string" })
        .load("in")
        .writeStream.format("json")
        .option("path", "out")
        .option("checkpointLocation", "files")
        .trigger({ manual: true })
        .start();
      for (let i = 0; i < 3; i++) await q.step();
      await q.stop();
      return spark;
    };
    await run(fs1);
    fs1.close();
    const fs2 = await IdbFileSystem.open({ dbName: fsName });
    expect((await fs2.list("in")).map((f) => f.path)).toEqual(["in/a.csv"]);
    await fs2.writeText("in/b.csv", "3,z\n", 2000);
    const spark = await run(fs2);
    const rows = (await (await spark.read.json("out")).collect()) as Row[];
    expect(rows.sort((a, b) => Number(a.n) - Number(b.n))).toEqual([
      { n: 1, s: "x" },
      { n: 2, s: "y" },
      { n: 3, s: "z" },
    ]);
    expect((await fs2.list("out/_spark_metadata")).map((f) => f.path)).toEqual(["out/_spark_metadata/0", "out/_spark_metadata/1"]);
    fs2.close();
  });
});
