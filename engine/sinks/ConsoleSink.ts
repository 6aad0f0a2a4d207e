import { showString } from "../api/showString";
import type { Sink, SinkBatch } from "./Sink";

/**
 * Spark's console sink: prints each batch as
 * ```
 * -------------------------------------------
 * Batch: 0
 * -------------------------------------------
 * +-----+
 * |value|
 * +-----+
 * ...
 * ```
 * Options: numRows (default 20), truncate (default true).
 */
export class ConsoleSink implements Sink {
  readonly format = "console";
  constructor(
    private readonly write: (text: string) => void,
    private readonly numRows: number,
    private readonly truncate: boolean,
  ) {}
  get description(): string {
    return `org.apache.spark.sql.execution.streaming.ConsoleTable$@playground`;
  }
  addBatch(b: SinkBatch): void {
    const header = `-------------------------------------------\nBatch: ${b.batchId}\n-------------------------------------------\n`;
    this.write(header + showString(b.attrs, b.data, this.numRows, this.truncate) + "\n");
  }
}
