/**
 * The benchmark CLI (issue 9): `npm run bench` (= tsx engine/bench/run.ts).
 *
 *   npm run bench                       all workloads, batches of 1e3, 1e4, 1e5, 2e6 rows, 3–5 repetitions
 *   npm run bench -- --quick            under a minute: 2e5 rows, batches of 1e5, 1–3 repetitions
 *   npm run bench -- --json FILE        also write the figures as JSON
 *   npm run bench -- --only tumbling    workloads whose name contains the text (comma list allowed)
 *   npm run bench -- --batch 1e5        batch sizes (comma list or repeated)
 *   npm run bench -- --rows 5e5 --reps 5 --impl engine,ceiling
 *
 * Exits 1 only when implementations that ran disagree on a checksum. Methodology: README.md.
 */
import { writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DUCKDB_IMPLS } from "./duckdb";
import { benchDocument, defaultOptions, runBench, type BenchEnv, type BenchOptions } from "./suite";
import { IMPL_NAMES, type ImplName } from "./types";

// ---------------------------------------------------------------------------------------
// Options (the measuring and the report live in suite.ts, shared with the Chromium Worker)

interface Options extends BenchOptions {
  json: string | null;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes("--quick");
  const o: Options = { ...defaultOptions(quick), json: null };
  let batchesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--quick") continue;
    else if (a === "--json") o.json = next();
    else if (a === "--only") o.only.push(...next().split(","));
    else if (a === "--batch") {
      if (!batchesGiven) o.batches = [];
      batchesGiven = true;
      o.batches.push(...next().split(",").map(Number));
    } else if (a === "--rows") o.rows = Number(next());
    else if (a === "--reps") {
      o.reps = Number(next());
      o.maxReps = Math.max(o.maxReps, o.reps);
    }
    else if (a === "--seed") o.seed = Number(next());
    else if (a === "--impl") o.impls = next().split(",") as ImplName[];
    else if (a === "--help" || a === "-h") {
      console.log("usage: npm run bench -- [--quick] [--json FILE] [--only NAME[,NAME]] [--batch 1e3|1e4|1e5[,…]] [--rows N] [--reps N] [--impl engine,ceiling,…] [--seed N]");
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  for (const b of o.batches) if (!(b >= 1 && Number.isInteger(b))) throw new Error(`bad --batch ${b}`);
  for (const i of o.impls) if (!(IMPL_NAMES as readonly string[]).includes(i)) throw new Error(`unknown implementation ${i}`);
  return o;
}

// ---------------------------------------------------------------------------------------
// Node environment

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (() => void) | undefined;

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const nodeEnv: BenchEnv = {
  label: `Node ${process.version}`,
  extraImpls: (w) => {
    const d = DUCKDB_IMPLS[w.name];
    return d === undefined ? {} : { duckdb: d };
  },
  ...(gc ? { gc } : {}),
  heapBytes,
  pageFaults: () => process.resourceUsage().minorPageFault,
  log: (line) => console.log(line),
  ...(process.stderr.isTTY ? { progress: (text: string | null) => void process.stderr.write(text === null ? " ".repeat(60) + "\r" : `${text}\r`) } : {}),
};

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const result = await runBench(o, nodeEnv);
  if (o.json !== null) {
    writeFileSync(o.json, JSON.stringify({ node: process.version, ...benchDocument(result, o) }, null, 2));
    console.log(`\nwrote ${o.json}`);
  }
  console.log(`\ndone in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bad = result.reports.filter((r) => !r.checksumsMatch);
  if (bad.length > 0) {
    console.error(`checksum mismatch in ${bad.map((r) => r.name).join(", ")}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
