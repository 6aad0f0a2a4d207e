import { isNumericStorage, type DataType, type StructField, type Value } from "../expressions/types";
import { TypedWindowColumn } from "./TypedWindowColumn";
import { TypedSourceColumn } from "./TypedSourceColumn";

/**
 * A column of a batch. Numbers and timestamps (epoch ms) live in a Float64Array;
 * other types in a plain array. `nulls[i] === 1` marks a null (numeric columns only;
 * plain arrays hold `null` directly).
 */
export interface ColumnVector {
  readonly dataType: DataType;
  readonly length: number;
  readonly values: Float64Array | Value[];
  readonly nulls: Uint8Array | null;
}

/** A batch of rows stored by column. Immutable once built. */
export interface ColumnarBatch {
  readonly numRows: number;
  readonly columns: readonly ColumnVector[];
}

/** Reads value `i` of a column (null-aware). */
export function getValue(c: ColumnVector, i: number): Value {
  if (c.nulls !== null && c.nulls[i] === 1) return null;
  return (c.values as Value[])[i] ?? null;
}

/** Appends values of one type, choosing the typed storage. */
export class ColumnBuilder {
  private readonly numeric: boolean;
  private nums: Float64Array;
  private objs: Value[];
  private nulls: Uint8Array | null = null;
  private n = 0;

  constructor(
    readonly dataType: DataType,
    capacity = 16,
  ) {
    this.numeric = isNumericStorage(dataType);
    this.nums = this.numeric ? new Float64Array(Math.max(capacity, 4)) : new Float64Array(0);
    this.objs = [];
  }

  /** Appends one value (null allowed). */
  append(v: Value): void {
    if (this.numeric) {
      if (this.n === this.nums.length) this.grow();
      if (v === null || typeof v !== "number") {
        if (this.nulls === null) this.nulls = new Uint8Array(this.nums.length);
        this.nulls[this.n] = 1;
      } else {
        this.nums[this.n] = v;
      }
    } else {
      this.objs.push(v);
    }
    this.n++;
  }

  private grow(): void {
    const next = new Float64Array(this.nums.length * 2);
    next.set(this.nums);
    this.nums = next;
    if (this.nulls !== null) {
      const nn = new Uint8Array(next.length);
      nn.set(this.nulls);
      this.nulls = nn;
    }
  }

  /** Number of values appended. */
  get length(): number {
    return this.n;
  }

  /** Finishes the column. The builder must not be used afterwards. */
  build(): ColumnVector {
    if (this.numeric) {
      return {
        dataType: this.dataType,
        length: this.n,
        values: this.nums.length === this.n ? this.nums : this.nums.slice(0, this.n),
        nulls: this.nulls === null ? null : this.nulls.slice(0, this.n),
      };
    }
    return { dataType: this.dataType, length: this.n, values: this.objs, nulls: null };
  }
}

/**
 * Evaluates `f` for rows 0..n-1 into a column. Numeric types are written straight into a
 * Float64Array (the hot path of projections); others into a plain array.
 */
export function evalColumn(f: (row: number) => Value, n: number, dataType: DataType): ColumnVector {
  if (isNumericStorage(dataType)) {
    const values = new Float64Array(n);
    let nulls: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const v = f(i);
      if (typeof v === "number") values[i] = v;
      else (nulls ??= new Uint8Array(n))[i] = 1;
    }
    return { dataType, length: n, values, nulls };
  }
  const values: Value[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = f(i);
  return { dataType, length: n, values, nulls: null };
}

/** Builds a column from values. */
export function columnFromValues(dataType: DataType, values: readonly Value[]): ColumnVector {
  const b = new ColumnBuilder(dataType, values.length);
  for (const v of values) b.append(v);
  return b.build();
}

/** Builds a batch from row arrays (`rows[r][c]`) and column types. */
export function batchFromRows(types: readonly DataType[], rows: readonly (readonly Value[])[]): ColumnarBatch {
  const builders = types.map((t) => new ColumnBuilder(t, rows.length));
  for (const row of rows) for (let c = 0; c < builders.length; c++) (builders[c] as ColumnBuilder).append(row[c] ?? null);
  return { numRows: rows.length, columns: builders.map((b) => b.build()) };
}

/** An empty batch with the given column types. */
export function emptyBatch(types: readonly DataType[]): ColumnarBatch {
  return batchFromRows(types, []);
}

/** The rows of a batch as arrays of values. */
export function batchToRows(b: ColumnarBatch): Value[][] {
  const out: Value[][] = new Array(b.numRows);
  for (let i = 0; i < b.numRows; i++) {
    const row: Value[] = new Array(b.columns.length);
    for (let c = 0; c < b.columns.length; c++) row[c] = getValue(b.columns[c] as ColumnVector, i);
    out[i] = row;
  }
  return out;
}

/** Keeps the rows whose index is in `sel` (ascending), column by column; returns `b` itself when all rows are kept. */
export function selectRows(b: ColumnarBatch, sel: Int32Array | number[], count = sel.length): ColumnarBatch {
  if (count === b.numRows) return b;
  return gatherRows(b, sel, count);
}

/** The rows at the indices `sel[0..count)` in that order (a permutation, a selection or repeats). */
export function gatherRows(b: ColumnarBatch, sel: Int32Array | number[], count = sel.length): ColumnarBatch {
  const cols = b.columns.map((c): ColumnVector => {
    if (c instanceof TypedWindowColumn || c instanceof TypedSourceColumn) return c.gather(sel, count);
    if (c.values instanceof Float64Array) {
      const vals = sel instanceof Int32Array ? gatherFloat64(c.values, sel, count) : gatherFloat64List(c.values, sel, count);
      let nulls: Uint8Array | null = null;
      if (c.nulls !== null) {
        nulls = new Uint8Array(count);
        for (let k = 0; k < count; k++) nulls[k] = c.nulls[sel[k] as number] as number;
      }
      return { dataType: c.dataType, length: count, values: vals, nulls };
    }
    const src = c.values;
    const vals: Value[] = new Array(count);
    for (let k = 0; k < count; k++) vals[k] = src[sel[k] as number] ?? null;
    return { dataType: c.dataType, length: count, values: vals, nulls: null };
  });
  return { numRows: count, columns: cols };
}

// Hot loops: one monomorphic function per index type (a shared loop over both Int32Array and
// number[] indices runs several times slower).
function gatherFloat64(src: Float64Array, sel: Int32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = src[sel[k] as number] as number;
  return out;
}

function gatherFloat64List(src: Float64Array, sel: readonly number[], count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = src[sel[k] as number] as number;
  return out;
}

/** Concatenates batches with the same column types. */
export function concatBatches(types: readonly DataType[], batches: readonly ColumnarBatch[]): ColumnarBatch {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  if (nonEmpty.length === 1) return nonEmpty[0] as ColumnarBatch;
  const total = nonEmpty.reduce((s, b) => s + b.numRows, 0);
  const builders = types.map((t) => new ColumnBuilder(t, total));
  for (const b of nonEmpty) {
    for (let c = 0; c < types.length; c++) {
      const col = b.columns[c] as ColumnVector;
      const builder = builders[c] as ColumnBuilder;
      for (let i = 0; i < b.numRows; i++) builder.append(getValue(col, i));
    }
  }
  return { numRows: total, columns: builders.map((b) => b.build()) };
}

/** Schema fields → types, in order. */
export function fieldTypes(fields: readonly StructField[]): DataType[] {
  return fields.map((f) => f.dataType);
}
