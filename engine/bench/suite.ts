/**
 * The benchmark suite itself — measuring every implementation of every workload, the
 * printed report and the JSON document — shared by the Node CLI (run.ts) and the
 * Chromium Worker (browser/bench.worker.ts). Browser-safe: no Node imports. What differs
 * per environment comes in through `BenchEnv`: the heap probe, the forced GC, extra
 * implementations (Node: DuckDB), where lines and progress go.
 *
 * Methodology (what is timed, per-batch medians, warm-up, repetitions): README.md.
 */
import { batchBounds } from "./data";
import { TimedOut, errorMessage, guarded, median, quantile, runOnce, type RunOutcome, type Sample } from "./harness";
import { IMPL_NAMES, Unsupported, type Impl, type ImplName, type Workload } from "./types";
import { STATE_DEMO, WORKLOADS } from "./workloads/index";

// ---------------------------------------------------------------------------------------
// Options and environment

/** What to run. `defaultOptions` gives the CLI's defaults (full or `--quick`). */
export interface BenchOptions {
  quick: boolean;
  /** Workloads whose name contains one of these (all when empty). */
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
  /**
   * Warm-up: runs of the measured input itself, untimed, at most `maxWarmRuns` (0: none),
   * repeated while they have taken less than `warmUpMs` in all; then a small run kept open.
   */
  warmUpMs: number;
  maxWarmRuns: number;
}

/**
 * The defaults of `npm run bench` (full: 2e6 rows, batches of 1e3/1e4/1e5, 1–5 warm-up
 * runs within 3 s, 3–5 repetitions within 20 s, 60 s per run) and of `--quick` (2e5 rows,
 * batches of 1e5, one warm-up run, 1–3 repetitions within 0.4 s, 10 s per run).
 */
export function defaultOptions(quick: boolean): BenchOptions {
  return {
    quick,
    only: [],
    batches: quick ? [1e5] : [1e3, 1e4, 1e5],
    rows: quick ? 2e5 : 2e6,
    reps: quick ? 1 : 3,
    maxReps: quick ? 3 : 5,
    impls: [...IMPL_NAMES],
    seed: 20240901,
    repeatBudgetMs: quick ? 400 : 20_000,
    deadlineMs: quick ? 10_000 : 60_000,
    warmUpMs: quick ? 0 : 3_000,
    maxWarmRuns: quick ? 1 : 5,
  };
}

/** What differs between Node and the browser. */
export interface BenchEnv {
  /** Where the benchmark runs, for the header line: "Node v20.19.0", "Chromium 140 (dedicated Worker)". */
  label: string;
  /** Implementations beyond the workload's own (Node: DuckDB), by workload. */
  extraImpls?: (w: Workload) => Partial<Record<ImplName, Impl>>;
  /**
   * Minor page faults of the process so far (Node: `process.resourceUsage()`); none in the
   * browser. A batch writing to memory the process has not touched before pays one per
   * 4 kB page, which on a VM can outweigh the batch's own work.
   */
  pageFaults?: () => number;
  /** A forced full GC, run before and after each implementation's warm-up; none when the runtime does not expose one. */
  gc?: () => void;
  /** Heap in use, bytes (Node: heapUsed + arrayBuffers; Chromium: performance.memory); NaN samples without it. */
  heapBytes?: () => number;
  /** One line of the report. */
  log(line: string): void;
  /** What is running now (`null`: done), for a transient status line. */
  progress?(text: string | null): void;
}

// ---------------------------------------------------------------------------------------
// Measurement

/** "skipped": the workload has no such implementation (DuckDB in the browser). */
export type ImplStatus = "ok" | "unsupported" | "failed" | "timeout" | "skipped";

/** One implementation at one batch size. */
export interface BatchResult {
  status: ImplStatus;
  error?: string;
  /** Rows ÷ Σ per-batch median durations (README: "rows/s@B"). */
  rowsPerSec: number | null;
  /**
   * Rows/s of the first warm-up run at this batch size, right after a forced GC: the code
   * this workload runs compiled as it goes (the earlier workloads and batch sizes of the
   * process may have compiled some of it already).
   */
  coldRowsPerSec: number | null;
  runsRowsPerSec: number[];
  p50Ms: number | null;
  p99Ms: number | null;
  /** Minor page faults per timed batch, the mean over every run (null without a probe). */
  pageFaultsPerBatch: number | null;
  checksum: string | null;
  samples: Sample[];
}

