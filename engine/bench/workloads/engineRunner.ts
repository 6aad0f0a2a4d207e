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
 * - Sink: foreachBatch that only keeps a reference to the batch DataFrame — the cheapest
 *   sink the public API offers (a memory sink copies every row into row arrays). The
 *   result rows are read with `collect()` afterwards, untimed, for the checksum.
 */
import { MemoryStream, SparkSession, deleteMemoryCheckpoint, type DataFrame, type Row } from "../../index";
import type { Checksum } from "../checksum";

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
  /** The checksum fields of one result row, in the workload's order. */
  fields(r: Row): number[];
}

/** Starts the query and returns the runner. Rejects when the engine cannot plan/start it. */
export async function engineRunner(ctx: RunContext, q: EngineQuery): Promise<Runner> {
  const session = benchSession();
  const input = new MemoryStream(session, EVENT_SCHEMA);
  const pending: DataFrame[] = [];
  const name = `bench_${++queryCounter}`;
  // An explicit in-memory checkpoint, deleted on close (a user-named in-memory checkpoint
  // stays in the process-wide registry so that a restart can resume from it).
  const checkpointLocation = `$bench-checkpoint-${name}`;
  const query = await q
    .build(input.toDF())
    .writeStream.queryName(name)
    .option("checkpointLocation", checkpointLocation)
    .outputMode(q.outputMode)
    .trigger({ manual: true })
    .foreachBatch((batchDf) => {
      pending.push(batchDf);
    })
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
    async drain(cs: Checksum) {
      for (const df of pending.splice(0)) for (const r of await df.collect()) cs.add(q.fields(r));
    },
    stateRows() {
      const ops = query.lastProgress?.stateOperators ?? [];
      let n = 0;
      for (const op of ops) n += op.numRowsTotal;
      return n;
    },
    async close() {
      await query.stop();
      await session.stop();
      if (spark === session) spark = null;
      deleteMemoryCheckpoint(checkpointLocation);
    },
  };
}
