/**
 * The bench page (index.html): starts the benchmark in a dedicated Worker and shows its
 * report. Playwright drives it through `window.benchmark.run(request)`; by hand, the
 * buttons run the quick or the full suite (`npm run bench:browser` builds the page into
 * dist-bench/; serve it, e.g. `npx vite preview --outDir dist-bench`, and open it).
 * Every report line is also written with console.log, so a Playwright spec can echo it.
 */
import type { BenchRequest, BrowserBenchDocument, FromWorker, ToWorker } from "./protocol";

/** The page's API for Playwright. */
export interface BenchPage {
  /**
   * Runs the suite in a fresh Worker; resolves with the JSON document. Rejects with the
   * Worker's error (`name: message`) when the suite throws or the Worker fails to load.
   * One run at a time: the Worker is terminated when the run ends.
   */
  run(request: BenchRequest): Promise<BrowserBenchDocument>;
}

const out = document.getElementById("out") as HTMLPreElement;
const status = document.getElementById("status") as HTMLElement;

function show(line: string): void {
  out.textContent += `${line}\n`;
  console.log(line);
}

function run(request: BenchRequest): Promise<BrowserBenchDocument> {
  const worker = new Worker(new URL("./bench.worker.ts", import.meta.url), { type: "module", name: "bench" });
  return new Promise<BrowserBenchDocument>((resolve, reject) => {
    worker.addEventListener("message", (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === "log") show(m.line);
      else if (m.type === "progress") status.textContent = m.text ?? "";
      else if (m.type === "done") {
        worker.terminate();
        status.textContent = "done";
        resolve(m.document);
      } else {
        worker.terminate();
        status.textContent = "failed";
        show(`${m.error.name}: ${m.error.message}\n${m.error.stack ?? ""}`);
        reject(new Error(`${m.error.name}: ${m.error.message}`));
      }
    });
    worker.addEventListener("error", (ev) => {
      worker.terminate();
      status.textContent = "failed";
      reject(new Error(`Worker error: ${ev.message || "the Worker failed to load"}`));
    });
    const msg: ToWorker = { type: "run", request };
    worker.postMessage(msg);
  });
}

// Not declared on Window: engine/ shares one tsconfig with the app, whose Window this would change.
(window as unknown as { benchmark: BenchPage }).benchmark = { run };

for (const [id, quick] of [
  ["run-quick", true],
  ["run-full", false],
] as const) {
  document.getElementById(id)?.addEventListener("click", () => {
    out.textContent = "";
    run({ quick }).then(
      (doc) => show(`\n${JSON.stringify(doc.workloads.map((w) => ({ name: w.name, rowsPerSec: w.rowsPerSec, checksumsMatch: w.checksumsMatch })))}`),
      (e: unknown) => show(String(e)),
    );
  });
}
document.body.dataset.ready = "true";
