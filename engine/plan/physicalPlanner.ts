import type { PhysicalOperator } from "../execution/PhysicalOperator";
import { EventTimeWatermarkExec } from "../execution/operators/EventTimeWatermarkExec";
import { FilterExec } from "../execution/operators/FilterExec";
import { GenerateExec } from "../execution/operators/GenerateExec";
import { HashAggregateExec } from "../execution/operators/HashAggregateExec";
import { JoinExec } from "../execution/operators/JoinExec";
import { UnsupportedOperationException } from "../util/errors";
import { StreamingGlobalLimitExec } from "../execution/operators/StreamingGlobalLimitExec";
import { LimitExec } from "../execution/operators/LimitExec";
import { LocalScanExec } from "../execution/operators/LocalScanExec";
import { ProjectExec } from "../execution/operators/ProjectExec";
import { ScanExec } from "../execution/operators/ScanExec";
import { SortExec } from "../execution/operators/SortExec";
import { StateStoreSaveExec } from "../execution/operators/StateStoreSaveExec";
import { TimeWindowExpandExec } from "../execution/operators/TimeWindowExpandExec";
import { UnionExec } from "../execution/operators/UnionExec";
import { StreamingSymmetricHashJoinExec } from "../execution/operators/StreamingSymmetricHashJoinExec";
import { StreamingDeduplicateExec } from "../execution/operators/StreamingDeduplicateExec";
import { StreamingDeduplicateWithinWatermarkExec } from "../execution/operators/StreamingDeduplicateWithinWatermarkExec";
import { SessionWindowAssignExec } from "../execution/operators/SessionWindowAssignExec";
import { SessionWindowStateStoreSaveExec } from "../execution/operators/SessionWindowStateStoreSaveExec";
import type { SourceDescriptor } from "../sources/Source";
import { collectPlan, type Aggregate, type LogicalPlan, type SessionWindowAssign } from "./LogicalPlan";
import { PANE_SAFE_AGGREGATES, type PaneWindow } from "../execution/aggregation/AggregationLayout";
import { exists, references } from "../expressions/Expression";

/** A physical plan plus the streaming sources it reads, in source-index order. */
export interface PhysicalPlan {
  readonly root: PhysicalOperator;
  readonly sources: readonly SourceDescriptor[];
}

/**
 * Plans a (resolved, optimized) logical plan: one physical operator per node.
 * Streaming sources get indices in pre-order (the order of the offset log);
 * streaming aggregations become stateful operators with ids 0, 1, … in the
 * same order, which the checkpoint's state stores are keyed by.
 */
