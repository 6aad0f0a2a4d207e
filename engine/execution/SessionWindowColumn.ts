import type { DataType, Value } from "../expressions/types";
import type { ColumnVector } from "./ColumnarBatch";

/**
 * A `session_window` column kept as typed starts and ends. The `{ start, end }` structs a
 * ColumnVector holds are built only when something reads `values`; the session aggregation
 * reads `starts` and `ends` instead (a struct per row was a third of a session batch's time).
 */
export class SessionWindowColumn implements ColumnVector {
  readonly nulls = null;
  private built: Value[] | null = null;

  constructor(
    readonly dataType: DataType,
    readonly length: number,
    readonly starts: Float64Array,
    readonly ends: Float64Array,
  ) {}

  /** The rows at `sel[0..count)`, still typed. */
  gather(sel: Int32Array | readonly number[], count: number): SessionWindowColumn {
    const starts = new Float64Array(count);
    const ends = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const i = sel[k] as number;
      starts[k] = this.starts[i] as number;
      ends[k] = this.ends[i] as number;
    }
    return new SessionWindowColumn(this.dataType, count, starts, ends);
  }

  get values(): Value[] {
    if (this.built === null) {
      const { starts, ends } = this;
      const out: Value[] = new Array(this.length);
      for (let i = 0; i < this.length; i++) out[i] = { start: starts[i] as number, end: ends[i] as number };
      this.built = out;
    }
    return this.built;
  }
}
