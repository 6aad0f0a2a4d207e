import type { DataType } from "../expressions/types";
import type { ColumnVector } from "./ColumnarBatch";

/** A numeric typed array other than Float64Array and the 64-bit integer ones. */
export type NarrowNumberArray = Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/**
 * A numeric column kept as the typed array a source was given (an `Int32Array` of keys,
 * say). It becomes the engine's `Float64Array` column only when something reads `values`,
 * and a filter gathers its rows straight from the source: converting every column of every
 * batch into fresh memory cost more than the queries that never read some of them.
 */
export class TypedSourceColumn implements ColumnVector {
  readonly nulls = null;
  private converted: Float64Array | null = null;

  constructor(
    readonly dataType: DataType,
    readonly source: NarrowNumberArray,
  ) {}

  get length(): number {
    return this.source.length;
  }

  get values(): Float64Array {
    if (this.converted === null) {
      // A native conversion copy (Float64Array.from would go through the iterator).
      this.converted = new Float64Array(this.source.length);
      this.converted.set(this.source);
    }
    return this.converted;
  }

  /**
   * The values as a Float64Array, for a reader done with them before the batch ends: when
   * nothing has converted the column yet, they are copied into the caller's array (a
   * scratch kept from batch to batch) instead of into fresh memory the column would keep.
   */
  valuesInto(into: () => Float64Array): Float64Array {
    if (this.converted !== null) return this.converted;
    const out = into();
    out.set(this.source);
    return out;
  }

  /** The rows at `sel[0..count)` as a Float64Array column, read from the source. */
  gather(sel: Int32Array | readonly number[], count: number): ColumnVector {
    const src = this.converted ?? this.source;
    const values = new Float64Array(count);
    for (let k = 0; k < count; k++) values[k] = src[sel[k] as number] as number;
    return { dataType: this.dataType, length: count, values, nulls: null };
  }
}

/**
 * A null-free numeric column's values as a Float64Array, for a reader done with them before
 * the batch ends: a source's narrow column copied into `into`'s array (`valuesInto`), a
 * Float64Array column as it is; null for any other column (nulls, or not numbers).
 */
export function nullFreeNumbers(c: ColumnVector | undefined, into: () => Float64Array): Float64Array | null {
  if (c instanceof TypedSourceColumn) return c.valuesInto(into);
  return c !== undefined && c.values instanceof Float64Array && c.nulls === null ? c.values : null;
}
