import { exists } from "../expressions/Expression";
import { StateStoreSaveExec } from "./operators/StateStoreSaveExec";
import { collectOperators, type ExecContext, type PhysicalOperator, type StatefulOperator } from "./PhysicalOperator";

/** One operator of a running query's physical plan, with what it did in the last batch it ran. */
export interface PlanGraphNode {
  /** Position in the plan (pre-order), stable for the run. */
  id: number;
  /** The operator, e.g. "Project", "StateStoreSave". */
  name: string;
  /** Its explain() line. */
  description: string;
  /** Rows its children produced for it in the last batch (null for a leaf or when it did not run). */
  rowsIn: number | null;
  /** Rows it produced in the last batch (null when it did not run in it). */
  rowsOut: number | null;
  /** For a stateful operator, the rows in its state. */
  stateRows: number | null;
  children: PlanGraphNode[];
}

interface Recorded {
  batchId: number;
  rows: number;
}

const recorded = new WeakMap<PhysicalOperator, Recorded>();

/**
 * Counts the rows each operator of a physical plan produces, batch by batch, for
 * the notebook's plan view. Wraps each operator's `execute` once (idempotent); the
 * cost is one assignment per operator per batch.
 */
export function instrumentPlan(root: PhysicalOperator): void {
  for (const op of collectOperators(root)) {
    if (recorded.has(op)) continue;
    recorded.set(op, { batchId: -2, rows: 0 });
    const execute = op.execute.bind(op);
    op.execute = (ctx: ExecContext) => {
      const out = execute(ctx);
      recorded.set(op, { batchId: ctx.batchId, rows: out.numRows });
      return out;
    };
  }
}

/**
 * The plan as a tree, the sink side first, with each operator's rows in and out
 * for `batchId` (operators that did not run in it, as in a no-data batch, show null).
 */
export function planGraph(root: PhysicalOperator, batchId: number): PlanGraphNode {
  let next = 0;
  const rowsOf = (op: PhysicalOperator): number | null => {
    const r = recorded.get(op);
    return r && r.batchId === batchId ? r.rows : null;
  };
  const build = (op: PhysicalOperator): PlanGraphNode => {
    const id = next++;
    const children = op.children.map(build);
    const description = op.describe();
    const ins = op.children.map(rowsOf);
    const stateful = op as Partial<StatefulOperator>;
    return {
      id,
      name: description.split(/[\s[(]/)[0] ?? description,
      description,
      rowsIn: ins.length === 0 || ins.some((n) => n === null) ? null : ins.reduce((a, b) => (a ?? 0) + (b ?? 0), 0),
      rowsOut: rowsOf(op),
      stateRows: stateful.metrics && typeof stateful.operatorId === "number" ? stateful.metrics.numRowsTotal : null,
      children,
    };
  };
  return build(root);
}

/**
 * The output columns that identify a row of a streaming aggregation's result (its
 * grouping columns, where they reach the sink unchanged), by name: what an update-mode
 * table keys its rows by. Null when the plan has no aggregation or they were renamed.
 */
export function groupingColumnsOf(root: PhysicalOperator): string[] | null {
  const agg = collectOperators(root).find((op): op is StateStoreSaveExec => op instanceof StateStoreSaveExec);
  if (!agg) return null;
  const keyIds = new Set(
    agg.output.filter((_, i) => {
      const e = agg.aggregateExpressions[i];
      return e !== undefined && !exists(e, (x) => x.kind === "agg");
    }).map((a) => a.id),
  );
  const names = root.output.filter((a) => keyIds.has(a.id)).map((a) => a.name);
  return names.length > 0 ? names : null;
}
