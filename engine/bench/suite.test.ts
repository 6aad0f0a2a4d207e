/**
 * The shared suite (suite.ts) as both shells use it: a tiny run through `runBench` gives
 * agreeing checksums and the CLI's JSON shape; and nothing the browser bundle imports
 * from engine/bench reaches a Node-only module (node:*, DuckDB, run.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { benchDocument, defaultOptions, runBench, type BenchOptions } from "./suite";
import type { Impl } from "./types";

describe("suite", () => {
  it("runs a tiny benchmark and documents it as the CLI does", async () => {
    const o: BenchOptions = { ...defaultOptions(true), rows: 3_000, batches: [1_000], only: ["1-stateless", "2-tumbling-1e3"], impls: ["engine", "ceiling", "idiomatic", "duckdb"] };
    const lines: string[] = [];
    const result = await runBench(o, { label: "test", log: (l) => lines.push(l) });
    expect(result.reports.map((r) => r.name)).toEqual(["1-stateless", "2-tumbling-1e3"]);
    for (const r of result.reports) {
      expect(r.checksumsMatch).toBe(true);
      // No extraImpls: DuckDB is "skipped", as in the browser.
      expect(r.byBatch["1e3"]?.duckdb?.status).toBe("skipped");
    }
    expect(lines[0]).toMatch(/^Streaming Playground benchmark — test, quick: 3,000 rows per workload, batches 1e3, .*\(no forced gc\)$/);
    const doc = benchDocument(result, o);
    expect(Object.keys(doc)).toEqual(["mode", "rows", "batchSizes", "repetitions", "seed", "batchSizeOfRowsPerSec", "workloads", "stateOverTime"]);
    expect(Object.keys(doc.workloads[0]?.rowsPerSec ?? {})).toEqual(["engine", "ceiling", "idiomatic", "rxjs", "arquero", "duckdb"]);
    expect(doc.workloads[0]?.rowsPerSec.ceiling).toBeGreaterThan(0);
    expect(doc.workloads[0]?.rowsPerSec.duckdb).toBeNull();
  });

  it("warms up on the measured input between two forced GCs, then keeps a small run open until the measured runs are done, and reports the first run as cold", async () => {
    const events: string[] = [];
    const inputs: unknown[] = [];
    let runs = 0;
    const impl: Impl = (ctx) => {
      inputs.push(ctx.input);
      const n = ++runs;
      const id = n <= 3 ? `warm ${n}` : n === 4 ? "small" : `run ${n - 4}`;
      events.push(`open ${id}`);
      // The first (cold) run's batches take 20 ms, the others 1 ms: the cold figure is the first run's.
      const spin = (ms: number): void => {
        const t = performance.now();
        while (performance.now() - t < ms);
      };
      return { batch: () => spin(n === 1 ? 20 : 1), drain() {}, stateRows: () => 0, close: () => void events.push(`close ${id}`) };
    };
    const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 2, maxReps: 2, repeatBudgetMs: 60_000, warmUpMs: 60_000, maxWarmRuns: 3, only: ["1-stateless"], impls: ["duckdb"] };
    const result = await runBench(o, { label: "test", log: () => {}, gc: () => void events.push("gc"), extraImpls: () => ({ duckdb: impl }) });
    // A forced GC before the warm-up and one after it, none between the measured runs: V8's
    // forced (atomic) GC drops the shapes of objects no longer alive, and with them the
    // optimized code that embeds them.
    expect(events).toEqual(["gc", "open warm 1", "close warm 1", "open warm 2", "close warm 2", "open warm 3", "close warm 3", "gc", "open small", "open run 1", "close run 1", "open run 2", "close run 2", "close small"]);
    // The warm-up runs and the measured runs read the measured input; the small run its own.
    expect(new Set([inputs[0], inputs[1], inputs[2], inputs[4], inputs[5]]).size).toBe(1);
    expect(inputs[3]).not.toBe(inputs[0]);
    const r = result.reports[0]?.byBatch["1e3"]?.duckdb;
    // 2,001 rows (the flush row too) in three batches: about 20 ms each when cold, 1 ms after.
    expect(r?.coldRowsPerSec).toBeLessThan(2_001 / 0.05);
    expect(r?.rowsPerSec).toBeGreaterThan(2_001 / 0.02);
  });

  it("stops warming up once the warm-up budget is spent (one run at least)", async () => {
    let runs = 0;
    const impl: Impl = () => {
      runs++;
      return { batch() {}, drain() {}, stateRows: () => 0 };
    };
    const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 1, maxReps: 1, warmUpMs: 0, maxWarmRuns: 5, only: ["1-stateless"], impls: ["duckdb"] };
    await runBench(o, { label: "test", log: () => {}, extraImpls: () => ({ duckdb: impl }) });
    // One warm-up run, the small run kept open, one measured run.
    expect(runs).toBe(3);
  });

  it("--quick warms up with one run of the measured input, then the small run, then measures", async () => {
    const sizes: number[] = [];
    const impl: Impl = (ctx) => {
      sizes.push(ctx.input.events.n);
      return { batch() {}, drain() {}, stateRows: () => 0 };
    };
    const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 1, maxReps: 1, only: ["1-stateless"], impls: ["duckdb"] };
    await runBench(o, { label: "test", log: () => {}, extraImpls: () => ({ duckdb: impl }) });
    // 2,001 rows (the flush row too) for the warm-up and the measured run, a quarter for the small run.
    expect(sizes).toEqual([2_001, 501, 2_001]);
  });

  it("closes every runner it opened when a warm-up, the small run or a measured run fails, and reports the failure", async () => {
    for (const failing of [1, 2, 3, 4]) {
      let opened = 0;
      let closed = 0;
      const impl: Impl = () => {
        const n = ++opened;
        return {
          batch() {
            if (n === failing) throw new Error(`run ${n} broke`);
          },
          drain() {},
          stateRows: () => 0,
          close: () => void closed++,
        };
      };
      // Runs: 1 and 2 warm-up, 3 the small run kept open, 4 the measured run.
      const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 1, maxReps: 1, warmUpMs: 60_000, maxWarmRuns: 2, only: ["1-stateless"], impls: ["duckdb"] };
      const result = await runBench(o, { label: "test", log: () => {}, extraImpls: () => ({ duckdb: impl }) });
      const r = result.reports[0]?.byBatch["1e3"]?.duckdb;
      expect(r?.status).toBe("failed");
      expect(r?.error).toContain(`run ${failing} broke`);
      expect(closed).toBe(opened);
    }
  });

  it("reports the page faults of the timed batches only, per batch, over every run", async () => {
    // A fake probe: each batch "faults" 10 times, each drain 1000 times (untimed, so not counted).
    let faults = 0;
    const impl: Impl = () => ({ batch: () => void (faults += 10), drain: () => void (faults += 1000), stateRows: () => 0 });
    const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 2, maxReps: 2, repeatBudgetMs: 60_000, only: ["1-stateless"], impls: ["duckdb"] };
    const lines: string[] = [];
    const result = await runBench(o, { label: "test", log: (l) => lines.push(l), pageFaults: () => faults, extraImpls: () => ({ duckdb: impl }) });
    expect(result.reports[0]?.byBatch["1e3"]?.duckdb?.pageFaultsPerBatch).toBe(10);
    expect(lines.find((l) => l.startsWith("duckdb"))).toMatch(/faults 10\/batch  cold [0-9.]+[Mk]$/);
    const without = await runBench(o, { label: "test", log: () => {}, extraImpls: () => ({ duckdb: impl }) });
    expect(without.reports[0]?.byBatch["1e3"]?.duckdb?.pageFaultsPerBatch).toBeNull();
  });

  it("the browser entry imports nothing Node-only from engine/bench", () => {
    const benchDir = resolve(import.meta.dirname);
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
        const spec = m[1] as string;
        if (/^import\s+type\b/.test(m[0].trim())) continue;
        if (spec.startsWith("node:") || spec.includes("duckdb") || spec.endsWith("/run")) bad.push(`${file}: ${spec}`);
        if (!spec.startsWith(".")) continue;
        const target = resolve(dirname(file), spec.endsWith(".ts") ? spec : `${spec}.ts`);
        // The engine itself (../../index) is browser code: the app's Worker runs it.
        if (target.startsWith(benchDir)) visit(target);
      }
    };
    visit(join(benchDir, "browser/bench.worker.ts"));
    visit(join(benchDir, "browser/main.ts"));
    expect(seen.size).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });
});
