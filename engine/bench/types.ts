/**
 * The contract between the harness, the workloads and their implementations.
 * Browser-safe (the Chromium variant runs the same workloads in a Worker).
 */
import type { Checksum } from "./checksum";
import type { EventColumns, StaticTable } from "./data";

/** The implementations compared on every workload. */
export const IMPL_NAMES = ["engine", "ceiling", "idiomatic", "rxjs", "arquero", "duckdb"] as const;
export type ImplName = (typeof IMPL_NAMES)[number];

/** What a workload's implementations read: the event stream and, for joins, a static table. */
export interface WorkloadInput {
  readonly events: EventColumns;
  readonly table?: StaticTable;
}

/** One run of one implementation over one input, created fresh for every repetition. */
export interface RunContext {
  readonly input: WorkloadInput;
  /** Micro-batch boundaries (data.ts `batchBounds`): batch i is rows [bounds[i], bounds[i+1]). */
  readonly bounds: readonly number[];
}

/**
 * A running implementation. The harness calls, per micro-batch:
 * `stage(start, end)` (untimed: build the input form the implementation's API takes),
 * `batch(start, end)` (TIMED: the batch's processing, ending when its result rows exist
 * in the implementation's native form), `drain(checksum)` (untimed: fold and release the
 * result rows), `stateRows()` (untimed, sampled). After the last batch: `close()`.
 *
 * The last batch is the flush row alone; `batch` must then also run the end-of-stream
 * watermark advance (Spark's no-data batch) so all finalized rows are emitted.
 */
export interface Runner {
  stage?(start: number, end: number): void;
  batch(start: number, end: number): void | Promise<void>;
  drain(checksum: Checksum): void | Promise<void>;
  /** Rows of operator state now (windows×keys, sessions, dedup keys…); 0 when stateless. */
  stateRows(): number;
  close?(): void | Promise<void>;
}

/** Creates a runner (untimed setup: start a query, load a static table…). Throws / rejects with the reason when unsupported. */
export type Impl = (ctx: RunContext) => Runner | Promise<Runner>;

/** A benchmark workload: its data, its semantics (documented in its file) and its implementations. */
export interface Workload {
  /** Stable id, e.g. "2-tumbling-1e5"; `--only` matches a substring of it. */
  readonly name: string;
  readonly title: string;
  /** The input for `rows` data rows (deterministic per seed); `scale` overrides rates for tiny test data. */
  makeInput(rows: number, seed: number, scale?: Scale): WorkloadInput;
  /** Every implementation but DuckDB (which is Node-only and lives in ../duckdb.ts). */
  readonly impls: Partial<Record<ImplName, Impl>>;
  /** Target: engine rows/s ≥ target × ceiling (issue 9). */
  readonly target: number;
}

/**
 * Overrides for tiny inputs (the checksum test): a lower event rate so a few thousand
 * rows still span many windows, fewer keys so sessions and counts have more than one row.
 */
export interface Scale {
  rowsPerSecond?: number;
  keys?: number;
  /** Static table rows (joins). */
  tableRows?: number;
}

/** The message of an implementation that cannot run (the engine lacks a feature). */
export class Unsupported extends Error {
  override readonly name = "Unsupported";
}