function statusOf(e: unknown): ImplStatus {
  return e instanceof Unsupported ? "unsupported" : e instanceof TimedOut ? "timeout" : "failed";
}

async function measure(w: Workload, impl: Impl, batchSize: number, o: BenchOptions, env: BenchEnv): Promise<BatchResult> {
  const input = w.makeInput(o.rows, o.seed);
  const bounds = batchBounds(input.events.n, batchSize);
  const fail = (status: ImplStatus, e: unknown): BatchResult => ({
    status,
    error: errorMessage(e),
    rowsPerSec: null,
    coldRowsPerSec: null,
    runsRowsPerSec: [],
    p50Ms: null,
    p99Ms: null,
    pageFaultsPerBatch: null,
    checksum: null,
    samples: [],
  });
  // A forced GC, the warm-up (JIT, lazy initialisation) on the measured input itself, a
  // forced GC again (the warm-up's garbage: a 1e6-row join table five times over), and no
  // forced GC between the measured runs.
  // - A function called once a batch (the engine's operators, its state table's probes) is
  //   tiered up by V8 only after tens of batches: one small warm-up run left the engine
  //   compiling through the measured runs (sliding window: 28M rows/s in the first measured
  //   run, 50M from the fifth on; the ceiling's few small functions were settled after one).
  // - No forced GC between the measured runs. `gc()` is an atomic full GC,
  //   and it frees the shapes (maps) of objects that are not alive at that moment (a batch's
  //   columns and indexes, between batches), which V8's own incremental GCs keep: every
  //   optimized function that embeds one is thrown away (`--trace-deopt`: "marking dependent
  //   code … reason: weak objects" for the pane grouping, the key index, the typed columns
  //   at each forced GC), so each measured run compiled them again and the engine never ran
  //   at its steady speed (sliding window: 19–25M rows/s run after run, against 50M without
  //   the forced GCs). A run's garbage is then collected while later runs go, as it would
  //   be in a long-running process; the first measured run recompiles what the GC after
  //   the warm-up threw away, and per-batch medians over 3–5 runs set that aside.
  // Every implementation gets the same; the first run's rate is reported, as `coldRowsPerSec`.
  let coldRowsPerSec: number | null = null;
  env.gc?.();
  try {
    const warmStart = performance.now();
    for (let r = 0; r < o.maxWarmRuns && (r === 0 || performance.now() - warmStart < o.warmUpMs); r++) {
      const out = await runOnce(guarded(impl), { input, bounds }, { deadlineMs: o.deadlineMs });
      coldRowsPerSec ??= (out.rows / out.totalMs) * 1000;
    }
  } catch (e) {
    return fail(statusOf(e), e);
  }
  // Then a small run (a quarter of the rows, at most 1e5, in five batches; a smaller static
  // table) that stays open until the measured runs are done: the shapes of what a query
  // keeps (its plan, its state) stay alive between runs, and so does the code that embeds
  // them, without a full run's state (a 1e6-row join table) in the heap that every measured
  // run's GC walks.
  const warm = w.makeInput(Math.max(1, Math.min(o.rows / 4, 1e5)), o.seed + 1, { tableRows: 10_000 });
  env.gc?.();
  let warmRun: RunOutcome;
  try {
    warmRun = await runOnce(guarded(impl), { input: warm, bounds: batchBounds(warm.events.n, Math.min(batchSize, Math.ceil(warm.events.n / 5))) }, { deadlineMs: o.deadlineMs, keepOpen: true });
  } catch (e) {
    return fail(statusOf(e), e);
  }
  const runs: RunOutcome[] = [];
  try {
    let spentMs = 0;
    for (let r = 0; r < o.maxReps; r++) {
      const out = await runOnce(guarded(impl), { input, bounds }, { ...(env.heapBytes ? { heapBytes: env.heapBytes } : {}), ...(env.pageFaults ? { pageFaults: env.pageFaults } : {}), deadlineMs: o.deadlineMs });
      runs.push(out);
      spentMs += out.totalMs;
      const first = (runs[0] as RunOutcome).checksum;
      if (out.checksum !== first) throw new Error(`non-deterministic: checksum ${out.checksum} vs ${first}`);
      if (out.totalMs > o.repeatBudgetMs) break; // too slow to repeat
      if (r + 1 >= o.reps && spentMs > o.repeatBudgetMs) break;
    }
  } catch (e) {
    return fail(statusOf(e), e);
  } finally {
    await warmRun.close();
  }
  // rows/s = rows ÷ Σ over batches of the batch's MEDIAN latency across repetitions: a
  // batch stalled in one repetition (the process descheduled on a busy machine, a GC
  // pause) does not decide the figure, while a batch that is slow every time does.
  const rates = runs.map((r) => (r.rows / r.totalMs) * 1000);
  const perBatchMs = (runs[0] as RunOutcome).latenciesMs.map((_, i) => median(runs.map((r) => r.latenciesMs[i] as number)));
  const totalMs = perBatchMs.reduce((a, b) => a + b, 0);
  const pooled = runs.flatMap((r) => r.latenciesMs);
  const faults = runs.flatMap((r) => r.pageFaults);
  const medRun = runs[rates.indexOf(median(rates))] ?? (runs[0] as RunOutcome);
  return {
    status: "ok",
    rowsPerSec: ((runs[0] as RunOutcome).rows / totalMs) * 1000,
    coldRowsPerSec,
    runsRowsPerSec: rates,
    p50Ms: quantile(pooled, 0.5),
    p99Ms: quantile(pooled, 0.99),
    pageFaultsPerBatch: faults.length === 0 ? null : faults.reduce((a, b) => a + b, 0) / faults.length,
    checksum: medRun.checksum,
    samples: medRun.samples,
  };
}

