import type { Attribute, Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import { exprString } from "../../plan/exprString";
import { selectRows, type ColumnarBatch } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";
import { ScratchSlot } from "../../util/scratch";
import { nullFreeNumbers } from "../TypedSourceColumn";

/** Keeps rows whose condition is true (null and false drop the row). Builds a selection vector, then gathers columns. */
export class FilterExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly fn: CompiledExpr;
  /** The selection vector: gathered from, never kept. */
  private readonly selScratch = new ScratchSlot();
  /** A narrow source column's values, compared and dropped. */
  private readonly valuesScratch = new ScratchSlot();
  constructor(
    readonly condition: Expr,
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.fn = compileExpr(condition, child.output);
    this.fast = columnVsLiteral(condition, child.output);
  }
  /** `column <op> literal` over a numeric column: a tight loop when the column is null-free. */
  private readonly fast: { ordinal: number; op: string; c: number } | null;
  get output() {
    return this.child.output;
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const n = input.numRows;
    const sel = this.selScratch.int32(n);
    let k = 0;
    const fast = this.fast;
    // A source's narrow column is compared from a working copy, not converted into fresh memory.
    const values = fast === null ? null : nullFreeNumbers(input.columns[fast.ordinal], () => this.valuesScratch.float64(n));
    if (fast !== null && values !== null) {
      // The same comparisons as the compiled fast path, without a call per row.
      k = selectCompare(values, n, fast.op, fast.c, sel);
    } else {
      const pred = this.fn(input, ctx);
      for (let i = 0; i < n; i++) if (pred(i) === true) sel[k++] = i;
    }
    return selectRows(input, sel, k);
  }
  describe(): string {
    return `Filter ${exprString(this.condition)}`;
  }
}

const FLIPPED: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" };

/** `attr <op> literal` (or `literal <op> attr`, flipped) over a numeric attribute, else null. */
function columnVsLiteral(e: Expr, input: readonly Attribute[]): { ordinal: number; op: string; c: number } | null {
  if (e.kind !== "binary" || FLIPPED[e.op] === undefined) return null;
  const numericAttr = (x: Expr) =>
    x.kind === "attr" && (x.dataType === "long" || x.dataType === "int" || x.dataType === "double" || x.dataType === "timestamp")
      ? input.findIndex((a) => a.id === x.id)
      : -1;
  if (e.right.kind === "literal" && typeof e.right.value === "number") {
    const o = numericAttr(e.left);
    return o >= 0 ? { ordinal: o, op: e.op, c: e.right.value } : null;
  }
  if (e.left.kind === "literal" && typeof e.left.value === "number") {
    const o = numericAttr(e.right);
    return o >= 0 ? { ordinal: o, op: FLIPPED[e.op] as string, c: e.left.value } : null;
  }
  return null;
}

/**
 * Indices i < n with `v[i] <op> c` into `sel`; returns their count. Branch-free loops (every
 * index is written, the count advances by the comparison): selective filters over random
 * data would otherwise mispredict a branch per row. `sel` must hold n entries.
 */
function selectCompare(v: Float64Array, n: number, op: string, c: number, sel: Int32Array): number {
  let k = 0;
  switch (op) {
    case "<":
      for (let i = 0; i < n; i++) {
        sel[k] = i;
        k += +((v[i] as number) < c);
      }
      break;
    case "<=":
      for (let i = 0; i < n; i++) {
        sel[k] = i;
        k += +((v[i] as number) <= c);
      }
      break;
    case ">":
      for (let i = 0; i < n; i++) {
        sel[k] = i;
        k += +((v[i] as number) > c);
      }
      break;
    case ">=":
      for (let i = 0; i < n; i++) {
        sel[k] = i;
        k += +((v[i] as number) >= c);
      }
      break;
    case "=":
      for (let i = 0; i < n; i++) {
        sel[k] = i;
        k += +((v[i] as number) === c);
      }
      break;
    default:
      for (let i = 0; i < n; i++) {
        sel[k] = i;
        k += +((v[i] as number) !== c);
      }
  }
  return k;
}
