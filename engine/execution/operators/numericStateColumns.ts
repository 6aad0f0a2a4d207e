import type { DataType, Value } from "../../expressions/types";
import { decodeValuePart, type NumericValuePart } from "../../state/NumericStateFormat";
import type { NumericStateTable } from "../../state/NumericStateTable";
import { evalColumn, type ColumnVector } from "../ColumnarBatch";
import { TypedWindowColumn } from "../TypedWindowColumn";
import type { AggregateFunction } from "../aggregation/aggregateFunctions";

/**
 * Output columns read from NumericStateTable entries (a removed entry's data stays readable in
 * its batch): what the numeric aggregation and session states emit.
 */

/** Key slot `slot` of entries `es` as a numeric column (nulls from the key's null flags). */
export function numberKeyColumn(table: NumericStateTable, es: ArrayLike<number>, slot: number, dataType: DataType): ColumnVector {
  const n = es.length;
  const data = table.data;
  const values = new Float64Array(n);
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const e = es[i] as number;
    if (table.keyNulls[e * table.kw + slot] === 1) (nulls ??= new Uint8Array(n))[i] = 1;
    else values[i] = data[table.keyOffset(e) + slot] as number;
  }
  return { dataType, length: n, values, nulls };
}

/**
 * Slots `offsets` of entries `es` (offsets from each entry's `keyOffset`), one array per offset,
 * read in one pass: an entry's record is read once for all the columns, not once per column
 * (the entries of a window of 1e5 keys lie scattered: each record is a cache miss).
 */
export function gatherRecords(table: NumericStateTable, es: ArrayLike<number>, offsets: readonly number[]): Float64Array[] {
  const n = es.length;
  const data = table.data;
  const stride = table.stride;
  const outs = offsets.map(() => new Float64Array(n));
  const m = offsets.length;
  // The common widths unrolled: a window and a key, and a count.
  if (m === 4) {
    const [a, b, c, d] = outs as [Float64Array, Float64Array, Float64Array, Float64Array];
    const [oa, ob, oc, od] = offsets as [number, number, number, number];
    for (let i = 0; i < n; i++) {
      const base = (es[i] as number) * stride;
      a[i] = data[base + oa] as number;
      b[i] = data[base + ob] as number;
      c[i] = data[base + oc] as number;
      d[i] = data[base + od] as number;
    }
    return outs;
  }
  for (let i = 0; i < n; i++) {
    const base = (es[i] as number) * stride;
    for (let j = 0; j < m; j++) (outs[j] as Float64Array)[i] = data[base + (offsets[j] as number)] as number;
  }
  return outs;
}

/**
 * Windows `{ start, end }` of entries `es`, read at `startAt` and `endAt` of each entry's record
 * (offsets from `keyOffset(e)`); null where key slot `nullSlot` is null (−1: never). Typed
 * (TypedWindowColumn) unless a window is null; otherwise consecutive rows of one window
 * share one object (values are immutable).
 */
export function windowColumn(table: NumericStateTable, es: ArrayLike<number>, startAt: number, endAt: number, nullSlot: number, dataType: DataType): ColumnVector {
  const n = es.length;
  const data = table.data;
  const stride = table.stride;
  const kw = table.kw;
  const keyNulls = table.keyNulls;
  if (nullSlot < 0 || !anyNull(keyNulls, es, kw, nullSlot)) {
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const base = (es[i] as number) * stride;
      starts[i] = data[base + startAt] as number;
      ends[i] = data[base + endAt] as number;
    }
    return new TypedWindowColumn(dataType, n, starts, ends);
  }
  const values: Value[] = new Array(n);
  let lastStart = NaN;
  let lastEnd = NaN;
  let last: Value = null;
  for (let i = 0; i < n; i++) {
    const e = es[i] as number;
    if (nullSlot >= 0 && keyNulls[e * kw + nullSlot] === 1) {
      values[i] = null;
      continue;
    }
    const s = data[e * stride + startAt] as number;
    const t = data[e * stride + endAt] as number;
    if (s !== lastStart || t !== lastEnd) {
      lastStart = s;
      lastEnd = t;
      last = { start: s, end: t };
    }
    values[i] = last;
  }
  return { dataType, length: n, values, nulls: null };
}

/** Whether key slot `slot` is null for any of entries `es`. */
function anyNull(keyNulls: Uint8Array, es: ArrayLike<number>, kw: number, slot: number): boolean {
  for (let i = 0; i < es.length; i++) if (keyNulls[(es[i] as number) * kw + slot] === 1) return true;
  return false;
}

/** The results of aggregate buffer part `p` (at `offset` in each entry's value) of entries `es`. */
export function aggregateColumn(table: NumericStateTable, es: ArrayLike<number>, offset: number, p: NumericValuePart, fn: AggregateFunction, dataType: DataType): ColumnVector {
  const n = es.length;
  const data = table.data;
  if (p === "number") {
    // A count: the stored number is the result.
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = data[table.valueOffset(es[i] as number) + offset] as number;
    return { dataType, length: n, values, nulls: null };
  }
  return evalColumn((i) => fn.result(decodeValuePart(p, data, table.valueOffset(es[i] as number) + offset)), n, dataType);
}
