import type { Attribute } from "../../expressions/Expression";
import { emptyBatch, type ColumnarBatch } from "../ColumnarBatch";
import { attrString, PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/** Reads the current micro-batch's data of streaming source `sourceIndex` (Spark's MicroBatchScan). */
export class ScanExec extends PhysicalOperator {
  readonly children = [];
  constructor(
    readonly sourceIndex: number,
    readonly output: readonly Attribute[],
    readonly description: string,
  ) {
    super();
  }
  execute(ctx: ExecContext): ColumnarBatch {
    return ctx.sourceData[this.sourceIndex] ?? emptyBatch(this.output.map((a) => a.dataType));
  }
  describe(): string {
    return `MicroBatchScan[${this.output.map(attrString).join(", ")}] ${this.description}`;
  }
}
