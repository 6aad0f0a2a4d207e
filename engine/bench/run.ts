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
import { batchBounds } from "./data";
import { DUCKDB_IMPLS } from "./duckdb";
import { TimedOut, errorMessage, guarded, median, quantile, runOnce, type RunOutcome, type Sample } from "./harness";
import { IMPL_NAMES, Unsupported, type Impl, type ImplName, type Workload } from "./types";
import { STATE_DEMO, WORKLOADS } from "./workloads/index";

// ---------------------------------------------------------------------------------------
// Options

interface Options {
  quick: boolean;
  json: string | null;
  only: string[];
  batches: number[];
  rows: number;
  /** Repetitions at least (unless one run exceeds repeatBudgetMs) and at most. */
  reps: number;
  maxReps: number;
  impls: ImplName[];
  seed: number;
  /** Repeat while the measured time so far is below this (up to maxReps); a run slower than it is not repeated. */
  repeatBudgetMs: number;
  /** A run still going after this long (wall clock) is stopped and reported as "timeout", without a figure. */
  deadlineMs: number;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes("--quick");
  const o: Options = {
    quick,
    json: null,
    only: [],
    batches: quick ? [1e5] : [1e3, 1e4, 1e5],
    rows: quick ? 2e5 : 2e6,
    reps: quick ? 1 : 3,
    maxReps: quick ? 3 : 5,
    impls: [...IMPL_NAMES],
    seed: 20240901,
    repeatBudgetMs: quick ? 400 : 20_000,
    deadlineMs: quick ? 10_000 : 60_000,
  };
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
// Measurement

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (() => void) | undefined;

function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

type ImplStatus = "ok" | "unsupported" | "failed" | "timeout" | "skipped";

interface BatchResult {
  status: ImplStatus;
  error?: string;
  /** Median over repetitions. */
  rowsPerSec: number | null;
  runsRowsPerSec: number[];
  p50Ms: number | null;
  p99Ms: number | null;
  checksum: string | null;
  samples: Sample[];
}

function implsOf(w: Workload): Partial<Record<ImplName, Impl>> {
  const d = DUCKDB_IMPLS[w.name];
  return d === undefined ? w.impls : { ...w.impls, duckdb: d };
}

function statusOf(e: unknown): ImplStatus {
  return e instanceof Unsupported ? "unsupported" : e instanceof TimedOut ? "timeout" : "failed";
}

async function measure(w: Workload, impl: Impl, batchSize: number, o: Options): Promise<BatchResult> {
  const input = w.makeInput(o.rows, o.seed);
  const bounds = batchBounds(input.events.n, batchSize);
  // Warm-up (JIT, lazy initialisation): a quarter of the rows (at most 1e5) in five batches, a smaller static table.
  const warm = w.makeInput(Math.max(1, Math.min(o.rows / 4, 1e5)), o.seed + 1, { tableRows: 10_000 });
  const fail = (status: ImplStatus, e: unknown): BatchResult => ({
    status,
    error: errorMessage(e),
    rowsPerSec: null,
    runsRowsPerSec: [],
    p50Ms: null,
    p99Ms: null,
    checksum: null,
    samples: [],
  });
  try {
    await runOnce(guarded(impl), { input: warm, bounds: batchBounds(warm.events.n, Math.min(batchSize, Math.ceil(warm.events.n / 5))) }, { deadlineMs: o.deadlineMs });
  } catch (e) {
    return fail(statusOf(e), e);
  }
  const runs: RunOutcome[] = [];
  try {
    let spentMs = 0;
    for (let r = 0; r < o.maxReps; r++) {
      gc?.();
      const out = await runOnce(guarded(impl), { input, bounds }, { heapBytes, deadlineMs: o.deadlineMs });
      runs.push(out);
      spentMs += out.totalMs;
      if (out.checksum !== runs[0]?.checksum) throw new Error(`non-deterministic: checksum ${out.checksum} vs ${runs[0]?.checksum}`);
      if (out.totalMs > o.repeatBudgetMs) break; // too slow to repeat
      if (r + 1 >= o.reps && spentMs > o.repeatBudgetMs) break;
    }
  } catch (e) {
    return fail(statusOf(e), e);
  }
  // rows/s = rows ÷ Σ over batches of the batch's MEDIAN latency across repetitions: a
  // batch stalled in one repetition (the process descheduled on a busy machine, a GC
  // pause) does not decide the figure, while a batch that is slow every time does.
  const rates = runs.map((r) => (r.rows / r.totalMs) * 1000);
  const perBatchMs = (runs[0] as RunOutcome).latenciesMs.map((_, i) => median(runs.map((r) => r.latenciesMs[i] as number)));
  const totalMs = perBatchMs.reduce((a, b) => a + b, 0);
  const pooled = runs.flatMap((r) => r.latenciesMs);
  const medRun = runs[rates.indexOf(median(rates))] ?? (runs[0] as RunOutcome);
  return {
    status: "ok",
    rowsPerSec: ((runs[0] as RunOutcome).rows / totalMs) * 1000,
    runsRowsPerSec: rates,
    p50Ms: quantile(pooled, 0.5),
    p99Ms: quantile(pooled, 0.99),
    checksum: medRun.checksum,
    samples: medRun.samples,
  };
}

// ---------------------------------------------------------------------------------------
// Report

const fmtRate = (r: number | null): string => (r === null ? "—" : r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : `${(r / 1e3).toFixed(0)}k`);
const fmtRatio = (r: number | null, c: number | null): string => (r === null || c === null ? "—" : (r / c).toFixed(2));
const fmtMs = (x: number | null): string => (x === null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtBatch = (b: number): string => (Number.isInteger(Math.log10(b)) ? `1e${Math.log10(b)}` : String(b));
const pad = (s: string, n: number): string => s.padStart(n);
const mb = (b: number): string => (Number.isNaN(b) ? "?" : `${(b / 1048576).toFixed(0)}`);

function stateSummary(samples: Sample[]): string {
  if (samples.length === 0) return "—";
  const first = samples[0] as Sample;
  const last = samples[samples.length - 1] as Sample;
  const peak = samples.reduce((m, s) => Math.max(m, s.stateRows), 0);
  const heapPeak = samples.reduce((m, s) => Math.max(m, s.heapBytes), 0);
  // The last sample follows the flush batch (state emptied): show the one before it too.
  const beforeFlush = samples.length > 1 ? (samples[samples.length - 2] as Sample).stateRows : last.stateRows;
  return `${first.stateRows}→${peak}→${beforeFlush}→${last.stateRows}  heap ${mb(first.heapBytes)}→${mb(heapPeak)} MB`;
}

interface WorkloadReport {
  name: string;
  title: string;
  target: number;
  byBatch: Record<string, Partial<Record<ImplName, BatchResult>>>;
  checksumsMatch: boolean;
  mismatches: string[];
}

function printWorkload(rep: WorkloadReport, o: Options): void {
  const batches = o.batches;
  const big = fmtBatch(Math.max(...batches));
  console.log(`\n== ${rep.name}: ${rep.title}   (${o.rows.toLocaleString("en-US")} rows; target: engine ≥ ${rep.target}× ceiling)`);
  let head = "impl      ";
  for (const b of batches) head += `${pad(`rows/s@${fmtBatch(b)}`, 13)}${pad("×ceil", 7)}`;
  head += `${pad(`p50 ms@${big}`, 12)}${pad(`p99 ms@${big}`, 12)}   state rows first→peak→pre-flush→end, heap (@${big})`;
  console.log(head);
  const notes: string[] = [];
  for (const impl of o.impls) {
    let line = impl.padEnd(10);
    let last: BatchResult | undefined;
    for (const b of batches) {
      const r = rep.byBatch[fmtBatch(b)]?.[impl];
      const c = rep.byBatch[fmtBatch(b)]?.ceiling?.rowsPerSec ?? null;
      line += `${pad(r?.status === "ok" ? fmtRate(r.rowsPerSec) : (r?.status ?? "—"), 13)}${pad(r?.status === "ok" ? fmtRatio(r.rowsPerSec, c) : "", 7)}`;
      last = r;
      if (r !== undefined && r.status !== "ok" && r.error !== undefined) {
        const note = `${impl} ${r.status}: ${r.error}`;
        if (!notes.includes(note)) notes.push(note);
      }
    }
    if (last?.status === "ok") line += `${pad(fmtMs(last.p50Ms), 12)}${pad(fmtMs(last.p99Ms), 12)}   ${stateSummary(last.samples)}`;
    console.log(line);
  }
  for (const n of notes) console.log(`  ${n}`);
  if (rep.checksumsMatch) {
    const sums = batches.map((b) => {
      const ok = Object.values(rep.byBatch[fmtBatch(b)] ?? {}).filter((r) => r.status === "ok");
      return `@${fmtBatch(b)} ${ok.length} agree (${ok[0]?.checksum ?? "—"})`;
    });
    console.log(`  checksums: ${sums.join("; ")}`);
  } else for (const m of rep.mismatches) console.log(`  CHECKSUM MISMATCH ${m}`);
}

async function runWorkload(w: Workload, o: Options): Promise<WorkloadReport> {
  const impls = implsOf(w);
  const rep: WorkloadReport = { name: w.name, title: w.title, target: w.target, byBatch: {}, checksumsMatch: true, mismatches: [] };
  for (const b of o.batches) {
    const row: Partial<Record<ImplName, BatchResult>> = {};
    rep.byBatch[fmtBatch(b)] = row;
    for (const name of o.impls) {
      const impl = impls[name];
      if (impl === undefined) {
        row[name] = { status: "skipped", error: "no implementation", rowsPerSec: null, runsRowsPerSec: [], p50Ms: null, p99Ms: null, checksum: null, samples: [] };
        continue;
      }
      if (process.stderr.isTTY) process.stderr.write(`  ${w.name} @${fmtBatch(b)} ${name}…\r`);
      row[name] = await measure(w, impl, b, o);
      if (process.stderr.isTTY) process.stderr.write(" ".repeat(60) + "\r");
    }
    const ok = Object.entries(row).filter(([, r]) => r.status === "ok");
    const sums = new Set(ok.map(([, r]) => r.checksum));
    if (sums.size > 1) {
      rep.checksumsMatch = false;
      rep.mismatches.push(`@${fmtBatch(b)}: ${ok.map(([n, r]) => `${n}=${r.checksum}`).join(", ")}`);
    }
  }
  return rep;
}

/** State and heap over time for the tumbling 1e5-key query, with and without a watermark. */
async function stateDemo(o: Options): Promise<Record<string, Record<string, Sample[]>>> {
  const out: Record<string, Record<string, Sample[]>> = {};
  const batchSize = o.quick ? 1e4 : 1e5;
  const rows = o.quick ? 1e5 : o.rows;
  // An event rate that makes the run span ten 1-minute windows, so eviction shows.
  const scale = { rowsPerSecond: rows / 600 };
  console.log(
    `\n== state over time: ${STATE_DEMO.withWatermark.title}, with vs without watermark (${rows.toLocaleString("en-US")} rows over 10 minutes of event time, batches of ${fmtBatch(batchSize)})`,
  );
  console.log("   state rows (heap MB) after each sampled batch; without a watermark nothing is ever evicted");
  for (const [label, w] of [
    ["with watermark", STATE_DEMO.withWatermark],
    ["no watermark", STATE_DEMO.withoutWatermark],
  ] as const) {
    out[label] = {};
    for (const name of ["engine", "ceiling", "idiomatic"] as const) {
      if (!o.impls.includes(name)) continue;
      const impl = w.impls[name];
      if (impl === undefined) continue;
      const input = w.makeInput(rows, o.seed, scale);
      try {
        gc?.();
        const r = await runOnce(guarded(impl), { input, bounds: batchBounds(input.events.n, batchSize) }, { heapBytes, samples: 8 });
        const s = r.samples.slice(0, -1); // drop the post-flush sample
        (out[label] as Record<string, Sample[]>)[name] = s;
        console.log(`  ${label.padEnd(15)} ${name.padEnd(10)} ${s.map((x) => `${x.stateRows}(${mb(x.heapBytes)})`).join(" ")}`);
      } catch (e) {
        console.log(`  ${label.padEnd(15)} ${name.padEnd(10)} ${e instanceof Unsupported ? "unsupported" : "failed"}: ${errorMessage(e)}`);
      }
    }
  }
  return out;
}

function summary(reports: WorkloadReport[], o: Options): void {
  const big = fmtBatch(Math.max(...o.batches));
  console.log(`\n== summary @${big} (engine rows/s ÷ ceiling; target; engine ahead of every peer that ran?)`);
  for (const rep of reports) {
    const row = rep.byBatch[big] ?? {};
    const e = row.engine;
    const c = row.ceiling?.rowsPerSec ?? null;
    const peers = (["idiomatic", "rxjs", "arquero", "duckdb"] as const).filter((p) => row[p]?.status === "ok");
    const best = peers.reduce<[string, number]>((m, p) => ((row[p]?.rowsPerSec ?? 0) > m[1] ? [p, row[p]?.rowsPerSec ?? 0] : m), ["", 0]);
    const ratio = e?.status === "ok" && c !== null ? (e.rowsPerSec as number) / c : null;
    const verdict =
      e?.status !== "ok"
        ? `engine ${e?.status ?? "not run"}${e?.error ? ` (${e.error})` : ""}`
        : `${ratio === null ? "—" : ratio.toFixed(2)}× ceiling (target ${rep.target}: ${ratio !== null && ratio >= rep.target ? "met" : "NOT met"}); ` +
          `${(e.rowsPerSec as number) > best[1] ? "ahead of every peer" : `behind ${best[0]} (${fmtRate(best[1])} vs ${fmtRate(e.rowsPerSec)})`}`;
    console.log(`  ${rep.name.padEnd(16)} ${verdict}${rep.checksumsMatch ? "" : "  [CHECKSUM MISMATCH]"}`);
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const workloads = WORKLOADS.filter((w) => o.only.length === 0 || o.only.some((s) => w.name.includes(s)));
  console.log(
    `Streaming Playground benchmark — Node ${process.version}, ${o.quick ? "quick" : "full"}: ${o.rows.toLocaleString("en-US")} rows per workload, ` +
      `batches ${o.batches.map(fmtBatch).join("/")}, ${o.reps} repetition(s) (median), seed ${o.seed}${gc ? "" : " (no gc between runs)"}`,
  );
  const reports: WorkloadReport[] = [];
  for (const w of workloads) {
    const rep = await runWorkload(w, o);
    reports.push(rep);
    printWorkload(rep, o);
  }
  summary(reports, o);
  const demo = o.only.length === 0 || o.only.some((s) => STATE_DEMO.withWatermark.name.includes(s)) ? await stateDemo(o) : {};
  if (o.json !== null) {
    const big = fmtBatch(Math.max(...o.batches));
    const doc = {
      node: process.version,
      mode: o.quick ? "quick" : "full",
      rows: o.rows,
      batchSizes: o.batches,
      repetitions: o.reps,
      seed: o.seed,
      batchSizeOfRowsPerSec: Math.max(...o.batches),
      workloads: reports.map((r) => {
        const row = r.byBatch[big] ?? {};
        const rowsPerSec: Partial<Record<ImplName, number | null>> = {};
        for (const i of IMPL_NAMES) rowsPerSec[i] = row[i]?.status === "ok" ? Math.round(row[i]?.rowsPerSec as number) : null;
        const c = row.ceiling?.rowsPerSec ?? null;
        return {
          name: r.name,
          title: r.title,
          rowsPerSec,
          checksumsMatch: r.checksumsMatch,
          ratioToCeiling: Object.fromEntries(IMPL_NAMES.map((i) => [i, row[i]?.status === "ok" && c ? (row[i]?.rowsPerSec as number) / c : null])),
          target: r.target,
          unsupported: Object.fromEntries(IMPL_NAMES.filter((i) => row[i] !== undefined && row[i]?.status !== "ok").map((i) => [i, `${row[i]?.status}: ${row[i]?.error ?? ""}`])),
          byBatch: Object.fromEntries(
            Object.entries(r.byBatch).map(([b, impls]) => [
              b,
              Object.fromEntries(
                Object.entries(impls).map(([i, x]) => [
                  i,
                  { status: x.status, error: x.error, rowsPerSec: x.rowsPerSec, runs: x.runsRowsPerSec, p50Ms: x.p50Ms, p99Ms: x.p99Ms, checksum: x.checksum, samples: x.samples },
                ]),
              ),
            ]),
          ),
        };
      }),
      stateOverTime: demo,
    };
    writeFileSync(o.json, JSON.stringify(doc, null, 2));
    console.log(`\nwrote ${o.json}`);
  }
  console.log(`\ndone in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bad = reports.filter((r) => !r.checksumsMatch);
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
