/**
 * Issue 9's checkpoint cost, in Node: time per batch commit with 1e4 and 1e5 state rows when
 * 1% and 10% of the keys change per batch, on the Node directory store (a real directory,
 * Spark's layout) and on IndexedDB through fake-indexeddb (the browser's code path; its
 * absolute times say little, the ratios between sizes and fractions are what to read).
 * The browser figure is e2e/checkpoint-cost.perf.ts.
 *
 * ```sh
 * npx tsx engine/bench/checkpoint/run.ts                 # both backends, 1e4 and 1e5 keys, 1% and 10%
 * npx tsx engine/bench/checkpoint/run.ts --keys 1e4 --backend node --batches 25 --json out.json
 * ```
 * Writes bench-results/checkpoint-node.json (or --json) and prints a table.
 */
import "fake-indexeddb/auto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeCheckpointFileManager } from "../../checkpoint/file/NodeCheckpointFileManager";
import { IdbCheckpointFileManager } from "../../checkpoint/idb/IdbCheckpointFileManager";
import { openCheckpointDb } from "../../checkpoint/idb/checkpointDb";
import type { CheckpointFileManager } from "../../checkpoint/persistent/CheckpointFileManager";
import { runScenario, type ScenarioResult } from "./scenario";
import { summarize, formatTable, type SummaryRow } from "./summary";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const keySizes = (arg("keys") ?? "1e4,1e5").split(",").map(Number);
const fractions = (arg("fractions") ?? "0.01,0.1").split(",").map(Number);
const backends = (arg("backend") ?? "node,fake-indexeddb").split(",");
const batches = Number(arg("batches") ?? 40);
const out = arg("json") ?? "bench-results/checkpoint-node.json";

let dbCounter = 0;

async function backend(name: string): Promise<{ fm: CheckpointFileManager; reopen: () => Promise<CheckpointFileManager>; cleanup: () => void }> {
  if (name === "node") {
    const dir = mkdtempSync(join(tmpdir(), "cp-cost-"));
    const root = join(dir, "cp");
    return { fm: new NodeCheckpointFileManager(root), reopen: () => Promise.resolve(new NodeCheckpointFileManager(root)), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (name === "fake-indexeddb") {
    const dbName = `cp-cost-${process.pid}-${++dbCounter}`;
    const db = await openCheckpointDb(dbName);
    let db2: Awaited<ReturnType<typeof openCheckpointDb>> | null = null;
    return {
      fm: new IdbCheckpointFileManager(db, "cost"),
      reopen: async () => {
        db.close();
        db2 = await openCheckpointDb(dbName);
        return new IdbCheckpointFileManager(db2, "cost");
      },
      cleanup: () => {
        db.close();
        db2?.close();
        indexedDB.deleteDatabase(dbName);
      },
    };
  }
  throw new Error(`unknown backend ${name} (node, fake-indexeddb)`);
}

const results: Array<ScenarioResult & { backend: string }> = [];
const rows: SummaryRow[] = [];
for (const b of backends) {
  for (const numKeys of keySizes) {
    for (const fraction of fractions) {
      const { fm, reopen, cleanup } = await backend(b);
      try {
        const r = await runScenario(fm, reopen, { numKeys, fraction, batches });
        if (!r.recoveredEqual) throw new Error(`${b} ${numKeys} keys ${fraction}: the recovered state differs`);
        results.push({ backend: b, ...r });
        const row = summarize(b, r);
        rows.push(row);
        console.error(`done: ${b} ${numKeys} keys ${fraction * 100}%`);
      } finally {
        cleanup();
      }
    }
  }
}
console.log(formatTable(rows));
mkdirSync("bench-results", { recursive: true });
writeFileSync(out, JSON.stringify({ environment: `Node ${process.version}`, date: new Date().toISOString(), summary: rows, runs: results }, null, 2));
console.log(`\nwrote ${out}`);
