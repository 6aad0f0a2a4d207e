import type { Expr } from "../../expressions/Expression";
import { compareValues, compileExpr, type CompiledExpr } from "../../expressions/compile";
import type { Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import { gatherRows, type ColumnarBatch } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/** Sorts the batch by the sort orders (stable; nulls first/last as specified). */
export class SortExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly keys: { fn: CompiledExpr; asc: boolean; nullsFirst: boolean }[];
  constructor(
    readonly order: readonly Expr[],
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.keys = order.map((o) => {
      if (o.kind !== "sortOrder") return { fn: compileExpr(o, child.output), asc: true, nullsFirst: true };
      return { fn: compileExpr(o.child, child.output), asc: o.ascending, nullsFirst: o.nullsFirst };
    });
  }
  get output() {
    return this.child.output;
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const n = input.numRows;
    const cols: Value[][] = this.keys.map((k) => {
      const f = k.fn(input, ctx);
      const out: Value[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = f(i);
      return out;
    });
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => {
      for (let k = 0; k < this.keys.length; k++) {
        const key = this.keys[k]!;
        const x = cols[k]![a] ?? null;
        const y = cols[k]![b] ?? null;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === key.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return key.asc ? c : -c;
      }
      return a - b;
    });
    return gatherRows(input, idx);
  }
  describe(): string {
    return `Sort [${this.order.map(exprString).join(", ")}], true`;
  }
}
