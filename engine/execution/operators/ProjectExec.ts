import { stripAlias, type Attribute, type Expr } from "../../expressions/Expression";
import { compileExpr, compileNumericColumn, type CompiledColumn, type CompiledExpr } from "../../expressions/compile";
import { isNumericStorage } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import { evalColumn, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/**
 * Computes the project list. A bare column reference reuses the input column
 * (no copy); other expressions run their compiled function over the rows.
 */
export class ProjectExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly steps: Step[];

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
      return { kind: "eval", fn: compileExpr(inner, child.output), column: compileNumericColumn(inner, child.output) } as const;
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

/** One projected column: the input column as it is, or an expression (with its whole-column form when it has one). */
type Step = { kind: "pass"; ordinal: number } | { kind: "eval"; fn: CompiledExpr; column: CompiledColumn | null };

function projectBatch(
  input: ColumnarBatch,
  steps: readonly Step[],
  output: readonly Attribute[],
  ctx: ExecContext,
): ColumnarBatch {
  const n = input.numRows;
  const columns = steps.map((s, k): ColumnVector => {
    if (s.kind === "pass") return input.columns[s.ordinal] as ColumnVector;
    const dataType = (output[k] as Attribute).dataType;
    if (s.column !== null && isNumericStorage(dataType)) {
      const values = s.column(input);
      if (values !== null) return { dataType, length: n, values, nulls: null };
    }
    return evalColumn(s.fn(input, ctx), n, dataType);
  });
  return { numRows: n, columns };
}
