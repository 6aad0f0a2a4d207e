/**
 * The benchmark in a dedicated Web Worker: the same suite as `npm run bench` (suite.ts),
 * the same workloads, seeded data and checksums, minus DuckDB (its package is Node-only:
 * native bindings). Heap samples come from `performance.memory` where Chromium exposes
 * it (on Window only, so far: in this Worker the samples are NaN, printed "?"). The forced
 * GCs before and after each warm-up are `gc()`, present when Chromium was started with
 * `--js-flags=--expose-gc` (the Playwright spec does so).
 */
import { benchDocument, defaultOptions, runBench, type BenchEnv, type BenchOptions } from "../suite";
import type { FromWorker, ToWorker } from "./protocol";

/** Implementations that cannot run in a browser, and why. */
const NODE_ONLY: Record<string, string> = { duckdb: "Node only (@duckdb/node-api is a native addon); not run in the browser" };

function post(m: FromWorker): void {
  self.postMessage(m);
}

interface ChromiumPerformance {
  memory?: { usedJSHeapSize: number };
}

function heapProbe(): (() => number) | undefined {
  const perf = performance as Performance & ChromiumPerformance;
  return perf.memory === undefined ? undefined : () => (perf.memory as { usedJSHeapSize: number }).usedJSHeapSize;
}

/** "Chromium 140.0.7339.80 (dedicated Worker)" from the user agent. */
function label(): string {
  const m = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(navigator.userAgent);
  return `Chromium ${m?.[1] ?? "?"} (dedicated Worker)`;
}

self.addEventListener("message", (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type !== "run") return;
  void (async () => {
    try {
      const { quick, ...overrides } = msg.request;
      const o: BenchOptions = { ...defaultOptions(quick), ...overrides };
      // As the CLI's --reps: at least that many, and at most that many if above the default maximum.
      if (overrides.reps !== undefined && overrides.maxReps === undefined) o.maxReps = Math.max(o.maxReps, o.reps);
      o.impls = o.impls.filter((i) => NODE_ONLY[i] === undefined);
      const gc = (globalThis as { gc?: () => void }).gc;
      const heapBytes = heapProbe();
      let header = true;
      const env: BenchEnv = {
        label: label(),
        ...(gc ? { gc } : {}),
        ...(heapBytes ? { heapBytes } : {}),
        log: (line) => {
          post({ type: "log", line });
          // Right under the header line: what does not run here.
          if (header) for (const [i, why] of Object.entries(NODE_ONLY)) post({ type: "log", line: `${i}: ${why}` });
          header = false;
        },
        progress: (text) => post({ type: "progress", text }),
      };
      const result = await runBench(o, env);
      post({
        type: "done",
        document: {
          browser: navigator.userAgent,
          context: "dedicated Worker",
          crossOriginIsolated: self.crossOriginIsolated,
          gc: gc !== undefined,
          heapProbe: heapBytes ? "performance.memory.usedJSHeapSize" : null,
          notRun: NODE_ONLY,
          ...benchDocument(result, o),
        },
      });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ type: "error", error: { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } });
    }
  })();
});
