import type { Attribute, Expr } from "../../expressions/Expression";
import { exprString } from "../../plan/exprString";
import type { ColumnarBatch } from "../ColumnarBatch";
import { AggregationLayout, type PaneWindow } from "../aggregation/AggregationLayout";
import type { AggBuffer } from "../aggregation/aggregateFunctions";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";
import type { Value } from "../../expressions/types";

/** Batch (stateless) hash aggregation: static DataFrames and foreachBatch batches. */
export class HashAggregateExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly layout: AggregationLayout;
  constructor(
    readonly groupingExpressions: readonly Expr[],
    readonly aggregateExpressions: readonly Expr[],
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
    readonly pane: PaneWindow | null = null,
  ) {
    super();
    this.children = [child];
    this.layout = new AggregationLayout(groupingExpressions, aggregateExpressions, child.output, output, pane);
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const partial = this.layout.aggregate(input, ctx);
    const groups: { k: Value[]; b: AggBuffer[] }[] = [];
    for (let g = 0; g < partial.numGroups; g++) {
      groups.push({ k: partial.keyValues.map((col) => col[g] ?? null), b: partial.accumulators.map((a) => a.buffer(g)) });
    }
    return this.layout.buildOutput(groups, ctx);
  }
  describe(): string {
    return `HashAggregate(keys=[${this.groupingExpressions.map(exprString).join(", ")}], functions=[${this.aggregateExpressions
      .map(exprString)
      .join(", ")}])${this.pane === null ? "" : `, panes of window(${this.pane.windowMs} ms, ${this.pane.slideMs} ms)`}`;
  }
}
