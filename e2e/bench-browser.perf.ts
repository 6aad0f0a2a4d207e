import { expect, test } from "@playwright/test";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import config from "../playwright.config";
import type { BenchPage } from "../engine/bench/browser/main";
import type { BrowserBenchDocument } from "../engine/bench/browser/protocol";
import type { BenchDocument, WorkloadJson } from "../engine/bench/suite";
import type { ImplName } from "../engine/bench/types";

/**
 * Issue 9: the benchmark (engine/bench) in Chromium, in a dedicated Web Worker, against
 * the same quick benchmark in Node, in one test: `npm run bench:browser` (builds
 * dist-bench/ with vite.bench.config.ts, then runs this spec with PLAYWRIGHT_PERF=1).
 * Writes bench-results/browser.json — per workload, Chromium and Node rows/s of every
 * implementation, the browser/Node ratios, engine÷ceiling in each, and whether the
 * checksums of both environments agree — and prints a table. A benchmark, not a test:
 * it fails only when a run did not happen or the checksums disagree.
 *
 * The page is served by our own static server on 127.0.0.1, port 0 (not the config's
 * webServer, which serves the app under `npm run bench:ui`), with COOP/COEP headers: a
 * cross-origin-isolated page gets 5 µs performance.now() in its workers instead of 100 µs.
 * Chromium is started with the config's options plus `--js-flags=--expose-gc` (forced GCs
 * before and after each warm-up, as in Node) and `--enable-precise-memory-info`.
 * `BENCH_ONLY=tumbling,ysb npm run bench:browser` limits both runs to those workloads;
 * BENCH_REPS=1 gives the plain `--quick` (see REPS).
 */

const ROOT = resolve(import.meta.dirname, "..");
const DIST = join(ROOT, "dist-bench");
const OUT = join(ROOT, "bench-results");
const COMPARED: readonly ImplName[] = ["engine", "ceiling", "idiomatic", "rxjs", "arquero"];
/** BENCH_ONLY=tumbling,ysb: only workloads whose name contains one of the words, in both runs (`--only`). */
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : [];
/**
 * Repetitions at least, in both runs (`--reps`; default 3, where `--quick` alone does 1–3):
 * each figure is per-batch medians over the repetitions, and a quick run has only three
 * batches, so on a shared machine one descheduled batch in a single repetition would move
 * a ratio by several times.
 */
const REPS = Number(process.env.BENCH_REPS ?? 3);

const launch = config.use?.launchOptions ?? {};
test.use({ launchOptions: { ...launch, args: [...(launch.args ?? []), "--js-flags=--expose-gc", "--enable-precise-memory-info"] } });

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".map": "application/json", ".wasm": "application/wasm" };

