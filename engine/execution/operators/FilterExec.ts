import type { Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import { exprString } from "../../plan/exprString";
import { selectRows, type ColumnarBatch } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/** Keeps rows whose condition is true (null and false drop the row). Builds a selection vector, then gathers columns. */
export class FilterExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly fn: CompiledExpr;
  constructor(
    readonly condition: Expr,
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.fn = compileExpr(condition, child.output);
  }
  get output() {
    return this.child.output;
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const pred = this.fn(input, ctx);
    const n = input.numRows;
    const sel = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) if (pred(i) === true) sel[k++] = i;
    return selectRows(input, sel, k);
  }
  describe(): string {
    return `Filter ${exprString(this.condition)}`;
  }
}
