import type { CellEvent, WireError, WireField, WireProgress, WireValue } from "../../engine/worker/protocol";
import { wireColumnsToRows } from "../../engine/worker/wire";

/** A query's start from a checkpoint (the worker's "recovery" event, without its kind). */
export type RecoveryEvent = Omit<Extract<CellEvent, { kind: "recovery" }>, "kind">;

/** Where a cell stands, as its status badge shows it. */
export type CellStatus =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "running"; batchId: number | null }
  | { kind: "stopped" }
  | { kind: "failed" };

/** The live result of one query a cell started, following its output mode. */
export interface QueryOutput {
  queryId: string;
  name: string | null;
  outputMode: string | null;
  sink: string | null;
  schema: WireField[];
  /** The rows shown: append keeps the last `maxRows`, complete holds the last result table. */
  rows: WireValue[][];
  /** Indexes into `rows` changed by the last batch (update mode highlights them). */
  changed: ReadonlySet<number>;
  /** Rows received in all, including those no longer kept. */
  totalRows: number;
  lastBatchId: number | null;
  progress: WireProgress[];
  active: boolean;
  error: WireError | null;
  /** Started by display(df): show the chart first where there is one. */
  display: boolean;
  /** Runs only when stepped (the manual trigger). */
  manualTrigger: boolean;
  /** The user's checkpointLocation, or null. */
  checkpointLocation: string | null;
  /** The aggregation's grouping columns, when the engine knows them: update mode keys rows by them. */
  keyColumns: string[] | null;
  /** What the start found in the checkpoint, when it had committed batches: the batch re-run from the offset log, if any. */
  recovery: RecoveryEvent | null;
  /** The query's withWatermark, or null: the page offers the watermark view. */
  watermark: { column: string; delayMs: number } | null;
  /** Complete mode: the whole result table as the worker's deltas built it (kept when the outputs are cleared). */
  completeTable: WireValue[][];
  /** Bytes the worker sent the page per batch (its rows and its progress), for the bytes-per-second figure. */
  batchWireBytes: ReadonlyMap<number, number>;
  /** Rows the sink received per batch, for the batch timeline (the last `maxProgress` batches). */
  batchOutputRows: ReadonlyMap<number, number>;
}

/** A socket the cell's code opened (a socket source or a DStream receiver). */
export interface SocketConnection {
  socketId: number;
  url: string;
  state: string;
  message: string;
}

/** One completed DStream batch interval. */
export interface DStreamBatch {
  batchTimeMs: number;
  numRecords: number;
  processingDelayMs: number | null;
  blocks: Array<{ id: string; numRecords: number }>;
  /** Windowed streams and the window (from, to] each computed at this batch (nulls when none). */
  windows: Array<{ stream: string; windowMs: number; slideMs: number; fromMs: number | null; toMs: number | null }>;
}

/** Everything a cell shows under its editor. */
export interface CellOutput {
  status: CellStatus;
  stdout: string;
  error: WireError | null;
  /** Queries in the order they started. */
  queries: QueryOutput[];
  /** A note from the page itself, e.g. that the engine was restarted. */
  notice: string | null;
  connections: SocketConnection[];
  /** The last DStream batches (Spark Streaming programs). */
  dstreamBatches: DStreamBatch[];
}

/** How many rows an append-mode table keeps, and how many progress entries a query keeps. */
export const LIMITS = { maxRows: 10_000, maxProgress: 100, maxStdoutChars: 200_000 } as const;

export const emptyOutput: CellOutput = {
  status: { kind: "idle" },
  stdout: "",
  error: null,
  queries: [],
  notice: null,
  connections: [],
  dstreamBatches: [],
};

/** Page-side actions, next to the worker's events. */
export type CellAction =
  /** A run begins; `notice` says why, when the page started it (a recovery after "crash now"). */
  | { kind: "runStarted"; notice?: string }
  | { kind: "runFinished"; error: WireError | null; activeQueries: number }
  | { kind: "stopped"; notice?: string }
  | { kind: "cleared" }
  | { kind: "events"; events: CellEvent[] };

/**
 * Applies what happened to a cell's output. Pure: the same actions always give
 * the same output, so the table's behaviour per output mode is unit-tested.
 */