// ---------------------------------------------------------------------------------------
// Report

/** A rate as printed: 1.23M, 456k, or — for none. */
export const fmtRate = (r: number | null): string => (r === null ? "—" : r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : `${(r / 1e3).toFixed(0)}k`);
const fmtRatio = (r: number | null, c: number | null): string => (r === null || c === null ? "—" : (r / c).toFixed(2));
const fmtMs = (x: number | null): string => (x === null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pad = (s: string, n: number): string => s.padStart(n);
const mb = (b: number): string => (Number.isNaN(b) ? "?" : `${(b / 1048576).toFixed(0)}`);

/** A batch size as printed and as the key of `byBatch`: 1e5, or the plain number. */
export const fmtBatch = (b: number): string => (Number.isInteger(Math.log10(b)) ? `1e${Math.log10(b)}` : String(b));

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

/** One workload's results, every batch size and implementation. */
export interface WorkloadReport {
  name: string;
  title: string;
  target: number;
  /** By `fmtBatch(batchSize)`, then implementation. */
  byBatch: Record<string, Partial<Record<ImplName, BatchResult>>>;
  /** False when implementations that ran disagree on a checksum at some batch size. */
  checksumsMatch: boolean;
  mismatches: string[];
}

function printWorkload(rep: WorkloadReport, o: BenchOptions, log: (line: string) => void): void {
  const batches = o.batches;
  const big = fmtBatch(Math.max(...batches));
  log(`\n== ${rep.name}: ${rep.title}   (${o.rows.toLocaleString("en-US")} rows; target: engine ≥ ${rep.target}× ceiling)`);
  let head = "impl      ";
  for (const b of batches) head += `${pad(`rows/s@${fmtBatch(b)}`, 13)}${pad("×ceil", 7)}`;
  head += `${pad(`p50 ms@${big}`, 12)}${pad(`p99 ms@${big}`, 12)}   state rows first→peak→pre-flush→end, heap (@${big})`;
  log(head);
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
    if (last?.status === "ok") {
      line += `${pad(fmtMs(last.p50Ms), 12)}${pad(fmtMs(last.p99Ms), 12)}   ${stateSummary(last.samples)}`;
      if (last.pageFaultsPerBatch !== null) line += `  faults ${Math.round(last.pageFaultsPerBatch)}/batch`;
      if (last.coldRowsPerSec !== null) line += `  cold ${fmtRate(last.coldRowsPerSec)}`;
    }
    log(line);
  }
  for (const n of notes) log(`  ${n}`);
  if (rep.checksumsMatch) {
    const sums = batches.map((b) => {
      const ok = Object.values(rep.byBatch[fmtBatch(b)] ?? {}).filter((r) => r.status === "ok");
      return `@${fmtBatch(b)} ${ok.length} agree (${ok[0]?.checksum ?? "—"})`;
    });
    log(`  checksums: ${sums.join("; ")}`);
  } else for (const m of rep.mismatches) log(`  CHECKSUM MISMATCH ${m}`);
}

