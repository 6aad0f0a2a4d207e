import type { Attribute, Expr } from "../../expressions/Expression";
import { compileExpr, windowStart, type CompiledExpr } from "../../expressions/compile";
import type { Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import { gatherRows, type ColumnarBatch } from "../ColumnarBatch";
import { attrString, PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/**
 * Spark's TimeWindowing (Expand + Filter): appends the `window` struct, one output
 * row per window containing the row's time ([start, end), aligned to the epoch plus
 * startTime). Rows with a null time are dropped.
 */
export class TimeWindowExpandExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly timeFn: CompiledExpr;
  constructor(
    readonly timeExpr: Expr,
    readonly windowMs: number,
    readonly slideMs: number,
    readonly startMs: number,
    readonly windowAttr: Attribute,
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.timeFn = compileExpr(timeExpr, child.output);
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const time = this.timeFn(input, ctx);
    const n = input.numRows;
    const { windowMs, slideMs, startMs } = this;
    const maxOverlap = Math.ceil(windowMs / slideMs);
    const sel: number[] = [];
    const windows: Value[] = [];
    for (let i = 0; i < n; i++) {
      const t = time(i) as number | null;
      if (t === null) continue;
      const last = windowStart(t, slideMs, startMs);
      for (let k = 0; k < maxOverlap; k++) {
        const s = last - k * slideMs;
        if (s <= t && t < s + windowMs) {
          sel.push(i);
          windows.push({ start: s, end: s + windowMs });
        }
      }
    }
    const base = gatherRows(input, sel);
    return {
      numRows: sel.length,
      columns: [...base.columns, { dataType: this.windowAttr.dataType, length: sel.length, values: windows, nulls: null }],
    };
  }
  describe(): string {
    return `Expand [window(${exprString(this.timeExpr)}, ${this.windowMs * 1000}, ${this.slideMs * 1000}, ${this.startMs * 1000}) AS ${attrString(this.windowAttr)}]`;
  }
}
