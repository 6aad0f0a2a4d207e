/**
 * The worker protocol: plain, structured-clone-safe data that crosses the
 * boundary between the page and the engine's Web Worker. Types only; the page
 * (`app/engine-client/`) and the worker entry (`engine.worker.ts`) both import
 * this file and nothing else of each other.
 */
import type { LateRowPoint, LateRowsBatch } from "../execution/trace/lateRows";

/** A Spark SQL type name as the engine's schemas spell it ("long", "timestamp", "struct<start:timestamp,end:timestamp>"…). */
export type WireTypeName = string;

/** One column of a result schema. */
export interface WireField {
  name: string;
  type: WireTypeName;
  nullable: boolean;
}

/**
 * A cell value on the wire. Timestamps travel as epoch milliseconds and are
 * told apart by the field's type; structs (a window) travel as objects of
 * cells; arrays as arrays.
 */
export type WireValue = null | boolean | number | string | WireValue[] | { [field: string]: WireValue };

/**
 * One column of a batch on the wire. Numbers and timestamps travel in a Float64Array
 * whose buffer is transferred to the page, not copied; other values as an array.
 */
export type WireColumn =
  | { kind: "f64"; values: Float64Array; nulls: Uint8Array | null }
  | { kind: "values"; values: WireValue[] };

/** An error as it crosses the boundary: `{ name, message, stack }`, plus where in the user's cell it happened. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** Spark's error class where the engine gave one, e.g. "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION". */
  errorClass?: string;
  /** 1-based line in the user's cell, when the error comes from (or passes through) the cell's code. */
  line?: number;
  /** 1-based column in the user's cell. */
  column?: number;
}

/** What a running cell reports to the page. One message per micro-batch at most, per query. */
export type CellEvent =
  | { kind: "stdout"; text: string }
  | {
      kind: "queryStarted";
      queryId: string;
      runId: string;
      name: string | null;
      /** Started by `display(df)`: the page opens its chart where there is one. */
      display: boolean;
      /** On the manual trigger: the page offers Step. */
      manualTrigger: boolean;
      /** The checkpointLocation the user gave, or null (a temporary one). */
      checkpointLocation: string | null;
      /** An aggregation's grouping columns (what update mode keys its rows by), or null. */
      keyColumns: string[] | null;
      /** The query's withWatermark (column and delay), or null: the page then offers the watermark view. */
      watermark: { column: string; delayMs: number } | null;
    }
  /** A static result (`display` of a static DataFrame): a table, no query. */
  | { kind: "table"; tableId: string; schema: WireField[]; rows: WireValue[][] }
  | {
      kind: "batch";
      queryId: string;
      name: string | null;
      batchId: number;
      outputMode: string;
      sink: string;
      schema: WireField[];
      /**
       * The rows the sink received in this batch (the last ones, when capped), by column in
       * schema order: what changed, never the whole table (append: new rows; update: the
       * changed groups; complete: the table, as Spark's complete mode hands the sink).
       */
      columns: WireColumn[];
      numRows: number;
      /** Rows of this batch not sent, to keep the page responsive on fast streams (0 normally). */
      omittedRows: number;
      /** Bytes this message carried (typed arrays exactly, other values estimated). */
      wireBytes: number;
      /**
       * Complete mode: the rows are only those that changed, at these positions of a table of
       * `tableRows` rows; the other rows are as the last batch left them. Absent: the rows are the table.
       */
      delta?: { positions: number[]; tableRows: number };
    }
  | { kind: "progress"; queryId: string; progress: WireProgress; /** Bytes this message carried (estimated). */ wireBytes: number }
  /** A socket's connection changed state (connecting, open, retrying, closed), with a sentence for the user. */
  | { kind: "connection"; socketId: number; url: string; state: string; message: string }
  /** A DStream batch interval completed: its records and the receiver blocks that made its RDD. */
  | {
      kind: "dstreamBatch";
      batchTimeMs: number;
      numRecords: number;
      processingDelayMs: number | null;
      blocks: Array<{ id: string; numRecords: number }>;
      /** The program's windowed streams, and the window (from, to] each computed at this batch time (nulls when none). */
      windows: Array<{ stream: string; windowMs: number; slideMs: number; fromMs: number | null; toMs: number | null }>;
    }
  /** What a query with a checkpoint found when it started: the last committed batch, and the batch it re-runs from the offset log. */
  | {
      kind: "recovery";
      queryId: string;
      lastCommittedBatchId: number;
      rerunBatchId: number | null;
      /** Per source, the re-run batch's offsets as JSON text. */
      rerunOffsets: Array<{ source: string; start: string; end: string }> | null;
    }
  | { kind: "queryTerminated"; queryId: string; error: WireError | null };

/** One row of the watermark view: its event time, what the stateful operator did with it, and its values. */
export type WireLateRowPoint = Omit<LateRowPoint, "values"> & { values: WireValue[] };

/** What one batch did with its rows' event times (engine/execution/trace/lateRows.ts), for the watermark view. */
export type WireLateRows = Omit<LateRowsBatch, "points"> & { points: WireLateRowPoint[] };

/** The subset of Spark's StreamingQueryProgress the page reads, plus the raw JSON. */
export interface WireProgress {
  batchId: number;
  timestamp: string;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  durationMs: Record<string, number>;
  eventTime: Record<string, string>;
  stateOperators: Array<Record<string, unknown>>;
  /** The whole progress object as Spark's `prettyJson` would print it. */
  json: string;
  /** The physical plan with each operator's rows in and out in this batch (the plan view); null when unknown. */
  plan?: WirePlanNode | null;
  /** The watermark view's data for this batch; absent for a query without withWatermark. */
  lateRows?: WireLateRows | null;
}