async function runWorkload(w: Workload, o: BenchOptions, env: BenchEnv): Promise<WorkloadReport> {
  const impls: Partial<Record<ImplName, Impl>> = { ...w.impls, ...env.extraImpls?.(w) };
  const rep: WorkloadReport = { name: w.name, title: w.title, target: w.target, byBatch: {}, checksumsMatch: true, mismatches: [] };
  for (const b of o.batches) {
    const row: Partial<Record<ImplName, BatchResult>> = {};
    rep.byBatch[fmtBatch(b)] = row;
    for (const name of o.impls) {
      const impl = impls[name];
      if (impl === undefined) {
        row[name] = { status: "skipped", error: "no implementation", rowsPerSec: null, coldRowsPerSec: null, runsRowsPerSec: [], p50Ms: null, p99Ms: null, pageFaultsPerBatch: null, checksum: null, samples: [] };
        continue;
      }
      env.progress?.(`  ${w.name} @${fmtBatch(b)} ${name}…`);
      row[name] = await measure(w, impl, b, o, env);
      env.progress?.(null);
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

/** State samples per section ("with watermark", "no watermark") and implementation. */
export type StateOverTime = Record<string, Record<string, Sample[]>>;

/** State and heap over time for the tumbling 1e5-key query, with and without a watermark. */
async function stateDemo(o: BenchOptions, env: BenchEnv): Promise<StateOverTime> {
  const log = env.log;
  const out: StateOverTime = {};
  const batchSize = o.quick ? 1e4 : 1e5;
  const rows = o.quick ? 1e5 : o.rows;
  // An event rate that makes the run span ten 1-minute windows, so eviction shows.
  const scale = { rowsPerSecond: rows / 600 };
  log(
    `\n== state over time: ${STATE_DEMO.withWatermark.title}, with vs without watermark (${rows.toLocaleString("en-US")} rows over 10 minutes of event time, batches of ${fmtBatch(batchSize)})`,
  );
  log("   state rows (heap MB) after each sampled batch; without a watermark nothing is ever evicted");
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
        env.gc?.();
        const r = await runOnce(guarded(impl), { input, bounds: batchBounds(input.events.n, batchSize) }, { ...(env.heapBytes ? { heapBytes: env.heapBytes } : {}), samples: 8 });
        const s = r.samples.slice(0, -1); // drop the post-flush sample
        (out[label] as Record<string, Sample[]>)[name] = s;
        log(`  ${label.padEnd(15)} ${name.padEnd(10)} ${s.map((x) => `${x.stateRows}(${mb(x.heapBytes)})`).join(" ")}`);
      } catch (e) {
        log(`  ${label.padEnd(15)} ${name.padEnd(10)} ${e instanceof Unsupported ? "unsupported" : "failed"}: ${errorMessage(e)}`);
      }
    }
  }
  return out;
}

function summary(reports: WorkloadReport[], o: BenchOptions, log: (line: string) => void): void {
  const big = fmtBatch(Math.max(...o.batches));
  log(`\n== summary @${big} (engine rows/s ÷ ceiling; target; engine ahead of every peer that ran?)`);
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
    log(`  ${rep.name.padEnd(16)} ${verdict}${rep.checksumsMatch ? "" : "  [CHECKSUM MISMATCH]"}`);
  }
}

