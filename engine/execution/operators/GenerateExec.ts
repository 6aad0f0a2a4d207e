import type { Attribute, Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import type { Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import { ColumnBuilder, gatherRows, type ColumnarBatch } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/** explode(array): one output row per element; rows with a null or empty array produce none. */
export class GenerateExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly fn: CompiledExpr;
  constructor(
    readonly generator: Expr,
    readonly generatorOutput: Attribute,
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.fn = compileExpr(generator.kind === "explode" ? generator.child : generator, child.output);
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const f = this.fn(input, ctx);
    const sel: number[] = [];
    const out = new ColumnBuilder(this.generatorOutput.dataType);
    for (let i = 0; i < input.numRows; i++) {
      const arr = f(i) as Value[] | null;
      if (arr === null) continue;
      for (const v of arr) {
        sel.push(i);
        out.append(v);
      }
    }
    const base = gatherRows(input, sel);
    return { numRows: sel.length, columns: [...base.columns, out.build()] };
  }
  describe(): string {
    return `Generate ${exprString(this.generator)}`;
  }
}
