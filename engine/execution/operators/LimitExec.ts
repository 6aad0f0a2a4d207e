import { selectRows, type ColumnarBatch } from "../ColumnarBatch";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";

/** The first `n` rows. */
export class LimitExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly n: number,
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
  }
  get output() {
    return this.child.output;
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    if (input.numRows <= this.n) return input;
    return selectRows(input, Array.from({ length: this.n }, (_, i) => i));
  }
  describe(): string {
    return `CollectLimit ${this.n}`;
  }
}