/** Everything a benchmark run produced. */
export interface BenchResult {
  reports: WorkloadReport[];
  /** Empty when `--only` left the tumbling 1e5 workload out. */
  stateOverTime: StateOverTime;
}

/**
 * Runs the suite: the header line, then each selected workload (measured, then printed),
 * the summary, and the state-over-time section, all through `env.log`. Never rejects for
 * an implementation's failure (reported as unsupported / failed / timeout); checksum
 * disagreements are in `reports[i].checksumsMatch`.
 */
export async function runBench(o: BenchOptions, env: BenchEnv): Promise<BenchResult> {
  const workloads = WORKLOADS.filter((w) => o.only.length === 0 || o.only.some((s) => w.name.includes(s)));
  env.log(
    `Streaming Playground benchmark — ${env.label}, ${o.quick ? "quick" : "full"}: ${o.rows.toLocaleString("en-US")} rows per workload, ` +
      `batches ${o.batches.map(fmtBatch).join("/")}, ${o.reps} repetition(s) (median), seed ${o.seed}${env.gc ? "" : " (no forced gc)"}`,
  );
  const reports: WorkloadReport[] = [];
  for (const w of workloads) {
    const rep = await runWorkload(w, o, env);
    reports.push(rep);
    printWorkload(rep, o, env.log);
  }
  summary(reports, o, env.log);
  const stateOverTime = o.only.length === 0 || o.only.some((s) => STATE_DEMO.withWatermark.name.includes(s)) ? await stateDemo(o, env) : {};
  return { reports, stateOverTime };
}

// ---------------------------------------------------------------------------------------
// JSON

/** One implementation at one batch size, as written to JSON. */
export interface BatchResultJson {
  status: ImplStatus;
  error?: string;
  rowsPerSec: number | null;
  /** See BatchResult.coldRowsPerSec. */
  coldRowsPerSec: number | null;
  runs: number[];
  p50Ms: number | null;
  p99Ms: number | null;
  pageFaultsPerBatch: number | null;
  checksum: string | null;
  samples: Sample[];
}

/** One workload, as written to JSON (README "JSON"). */
export interface WorkloadJson {
  name: string;
  title: string;
  /** At the largest batch size, rounded; null when the implementation did not run. */
  rowsPerSec: Partial<Record<ImplName, number | null>>;
  checksumsMatch: boolean;
  ratioToCeiling: Partial<Record<ImplName, number | null>>;
  target: number;
  /** Implementations that did not run: `status: message`. */
  unsupported: Partial<Record<ImplName, string>>;
  byBatch: Record<string, Partial<Record<ImplName, BatchResultJson>>>;
}

/**
 * The JSON document (`--json FILE`), without the environment field the caller puts first
 * (`node: process.version`; the browser's `browser: navigator.userAgent`).
 */
export interface BenchDocument {
  mode: "quick" | "full";
  rows: number;
  batchSizes: number[];
  repetitions: number;
  seed: number;
  batchSizeOfRowsPerSec: number;
  workloads: WorkloadJson[];
  stateOverTime: StateOverTime;
}

/** The JSON document of a run (README "JSON"). */
export function benchDocument(result: BenchResult, o: BenchOptions): BenchDocument {
  const big = fmtBatch(Math.max(...o.batches));
  return {
    mode: o.quick ? "quick" : "full",
    rows: o.rows,
    batchSizes: o.batches,
    repetitions: o.reps,
    seed: o.seed,
    batchSizeOfRowsPerSec: Math.max(...o.batches),
    workloads: result.reports.map((r) => {
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
                { status: x.status, error: x.error, rowsPerSec: x.rowsPerSec, coldRowsPerSec: x.coldRowsPerSec, runs: x.runsRowsPerSec, p50Ms: x.p50Ms, p99Ms: x.p99Ms, pageFaultsPerBatch: x.pageFaultsPerBatch, checksum: x.checksum, samples: x.samples },
              ]),
            ),
          ]),
        ),
      };
    }),
    stateOverTime: result.stateOverTime,
  };
}
