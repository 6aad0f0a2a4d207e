/**
 * The messages between the bench page (main.ts) and its Worker (bench.worker.ts): plain
 * structured-clone data, types only.
 *
 *   page → worker   { type: "run", request }
 *   worker → page   { type: "log", line }*  { type: "progress", text }*  then { type: "done", document } or { type: "error", error }
 */
import type { BenchDocument, BenchOptions } from "../suite";

/** What to run: the CLI's defaults (`--quick` or full) with these options overriding them. */
export interface BenchRequest extends Partial<Omit<BenchOptions, "quick">> {
  quick: boolean;
}

/** The browser run's JSON document: the CLI's (`--json`), with the browser's environment first. */
export interface BrowserBenchDocument extends BenchDocument {
  /** navigator.userAgent of the Worker. */
  browser: string;
  /** Where the suite ran: always a dedicated Worker (module worker). */
  context: "dedicated Worker";
  /** Whether the Worker was cross-origin isolated (COOP/COEP): performance.now() is then precise to 5 µs rather than 100 µs. */
  crossOriginIsolated: boolean;
  /** Whether forced GCs ran before and after each warm-up (Chromium started with --js-flags=--expose-gc). */
  gc: boolean;
  /**
   * The heap probe used for the samples, or null: heap samples are NaN ("?" in the report).
   * Chromium exposes performance.memory on Window only, not in workers, so this is null there.
   */
  heapProbe: string | null;
  /** Implementations not run in the browser, with the reason. */
  notRun: Record<string, string>;
}

export type ToWorker = { type: "run"; request: BenchRequest };

/** An error crossing the Worker boundary. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { type: "log"; line: string }
  | { type: "progress"; text: string | null }
  | { type: "done"; document: BrowserBenchDocument }
  | { type: "error"; error: WireError };
