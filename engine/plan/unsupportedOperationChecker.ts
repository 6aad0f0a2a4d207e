import { exists, references } from "../expressions/Expression";
import { splitConjuncts } from "../execution/operators/JoinExec";
import type { OutputMode } from "../execution/PhysicalOperator";
import { AnalysisException } from "../util/errors";
import { planChildren, type Aggregate, type Join, type LogicalPlan } from "./LogicalPlan";
import { sessionAttrOf } from "./physicalPlanner";
import { extractEquiJoinKeys, joinKeyOrdinalForWatermark, stateValueWatermark } from "./streamingJoinHelper";

const JOIN_TYPE_NAMES: Record<Join["joinType"], string> = {
  inner: "Inner",
  cross: "Cross",
  left_outer: "LeftOuter",
  right_outer: "RightOuter",
  full_outer: "FullOuter",
  left_semi: "LeftSemi",
  left_anti: "LeftAnti",
};

/**
 * Spark's checkForStreamStreamJoinWatermark: an outer or semi stream-stream join needs a
 * watermark in the join keys, or a watermark on the nullable side plus a range condition
 * that bounds its state (both sides for a full outer join).
 */
function checkForStreamStreamJoinWatermark(join: Join): void {
  const { leftKeys, rightKeys } = extractEquiJoinKeys(join.condition, join.left.output, join.right.output);
  const inKeys = joinKeyOrdinalForWatermark(leftKeys, rightKeys) >= 0;
  const bounded = (side: LogicalPlan, other: LogicalPlan) => stateValueWatermark(side.output, other.output, join.condition, 1_000_000) !== null;
  let hasValidWatermarkRange: boolean;
  switch (join.joinType) {
    case "left_outer":
    case "left_semi":
      hasValidWatermarkRange = bounded(join.left, join.right);
      break;
    case "right_outer":
      hasValidWatermarkRange = bounded(join.right, join.left);
      break;
    case "full_outer":
      hasValidWatermarkRange = bounded(join.left, join.right) && bounded(join.right, join.left);
      break;
    default:
      fail(`Join type ${JOIN_TYPE_NAMES[join.joinType]} is not supported with streaming DataFrame/Dataset`);
  }
  if (!inKeys && !hasValidWatermarkRange) {
    fail(
      `Stream-stream ${JOIN_TYPE_NAMES[join.joinType]} join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition`,
    );
  }
}

function fail(message: string, errorClass = "UNSUPPORTED_STREAMING_OPERATION"): never {
  throw new AnalysisException(message, errorClass);
}

function streamingAggregates(p: LogicalPlan): Aggregate[] {
  const out: Aggregate[] = [];
  const visit = (n: LogicalPlan) => {
    if (n.kind === "aggregate" && n.isStreaming) out.push(n);
    planChildren(n).forEach(visit);
  };
  visit(p);
  return out;
}

/**
 * Spark's UnsupportedOperationChecker.checkForStreaming: rejects, at start(), the
 * streaming queries Spark rejects, with Spark's messages. Throws AnalysisException.
 */