/** Serves `dir` on 127.0.0.1, a free port; cross-origin isolated. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dir, path === "/" ? "index.html" : path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
      "cache-control": "no-store",
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** `npm run bench -- --quick --reps REPS --json FILE` in a child process; resolves with its exit code. */
function nodeQuickBench(jsonFile: string): Promise<number> {
  return new Promise((ok, fail) => {
    const child = spawn(join(ROOT, "node_modules/.bin/tsx"), ["engine/bench/run.ts", "--quick", "--reps", String(REPS), "--json", jsonFile, ...ONLY.flatMap((w) => ["--only", w])], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const echo = (b: Buffer) => process.stdout.write(b.toString().replace(/^(?=.)/gm, "[node] "));
    child.stdout.on("data", echo);
    child.stderr.on("data", echo);
    child.on("error", fail);
    child.on("exit", (code) => ok(code ?? 2));
  });
}

/** The checksums of the implementations that ran, at the figure's batch size. */
function checksumsOf(doc: BenchDocument, w: WorkloadJson): Set<string> {
  const row = w.byBatch[fmtBatch(doc.batchSizeOfRowsPerSec)] ?? {};
  return new Set(Object.values(row).flatMap((r) => (r.status === "ok" && r.checksum !== null ? [r.checksum] : [])));
}

/** As suite.ts's fmtBatch (the keys of byBatch); not imported, so this process does not load the engine. */
function fmtBatch(b: number): string {
  return Number.isInteger(Math.log10(b)) ? `1e${Math.log10(b)}` : String(b);
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (a != null && b != null && b > 0 ? a / b : null);
const rate = (r: number | null | undefined): string => (r == null ? "—" : r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : `${(r / 1e3).toFixed(0)}k`);
const x = (r: number | null): string => (r === null ? "—" : r.toFixed(2));

test("the quick benchmark in a Chromium Worker, against Node", async ({ page }) => {
  test.skip(!existsSync(join(DIST, "index.html")), "dist-bench/ is not built: run `npm run bench:browser`");
  test.setTimeout(360_000);
  mkdirSync(OUT, { recursive: true });

  // Node first, alone (not beside Chromium): `npm run bench -- --quick --reps REPS`.
  const nodeJson = join(OUT, "browser-node-quick.json");
  const code = await nodeQuickBench(nodeJson);
  expect(code, "the Node benchmark crashed (exit 2) or its implementations disagree (exit 1)").toBe(0);
  const node = JSON.parse(readFileSync(nodeJson, "utf8")) as BenchDocument & { node: string };

  // Then Chromium: the same suite, in a dedicated Worker.
  const { server, url } = await serve(DIST);
  let chromium: BrowserBenchDocument;
  try {
    page.on("console", (m) => console.log(m.text().replace(/^/gm, "[chromium] ")));
    page.on("pageerror", (e) => console.log(`[chromium] page error: ${e.message}`));
    await page.goto(`${url}/`);
    await page.waitForFunction(() => document.body.dataset.ready === "true");
    chromium = await page.evaluate((request) => (window as unknown as { benchmark: BenchPage }).benchmark.run(request), { quick: true, only: ONLY, reps: REPS });
  } finally {
    server.close();
  }
  writeFileSync(join(OUT, "browser-chromium-quick.json"), JSON.stringify(chromium, null, 2));

  const workloads = chromium.workloads.map((c) => {
    const n = node.workloads.find((w) => w.name === c.name);
    const cs = checksumsOf(chromium, c);
    const ns = n ? checksumsOf(node, n) : new Set<string>();
    const all = new Set([...cs, ...ns]);
    return {
      name: c.name,
      chromiumRowsPerSec: c.rowsPerSec,
      nodeRowsPerSec: n?.rowsPerSec ?? {},
      /** Chromium rows/s ÷ Node rows/s, per implementation that ran in both. */
      browserToNode: Object.fromEntries(COMPARED.map((i) => [i, ratio(c.rowsPerSec[i], n?.rowsPerSec[i])])) as Partial<Record<ImplName, number | null>>,
      engineToCeiling: { chromium: ratio(c.rowsPerSec.engine, c.rowsPerSec.ceiling), node: ratio(n?.rowsPerSec.engine, n?.rowsPerSec.ceiling) },
      checksums: { chromium: [...cs], node: [...ns], match: cs.size > 0 && ns.size > 0 ? all.size === 1 : null },
      notRun: { chromium: c.unsupported, node: n?.unsupported ?? {} },
    };
  });
  const doc = {
    date: new Date().toISOString(),
    browser: chromium.browser,
    context: chromium.context,
    node: node.node,
    mode: chromium.mode,
    rows: chromium.rows,
    batchSize: chromium.batchSizeOfRowsPerSec,
    repetitions: chromium.repetitions,
    seed: chromium.seed,
    chromiumGc: chromium.gc,
    chromiumCrossOriginIsolated: chromium.crossOriginIsolated,
    chromiumHeapProbe: chromium.heapProbe,
    notRunInChromium: chromium.notRun,
    checksumsMatch: workloads.every((w) => w.checksums.match === true),
    workloads,
  };
  writeFileSync(join(OUT, "browser.json"), JSON.stringify(doc, null, 2));

  // The table.
  const lines = [
    `\nChromium (${chromium.browser.match(/Chrome\/[\d.]+/)?.[0] ?? "?"}, dedicated Worker) vs Node ${node.node} — quick: ${chromium.rows.toLocaleString("en-US")} rows, batches of ${fmtBatch(chromium.batchSizeOfRowsPerSec)}, ≥ ${chromium.repetitions} repetitions; C/N = Chromium ÷ Node rows/s`,
    `${"workload".padEnd(16)}${"engine C".padStart(10)}${"engine N".padStart(10)}${"C/N".padStart(6)}${"ceil C".padStart(10)}${"ceil N".padStart(10)}${"C/N".padStart(6)}` +
      `${"idiom C/N".padStart(11)}${"rxjs C/N".padStart(10)}${"arq C/N".padStart(9)}${"eng÷ceil C".padStart(12)}${"N".padStart(6)}   checksums`,
  ];
  for (const w of workloads) {
    lines.push(
      `${w.name.padEnd(16)}${rate(w.chromiumRowsPerSec.engine).padStart(10)}${rate(w.nodeRowsPerSec.engine).padStart(10)}${x(w.browserToNode.engine ?? null).padStart(6)}` +
        `${rate(w.chromiumRowsPerSec.ceiling).padStart(10)}${rate(w.nodeRowsPerSec.ceiling).padStart(10)}${x(w.browserToNode.ceiling ?? null).padStart(6)}` +
        `${x(w.browserToNode.idiomatic ?? null).padStart(11)}${x(w.browserToNode.rxjs ?? null).padStart(10)}${x(w.browserToNode.arquero ?? null).padStart(9)}` +
        `${x(w.engineToCeiling.chromium).padStart(12)}${x(w.engineToCeiling.node).padStart(6)}   ` +
        (w.checksums.match === true ? `agree (${w.checksums.chromium[0]})` : w.checksums.match === false ? `DISAGREE chromium ${w.checksums.chromium.join("/")} node ${w.checksums.node.join("/")}` : "not run"),
    );
  }
  lines.push(`DuckDB: ${chromium.notRun.duckdb ?? "not run in the browser"}. Wrote bench-results/browser.json (full runs: browser-chromium-quick.json, browser-node-quick.json).`);
  console.log(lines.join("\n"));

  expect(chromium.workloads.length, "the browser run produced no workloads").toBeGreaterThan(0);
  expect(chromium.workloads.map((w) => w.name)).toEqual(node.workloads.map((w) => w.name));
  for (const w of workloads) expect(w.checksums.match, `${w.name}: checksums ${JSON.stringify(w.checksums)}`).toBe(true);
});
