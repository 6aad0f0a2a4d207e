import type { Value } from "../expressions/types";
import { batchToRows } from "../execution/ColumnarBatch";
import type { Attribute } from "../expressions/Expression";
import type { Sink, SinkBatch } from "./Sink";

/** A memory-sink table: column attributes and rows (internal values). */
export interface MemoryTable {
  attrs: readonly Attribute[];
  rows: Value[][];
}

/**
 * Spark's MemorySink: keeps every row in a table named by queryName, readable with
 * `spark.table(name)`. Append and update add rows; complete replaces the table.
 * A batch id at or below the last one written is skipped (re-run after restart).
 */
export class MemorySink implements Sink {
  readonly format = "memory";
  private lastBatchId = -1;

  constructor(
    readonly queryName: string,
    private readonly tables: Map<string, MemoryTable>,
  ) {}

  get description(): string {
    return `MemorySink`;
  }

  addBatch(b: SinkBatch): void {
    if (b.batchId <= this.lastBatchId) return;
    this.lastBatchId = b.batchId;
    const rows = batchToRows(b.data);
    const existing = this.tables.get(this.queryName);
    if (b.outputMode === "complete" || existing === undefined) this.tables.set(this.queryName, { attrs: b.attrs, rows });
    else existing.rows.push(...rows);
  }
}
