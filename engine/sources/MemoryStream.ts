import { ColumnBuilder, concatBatches, emptyBatch, type ColumnarBatch, type ColumnVector } from "../execution/ColumnarBatch";
import { isNumericStorage, toStructType, type SchemaLike, type StructField, type StructType, type Value } from "../expressions/types";
import { TypedSourceColumn, type NarrowNumberArray } from "../execution/TypedSourceColumn";
import { IllegalArgumentException } from "../util/errors";
import type { InjectedEvent, Offset, Source, SourceDescriptor } from "./Source";

/** What a MemoryStream row may be: a primitive (single-column streams) or an object by column name. */
export type MemoryStreamRow = number | string | boolean | null | Date | Record<string, unknown>;

let memoryStreamCounter = 0;

/** A numeric typed array other than the 64-bit integer ones (those are converted on arrival). */
type NumberArray = Float64Array | NarrowNumberArray;

/**
 * A unit added by column: numeric typed arrays kept as the caller gave them (a Float64Array
 * is the column itself; others become one when a batch reads them), other columns built.
 */
interface ColumnarUnit {
  readonly numRows: number;
  readonly columns: readonly (ColumnVector | NumberArray)[];
}

type Unit = ColumnarBatch | ColumnarUnit;

function isNumberArray(v: unknown): v is NumberArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

function toInternal(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "object" && !Array.isArray(v)) {
    const o: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = toInternal(x);
    return o;
  }
  if (Array.isArray(v)) return v.map(toInternal);
  return v as Value;
}

/**
 * The in-memory test source, like Spark's MemoryStream: each `addData` call is one
 * unit of data (offset + 1); a micro-batch reads every unit added since the last batch.
 * Offsets are the index of the last unit (LongOffset). Data stays, so a query
 * restarted from a checkpoint re-reads an uncommitted batch with the same rows.
 */
export class MemoryStreamSource implements Source {
  readonly schema: StructType;
  readonly name: string;
  private readonly batches: Unit[] = [];

  constructor(schema: SchemaLike, name?: string) {
    this.schema = toStructType(schema);
    this.name = name ?? `MemoryStream[${this.schema.fields.map((f) => f.name).join(",")}]`;
  }

  get description(): string {
    return this.name;
  }

  /**
   * Playground extension: one event by hand, as one unit of data: the event time goes to
   * the first timestamp column, the key to the first string column, the value to the
   * first other numeric column.
   */
  inject(event: InjectedEvent): void {
    const fields = this.schema.fields;
    const time = fields.find((f) => f.dataType === "timestamp");
    if (time === undefined) {
      throw new IllegalArgumentException(
        `${this.name} has no timestamp column to put an injected event's time in (columns: ${fields.map((f) => f.name).join(", ")}); add the row with addData instead.`,
        "INVALID_INJECTED_EVENT",
      );
    }
    const key = fields.find((f) => f.dataType === "string");
    const value = fields.find((f) => f !== time && isNumericStorage(f.dataType));
    const row: Record<string, unknown> = { [time.name]: event.eventTimeMs };
    if (key) row[key.name] = event.key;
    if (value) row[value.name] = event.value;
    this.addRows([row]);
  }

  /**
   * Adds one unit of data; returns its offset. Primitives fill the single column;
   * objects fill columns by name (missing names are null). Throws IllegalArgumentException
   * for a primitive on a multi-column stream.
   */
  addRows(rows: readonly MemoryStreamRow[]): number {
    const fields = this.schema.fields;
    const n = rows.length;
    const objects = n > 0 && rows.every((r) => r !== null && typeof r === "object" && !(r instanceof Date) && !Array.isArray(r));
    if (!objects && fields.length !== 1) {
      const bad = rows.find((r) => r === null || typeof r !== "object" || r instanceof Date || Array.isArray(r));
      throw new IllegalArgumentException(
        `MemoryStream has ${fields.length} columns (${fields.map((f) => f.name).join(", ")}); add objects like { ${fields.map((f) => `${f.name}: …`).join(", ")} }, not ${String(bad)}.`,
        "INVALID_MEMORY_STREAM_ROW",
      );
    }
    // Column by column: numeric columns are written straight into a Float64Array.
    const columns: ColumnVector[] = fields.map((f: StructField) => {
      const name = f.name;
      const read = objects ? (i: number) => (rows[i] as Record<string, unknown>)[name] : (i: number) => rows[i];
      if (isNumericStorage(f.dataType)) {
        const values = new Float64Array(n);
        let nulls: Uint8Array | null = null;
        for (let i = 0; i < n; i++) {
          const v = read(i);
          if (typeof v === "number") values[i] = v;
          else if (v instanceof Date) values[i] = v.getTime();
          else if (v === null || v === undefined) (nulls ??= new Uint8Array(n))[i] = 1;
          else if (typeof v === "bigint") values[i] = Number(v);
          else if (typeof v === "string" && !Number.isNaN(Number(v))) values[i] = Number(v);
          else (nulls ??= new Uint8Array(n))[i] = 1;
        }
        return { dataType: f.dataType, length: n, values, nulls };
      }
      const b = new ColumnBuilder(f.dataType, n);
      for (let i = 0; i < n; i++) b.append(toInternal(read(i)));
      return b.build();
    });
    this.batches.push({ numRows: n, columns });
    return this.batches.length - 1;
  }

