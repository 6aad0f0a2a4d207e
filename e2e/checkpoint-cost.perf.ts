import { expect, test, type Page } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { formatTable, summarize, type SummaryRow } from "../engine/bench/checkpoint/summary";
import { codeCells, openApp, setCode } from "./helpers";

/**
 * Issue 9's "checkpoint cost", in real IndexedDB in Chromium: a streaming aggregation in
 * update mode with a checkpointLocation, run by a notebook cell in the app's worker, whose
 * state holds 1e4 and then 1e5 keys; then 40 batches that each change 1% or 10% of the keys.
 * Per batch: the progress figures (`stateOperators[0].commitTimeMs`, `durationMs.commitOffsets`
 * and `walCommit`), and the bytes of the state files each version wrote (`<v>.delta`, and
 * `<v>.snapshot` every minDeltasForSnapshot = 10 versions), read from the checkpoint's records
 * in IndexedDB (the records `checkpointFiles(location)` and the Checkpoint tab list). Then a
 * restart on the same checkpoint: its first batch's `queryPlanning` loads the state from the
 * newest snapshot plus the deltas after it.
 *
 * A benchmark, not a test: writes bench-results/checkpoint.json, prints a table, and fails
 * only if the runs did not happen. Run with
 * `PLAYWRIGHT_PERF=1 npx playwright test e2e/checkpoint-cost.perf.ts` (after `vite build`).
 */

const SCENARIOS: Array<[number, number]> = [
  [1e4, 0.01],
  [1e4, 0.1],
  [1e5, 0.01],
  [1e5, 0.1],
];
const BATCHES = 40;

/** The cell: every scenario in turn, one `CHECKPOINT_COST {...}` line each, then `CHECKPOINT_COST_DONE`. */
const CELL = `
const scenarios = ${JSON.stringify(SCENARIOS)};
const BATCHES = ${BATCHES};
// mulberry32: the same keys on every run.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
for (const [numKeys, fraction] of scenarios) {
  const location = "checkpoint-cost-" + numKeys + "-" + fraction;
  const next = rng(42);
  const perm = new Int32Array(numKeys);
  for (let i = 0; i < numKeys; i++) perm[i] = i;
  const input = new MemoryStream(spark, { k: "long", v: "long" });
  const build = () => input.toDF()
    .groupBy("k")
    .agg(F.count("*").as("n"), F.sum("v").as("s"))
    .writeStream.outputMode("update")
    .option("checkpointLocation", location)
    .trigger({ manual: true })
    .foreachBatch(() => {})
    .start();
  let q = build();
  const all = new Float64Array(numKeys);
  for (let i = 0; i < numKeys; i++) all[i] = i;
  input.addColumns({ k: all, v: all });
  await q.processAllAvailable();
  const k = Math.max(1, Math.round(numKeys * fraction));
  const batches = [];
  for (let b = 0; b < BATCHES; b++) {
    const keys = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(next() * (numKeys - i));
      const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
      keys[i] = perm[i];
    }
    input.addColumns({ k: keys, v: keys });
    const t0 = performance.now();
    await q.processAllAvailable();
    const wallMs = performance.now() - t0;
    const p = q.lastProgress;
    batches.push({
      batchId: p.batchId,
      version: p.batchId + 1,
      changedKeys: k,
      commitTimeMs: p.stateOperators[0].commitTimeMs,
      commitOffsetsMs: p.durationMs.commitOffsets,
      walCommitMs: p.durationMs.walCommit,
      triggerExecutionMs: p.durationMs.triggerExecution,
      wallMs,
    });
  }
  await q.stop();
  // Restart on the same checkpoint: the first batch loads the state from the files.
  q = build();
  input.addData({ k: 0, v: 0 });
  await q.processAllAvailable();
  const restart = q.lastProgress;
  await q.stop();
  console.log("CHECKPOINT_COST " + JSON.stringify({ numKeys, fraction, location, batches, recoveryMs: restart.durationMs.queryPlanning, restartNumRowsTotal: restart.stateOperators[0].numRowsTotal }));
}
console.log("CHECKPOINT_COST_DONE");
`;

interface CellBatch {
  batchId: number;
  version: number;
  changedKeys: number;
  commitTimeMs: number;
  commitOffsetsMs: number;
  walCommitMs: number;
  triggerExecutionMs: number;
  wallMs: number;
}

interface CellScenario {
  numKeys: number;
  fraction: number;
  location: string;
  batches: CellBatch[];
  recoveryMs: number;
  restartNumRowsTotal: number;
}

/** Path and size (characters) of every file of `locations`, read from the checkpoint database. */
function checkpointFileSizes(page: Page, locations: string[]): Promise<Record<string, Array<{ path: string; size: number }>>> {
  return page.evaluate(async (locs) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("streaming-playground-checkpoints");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out: Record<string, Array<{ path: string; size: number }>> = {};
    for (const loc of locs) {
      const records = await new Promise<Array<{ path: string; text: string }>>((resolve, reject) => {
        const r = db.transaction("files").objectStore("files").getAll(IDBKeyRange.bound([loc, ""], [loc, "\uffff"]));
        r.onsuccess = () => resolve(r.result as Array<{ path: string; text: string }>);
        r.onerror = () => reject(r.error);
      });
      out[loc] = records.map((rec) => ({ path: rec.path, size: rec.text.length }));
    }
    db.close();
    return out;
  }, locations);
}

test("checkpoint cost per batch commit in IndexedDB, 1e4 and 1e5 state rows", async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await setCode(page, CELL);
  await codeCells(page).first().getByTestId("run").click();
  const out = codeCells(page).first().getByTestId("console-output");
  await expect(out).toContainText("CHECKPOINT_COST_DONE", { timeout: 240_000 });
  const text = (await out.textContent()) ?? "";
  const scenarios = text
    .split("\n")
    .filter((l) => l.startsWith("CHECKPOINT_COST {"))
    .map((l) => JSON.parse(l.slice("CHECKPOINT_COST ".length)) as CellScenario);
  expect(scenarios).toHaveLength(SCENARIOS.length);

  const files = await checkpointFileSizes(page, scenarios.map((s) => s.location));
  const rows: SummaryRow[] = [];
  const runs = scenarios.map((s) => {
    const sizes = new Map((files[s.location] ?? []).map((f) => [f.path, f.size]));
    const batches = s.batches.map((b) => ({
      ...b,
      deltaBytes: sizes.get(`state/0/0/${b.version}.delta`) ?? 0,
      snapshotBytes: sizes.get(`state/0/0/${b.version}.snapshot`) ?? 0,
    }));
    const run = { ...s, batches };
    rows.push(summarize("chromium-indexeddb", run));
    return run;
  });
  const table = formatTable(rows);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(
    "bench-results/checkpoint.json",
    JSON.stringify({ environment: `Chromium (${page.context().browser()?.version() ?? "?"}), real IndexedDB, app worker`, date: new Date().toISOString(), summary: rows, runs }, null, 2),
  );
  console.log(`Checkpoint cost (Chromium, IndexedDB):\n${table}`);
  for (const s of scenarios) {
    expect(s.batches).toHaveLength(BATCHES);
    expect(s.restartNumRowsTotal).toBe(s.numKeys);
  }
});
