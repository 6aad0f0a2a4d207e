/**
 * Runs one implementation of one workload over one input, timing each micro-batch.
 * Browser-safe: the heap probe is injected (Node: process.memoryUsage; Chromium:
 * performance.memory), so the Chromium variant can reuse this file in a Worker.
 */
import { Checksum } from "./checksum";
import { Unsupported, type Impl, type RunContext } from "./types";

/** One sample of the state/heap series, taken after a batch (untimed). */
export interface Sample {
  /** Data rows processed so far. */
  rows: number;
  /** Rows of operator state (Runner.stateRows). */
  stateRows: number;
  /** Heap used, bytes (NaN when no probe). */
  heapBytes: number;
}

/** The outcome of one run. */
export interface RunOutcome {
  /** Sum of the timed batch durations, ms. */
  totalMs: number;
  /** Rows processed (data rows plus the flush row). */
  rows: number;
  /** Each batch's duration, ms, in order. */
  latenciesMs: number[];
  /** Each batch's minor page faults, in order (empty without a probe). */
  pageFaults: number[];
  checksum: string;
  samples: Sample[];
  /** Closes the runner of a `keepOpen` run (a no-op otherwise). */
  close: () => Promise<void>;
}

export interface RunOptions {
  /** Heap probe; default none. */
  heapBytes?: () => number;
  /** Minor page faults of the process so far; default none. */
  pageFaults?: () => number;
  /** How many state/heap samples to take over the run (default 16). */
  samples?: number;
  /** Stop (reject with TimedOut) once the run has taken this long, wall clock; default none. */
  deadlineMs?: number;
  /** Leave the runner open: the outcome's `close` closes it (the warm-up run, below). */
  keepOpen?: boolean;
}

/** A run stopped at its deadline: no figure is reported for it, only this message. */
export class TimedOut extends Error {
  override readonly name = "TimedOut";
}

/**
 * Creates the runner (untimed setup), then for each batch: stage (untimed), batch (timed
 * with performance.now()), drain into the checksum (untimed), sample state/heap.
 * Rejects with the setup error (the caller reports it as "unsupported") or a batch error.
 */
export async function runOnce(impl: Impl, ctx: RunContext, opts: RunOptions = {}): Promise<RunOutcome> {
  const runner = await impl(ctx);
  const cs = new Checksum();
  const latenciesMs: number[] = [];
  const pageFaults: number[] = [];
  const samples: Sample[] = [];
  const nb = ctx.bounds.length - 1;
  const every = Math.max(1, Math.floor(nb / (opts.samples ?? 16)));
  let totalMs = 0;
  const wallStart = performance.now();
  const close = async (): Promise<void> => {
    const c = runner.close?.();
    if (c !== undefined) await c;
  };
  let ok = false;
  try {
    for (let b = 0; b < nb; b++) {
      if (opts.deadlineMs !== undefined && performance.now() - wallStart > opts.deadlineMs) {
        const done = ctx.bounds[b] as number;
        throw new TimedOut(
          `stopped after ${b} of ${nb} batches (${(opts.deadlineMs / 1000).toFixed(0)} s limit); ${Math.round((done / totalMs) * 1000).toLocaleString("en-US")} rows/s until then`,
        );
      }
      const start = ctx.bounds[b] as number;
      const end = ctx.bounds[b + 1] as number;
      runner.stage?.(start, end);
      const f0 = opts.pageFaults?.() ?? 0;
      const t0 = performance.now();
      const p = runner.batch(start, end);
      if (p !== undefined) await p;
      const dt = performance.now() - t0;
      if (opts.pageFaults !== undefined) pageFaults.push(opts.pageFaults() - f0);
      totalMs += dt;
      latenciesMs.push(dt);
      const d = runner.drain(cs);
      if (d !== undefined) await d;
      if (b % every === every - 1 || b === nb - 1) {
        samples.push({ rows: end, stateRows: runner.stateRows(), heapBytes: opts.heapBytes?.() ?? NaN });
      }
    }
    ok = true;
  } finally {
    if (!ok || opts.keepOpen !== true) await close();
  }
  return { totalMs, rows: ctx.input.events.n, latenciesMs, pageFaults, checksum: cs.value(), samples, close: opts.keepOpen === true ? close : () => Promise.resolve() };
}

/** The q-quantile (0..1) of `xs` (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** An error's message, one line. */
export function errorMessage(e: unknown): string {
  const m = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
  return m.split("\n")[0] as string;
}

/**
 * Wraps an implementation so that a failure to set it up (the engine cannot plan or
 * start the query: a feature it lacks) rejects with `Unsupported` carrying the message.
 */
export function guarded(impl: Impl): Impl {
  return async (ctx) => {
    try {
      return await impl(ctx);
    } catch (e) {
      throw new Unsupported(errorMessage(e));
    }
  };
}
