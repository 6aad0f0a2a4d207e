import type { OutputField, QueryBatchOutputEvent } from "../../api/StreamingQueryListener";
import type { OutputMode } from "../PhysicalOperator";
import type { Row } from "../../api/Row";
import type { ColumnarBatch } from "../ColumnarBatch";

/**
 * The event `onQueryBatchOutput` receives. A class, not an object literal with a `rows`
 * getter: V8 allocates such a literal in the old generation, and once a listener dropped it
 * the dead event still held the batch's columns through every minor GC until the next full
 * one. Every batch's output then stayed in memory, and the next batch wrote to fresh,
 * page-faulting memory: a stateless query ran 2-4 times slower until a full GC.
 */
export class BatchOutputEvent implements QueryBatchOutputEvent {
  readonly #getRows: () => Row[];

  constructor(
    readonly id: string,
    readonly runId: string,
    readonly name: string | null,
    readonly batchId: number,
    readonly outputMode: OutputMode,
    readonly sink: string,
    readonly schema: OutputField[],
    getRows: () => Row[],
    readonly data: ColumnarBatch,
  ) {
    this.#getRows = getRows;
  }

  /** The rows as collect() gives them, built on first read. */
  get rows(): Row[] {
    return this.#getRows();
  }

  /** What `JSON.stringify` (a cell's `console.log`) shows: every field, the rows included, as the literal had them. */
  toJSON(): QueryBatchOutputEvent {
    const { id, runId, name, batchId, outputMode, sink, schema, rows, data } = this;
    return { id, runId, name, batchId, outputMode, sink, schema, rows, data };
  }
}