export function planPhysical(plan: LogicalPlan): PhysicalPlan {
  const sources: SourceDescriptor[] = [];
  let nextOperatorId = 0;
  const visit = (p: LogicalPlan): PhysicalOperator => {
    switch (p.kind) {
      case "streamingRelation": {
        const index = sources.length;
        sources.push(p.source);
        return new ScanExec(index, p.output, p.source.description);
      }
      case "localRelation":
        return new LocalScanExec(p.output, p.data);
      case "project":
        return new ProjectExec(p.projectList, p.output, visit(p.child));
      case "filter":
        return new FilterExec(p.condition, visit(p.child));
      case "aggregate": {
        const session = sessionAttrOf(p);
        if (session !== null) {
          const id = p.isStreaming ? nextOperatorId++ : -1;
          return new SessionWindowStateStoreSaveExec(id, p.groupingExpressions, p.aggregateExpressions, p.output, visit(p.child), session.id, session.dynamicGap);
        }
        const panes = paneWindowOf(p);
        const id = p.isStreaming ? nextOperatorId++ : -1;
        const child = visit(panes === null ? p.child : panes.input);
        const pane = panes === null ? null : panes.pane;
        if (p.isStreaming) return new StateStoreSaveExec(id, p.groupingExpressions, p.aggregateExpressions, p.output, child, pane);
        return new HashAggregateExec(p.groupingExpressions, p.aggregateExpressions, p.output, child, pane);
      }
      case "eventTimeWatermark":
        return new EventTimeWatermarkExec(p.eventTime, p.delayMs, visit(p.child));
      case "union":
        return new UnionExec(p.output, p.children.map(visit));
      case "sort":
        return new SortExec(p.order, visit(p.child));
      case "timeWindowExpand":
        return new TimeWindowExpandExec(p.timeExpr, p.windowMs, p.slideMs, p.startMs, p.windowAttr, p.output, visit(p.child));
      case "generate":
        return new GenerateExec(p.generator, p.generatorOutput, p.output, visit(p.child));
      case "limit": {
        // Streaming limits count across batches (state), except over a complete-mode
        // aggregation, whose every batch is the whole result.
        const overAggregate = p.child.kind === "aggregate" || (p.child.kind === "sort" && p.child.child.kind === "aggregate");
        if (p.isStreaming && !overAggregate) return new StreamingGlobalLimitExec(nextOperatorId++, p.n, visit(p.child));
        return new LimitExec(p.n, visit(p.child));
      }
      case "join":
        if (p.left.isStreaming && p.right.isStreaming) {
          const id = nextOperatorId++;
          return new StreamingSymmetricHashJoinExec(id, p.joinType, p.condition, p.output, visit(p.left), visit(p.right));
        }
        return new JoinExec(p.joinType, p.condition, p.output, visit(p.left), visit(p.right));
      case "deduplicate": {
        if (!p.isStreaming) throw new UnsupportedOperationException("Deduplicate of a static plan is planned as an aggregation", "INTERNAL_ERROR");
        const id = nextOperatorId++;
        const child = visit(p.child);
        return p.withinWatermark ? new StreamingDeduplicateWithinWatermarkExec(id, p.keys, child) : new StreamingDeduplicateExec(id, p.keys, child);
      }
      case "sessionWindowAssign":
        return new SessionWindowAssignExec(p.timeExpr, p.gapMs, p.gapExpr, p.sessionAttr, p.output, visit(p.child));
    }
  };
  const root = visit(plan);
  return { root, sources };
}

/**
 * Whether an aggregation grouped by a time window can be served by panes (each row
 * aggregated once, panes merged into windows) instead of expanding every row into
 * all its windows: the window must be a plain grouping key, and every aggregate must
 * be order-insensitive and not read the window.
 */
export function paneWindowOf(p: Aggregate): { input: LogicalPlan; pane: PaneWindow } | null {
  const expand = p.child;
  if (expand.kind !== "timeWindowExpand") return null;
  const wid = expand.windowAttr.id;
  const direct = p.groupingExpressions.filter((g) => g.kind === "attr" && g.id === wid);
  if (direct.length !== 1) return null;
  if (p.groupingExpressions.some((g) => !(g.kind === "attr" && g.id === wid) && references(g).has(wid))) return null;
  const badAgg = p.aggregateExpressions.some((e) =>
    exists(e, (n) => n.kind === "agg" && (!PANE_SAFE_AGGREGATES.has(n.fn) || n.args.some((a) => a.kind !== "star" && references(a).has(wid)))),
  );
  if (badAgg) return null;
  return {
    input: expand.child,
    pane: { timeExpr: expand.timeExpr, windowMs: expand.windowMs, slideMs: expand.slideMs, startMs: expand.startMs, windowAttrId: wid },
  };
}

/**
 * The session-window attribute an aggregation groups by (SessionWindowing): its id and
 * whether its gap is a per-row column; null when the aggregation has no session window.
 */
export function sessionAttrOf(p: Aggregate): { id: number; dynamicGap: boolean } | null {
  const assigns = collectPlan(p.child, (n): n is SessionWindowAssign => n.kind === "sessionWindowAssign");
  for (const a of assigns) {
    if (p.groupingExpressions.some((g) => g.kind === "attr" && g.id === a.sessionAttr.id)) return { id: a.sessionAttr.id, dynamicGap: a.gapExpr !== null };
  }
  return null;
}
