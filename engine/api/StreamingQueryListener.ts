import type { ColumnarBatch } from "../execution/ColumnarBatch";
import type { StreamingQueryProgress } from "../execution/microbatch/progress";
import type { OutputMode } from "../execution/PhysicalOperator";
import type { Row } from "./Row";

/** Spark's QueryStartedEvent. */
export interface QueryStartedEvent {
  id: string;
  runId: string;
  name: string | null;
  timestamp: string;
}

/** Spark's QueryProgressEvent. */
export interface QueryProgressEvent {
  progress: StreamingQueryProgress;
}

/** Spark's QueryIdleEvent (no new data for a while). */
export interface QueryIdleEvent {
  id: string;
  runId: string;
  timestamp: string;
}

/** Spark's QueryTerminatedEvent: `exception` is the error text, null after a clean stop. */
export interface QueryTerminatedEvent {
  id: string;
  runId: string;
  exception: string | null;
  errorClassOnException: string | null;
}

/** A column of a batch output event. */
export interface OutputField {
  name: string;
  /** Type name, e.g. "long", "timestamp", "struct<start:timestamp,end:timestamp>". */
  type: string;
  nullable: boolean;
}

/**
 * Playground extension: fired after the sink received a batch, with the rows as
 * collect() gives them (timestamps as Date, windows as { start: Date, end: Date }).
 */
export interface QueryBatchOutputEvent {
  id: string;
  runId: string;
  name: string | null;
  batchId: number;
  outputMode: OutputMode;
  /** The sink format ("console", "memory", "foreachBatch", "foreach"). */
  sink: string;
  schema: OutputField[];
  /** The rows (built on first read). */
  readonly rows: Row[];
  /** The same batch by column, as the engine holds it: read it to avoid building row objects. */
  readonly data?: ColumnarBatch;
}

/**
 * Spark's StreamingQueryListener; every callback is optional. Register with
 * `spark.streams.addListener(listener)`. Exceptions thrown by a callback are
 * caught (and logged), never stopping the query.
 *
 * @example
 * spark.streams.addListener({ onQueryProgress: (e) => console.log(e.progress.numInputRows) });
 */
export interface StreamingQueryListener {
  onQueryStarted?(event: QueryStartedEvent): void;
  onQueryProgress?(event: QueryProgressEvent): void;
  onQueryIdle?(event: QueryIdleEvent): void;
  onQueryTerminated?(event: QueryTerminatedEvent): void;
  onQueryBatchOutput?(event: QueryBatchOutputEvent): void;
}
