import { attrRef, exists, references, transformUp, type Attribute, type Expr } from "../expressions/Expression";
import { compileExpr } from "../expressions/compile";
import { dataTypeOf } from "../expressions/typeOf";
import { splitConjuncts } from "../execution/operators/JoinExec";
import { planChildren, type Filter, type LogicalPlan, type Project } from "./LogicalPlan";

/**
 * A few of Spark's optimizer rules, run to a fixed point:
 * - ConstantFolding / BooleanSimplification: literal-only subtrees become literals,
 *   `true AND x` → x, a `Filter true` disappears;
 * - CombineFilters and PushDownPredicates: filters move below projections (aliases
 *   substituted), unions, sorts, window expansion, withWatermark (not on the event-time
 *   column, as Spark) and into the sides of inner joins;
 * - CollapseProject and ColumnPruning: adjacent projections merge, computed columns
 *   nobody reads are dropped.
 * The root's output attributes (ids, order) never change; nor do the streaming
 * relations and aggregations (their order keys the checkpoint).
 */
export function optimize(plan: LogicalPlan): LogicalPlan {
  let p = plan;
  for (let i = 0; i < 20; i++) {
    const next = pruneColumns(transformPlan(p, (n) => collapseProject(pushDownFilter(foldPlan(n)))), null);
    if (next === p) break;
    p = next;
  }
  return p;
}

/** Rebuilds `p` bottom-up with `rule` applied to every node; returns `p` itself when nothing changed. */
export function transformPlan(p: LogicalPlan, rule: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const cs = planChildren(p);
  const ncs = cs.map((c) => transformPlan(c, rule));
  const changed = ncs.some((c, i) => c !== cs[i]);
  return rule(changed ? withChildren(p, ncs) : p);
}

function withChildren(p: LogicalPlan, cs: readonly LogicalPlan[]): LogicalPlan {
  switch (p.kind) {
    case "streamingRelation":
    case "localRelation":
      return p;
    case "union":
      return { ...p, children: cs };
    case "join":
      return { ...p, left: cs[0] as LogicalPlan, right: cs[1] as LogicalPlan };
    default:
      return { ...p, child: cs[0] as LogicalPlan } as LogicalPlan;
  }
}

// ---------------------------------------------------------------------------------
// Constant folding

const NON_FOLDABLE = new Set(["current_timestamp"]);

function isLiteral(e: Expr): boolean {
  return e.kind === "literal";
}

/** Folds literal-only subtrees and simplifies boolean logic. */
export function foldConstants(e: Expr): Expr {
  return transformUp(e, (n) => {
    switch (n.kind) {
      case "binary": {
        if (n.op === "and") {
          if (isTrue(n.left)) return n.right;
          if (isTrue(n.right)) return n.left;
          if (isFalse(n.left) || isFalse(n.right)) return { kind: "literal", value: false, dataType: "boolean" };
        }
        if (n.op === "or") {
          if (isFalse(n.left)) return n.right;
          if (isFalse(n.right)) return n.left;
          if (isTrue(n.left) || isTrue(n.right)) return { kind: "literal", value: true, dataType: "boolean" };
        }
        return isLiteral(n.left) && isLiteral(n.right) ? evaluate(n) : n;
      }
      case "not":
      case "cast":
      case "isNull":
        return isLiteral(n.child) ? evaluate(n) : n;
      case "call":
        return !NON_FOLDABLE.has(n.fn) && n.args.length > 0 && n.args.every(isLiteral) && n.fn !== "struct" ? evaluate(n) : n;
      default:
        return n;
    }
  });
}

function isTrue(e: Expr): boolean {
  return e.kind === "literal" && e.value === true;
}
function isFalse(e: Expr): boolean {
  return e.kind === "literal" && e.value === false;
}

function evaluate(e: Expr): Expr {
  const f = compileExpr(e, []);
  const value = f({ numRows: 1, columns: [] }, { batchTimestampMs: 0 })(0);
  return { kind: "literal", value, dataType: dataTypeOf(e) };
}

function foldPlan(p: LogicalPlan): LogicalPlan {
  switch (p.kind) {
    case "filter": {
      const condition = foldConstants(p.condition);
      if (isTrue(condition)) return p.child;
      return condition === p.condition ? p : { ...p, condition };
    }
    case "project": {
      const list = p.projectList.map((e) => (e.kind === "alias" ? { ...e, child: foldConstants(e.child) } : e));
      return list.some((e, i) => JSON.stringify(e) !== JSON.stringify(p.projectList[i])) ? { ...p, projectList: list } : p;
    }
    default:
      return p;
  }
}

// ---------------------------------------------------------------------------------
// Filter push-down

