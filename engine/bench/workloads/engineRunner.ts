/**
 * Runs a workload on the engine through its PUBLIC API only (engine/index.ts):
 * MemoryStream → DataFrame → writeStream.foreachBatch with trigger({ manual: true }).
 *
 * - Staging (untimed): views (subarrays) of the batch's typed-array columns.
 * - Timed: `input.addColumns({ eventTime, key, value })` (the public columnar ingest a
 *   performance-minded user would call: the source keeps the arrays, converting the
 *   Int32Array ones to Float64Array columns when the batch reads them, no row objects) + `query.step()`
 *   (one data micro-batch); after the flush batch, `processAllAvailable()` runs the
 *   no-data batch that evicts with the final watermark.
 * - Sink: a foreachBatch that does nothing — the cheapest sink the public API offers (a
 *   memory sink copies every row into row arrays) — and a listener's `onQueryBatchOutput`
 *   that keeps the batch's output as the engine holds it, by column (the event's `data`,
 *   what the app's worker reads too). The checksum reads those columns afterwards,
 *   untimed, as the ceiling reads its typed arrays: reading through `collect()` built a
 *   row object and a Date per result row, and the garbage of a million of them was
 *   collected during the timed batches that followed.
 */
import { MemoryStream, SparkSession, deleteMemoryCheckpoint, type DataFrame, type QueryBatchOutputEvent, type Row, type RowValue, type StreamingQueryListener } from "../../index";
import type { Checksum } from "../checksum";
import { TypedWindowColumn } from "../../execution/TypedWindowColumn";

import type { RunContext, Runner } from "../types";

/** The stream's schema: eventTime (timestamp, epoch ms), key, value (int). */
export const EVENT_SCHEMA = { eventTime: "timestamp", key: "int", value: "int" };

let spark: SparkSession | null = null;
let queryCounter = 0;

/**
 * The benchmark's session. Each engine run stops it when it closes, so a run starts on a
 * fresh session and nothing of a previous run (queries, state, progress) stays reachable
 * to skew the heap figures and the GC of the runs after it.
 */
export function benchSession(): SparkSession {
  spark ??= SparkSession.builder().appName("streaming-playground-bench").config("spark.sql.shuffle.partitions", 1).getOrCreate();
  return spark;
}

/** Epoch ms of a collected timestamp (a Date) or a number. */
export function ms(v: unknown): number {
  return v instanceof Date ? v.getTime() : (v as number);
}

/** `row.window.start` as epoch ms. */
export function windowStart(r: Row): number {
  return ms((r.window as { start: unknown }).start);
}

export interface EngineQuery {
  /** The query over the stream's DataFrame (eventTime, key, value). Throw to report "unsupported". */
  build(df: DataFrame): DataFrame;
  outputMode: "append" | "update";
  /** Adds one result row to the checksum (`cs.add3`/`add4`, the workload's fields in order). */
  add(r: Row, cs: Checksum): void;
}

/** Starts the query and returns the runner. Rejects when the engine cannot plan/start it. */
export async function engineRunner(ctx: RunContext, q: EngineQuery): Promise<Runner> {
  const session = benchSession();
  const input = new MemoryStream(session, EVENT_SCHEMA);
  const pending: QueryBatchOutputEvent[] = [];
  const name = `bench_${++queryCounter}`;
  const listener: StreamingQueryListener = {
    onQueryBatchOutput(e) {
      if (e.name === name) pending.push(e);
    },
  };
  session.streams.addListener(listener);
  // An explicit in-memory checkpoint, deleted on close (a user-named in-memory checkpoint
  // stays in the process-wide registry so that a restart can resume from it).
  const checkpointLocation = `$bench-checkpoint-${name}`;
  const query = await q
    .build(input.toDF())
    .writeStream.queryName(name)
    .option("checkpointLocation", checkpointLocation)
    .outputMode(q.outputMode)
    .trigger({ manual: true })
    .foreachBatch(() => {})
    .start();
  const events = ctx.input.events;
  let staged: { eventTime: Float64Array; key: Int32Array; value: Int32Array } | null = null;
  return {
    stage(start, end) {
      staged = { eventTime: events.eventTime.subarray(start, end), key: events.key.subarray(start, end), value: events.value.subarray(start, end) };
    },
    async batch(_start, end) {
      if (staged !== null) input.addColumns(staged);
      staged = null;
      await query.step();
      if (end === events.n) await query.processAllAvailable();
      if (query.exception) throw query.exception;
    },
    drain(cs: Checksum) {
      for (const e of pending.splice(0)) {
        const data = e.data;
        if (data === undefined) {
          for (const r of e.rows) q.add(r, cs);
          continue;
        }
        // One row object, refilled per row: `add` reads it before the next row. A typed window
        // column is read from its starts and ends into one reused window object, as a columnar
        // sink reads it, not through `values` (an array of window objects per batch: garbage
        // the next timed batch would collect).
        const row: Row = {};
        const names = e.schema.map((f) => f.name);
        const windows = data.columns.map((col) => (col instanceof TypedWindowColumn ? { start: 0, end: 0 } : null));
        for (let i = 0; i < data.numRows; i++) {
          for (let c = 0; c < names.length; c++) {
            const col = data.columns[c];
            const w = windows[c];
            if (w != null && col instanceof TypedWindowColumn) {
              w.start = col.starts[i] as number;
              w.end = col.ends[i] as number;
              row[names[c] as string] = w;
              continue;
            }
            row[names[c] as string] = col === undefined || (col.nulls !== null && col.nulls[i] === 1) ? null : ((col.values[i] ?? null) as RowValue);
          }
          q.add(row, cs);
        }
      }
    },
    stateRows() {
      const ops = query.lastProgress?.stateOperators ?? [];
      let n = 0;
      for (const op of ops) n += op.numRowsTotal;
      return n;
    },
    async close() {
      session.streams.removeListener(listener);
      await query.stop();
      await session.stop();
      if (spark === session) spark = null;
      deleteMemoryCheckpoint(checkpointLocation);
    },
  };
}
