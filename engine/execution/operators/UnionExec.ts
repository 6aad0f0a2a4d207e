import type { Attribute } from "../../expressions/Expression";
import { concatBatches, type ColumnarBatch } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/** Concatenates its children's batches (by position). */
export class UnionExec extends PhysicalOperator {
  constructor(
    readonly output: readonly Attribute[],
    readonly children: readonly PhysicalOperator[],
  ) {
    super();
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const types = this.output.map((a) => a.dataType);
    return concatBatches(types, this.children.map((c) => c.execute(ctx)));
  }
  describe(): string {
    return "Union";
  }
}
