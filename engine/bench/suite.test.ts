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
    expect(lines[0]).toMatch(/^Streaming Playground benchmark — test, quick: 3,000 rows per workload, batches 1e3, .*\(no gc between runs\)$/);
    const doc = benchDocument(result, o);
    expect(Object.keys(doc)).toEqual(["mode", "rows", "batchSizes", "repetitions", "seed", "batchSizeOfRowsPerSec", "workloads", "stateOverTime"]);
    expect(Object.keys(doc.workloads[0]?.rowsPerSec ?? {})).toEqual(["engine", "ceiling", "idiomatic", "rxjs", "arquero", "duckdb"]);
    expect(doc.workloads[0]?.rowsPerSec.ceiling).toBeGreaterThan(0);
    expect(doc.workloads[0]?.rowsPerSec.duckdb).toBeNull();
  });

  it("keeps the warm-up run open until the measured runs are done, a GC before each of those", async () => {
    const events: string[] = [];
    let runs = 0;
    const impl: Impl = () => {
      const id = runs++ === 0 ? "warm-up" : `run ${runs - 1}`;
      events.push(`open ${id}`);
      return { batch() {}, drain() {}, stateRows: () => 0, close: () => void events.push(`close ${id}`) };
    };
    const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 2, maxReps: 2, repeatBudgetMs: 60_000, only: ["1-stateless"], impls: ["duckdb"] };
    await runBench(o, { label: "test", log: () => {}, gc: () => void events.push("gc"), extraImpls: () => ({ duckdb: impl }) });
    expect(events).toEqual(["open warm-up", "gc", "open run 1", "close run 1", "gc", "open run 2", "close run 2", "close warm-up"]);
  });

  it("reports the page faults of the timed batches only, per batch, over every run", async () => {
    // A fake probe: each batch "faults" 10 times, each drain 1000 times (untimed, so not counted).
    let faults = 0;
    const impl: Impl = () => ({ batch: () => void (faults += 10), drain: () => void (faults += 1000), stateRows: () => 0 });
    const o: BenchOptions = { ...defaultOptions(true), rows: 2_000, batches: [1_000], reps: 2, maxReps: 2, repeatBudgetMs: 60_000, only: ["1-stateless"], impls: ["duckdb"] };
    const lines: string[] = [];
    const result = await runBench(o, { label: "test", log: (l) => lines.push(l), pageFaults: () => faults, extraImpls: () => ({ duckdb: impl }) });
    expect(result.reports[0]?.byBatch["1e3"]?.duckdb?.pageFaultsPerBatch).toBe(10);
    expect(lines.find((l) => l.startsWith("duckdb"))).toMatch(/faults 10\/batch$/);
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
