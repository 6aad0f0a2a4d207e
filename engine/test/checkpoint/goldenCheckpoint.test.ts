/**
 * Versioned golden checkpoint: `engine/test/golden/checkpoint-v1/` is a checkpoint written by
 * the Node store (Spark's layout, text format v1) and checked in. The tests prove that
 * (1) today's writer produces exactly those files, so a format change is caught, and
 * (2) today's reader resumes from them (query id kept, state restored, next batch id).
 * A deliberate format change adds a `checkpoint-v2/` fixture and keeps v1 readable.
 * Regenerate v1 (only for a bug in the fixture itself): UPDATE_GOLDEN=1 npx vitest run goldenCheckpoint
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, MemoryFileSystem, SparkSession, type Row } from "../../index";
import { openFileCheckpointStore } from "../../node";

const GOLDEN = fileURLToPath(new URL("../golden/checkpoint-v1", import.meta.url));
const GOLDEN_ID = "00000000-0000-4000-8000-000000000001";
const dirs: string[] = [];
const sessions: SparkSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function filesOf(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p).split("\\").join("/"), readFileSync(p, "utf8"));
    }
  };
  walk(root);
  return out;
}

async function input(): Promise<MemoryFileSystem> {
  const fs = new MemoryFileSystem();
  await fs.writeText("in/1.json", '{"k":"a","v":1}\n{"k":"b","v":2}\n', 1_000);
  await fs.writeText("in/2.json", '{"k":"a","v":3}\n', 2_000);
  return fs;
}

function start(fs: MemoryFileSystem, cp: string) {
  const spark = SparkSession.builder()
    .clock(new ManualClock(1_700_000_000_000))
    .output(() => undefined)
    .fileSystem(fs)
    .checkpointStores((loc) => openFileCheckpointStore(loc))
    .getOrCreate();
  sessions.push(spark);
  const q = spark.readStream
    .format("json")
    .schema({ k: "string", v: "long" })
    .option("maxFilesPerTrigger", 1)
    .load("in")
    .groupBy("k")
    .sum("v")
    .writeStream.format("memory")
    .queryName("golden")
    .outputMode("complete")
    .trigger({ manual: true })
    .option("checkpointLocation", cp)
    .start();
  return { spark, q };
}

async function writeCheckpoint(cp: string): Promise<void> {
  // A fixed query id, so the files are byte-for-byte stable.
  mkdirSync(cp, { recursive: true });
  writeFileSync(join(cp, "metadata"), JSON.stringify({ id: GOLDEN_ID }));
  const { q } = start(await input(), cp);
  await q.step();
  await q.step();
  await q.stop();
}

describe("golden checkpoint v1", () => {
  it("today's writer writes exactly the checked-in files", async () => {
    const cp = join(mkdtempSync(join(tmpdir(), "golden-")), "cp");
    dirs.push(cp);
    await writeCheckpoint(cp);
    if (process.env.UPDATE_GOLDEN === "1") {
      rmSync(GOLDEN, { recursive: true, force: true });
      cpSync(cp, GOLDEN, { recursive: true });
    }
    expect(existsSync(GOLDEN)).toBe(true);
    expect(Object.fromEntries(filesOf(cp))).toEqual(Object.fromEntries(filesOf(GOLDEN)));
  });

  it("today's reader resumes from the checked-in checkpoint", async () => {
    const cp = join(mkdtempSync(join(tmpdir(), "golden-")), "cp");
    dirs.push(cp);
    cpSync(GOLDEN, cp, { recursive: true });
    const fs = await input();
    await fs.writeText("in/3.json", '{"k":"b","v":10}\n', 3_000);
    const { spark, q } = start(fs, cp);
    expect(q.id).toBe(GOLDEN_ID);
    await q.step();
    expect(q.lastProgress?.batchId).toBe(2);
    const rows = (await spark.table("golden").collect()) as Row[];
    expect(rows.sort((a, b) => String(a.k).localeCompare(String(b.k)))).toEqual([
      { k: "a", "sum(v)": 4 },
      { k: "b", "sum(v)": 12 },
    ]);
    await q.stop();
  });
});
