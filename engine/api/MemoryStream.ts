import type { SchemaLike } from "../expressions/types";
import { streamingRelation } from "../plan/analyzer";
import { MemoryStreamSource, type MemoryStreamRow } from "../sources/MemoryStream";
import { DataFrame } from "./DataFrame";
import type { SparkSession } from "./SparkSession";

export type { MemoryStreamRow } from "../sources/MemoryStream";

/**
 * The test source (Spark's MemoryStream): add data, then run a batch.
 * Each `addData` call is one unit (several calls before a batch are read together).
 *
 * @example
 * const input = new MemoryStream(spark, { value: "long" });
 * const q = input.toDF().writeStream.format("memory").queryName("t").trigger({ manual: true }).start();
 * input.addData(1, 2, 3);
 * await q.processAllAvailable();
 */
export class MemoryStream {
  private readonly source: MemoryStreamSource;
  private readonly id: number;

  /** @param schema e.g. `{ value: "long" }` (default) or `{ _1: "string", _2: "long" }` */
  constructor(
    private readonly spark: SparkSession,
    schema: SchemaLike = { value: "long" },
  ) {
    this.id = MemoryStreamSource.nextId();
    this.source = new MemoryStreamSource(schema, `MemoryStream#${this.id}`);
  }

  /**
   * Adds rows as one unit of data; returns its offset. Primitives fill the single column,
   * objects fill columns by name (numbers in a timestamp column are epoch ms; Dates work too).
   * A single array argument is taken as the list of rows (`addData([1, 2, 3])`), which also
   * avoids spreading very large inputs. Throws IllegalArgumentException for a primitive on a
   * multi-column stream.
   */
  addData(...rows: (MemoryStreamRow | MemoryStreamRow[])[]): number {
    const only = rows[0];
    if (rows.length === 1 && Array.isArray(only) && !this.takesArrays()) return this.source.addRows(only);
    return this.source.addRows(rows as MemoryStreamRow[]);
  }

  /**
   * Playground extension: adds one unit of data by column, e.g.
   * `input.addColumns({ eventTime: Float64Array, key: Int32Array, value: Int32Array })`.
   * Typed arrays go straight into the columnar batch (no per-row objects, no copy: the stream
   * keeps them, so do not write to them afterwards); numbers in a timestamp column are epoch
   * ms. Returns the offset. Throws on columns of unequal length.
   */
  addColumns(columns: Readonly<Record<string, ArrayLike<unknown>>>): number {
    return this.source.addColumns(columns);
  }

  private takesArrays(): boolean {
    const f = this.source.schema.fields;
    return f.length === 1 && typeof f[0]?.dataType !== "string" && f[0]?.dataType.type === "array";
  }

  /** The streaming DataFrame of this stream (the same source every time). */
  toDF(): DataFrame {
    return new DataFrame(this.spark, streamingRelation(this.source.descriptor()));
  }

  /** `MemoryStream#n` */
  toString(): string {
    return `MemoryStream#${this.id}`;
  }
}
