import type { DataFrame } from "../api/DataFrame";
import type { Sink, SinkBatch } from "./Sink";

/** The user function of foreachBatch: a static DataFrame and the batch id; may return a promise, which the query awaits. */
export type ForeachBatchFunction = (batchDf: DataFrame, batchId: number) => unknown;

/** Spark's ForeachBatchSink: calls the function with each batch as a static DataFrame (re-runs come with the same batchId). */
export class ForeachBatchSink implements Sink {
  readonly format = "foreachBatch";
  readonly description = "ForeachBatchSink";
  constructor(private readonly fn: ForeachBatchFunction) {}
  async addBatch(b: SinkBatch): Promise<void> {
    await this.fn(b.toDataFrame(), b.batchId);
  }
}
