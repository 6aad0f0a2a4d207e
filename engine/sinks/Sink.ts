import type { DataFrame } from "../api/DataFrame";
import type { Row } from "../api/Row";
import type { ColumnarBatch } from "../execution/ColumnarBatch";
import type { OutputMode } from "../execution/PhysicalOperator";
import type { Attribute } from "../expressions/Expression";
import type { MaybePromise } from "../sources/Source";

/** One micro-batch's result, as handed to a sink. */
export interface SinkBatch {
  readonly batchId: number;
  readonly outputMode: OutputMode;
  readonly attrs: readonly Attribute[];
  readonly data: ColumnarBatch;
  /** The rows as collect() gives them (computed once). */
  rows(): Row[];
  /** The batch as a static DataFrame (foreachBatch). */
  toDataFrame(): DataFrame;
}

/**
 * Spark's Sink: receives each batch's result. A batch re-run after a restart comes
 * again with the same batchId; sinks that must not duplicate skip ids they already have.
 */
export interface Sink {
  /** The format name ("console", "memory", "foreachBatch", "foreach"). */
  readonly format: string;
  /** Spark's sink description in progress reports. */
  readonly description: string;
  /** Writes one batch; the query waits for the returned promise. */
  addBatch(batch: SinkBatch): MaybePromise<void>;
}
