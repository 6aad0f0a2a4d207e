import type { DataType, Value } from "../expressions/types";
import type { ColumnVector } from "./ColumnarBatch";

/**
 * A window column (`window`, `session_window`) kept as typed starts and ends. The
 * `{ start, end }` structs a ColumnVector holds are built only when something reads
 * `values`; the session aggregation reads `starts` and `ends` instead (a struct per row was
 * a third of a session batch's time), and a windowed aggregation emits its windows this way
 * (an array of tens of thousands of references costs fresh memory every batch).
 */
export class TypedWindowColumn implements ColumnVector {
  readonly nulls = null;
  private built: Value[] | null = null;

  constructor(
    readonly dataType: DataType,
    readonly length: number,
    readonly starts: Float64Array,
    readonly ends: Float64Array,
  ) {}

  /** The rows at `sel[0..count)`, still typed. */
  gather(sel: Int32Array | readonly number[], count: number): TypedWindowColumn {
    const starts = new Float64Array(count);
    const ends = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const i = sel[k] as number;
      starts[k] = this.starts[i] as number;
      ends[k] = this.ends[i] as number;
    }
    return new TypedWindowColumn(this.dataType, count, starts, ends);
  }

  get values(): Value[] {
    if (this.built === null) {
      const { starts, ends } = this;
      const out: Value[] = [];
      // Rows of one window share one struct (values are immutable), as the state's columns do.
      let last: Value = null;
      for (let i = 0; i < this.length; i++) {
        const s = starts[i] as number;
        const e = ends[i] as number;
        if (last === null || (last as { start: number }).start !== s || (last as { end: number }).end !== e) last = { start: s, end: e };
        out.push(last);
      }
      this.built = out;
    }
    return this.built;
  }
}
