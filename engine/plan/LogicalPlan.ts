import type { Attribute, Expr } from "../expressions/Expression";
import type { ColumnarBatch } from "../execution/ColumnarBatch";
import type { SourceDescriptor } from "../sources/Source";

/**
 * Logical plan nodes, always resolved: every node knows its `output`
 * attributes (ids, names, types, event-time metadata) and whether it is
 * streaming. The DataFrame API builds them through plan/analyzer.ts.
 */

interface Base {
  readonly output: readonly Attribute[];
  readonly isStreaming: boolean;
}

/** A streaming source (Spark's StreamingRelationV2). */
export interface StreamingRelation extends Base {
  readonly kind: "streamingRelation";
  readonly source: SourceDescriptor;
}

/** In-memory rows (createDataFrame, memory-sink tables, foreachBatch batches). */
export interface LocalRelation extends Base {
  readonly kind: "localRelation";
  readonly data: ColumnarBatch;
  readonly name?: string;
}

/** Computes named expressions (attributes or aliases) per row. */
export interface Project extends Base {
  readonly kind: "project";
  readonly projectList: readonly Expr[];
  readonly child: LogicalPlan;
}

/** Keeps rows where `condition` is true. */
export interface Filter extends Base {
  readonly kind: "filter";
  readonly condition: Expr;
  readonly child: LogicalPlan;
}

/** Group-by aggregation; `aggregateExpressions` are named and may contain `agg` nodes. */
export interface Aggregate extends Base {
  readonly kind: "aggregate";
  readonly groupingExpressions: readonly Expr[];
  readonly aggregateExpressions: readonly Expr[];
  readonly child: LogicalPlan;
}

/** withWatermark: marks `eventTime` with a delay; the node itself never filters. */
export interface EventTimeWatermark extends Base {
  readonly kind: "eventTimeWatermark";
  readonly eventTime: Attribute;
  readonly delayMs: number;
  readonly delayText: string;
  readonly child: LogicalPlan;
}

/** Union by position. */
export interface Union extends Base {
  readonly kind: "union";
  readonly children: readonly LogicalPlan[];
}

/** Sort by `order` (sortOrder expressions). */
export interface Sort extends Base {
  readonly kind: "sort";
  readonly order: readonly Expr[];
  readonly child: LogicalPlan;
}

/**
 * Spark's TimeWindowing rewrite: adds a `window` struct column to each row, one
 * row per window the time falls in (one for tumbling windows); rows with a null
 * time are dropped.
 */
export interface TimeWindowExpand extends Base {
  readonly kind: "timeWindowExpand";
  readonly timeExpr: Expr;
  readonly windowMs: number;
  readonly slideMs: number;
  readonly startMs: number;
  readonly windowAttr: Attribute;
  readonly child: LogicalPlan;
}

/** Emits one row per element of an array (explode in select). */
export interface Generate extends Base {
  readonly kind: "generate";
  readonly generator: Expr;
  readonly generatorOutput: Attribute;
  readonly child: LogicalPlan;
}

/** First `n` rows (static DataFrames only). */
export interface Limit extends Base {
  readonly kind: "limit";
  readonly n: number;
  readonly child: LogicalPlan;
}

/** Spark's join types. */
export type JoinType = "inner" | "left_outer" | "right_outer" | "full_outer" | "left_semi" | "left_anti" | "cross";

/** A join; USING joins are rewritten by the analyzer to a condition plus a projection. */
export interface Join extends Base {
  readonly kind: "join";
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
  readonly condition: Expr | null;
}

/**
 * Streaming deduplication (Spark's Deduplicate / DeduplicateWithinWatermark): keeps the
 * first row of each `keys` tuple. `withinWatermark`: a key expires at its first event
 * time + the watermark delay, then may appear again.
 */
export interface Deduplicate extends Base {
  readonly kind: "deduplicate";
  readonly keys: readonly Attribute[];
  readonly withinWatermark: boolean;
  readonly child: LogicalPlan;
}

/**
 * Spark's SessionWindowing rewrite: adds a `session_window` struct column
 * `{ start: t, end: t + gap }` to each row (gap static, `gapMs`, or per row, `gapExpr`);
 * rows with a null time or a gap ≤ 0 are dropped. Sessions are merged by the aggregation.
 */
export interface SessionWindowAssign extends Base {
  readonly kind: "sessionWindowAssign";
  readonly timeExpr: Expr;
  readonly gapMs: number;
  readonly gapExpr: Expr | null;
  readonly sessionAttr: Attribute;
  readonly child: LogicalPlan;
}

/** Any logical plan node. */
export type LogicalPlan =
  | StreamingRelation
  | LocalRelation
  | Project
  | Filter
  | Aggregate
  | EventTimeWatermark
  | Union
  | Sort
  | TimeWindowExpand
  | Generate
  | Limit
  | Join
  | Deduplicate
  | SessionWindowAssign;

/** The children of a node. */
export function planChildren(p: LogicalPlan): readonly LogicalPlan[] {
  switch (p.kind) {
    case "streamingRelation":
    case "localRelation":
      return [];
    case "union":
      return p.children;
    case "join":
      return [p.left, p.right];
    default:
      return [p.child];
  }
}

/** Pre-order collection of nodes satisfying `pred`. */
export function collectPlan<T extends LogicalPlan>(p: LogicalPlan, pred: (p: LogicalPlan) => p is T): T[] {
  const out: T[] = [];
  const visit = (n: LogicalPlan) => {
    if (pred(n)) out.push(n);
    planChildren(n).forEach(visit);
  };
  visit(p);
  return out;
}
