import type { Row } from "../api/Row";
import type { Sink, SinkBatch } from "./Sink";

/**
 * Spark's ForeachWriter: `open(partitionId, epochId)` (return false to skip the batch),
 * `process(row)` per row, `close(error)` at the end.
 */
export interface ForeachWriter {
  open?(partitionId: number, epochId: number): boolean | Promise<boolean>;
  process(row: Row): unknown;
  close?(error: unknown): unknown;
}

/** Spark's foreach sink over a single partition (partitionId 0). */
export class ForeachSink implements Sink {
  readonly format = "foreach";
  readonly description = "ForeachSink";
  private readonly writer: ForeachWriter;
  constructor(writer: ForeachWriter | ((row: Row) => unknown)) {
    this.writer = typeof writer === "function" ? { process: writer } : writer;
  }
  async addBatch(b: SinkBatch): Promise<void> {
    const w = this.writer;
    const open = w.open ? await w.open(0, b.batchId) : true;
    if (!open) {
      await w.close?.(null);
      return;
    }
    let error: unknown = null;
    try {
      for (const row of b.rows()) await w.process(row);
    } catch (e) {
      error = e;
    }
    await w.close?.(error);
    if (error !== null) throw error;
  }
}