  /**
   * Adds one unit of data given by column (name → values), all columns the same length.
   * Numeric typed arrays are kept, not copied: the stream owns them from then on, as a
   * transferred buffer (writing to one afterwards changes the stream's data). A
   * Float64Array is used as the column itself; other typed arrays are converted when a
   * batch reads them. Copying every unit into fresh memory was the largest cost of
   * feeding a stream by column. Missing columns are null. Throws IllegalArgumentException
   * on unequal lengths.
   */
  addColumns(columns: Readonly<Record<string, ArrayLike<unknown>>>): number {
    const fields = this.schema.fields;
    const lengths = new Set(Object.values(columns).map((c) => c.length));
    if (lengths.size > 1) {
      throw new IllegalArgumentException(`addColumns: columns have different lengths (${[...lengths].join(", ")}).`, "INVALID_MEMORY_STREAM_ROW");
    }
    const n = lengths.size === 0 ? 0 : ([...lengths][0] as number);
    const cols = fields.map((f: StructField): ColumnVector | NumberArray => {
      const src = columns[f.name];
      if (src === undefined) {
        const b = new ColumnBuilder(f.dataType, n);
        for (let i = 0; i < n; i++) b.append(null);
        return b.build();
      }
      if (isNumericStorage(f.dataType) && isNumberArray(src)) return src;
      if (isNumericStorage(f.dataType) && (src instanceof BigInt64Array || src instanceof BigUint64Array)) {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = Number(src[i]);
        return { dataType: f.dataType, length: n, values, nulls: null };
      }
      const b = new ColumnBuilder(f.dataType, n);
      for (let i = 0; i < n; i++) b.append(toInternal(src[i]));
      return b.build();
    });
    this.batches.push({ numRows: n, columns: cols });
    return this.batches.length - 1;
  }

  /**
   * A unit as a batch: a kept Float64Array is the column as it is; other typed arrays become
   * columns converted only if the query reads them (TypedSourceColumn).
   */
  private batchOf(unit: Unit): ColumnarBatch {
    if (unit.columns.every((c) => !isNumberArray(c))) return unit as ColumnarBatch;
    const fields = this.schema.fields;
    const columns = unit.columns.map((c, i): ColumnVector => {
      if (!isNumberArray(c)) return c;
      const dataType = (fields[i] as StructField).dataType;
      if (c instanceof Float64Array) return { dataType, length: c.length, values: c, nulls: null };
      return new TypedSourceColumn(dataType, c);
    });
    return { numRows: unit.numRows, columns };
  }

  latestOffset(): Offset | null {
    return this.batches.length === 0 ? null : this.batches.length - 1;
  }

  getBatch(start: Offset | null, end: Offset): ColumnarBatch {
    const from = start === null ? 0 : (start as number) + 1;
    const to = end as number;
    const types = this.schema.fields.map((f) => f.dataType);
    const parts = this.batches.slice(from, to + 1).map((u) => this.batchOf(u));
    return parts.length === 0 ? emptyBatch(types) : concatBatches(types, parts);
  }

  commit(): void {}
  stop(): void {}

  /** The plan-level descriptor: every query run reads this same data. */
  descriptor(): SourceDescriptor {
    return {
      format: "memory",
      schema: this.schema,
      options: {},
      description: this.name,
      create: () => this,
    };
  }

  /** A fresh id for names like "MemoryStream#3". */
  static nextId(): number {
    return ++memoryStreamCounter;
  }
}