export function reduceCellOutput(state: CellOutput, action: CellAction): CellOutput {
  switch (action.kind) {
    case "runStarted":
      return { ...emptyOutput, status: { kind: "starting" }, notice: action.notice ?? null };
    case "runFinished":
      if (action.error) return { ...state, error: action.error, status: { kind: "failed" } };
      return { ...state, status: action.activeQueries > 0 ? { kind: "running", batchId: null } : { kind: "idle" } };
    case "stopped":
      return {
        ...state,
        status: state.status.kind === "failed" ? state.status : { kind: "stopped" },
        queries: state.queries.map((q) => ({ ...q, active: false })),
        notice: action.notice ?? state.notice,
      };
    case "cleared":
      return {
        ...state,
        stdout: "",
        error: null,
        notice: null,
        queries: state.queries.filter((q) => q.active).map((q) => ({ ...q, rows: [], changed: new Set(), totalRows: 0, progress: [] })),
      };
    case "events":
      return action.events.reduce(applyEvent, state);
  }
}

function applyEvent(state: CellOutput, event: CellEvent): CellOutput {
  switch (event.kind) {
    case "stdout": {
      const stdout = (state.stdout + event.text).slice(-LIMITS.maxStdoutChars);
      return { ...state, stdout };
    }
    case "queryStarted":
      return {
        ...state,
        status: { kind: "running", batchId: null },
        queries: [...state.queries, { ...newQuery(event.queryId, event.name), display: event.display, manualTrigger: event.manualTrigger, checkpointLocation: event.checkpointLocation, keyColumns: event.keyColumns, watermark: event.watermark }],
      };
    case "table":
      return {
        ...state,
        queries: [
          ...state.queries,
          {
            ...newQuery(event.tableId, event.tableId),
            schema: event.schema,
            rows: event.rows,
            totalRows: event.rows.length,
            outputMode: "static",
            sink: "display",
            active: false,
            display: true,
          },
        ],
      };
    case "batch": {
      const decoded: BatchEvent = { ...event, rows: wireColumnsToRows(event.columns, event.numRows) };
      return withQuery(state, event.queryId, (q) => applyBatch(countBytes(q, event.batchId, event.wireBytes), decoded), { kind: "running", batchId: event.batchId });
    }
    case "progress":
      return withQuery(state, event.queryId, (q) => ({
        ...countBytes(q, event.progress.batchId, event.wireBytes),
        progress: [...q.progress, event.progress].slice(-LIMITS.maxProgress),
      }));
    case "connection": {
      const { kind: _kind, ...connection } = event;
      const others = state.connections.filter((c) => c.socketId !== event.socketId);
      return { ...state, connections: [...others, connection].sort((a, b) => a.socketId - b.socketId) };
    }
    case "dstreamBatch": {
      const { kind: _kind, ...batch } = event;
      return { ...state, status: { kind: "running", batchId: null }, dstreamBatches: [...state.dstreamBatches, batch].slice(-LIMITS.maxProgress) };
    }
    case "recovery": {
      const { kind: _kind, ...recovery } = event;
      return withQuery(state, event.queryId, (q) => ({ ...q, recovery }));
    }
    case "queryTerminated": {
      const next = withQuery(state, event.queryId, (q) => ({ ...q, active: false, error: event.error }));
      const anyActive = next.queries.some((q) => q.active);
      const status: CellStatus = event.error ? { kind: "failed" } : anyActive ? next.status : { kind: "stopped" };
      return { ...next, status, error: event.error ?? next.error };
    }
  }
}

function newQuery(queryId: string, name: string | null): QueryOutput {
  return {
    queryId,
    name,
    outputMode: null,
    sink: null,
    schema: [],
    rows: [],
    changed: new Set(),
    totalRows: 0,
    lastBatchId: null,
    progress: [],
    active: true,
    error: null,
    display: false,
    manualTrigger: false,
    checkpointLocation: null,
    keyColumns: null,
    batchWireBytes: new Map(),
    completeTable: [],
    watermark: null,
    recovery: null,
    batchOutputRows: new Map(),
  };
}