export function checkForStreaming(plan: LogicalPlan, outputMode: OutputMode): void {
  const aggs = streamingAggregates(plan);

  if (aggs.length > 1 && outputMode !== "append") {
    fail(
      `Multiple streaming aggregations are not supported with streaming DataFrames/Datasets in ${outputMode} output mode.`,
      "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
    );
  }

  switch (outputMode) {
    case "append": {
      for (const a of aggs) {
        const hasWatermark = a.groupingExpressions.some((g) => g.kind === "attr" && g.eventTimeDelayMs !== undefined);
        if (!hasWatermark) {
          fail(
            "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark on streaming DataFrames/DataSets. (Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark.)",
            "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
          );
        }
      }
      break;
    }
    case "complete":
      if (aggs.length === 0) {
        fail(
          "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets",
          "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
        );
      }
      break;
    case "update":
      break;
  }

  for (const a of aggs) {
    if (sessionAttrOf(a) === null) continue;
    if (a.groupingExpressions.length === 1) {
      fail("Global aggregation with session window in streaming query is not supported.", "UNSUPPORTED_STREAMING_OPERATION");
    }
    if (outputMode === "update") {
      fail(
        "[STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION] Invalid streaming output mode: update. This output mode is not supported for session window on streaming DataFrames/DataSets. (Update output mode not supported for session window on streaming DataFrames/Datasets)",
        "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION",
      );
    }
  }

  checkStreamingQueryGlobalWatermarkLimit(plan, outputMode);

  const visit = (p: LogicalPlan, aboveAgg: boolean): void => {
    switch (p.kind) {
      case "aggregate":
        if (p.isStreaming) {
          for (const e of p.aggregateExpressions) {
            if (exists(e, (n) => n.kind === "agg" && (n.distinct || n.fn === "count_distinct"))) {
              fail(
                "Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.",
                "UNSUPPORTED_STREAMING_OPERATION",
              );
            }
          }
        }
        break;
      case "sort":
        if (p.isStreaming) {
          const onAggregated = streamingAggregates(p.child).length > 0 && outputMode === "complete";
          if (!onAggregated) {
            fail(
              "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode",
            );
          }
        }
        break;
      case "union":
        if (p.isStreaming && p.children.some((c) => !c.isStreaming)) {
          fail("Union between streaming and batch DataFrames/Datasets is not supported");
        }
        break;
      case "join": {
        const l = p.left.isStreaming;
        const r = p.right.isStreaming;
        const name = { inner: "Inner", cross: "Cross", left_outer: "LeftOuter", right_outer: "RightOuter", full_outer: "FullOuter", left_semi: "LeftSemi", left_anti: "LeftAnti" }[p.joinType];
        if (p.joinType === "left_anti" && r) fail("LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported");
        if (l && r) {
          if (outputMode !== "append") {
            const mode = outputMode === "update" ? "Update" : "Complete";
            fail(
              `${p.joinType === "inner" ? "Inner join" : "Join"} between two streaming DataFrames/Datasets is not supported in ${mode} output mode, only in Append output mode`,
            );
          }
          const hasEquality = splitConjuncts(p.condition).some((c) => {
            if (c.kind !== "binary" || c.op !== "=") return false;
            const li = new Set(p.left.output.map((a) => a.id));
            const ri = new Set(p.right.output.map((a) => a.id));
            const lr = [...references(c.left)];
            const rr = [...references(c.right)];
            return (lr.every((x) => li.has(x)) && rr.every((x) => ri.has(x))) || (lr.every((x) => ri.has(x)) && rr.every((x) => li.has(x)));
          });
          if (!hasEquality) fail("Stream-stream join without equality predicate is not supported");
          if (p.joinType !== "inner") checkForStreamStreamJoinWatermark(p);
        }
        if (p.joinType === "cross" && (l || r)) fail("Cross join with a streaming DataFrame/Dataset is not supported");
        if ((p.joinType === "left_outer" || p.joinType === "left_semi") && r && !l) {
          fail(`${name} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`);
        }
        if (p.joinType === "right_outer" && l && !r) {
          fail("RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported");
        }
        if (p.joinType === "full_outer" && l && !r) {
          fail("FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported");
        }
        if (p.joinType === "full_outer" && r && !l) {
          fail("FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported");
        }
        break;
      }
      case "deduplicate":
        if (p.isStreaming && p.withinWatermark && !p.child.output.some((a) => a.eventTimeDelayMs !== undefined)) {
          fail("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark");
        }
        break;
      case "limit":
        if (p.isStreaming && outputMode === "update") {
          fail("Limits are not supported on streaming DataFrames/Datasets in Update output mode");
        }
        break;
      default:
        break;
    }
    for (const c of planChildren(p)) visit(c, aboveAgg || p.kind === "aggregate");
  };
  visit(plan, false);
}

/**
 * Spark's isStatefulOperation (for the global watermark check): streaming aggregations,
 * stream-stream joins, deduplication with an event-time key, dedup within watermark.
 */
