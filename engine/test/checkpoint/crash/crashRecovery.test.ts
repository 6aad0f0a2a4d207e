/**
 * Exactly-once under real crashes: the query runs in a child process (crashChild.ts) over a
 * real directory (NodeFileSystem + the Node checkpoint store) and is killed with SIGKILL at
 * random moments, many times; each restart resumes from the checkpoint. Finally the output
 * (read through _spark_metadata) must equal the aggregation computed directly from the
 * input: zero rows lost, zero duplicated. The only test that sleeps (real processes).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SparkSession, type Row } from "../../../index";
import { NodeFileSystem } from "../../../node";

const CHILD = fileURLToPath(new URL("./crashChild.ts", import.meta.url));
const BASE_MS = Date.UTC(2024, 0, 1);

function writeInput(dir: string, name: string, rows: { t: number; k: string; v: number }[], mtimeMs: number): void {
  const path = join(dir, "in", name);
  writeFileSync(path, rows.map((r) => JSON.stringify({ t: new Date(BASE_MS + r.t).toISOString(), k: r.k, v: r.v })).join("\n") + "\n");
  utimesSync(path, new Date(mtimeMs), new Date(mtimeMs));
}

/** Runs the child; kills it with SIGKILL after `killAfterMs` (if given). Resolves to how it ended. */
function runChild(dir: string, killAfterMs?: number): Promise<"done" | "killed"> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("exit", (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0 && out.includes("done")) resolve("done");
      else reject(new Error(`child failed (code ${code}): ${err}`));
    });
  });
}

describe("SIGKILL at random moments", () => {
  it("a child process killed many times, then finished, writes each result exactly once", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "crash-"));
    try {
      mkdirSync(join(dir, "in"));
      const all: { t: number; k: string; v: number }[] = [];
      for (let f = 0; f < 60; f++) {
        const rows = Array.from({ length: 20 }, (_, r) => ({ t: f * 3000 + r * 100, k: `k${r % 3}`, v: f * 20 + r }));
        all.push(...rows);
        writeInput(dir, `${String(f).padStart(3, "0")}.json`, rows, 1e12 + f * 1000);
      }
      // Seeded delays (a linear congruential generator) spread over the child's run.
      let seed = 42;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      let kills = 0;
      const deadline = Date.now() + 16_000;
      for (let i = 0; i < 20 && Date.now() < deadline; i++) {
        if ((await runChild(dir, 500 + Math.floor(rand() * 1000))) === "killed") kills++;
        else break; // finished before the kill: everything is processed
      }
      expect(await runChild(dir)).toBe("done");
      // A last file moves the watermark past every window, then the query finishes again.
      writeInput(dir, "zzz.json", [{ t: 400_000, k: "z", v: 0 }], 1e12 + 100_000);
      expect(await runChild(dir)).toBe("done");

      const expected = new Map<string, Row>();
      for (const r of all) {
        const start = Math.floor(r.t / 10_000) * 10_000;
        const key = `${start}|${r.k}`;
        const e = expected.get(key) ?? { start: new Date(BASE_MS + start).toISOString(), k: r.k, n: 0, total: 0 };
        e.n = (e.n as number) + 1;
        e.total = (e.total as number) + r.v;
        expected.set(key, e);
      }
      const spark = SparkSession.builder().output(() => undefined).fileSystem(new NodeFileSystem(dir)).getOrCreate();
      const rows = (await (await spark.read.schema({ start: "timestamp", k: "string", n: "long", total: "long" }).json("out")).collect()) as Row[];
      await spark.stop();
      const sort = (a: Row, b: Row) => JSON.stringify(a).localeCompare(JSON.stringify(b));
      const actual = rows.map((r) => ({ ...r, start: (r.start as Date).toISOString() })).sort(sort);
      expect(actual).toEqual([...expected.values()].sort(sort));
      console.info(`crash test: ${kills} SIGKILLs`);
      expect(kills, `kills: ${kills}`).toBeGreaterThanOrEqual(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
