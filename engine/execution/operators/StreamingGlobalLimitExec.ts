import type { StateStore } from "../../state/StateStore";
import { IllegalStateException } from "../../util/errors";
import { selectRows, type ColumnarBatch } from "../ColumnarBatch";
import {
  PhysicalOperator,
  type ExecContext,
  type OutputMode,
  type StateOperatorMetrics,
  type StatefulOperator,
} from "../PhysicalOperator";
import { emptyMetrics } from "./StateStoreSaveExec";

const COUNT_KEY = ["count"] as const;

/**
 * Spark's StreamingGlobalLimitExec (append mode): emits rows until `n` have been
 * emitted over the whole query, counting in the state store (key ["count"]).
 */
export class StreamingGlobalLimitExec extends PhysicalOperator implements StatefulOperator {
  readonly children: readonly PhysicalOperator[];
  readonly operatorName = "globalLimit";
  metrics: StateOperatorMetrics = emptyMetrics();

  constructor(
    readonly operatorId: number,
    readonly n: number,
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
  }
  get output() {
    return this.child.output;
  }
  shouldRunAnotherBatch(_newWatermarkMs: number, _outputMode: OutputMode): boolean {
    return false;
  }
  execute(ctx: ExecContext): ColumnarBatch {
    const store = ctx.stateStores.get(this.operatorId) as StateStore<number> | undefined;
    if (store === undefined) throw new IllegalStateException(`State store of operator ${this.operatorId} is not loaded`, "INTERNAL_ERROR");
    const input = this.child.execute(ctx);
    const emitted = store.get(COUNT_KEY) ?? 0;
    const take = Math.max(0, Math.min(this.n - emitted, input.numRows));
    if (take > 0) store.put(COUNT_KEY, emitted + take);
    this.metrics = { ...emptyMetrics(), numRowsTotal: store.numKeys(), numRowsUpdated: take > 0 ? 1 : 0, memoryUsedBytes: store.memoryUsedBytes() };
    return selectRows(
      input,
      Array.from({ length: take }, (_, i) => i),
    );
  }
  describe(): string {
    return `StreamingGlobalLimit ${this.n}, operatorId = ${this.operatorId}`;
  }
}
