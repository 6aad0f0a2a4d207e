import { stripAlias, type Attribute, type Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import { exprString } from "../../plan/exprString";
import { evalColumn, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/**
 * Computes the project list. A bare column reference reuses the input column
 * (no copy); other expressions run their compiled function over the rows.
 */
export class ProjectExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly steps: ({ kind: "pass"; ordinal: number } | { kind: "eval"; fn: CompiledExpr })[];

  constructor(
    readonly projectList: readonly Expr[],
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.steps = projectList.map((e) => {
      const inner = stripAlias(e);
      if (inner.kind === "attr") {
        const ordinal = child.output.findIndex((a) => a.id === inner.id);
        if (ordinal >= 0) return { kind: "pass", ordinal } as const;
      }
      return { kind: "eval", fn: compileExpr(inner, child.output) } as const;
    });
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    return projectBatch(input, this.steps, this.output, ctx);
  }

  describe(): string {
    return `Project [${this.projectList.map(exprString).join(", ")}]`;
  }
}

function projectBatch(
  input: ColumnarBatch,
  steps: readonly ({ kind: "pass"; ordinal: number } | { kind: "eval"; fn: CompiledExpr })[],
  output: readonly Attribute[],
  ctx: ExecContext,
): ColumnarBatch {
  const n = input.numRows;
  const columns = steps.map((s, k): ColumnVector => {
    if (s.kind === "pass") return input.columns[s.ordinal] as ColumnVector;
    return evalColumn(s.fn(input, ctx), n, (output[k] as Attribute).dataType);
  });
  return { numRows: n, columns };
}