/** One operator of the plan view. */
export interface WirePlanNode {
  id: number;
  name: string;
  description: string;
  rowsIn: number | null;
  rowsOut: number | null;
  stateRows: number | null;
  children: WirePlanNode[];
}

/** An event typed in the watermark view: its event time (epoch ms), key and value. */
export interface WireInjectedEvent {
  eventTimeMs: number;
  key: string | null;
  value: number | null;
}

/** "Replay with this watermark delay": one side of the comparison. */
export interface WireReplay {
  /** The delay used; null: the query's own. */
  watermarkDelayMs: number | null;
  lastBatchId: number;
  batches: Array<{ batchId: number; numInputRows: number; numOutputRows: number; numRowsDroppedByWatermark: number; watermarkMs: number }>;
  schema: WireField[];
  rows: WireValue[][];
  keyColumns: string[] | null;
  droppedByWatermark: number;
}

/** What a query's sink holds now, and whether any row is there twice. */
export interface SinkCheck {
  format: string;
  /** The output path (file sinks) or table name (memory sink). */
  target: string;
  rows: number;
  distinctRows: number;
  /** Batches in the file sink's _spark_metadata log, and the data files it lists vs. those on disk (null for other sinks). */
  committedBatches: number | null;
  filesListed: number | null;
  filesOnDisk: number | null;
}

/** How a replay ended. */
export type ReplayOutcome = { ok: true; replay: WireReplay } | { ok: false; error: WireError };

/** How one run of a cell ended (the queries it started may still be running). */
export type RunOutcome =
  | { ok: true; activeQueries: string[] }
  | { ok: false; error: WireError };

/** How the page sets up the engine, before any cell runs: the deterministic mode of `?seed=…&clock=manual`. */
export interface EngineOptions {
  /** Default seed of the seeded generators (the `events` source), conf `spark.playground.seed`. */
  seed?: number;
  /** Drive time by hand: rate sources, processing-time triggers and current_timestamp read a ManualClock. */
  manualClock?: boolean;
  /** Where the manual clock starts, epoch ms (default 0). */
  clockStartMs?: number;
}

/** The API the worker exposes through comlink. */
export interface EngineWorkerApi {
  /** Sets the session up; only before the first `runCell`. Rejects afterwards. */
  configure(options: EngineOptions): Promise<void>;
  /**
   * Gives the worker the page's question for sockets: before connecting to a
   * URL not approved yet, the worker asks, and a `false` refuses the connection.
   */
  setHostApprover(approve: (url: string) => Promise<boolean>): Promise<void>;
  /** The user's explicit "take over" of a checkpoint another tab owns; the cell is then run again. */
  takeOverCheckpoint(location: string): Promise<void>;
  /** Deletes a checkpoint (the user's explicit "reset checkpoint"). Rejects while a query runs on it. */
  resetCheckpoint(location: string): Promise<void>;
  /** The files of a checkpoint in IndexedDB, Spark's layout, for the checkpoint inspector. */
  checkpointFiles(location: string): Promise<Array<{ path: string; text: string; size: number }>>;
  /**
   * The notebook as a runnable PySpark script: its cells run on a private session
   * where starting a query only records it, so nothing runs and nothing is written.
   */
  exportPySpark(cells: Array<{ kind: string; source: string }>, title: string): Promise<string>;
  /** The virtual file system: a folder's files (upload and download go through the next two). */
  listFiles(dir: string): Promise<Array<{ path: string; size: number; modificationTime: number; isDir: boolean }>>;
  writeFile(path: string, text: string): Promise<void>;
  readFile(path: string): Promise<string>;
  /** Runs exactly one trigger of a query (the manual trigger's step). Resolves to the error, if the batch failed. */
  stepQuery(queryId: string): Promise<WireError | null>;
  /** Adds one event by hand to a query's source (the watermark view's "make late data happen"). Resolves to the error, if it could not. */
  injectEvent(queryId: string, event: WireInjectedEvent): Promise<WireError | null>;
  /** Runs a query's committed batches again with another watermark delay, beside it. */
  replayQuery(queryId: string, watermarkDelayMs: number | null): Promise<ReplayOutcome>;
  /**
   * "Crash now": arms the query so its next batch halts once the sink has its rows, before
   * commits/N; resolves with that batch's id (the page then kills the worker).
   */
  haltInNextBatch(queryId: string): Promise<{ ok: true; batchId: number } | { ok: false; error: WireError }>;
  /** Reads back what a query's sink holds (file sinks through their _spark_metadata log) and counts duplicates. */
  checkSink(queryId: string): Promise<{ ok: true; check: SinkCheck } | { ok: false; error: WireError }>;
  /** Advances the manual clock; resolves to its new time. Rejects on the system clock. */
  advanceClock(ms: number): Promise<number>;
  /**
   * Transpiles and runs a cell's TypeScript with `spark`, `F` and friends in
   * scope. Queries it starts keep running and report through `onEvent`.
   * Resolves when the cell's code has finished (not its queries). Never
   * rejects for an error in user code: that comes back as `{ ok: false }`.
   */
  runCell(cellId: string, code: string, onEvent: (event: CellEvent) => void): Promise<RunOutcome>;
  /** Stops every query the cell started and forgets its listener. Resolves when they have stopped. */
  stopCell(cellId: string): Promise<void>;
  /** Answers at once while the worker's event loop is free; the page uses it to detect a hung worker. */
  ping(): Promise<"pong">;
}