const deterministic = (e: Expr) => !exists(e, (n) => n.kind === "call" && n.fn === "current_timestamp");

function conjoin(cs: readonly Expr[]): Expr {
  return cs.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b }));
}

function mkFilter(child: LogicalPlan, conds: readonly Expr[]): LogicalPlan {
  if (conds.length === 0) return child;
  return { kind: "filter", condition: conjoin(conds), child, output: child.output, isStreaming: child.isStreaming };
}

function refsWithin(e: Expr, attrs: readonly Attribute[]): boolean {
  const ids = new Set(attrs.map((a) => a.id));
  return [...references(e)].every((id) => ids.has(id));
}

function pushDownFilter(p: LogicalPlan): LogicalPlan {
  if (p.kind !== "filter") return p;
  const f: Filter = p;
  const child = f.child;
  const conds = splitConjuncts(f.condition);
  switch (child.kind) {
    case "filter":
      return mkFilter(child.child, [...splitConjuncts(child.condition), ...conds]);
    case "project": {
      if (child.projectList.some((e) => !deterministic(e))) return p;
      const aliases = new Map<number, Expr>();
      for (const e of child.projectList) if (e.kind === "alias" && e.id !== undefined) aliases.set(e.id, e.child);
      const substituted = conds.map((c) => transformUp(c, (n) => (n.kind === "attr" && aliases.has(n.id) ? (aliases.get(n.id) as Expr) : n)));
      const pushable = substituted.filter((c, i) => deterministic(conds[i] as Expr) && refsWithin(c, child.child.output));
      if (pushable.length === 0) return p;
      const stay = conds.filter((_, i) => !pushable.includes(substituted[i] as Expr));
      const pushed: Project = { ...child, child: mkFilter(child.child, pushable) };
      return mkFilter(pushed, stay);
    }
    case "union": {
      if (!conds.every(deterministic)) return p;
      const children = child.children.map((c, k) => {
        if (k === 0) return mkFilter(c, conds);
        const map = new Map(child.output.map((a, i) => [a.id, c.output[i] as Attribute]));
        return mkFilter(
          c,
          conds.map((cond) => transformUp(cond, (n) => (n.kind === "attr" && map.has(n.id) ? attrRef(map.get(n.id) as Attribute) : n))),
        );
      });
      return { ...child, children };
    }
    case "sort":
      return { ...child, child: mkFilter(child.child, conds) };
    case "eventTimeWatermark":
    case "timeWindowExpand": {
      const blocked = child.kind === "eventTimeWatermark" ? child.eventTime.id : child.windowAttr.id;
      const push = conds.filter((c) => deterministic(c) && !references(c).has(blocked) && refsWithin(c, child.child.output));
      if (push.length === 0) return p;
      const stay = conds.filter((c) => !push.includes(c));
      return mkFilter({ ...child, child: mkFilter(child.child, push) } as LogicalPlan, stay);
    }
    case "join": {
      if (child.joinType !== "inner") return p;
      const toLeft = conds.filter((c) => deterministic(c) && refsWithin(c, child.left.output));
      const toRight = conds.filter((c) => !toLeft.includes(c) && deterministic(c) && refsWithin(c, child.right.output));
      if (toLeft.length + toRight.length === 0) return p;
      const stay = conds.filter((c) => !toLeft.includes(c) && !toRight.includes(c));
      return mkFilter({ ...child, left: mkFilter(child.left, toLeft), right: mkFilter(child.right, toRight) }, stay);
    }
    default:
      return p;
  }
}

// ---------------------------------------------------------------------------------
// CollapseProject and column pruning

function collapseProject(p: LogicalPlan): LogicalPlan {
  if (p.kind !== "project" || p.child.kind !== "project") return p;
  const inner = p.child;
  if (inner.projectList.some((e) => !deterministic(e))) return p;
  const aliases = new Map<number, Expr>();
  for (const e of inner.projectList) if (e.kind === "alias" && e.id !== undefined) aliases.set(e.id, e.child);
  // Substituting an expensive alias used twice would compute it twice: keep both projects then.
  const uses = new Map<number, number>();
  for (const e of p.projectList) for (const id of references(e)) uses.set(id, (uses.get(id) ?? 0) + 1);
  for (const [id, n] of uses) {
    const a = aliases.get(id);
    if (a !== undefined && n > 1 && a.kind !== "attr" && a.kind !== "literal") return p;
  }
  const projectList = p.projectList.map((e) => {
    if (e.kind === "attr" && aliases.has(e.id)) {
      // Keep the outer attribute's id and name: alias the inner expression to it.
      return { kind: "alias", child: aliases.get(e.id) as Expr, name: e.name, id: e.id } as Expr;
    }
    return transformUp(e, (n) => (n.kind === "attr" && aliases.has(n.id) ? (aliases.get(n.id) as Expr) : n));
  });
  return { ...p, projectList, child: inner.child };
}

