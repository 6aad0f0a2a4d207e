import type { WirePlanNode, WireProgress } from "../../../engine/worker/protocol";

const count = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));

/**
 * The query's physical plan as a graph, the sink side at the top as in Spark's
 * UI: each operator with the rows it took in and gave out in the latest batch,
 * and the rows in state for stateful operators.
 */
export function PlanView({ progress }: { progress: readonly WireProgress[] }) {
  const last = progress.at(-1);
  if (!last?.plan) return <p className="muted">The plan appears after the first batch.</p>;
  return (
    <div className="plan-view" data-testid="plan-view">
      <p className="muted">
        Batch {last.batchId}: rows in → out per operator{last.numInputRows === 0 ? " (a no-data batch: most operators did not run)" : ""}.
      </p>
      <PlanNodeView node={last.plan} />
    </div>
  );
}

function PlanNodeView({ node }: { node: WirePlanNode }) {
  return (
    <div className="plan-node-wrap">
      <div className="plan-node" data-testid="plan-node" data-name={node.name} data-rows-out={node.rowsOut ?? ""} title={node.description}>
        <div className="plan-node__name">{node.name}</div>
        <div className="plan-node__detail">{node.description}</div>
        <div className="plan-node__rows">
          {node.rowsIn !== null && <span>{count(node.rowsIn)} in → </span>}
          <span>{count(node.rowsOut)} out</span>
          {node.stateRows !== null && <span className="chip">{count(node.stateRows)} rows in state</span>}
        </div>
      </div>
      {node.children.length > 0 && (
        <div className="plan-node__children">
          {node.children.map((c) => (
            <PlanNodeView key={c.id} node={c} />
          ))}
        </div>
      )}
    </div>
  );
}