function isStatefulOperation(p: LogicalPlan): boolean {
  if (!p.isStreaming) return false;
  switch (p.kind) {
    case "aggregate":
      return true;
    case "join":
      return p.left.isStreaming && p.right.isStreaming;
    case "deduplicate":
      return p.withinWatermark || p.keys.some((k) => k.eventTimeDelayMs !== undefined);
    default:
      return false;
  }
}

/**
 * Spark's checkStreamingQueryGlobalWatermarkLimit (spark.sql.streaming.statefulOperator.
 * checkCorrectness.enabled, on by default): a stateful operator may not read the output of a
 * streaming aggregation that runs in update or complete mode, whose rows can be "late" for it.
 */
function checkStreamingQueryGlobalWatermarkLimit(plan: LogicalPlan, outputMode: OutputMode): void {
  const cannotBeFollowed = (p: LogicalPlan) => p.kind === "aggregate" && p.isStreaming && outputMode !== "append";
  const below = (p: LogicalPlan): boolean => planChildren(p).some((c) => cannotBeFollowed(c) || below(c));
  const visit = (p: LogicalPlan): void => {
    if (isStatefulOperation(p) && below(p)) {
      fail(
        "Detected pattern of possible 'correctness' issue due to global watermark. The query contains stateful operation which can emit rows older than the current watermark plus allowed late record delay, which are \"late rows\" in downstream stateful operations and these rows can be discarded. Please refer the programming guide doc for more details. If you understand the possible risk of correctness issue and still need to run the query, you can disable this check by setting the config `spark.sql.streaming.statefulOperator.checkCorrectness.enabled` to false.",
      );
    }
    planChildren(p).forEach(visit);
  };
  visit(plan);
}

/** Spark's node names, for "Continuous processing does not support X operations." */
const CONTINUOUS_NAMES: Record<LogicalPlan["kind"], string | null> = {
  streamingRelation: null,
  project: null,
  filter: null,
  // Spark's SessionWindowing emits a Project and a Filter.
  sessionWindowAssign: null,
  localRelation: "LocalRelation",
  deduplicate: "Deduplicate",
  aggregate: "Aggregate",
  eventTimeWatermark: "EventTimeWatermark",
  sort: "Sort",
  join: "Join",
  union: "Union",
  limit: "GlobalLimit",
  timeWindowExpand: "Expand",
  generate: "Generate",
};

/**
 * Spark's checkForContinuous: continuous processing supports only map-like operations
 * (projections and filters) over the streaming sources, and no current-time functions.
 * Visits bottom-up as Spark's foreachUp, so the lowest unsupported node is named. Throws
 * AnalysisException ("Continuous processing does not support Aggregate operations.",
 * "Continuous processing does not support current time operations.").
 */
export function checkForContinuous(plan: LogicalPlan): void {
  const visit = (p: LogicalPlan): void => {
    planChildren(p).forEach(visit);
    const name = CONTINUOUS_NAMES[p.kind];
    if (name !== null) fail(`Continuous processing does not support ${name} operations.`, "UNSUPPORTED_STREAMING_OPERATION");
    const exprs = p.kind === "project" ? p.projectList : p.kind === "filter" ? [p.condition] : [];
    if (exprs.some((e) => exists(e, (n) => n.kind === "call" && n.fn === "current_timestamp"))) {
      fail("Continuous processing does not support current time operations.", "UNSUPPORTED_STREAMING_OPERATION");
    }
  };
  visit(plan);
}

/**
 * Spark 3.5's WatermarkPropagator rule: a withWatermark above another one is rejected
 * ("Redefining watermark is disallowed…"). Run when the first batch is planned.
 */
export function checkNoRedefinedWatermark(plan: LogicalPlan): void {
  const below = (p: LogicalPlan): boolean => p.kind === "eventTimeWatermark" || planChildren(p).some(below);
  const visit = (p: LogicalPlan): void => {
    if (p.kind === "eventTimeWatermark" && below(p.child)) {
      fail(
        "Redefining watermark is disallowed. You can set the config 'spark.sql.streaming.statefulOperator.allowMultiple' to 'false' to restore the previous behavior. Note that multiple stateful operators will be disallowed.",
        "REDEFINED_WATERMARK",
      );
    }
    planChildren(p).forEach(visit);
  };
  visit(plan);
}