function withQuery(
  state: CellOutput,
  queryId: string,
  update: (q: QueryOutput) => QueryOutput,
  status?: CellStatus,
): CellOutput {
  const exists = state.queries.some((q) => q.queryId === queryId);
  const queries = exists ? state.queries : [...state.queries, newQuery(queryId, null)];
  return {
    ...state,
    status: status ?? state.status,
    queries: queries.map((q) => (q.queryId === queryId ? update(q) : q)),
  };
}

/** A batch event with its columns decoded into rows. */
type BatchEvent = Omit<Extract<CellEvent, { kind: "batch" }>, "columns"> & { rows: WireValue[][] };

function countBytes(q: QueryOutput, batchId: number, bytes: number): QueryOutput {
  const batchWireBytes = new Map(q.batchWireBytes).set(batchId, (q.batchWireBytes.get(batchId) ?? 0) + bytes);
  if (batchWireBytes.size > LIMITS.maxProgress) batchWireBytes.delete(batchWireBytes.keys().next().value!);
  return { ...q, batchWireBytes };
}

function applyBatch(q: QueryOutput, event: BatchEvent): QueryOutput {
  const batchOutputRows = new Map(q.batchOutputRows).set(event.batchId, event.rows.length);
  if (batchOutputRows.size > LIMITS.maxProgress) batchOutputRows.delete(batchOutputRows.keys().next().value!);
  const base = {
    ...q,
    name: event.name ?? q.name,
    outputMode: event.outputMode,
    sink: event.sink,
    schema: event.schema,
    lastBatchId: event.batchId,
    batchOutputRows,
  };
  switch (event.outputMode) {
    case "complete": {
      // Complete mode: every batch is the whole result table — sent whole, or as the rows that changed.
      if (event.delta) {
        const table = q.completeTable.slice(0, event.delta.tableRows);
        event.delta.positions.forEach((p, j) => (table[p] = event.rows[j] ?? []));
        return { ...base, completeTable: table, rows: table, changed: new Set(event.delta.positions), totalRows: table.length };
      }
      return { ...base, completeTable: event.rows, rows: event.rows, changed: new Set(event.rows.keys()), totalRows: event.rows.length + event.omittedRows };
    }
    case "update":
      return applyUpdate(base, event);
    default: {
      const all = q.rows.concat(event.rows);
      const rows = all.length > LIMITS.maxRows ? all.slice(all.length - LIMITS.maxRows) : all;
      const first = rows.length - event.rows.length;
      const changed = new Set<number>();
      for (let i = Math.max(0, first); i < rows.length; i++) changed.add(i);
      return { ...base, rows, changed, totalRows: q.totalRows + event.rows.length + event.omittedRows };
    }
  }
}

/**
 * Update mode: a row replaces the row with the same key — the aggregation's
 * grouping columns, as the engine reports them. When it cannot (the keys were
 * renamed after the aggregation), a row is keyed by its non-numeric columns,
 * falling back to appending when every column is numeric.
 */
function applyUpdate(q: QueryOutput, event: BatchEvent): QueryOutput {
  const known = q.keyColumns?.map((name) => event.schema.findIndex((f) => f.name === name));
  const keyIdx =
    known && known.length > 0 && known.every((i) => i >= 0)
      ? known
      : event.schema.map((f, i) => (isMeasure(f.type) ? -1 : i)).filter((i) => i >= 0);
  if (keyIdx.length === 0) return applyBatch(q, { ...event, outputMode: "append" });
  const keyOf = (row: WireValue[]) => JSON.stringify(keyIdx.map((i) => row[i]));
  const rows = q.rows.slice();
  const index = new Map(rows.map((row, i) => [keyOf(row), i]));
  const changed = new Set<number>();
  for (const row of event.rows) {
    const at = index.get(keyOf(row));
    if (at === undefined) {
      index.set(keyOf(row), rows.length);
      changed.add(rows.length);
      rows.push(row);
    } else {
      rows[at] = row;
      changed.add(at);
    }
  }
  return { ...q, rows, changed, totalRows: q.totalRows + event.rows.length + event.omittedRows };
}

function isMeasure(type: string): boolean {
  return /^(long|int|integer|short|byte|double|float|decimal.*|bigint|array<.*>)$/.test(type);
}