/**
 * Drops computed columns of projections that nothing above reads. `required` is the set
 * of attribute ids the parent needs (null: everything, at the root).
 */
function pruneColumns(p: LogicalPlan, required: Set<number> | null): LogicalPlan {
  const need = (exprs: readonly Expr[], base: Set<number> | null): Set<number> | null => {
    if (base === null) return null;
    const s = new Set(base);
    for (const e of exprs) for (const id of references(e)) s.add(id);
    return s;
  };
  switch (p.kind) {
    case "project": {
      const list = required === null ? p.projectList : p.projectList.filter((e) => required.has(e.kind === "alias" ? (e.id as number) : e.kind === "attr" ? e.id : -1));
      const keep = list.length === 0 ? p.projectList.slice(0, 1) : list;
      const childNeed = new Set<number>();
      for (const e of keep) for (const id of references(e)) childNeed.add(id);
      const child = pruneColumns(p.child, childNeed);
      if (keep.length === p.projectList.length && child === p.child) return p;
      return { ...p, projectList: keep, child, output: p.output.filter((a) => keep.some((e) => (e.kind === "alias" ? e.id : e.kind === "attr" ? e.id : -1) === a.id)) };
    }
    case "filter": {
      const child = pruneColumns(p.child, need([p.condition], required));
      return child === p.child ? p : { ...p, child, output: child.output };
    }
    case "sort": {
      const child = pruneColumns(p.child, need(p.order, required));
      return child === p.child ? p : { ...p, child, output: child.output };
    }
    case "eventTimeWatermark": {
      if (required === null) break;
      const child = pruneColumns(p.child, new Set([...required, p.eventTime.id]));
      if (child === p.child) return p;
      const ids = new Set(child.output.map((a) => a.id));
      return { ...p, child, output: p.output.filter((a) => ids.has(a.id)) };
    }
    case "timeWindowExpand": {
      if (required === null) break;
      const childNeed = new Set([...required, ...references(p.timeExpr)]);
      childNeed.delete(p.windowAttr.id);
      const child = pruneColumns(p.child, childNeed);
      return child === p.child ? p : { ...p, child, output: [...child.output, p.windowAttr] };
    }
    case "join": {
      // A stream-static join gathers every column of both sides for each matched row:
      // columns nothing above reads are dropped below it (Spark's ColumnPruning), by a
      // projection over the side when the side cannot drop them itself. A stream-stream
      // join keeps its sides whole: their columns are its state's layout.
      if (required === null || (p.left.isStreaming && p.right.isStreaming)) break;
      const joinNeed = need(p.condition === null ? [] : [p.condition], required) as Set<number>;
      const side = (c: LogicalPlan): LogicalPlan => {
        let keep = c.output.filter((a) => joinNeed.has(a.id));
        // A side none of whose columns are read still gives the join its rows: keep one column.
        if (keep.length === 0) keep = c.output.slice(0, 1);
        const pruned = pruneColumns(c, new Set(keep.map((a) => a.id)));
        if (pruned.output.length === keep.length) return pruned;
        return { kind: "project", projectList: keep.map(attrRef), child: pruned, output: keep, isStreaming: pruned.isStreaming };
      };
      const left = side(p.left);
      const right = side(p.right);
      if (left === p.left && right === p.right) return p;
      // The join's output is its left side's columns, then its right side's (none for a semi or
      // anti join): each part is kept by its own side's ids (a self-join repeats ids across sides).
      const leftIds = new Set(left.output.map((a) => a.id));
      const rightIds = new Set(right.output.map((a) => a.id));
      const nLeft = p.left.output.length;
      const output = [...p.output.slice(0, nLeft).filter((a) => leftIds.has(a.id)), ...p.output.slice(nLeft).filter((a) => rightIds.has(a.id))];
      return { ...p, left, right, output };
    }
    case "aggregate": {
      // Aggregations keep all their outputs (checkpointed state layout); prune below them.
      const child = pruneColumns(p.child, need([...p.groupingExpressions, ...p.aggregateExpressions], new Set()));
      return child === p.child ? p : { ...p, child };
    }
    default:
      break;
  }
  // Other nodes (and the root cases above) keep requiring every column below them.
  const cs = planChildren(p);
  const ncs = cs.map((c) => pruneColumns(c, null));
  return ncs.some((c, i) => c !== cs[i]) ? withChildren(p, ncs) : p;
}
