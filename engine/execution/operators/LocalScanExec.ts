import type { Attribute } from "../../expressions/Expression";
import type { ColumnarBatch } from "../ColumnarBatch";
import { attrString, PhysicalOperator } from "../PhysicalOperator";

/** Returns in-memory rows (Spark's LocalTableScanExec). */
export class LocalScanExec extends PhysicalOperator {
  readonly children = [];
  constructor(
    readonly output: readonly Attribute[],
    private readonly data: ColumnarBatch,
  ) {
    super();
  }
  execute(): ColumnarBatch {
    return this.data;
  }
  describe(): string {
    return `LocalTableScan [${this.output.map(attrString).join(", ")}]`;
  }
}
