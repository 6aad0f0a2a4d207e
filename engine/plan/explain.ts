import { planPhysical } from "./physicalPlanner";
import { exprString } from "./exprString";
import { planChildren, type LogicalPlan } from "./LogicalPlan";
import { optimize } from "./optimizer";
import { simpleString } from "../expressions/types";
import type { PhysicalOperator } from "../execution/PhysicalOperator";

function attrList(p: LogicalPlan): string {
  return p.output.map((a) => `${a.name}#${a.id}`).join(", ");
}

/** One line per logical node, Spark's style. */
export function describeLogical(p: LogicalPlan): string {
  switch (p.kind) {
    case "streamingRelation":
      return `StreamingRelation ${p.source.description}, [${attrList(p)}]`;
    case "localRelation":
      return `LocalRelation [${attrList(p)}]`;
    case "project":
      return `Project [${p.projectList.map(exprString).join(", ")}]`;
    case "filter":
      return `Filter ${exprString(p.condition)}`;
    case "aggregate":
      return `Aggregate [${p.groupingExpressions.map(exprString).join(", ")}], [${p.aggregateExpressions.map(exprString).join(", ")}]`;
    case "eventTimeWatermark":
      return `EventTimeWatermark ${p.eventTime.name}#${p.eventTime.id}, ${p.delayText}`;
    case "union":
      return "Union false, false";
    case "sort":
      return `Sort [${p.order.map(exprString).join(", ")}], true`;
    case "timeWindowExpand":
      return `Expand [window(${exprString(p.timeExpr)}, ${p.windowMs * 1000}, ${p.slideMs * 1000}, ${p.startMs * 1000}) AS ${p.windowAttr.name}#${p.windowAttr.id}]`;
    case "generate":
      return `Generate ${exprString(p.generator)}, [${p.generatorOutput.name}#${p.generatorOutput.id}]`;
    case "limit":
      return `GlobalLimit ${p.n}`;
    case "join":
      return `Join ${p.joinType.replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase())}${p.condition ? `, ${exprString(p.condition)}` : ""}`;
    case "deduplicate":
      return `${p.withinWatermark ? "DeduplicateWithinWatermark" : "Deduplicate"} [${p.keys.map((a) => `${a.name}#${a.id}`).join(", ")}]`;
    case "sessionWindowAssign":
      return `Project [session_window(${exprString(p.timeExpr)}, ${p.gapExpr === null ? p.gapMs * 1000 : exprString(p.gapExpr)}) AS ${p.sessionAttr.name}#${p.sessionAttr.id}]`;
  }
}

function treeString<T>(root: T, children: (t: T) => readonly T[], line: (t: T) => string): string {
  const out: string[] = [];
  const visit = (n: T, prefix: string, isLast: boolean, depth: number) => {
    out.push(depth === 0 ? line(n) : `${prefix}${isLast ? "+- " : ":- "}${line(n)}`);
    const cs = children(n);
    cs.forEach((c, i) => visit(c, depth === 0 ? "" : prefix + (isLast ? "   " : ":  "), i === cs.length - 1, depth + 1));
  };
  visit(root, "", true, 0);
  return out.join("\n");
}

/** A logical plan as an indented tree. */
export function logicalTreeString(p: LogicalPlan): string {
  return treeString(p, planChildren, describeLogical);
}

/** A physical plan as an indented tree. */
export function physicalTreeString(p: PhysicalOperator): string {
  return treeString(p, (o) => o.children, (o) => o.describe());
}

/**
 * Spark's explain(): "== Physical Plan ==" only, or with `extended` the analyzed
 * and optimized logical plans too.
 */
export function explainString(plan: LogicalPlan, extended: boolean): string {
  const optimized = optimize(plan);
  let physical: string;
  try {
    physical = physicalTreeString(planPhysical(optimized).root);
  } catch (e) {
    // A plan the engine cannot execute yet still explains its logical side.
    physical = `(no physical plan: ${e instanceof Error ? e.message : String(e)})`;
  }
  const parts: string[] = [];
  if (extended) {
    parts.push("== Analyzed Logical Plan ==", plan.output.map((a) => `${a.name}: ${simpleString(a.dataType)}`).join(", "), logicalTreeString(plan), "");
    parts.push("== Optimized Logical Plan ==", logicalTreeString(optimized), "");
  }
  parts.push("== Physical Plan ==", physical);
  return parts.join("\n") + "\n";
}
