import {
  attrRef,
  children,
  exists,
  exprToString,
  newExprId,
  stripAlias,
  transformUp,
  type Attribute,
  type Expr,
} from "../expressions/Expression";
import { dataTypeOf, nullableOf } from "../expressions/typeOf";
import { typeName, WINDOW_TYPE, type DataType } from "../expressions/types";
import type { ColumnarBatch } from "../execution/ColumnarBatch";
import type { SourceDescriptor } from "../sources/Source";
import { durationToMs } from "../util/durations";
import { AnalysisException, IllegalArgumentException } from "../util/errors";
import type {
  Aggregate,
  Filter,
  Generate,
  Limit,
  LocalRelation,
  LogicalPlan,
  Project,
  Sort,
  StreamingRelation,
  TimeWindowExpand,
  Union,
  EventTimeWatermark,
  Join,
  JoinType,
  Deduplicate,
  SessionWindowAssign,
} from "./LogicalPlan";

/**
 * The analyzer: builds resolved logical plan nodes from the DataFrame API's
 * unresolved expressions. Resolution is eager, as in Spark: an unknown column or a
 * type mismatch throws AnalysisException when the DataFrame is built.
 */

function suggest(name: string, input: readonly Attribute[]): never {
  const candidates = input.map((a) => `\`${a.name}\``).join(", ");
  throw new AnalysisException(
    `[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${name}\` cannot be resolved. Did you mean one of the following? [${candidates}].`,
    "UNRESOLVED_COLUMN.WITH_SUGGESTION",
  );
}

/** Finds the attribute named `name` (case-insensitive, like spark.sql.caseSensitive=false). */
export function resolveName(name: string, input: readonly Attribute[]): Expr {
  const clean = name.replace(/`/g, "");
  const matches = input.filter((a) => a.name.toLowerCase() === clean.toLowerCase());
  if (matches.length === 1) return attrRef(matches[0] as Attribute);
  if (matches.length > 1) {
    // Same attribute listed twice (e.g. after a self-union) is not ambiguous.
    if (matches.every((m) => m.id === (matches[0] as Attribute).id)) return attrRef(matches[0] as Attribute);
    throw new AnalysisException(
      `[AMBIGUOUS_REFERENCE] Reference \`${clean}\` is ambiguous, could be: [${matches.map((m) => `\`${m.name}\``).join(", ")}].`,
      "AMBIGUOUS_REFERENCE",
    );
  }
  const dot = clean.indexOf(".");
  if (dot > 0) {
    let e: Expr = resolveName(clean.slice(0, dot), input);
    for (const field of clean.slice(dot + 1).split(".")) e = { kind: "getField", child: e, field };
    dataTypeOf(e);
    return e;
  }
  return suggest(clean, input);
}

/** Resolves names in `e` against `input` and type-checks the result. */
export function resolveExpr(e: Expr, input: readonly Attribute[]): Expr {
  const resolved = transformUp(e, (n) => {
    if (n.kind === "unresolvedAttr") return resolveName(n.name, input);
    if (n.kind === "getField") {
      // getField on a struct: field names are case-insensitive too.
      const t = dataTypeOf(n.child);
      if (typeof t !== "string" && t.type === "struct") {
        const f = t.fields.find((x) => x.name.toLowerCase() === n.field.toLowerCase());
        if (f) return { ...n, field: f.name };
      }
    }
    return n;
  });
  if (resolved.kind !== "star") checkTypes(resolved);
  return resolved;
}

function checkTypes(e: Expr): void {
  if (e.kind === "agg") {
    for (const a of e.args) if (a.kind !== "star") checkTypes(a);
    dataTypeOf(e);
    return;
  }
  dataTypeOf(e);
}

/** Gives a name to an expression: attributes keep theirs, others get an alias (Spark's auto-generated name). */
export function toNamed(e: Expr): Expr {
  if (e.kind === "attr") return e;
  if (e.kind === "alias") return e.id === undefined ? { ...e, id: newExprId() } : e;
  // Spark names an unaliased window() column "window" (TimeWindowing), session_window() "session_window".
  const name = e.kind === "timeWindow" ? "window" : e.kind === "sessionWindow" ? "session_window" : exprToString(e);
  return { kind: "alias", child: e, name, id: newExprId() };
}

/**
 * The event-time delay carried by an expression: an attribute with watermark metadata,
 * an alias of one, or window_time() of a watermarked window (Spark's ResolveWindowTime).
 */
export function eventTimeDelayOf(e: Expr): number | undefined {
  if (e.kind === "attr") return e.eventTimeDelayMs;
  if (e.kind === "alias") return eventTimeDelayOf(e.child);
  if (e.kind === "windowTime") return eventTimeDelayOf(e.child);
  return undefined;
}

/** The output attribute of a named expression; an alias of an attribute keeps its event-time metadata. */
export function toAttribute(e: Expr): Attribute {
  if (e.kind === "attr") {
    const { kind: _kind, ...a } = e;
    void _kind;
    return a;
  }
  if (e.kind === "alias") {
    const delay = eventTimeDelayOf(e.child);
    return {
      id: e.id ?? newExprId(),
      name: e.name,
      dataType: dataTypeOf(e.child),
      nullable: nullableOf(e.child),
      ...(delay !== undefined ? { eventTimeDelayMs: delay } : {}),
    };
  }
  return toAttribute(toNamed(e));
}

function isStreaming(...children: LogicalPlan[]): boolean {
  return children.some((c) => c.isStreaming);
}

/** A streaming source relation. */
export function streamingRelation(source: SourceDescriptor): StreamingRelation {
  const output = source.schema.fields.map((f) => ({ id: newExprId(), name: f.name, dataType: f.dataType, nullable: f.nullable }));
  return { kind: "streamingRelation", source, output, isStreaming: true };
}

/** An in-memory relation with the given column names/types. */
export function localRelation(fields: readonly { name: string; dataType: DataType; nullable?: boolean }[], data: ColumnarBatch, name?: string): LocalRelation {
  const output = fields.map((f) => ({ id: newExprId(), name: f.name, dataType: f.dataType, nullable: f.nullable ?? true }));
  return { kind: "localRelation", data, output, isStreaming: false, ...(name !== undefined ? { name } : {}) };
}

function expandStar(exprs: readonly Expr[], input: readonly Attribute[]): Expr[] {
  return exprs.flatMap((e) => (e.kind === "star" ? input.map(attrRef) : [e]));
}

/**
 * Spark's TimeWindowing rule: replaces the `window(...)` expression in `exprs` by an
 * attribute produced by a TimeWindowExpand below. Throws on several different windows.
 */
function extractTimeWindow(child: LogicalPlan, exprs: readonly Expr[]): { child: LogicalPlan; exprs: Expr[] } {
  const windows = new Map<string, Extract<Expr, { kind: "timeWindow" }>>();
  const sessions: Expr[] = [];
  const visit = (e: Expr) =>
    exists(e, (n) => {
      if (n.kind === "timeWindow") windows.set(JSON.stringify(n), n);
      if (n.kind === "sessionWindow") sessions.push(n);
      return false;
    });
  exprs.forEach(visit);
  if (windows.size + (sessions.length > 0 ? 1 : 0) > 1) {
    throw new AnalysisException(
      "Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported.",
      "MULTIPLE_TIME_WINDOW_EXPRESSIONS",
    );
  }
  if (sessions.length > 0) return extractSessionWindow(child, exprs, sessions[0] as Extract<Expr, { kind: "sessionWindow" }>);
  if (windows.size === 0) return { child, exprs: [...exprs] };
  const w = [...windows.values()][0] as Extract<Expr, { kind: "timeWindow" }>;
  const delay = eventTimeDelayOf(w.child);
  const windowAttr: Attribute = {
    id: newExprId(),
    name: "window",
    dataType: WINDOW_TYPE,
    nullable: false,
    ...(delay !== undefined ? { eventTimeDelayMs: delay } : {}),
  };
  const expand: TimeWindowExpand = {
    kind: "timeWindowExpand",
    timeExpr: w.child,
    windowMs: w.windowMs,
    slideMs: w.slideMs,
    startMs: w.startMs,
    windowAttr,
    child,
    output: [...child.output, windowAttr],
    isStreaming: child.isStreaming,
  };
  const key = JSON.stringify(w);
  const replaced = exprs.map((e) => transformUp(e, (n) => (n.kind === "timeWindow" && JSON.stringify(n) === key ? attrRef(windowAttr) : n)));
  return { child: expand, exprs: replaced };
}

/**
 * Spark's SessionWindowing rule: replaces `session_window(...)` in `exprs` by an attribute
 * produced by a SessionWindowAssign below (`{ start: t, end: t + gap }` per row; the
 * aggregation merges overlapping sessions). The attribute carries the time's watermark.
 */
function extractSessionWindow(child: LogicalPlan, exprs: readonly Expr[], w: Extract<Expr, { kind: "sessionWindow" }>): { child: LogicalPlan; exprs: Expr[] } {
  const delay = eventTimeDelayOf(w.child);
  const sessionAttr: Attribute = {
    id: newExprId(),
    name: "session_window",
    dataType: WINDOW_TYPE,
    nullable: false,
    ...(delay !== undefined ? { eventTimeDelayMs: delay } : {}),
  };
  const gapExpr = w.gapExpr === undefined ? null : resolveExpr(w.gapExpr, child.output);
  const assign: SessionWindowAssign = {
    kind: "sessionWindowAssign",
    timeExpr: w.child,
    gapMs: w.gapMs,
    gapExpr,
    sessionAttr,
    child,
    output: [...child.output, sessionAttr],
    isStreaming: child.isStreaming,
  };
  const replaced = exprs.map((e) => transformUp(e, (n) => (n.kind === "sessionWindow" ? attrRef(sessionAttr) : n)));
  return { child: assign, exprs: replaced };
}

/**
 * dropDuplicates(subset) / dropDuplicatesWithinWatermark(subset) on a streaming plan
 * (Spark's Deduplicate / DeduplicateWithinWatermark). `subset` undefined: every column.
 * Throws AnalysisException for an unknown column (Spark's message).
 */
export function deduplicate(child: LogicalPlan, subset: readonly string[] | undefined, withinWatermark: boolean): Deduplicate {
  const keys =
    subset === undefined
      ? [...child.output]
      : subset.map((n) => {
          const matches = child.output.filter((a) => a.name === n);
          const a = matches.length > 0 ? matches[matches.length - 1] : undefined;
          if (a === undefined) {
            throw new AnalysisException(
              `Cannot resolve column name "${n}" among (${child.output.map((x) => x.name).join(", ")})`,
              "UNRESOLVED_COLUMN.WITH_SUGGESTION",
            );
          }
          return a;
        });
  return { kind: "deduplicate", keys, withinWatermark, child, output: child.output, isStreaming: child.isStreaming };
}

const hasAgg = (e: Expr) => exists(e, (n) => n.kind === "agg");

/** select(...): resolves, expands `*`, rewrites window()/explode(); a select of aggregates becomes a global Aggregate. */
export function project(child: LogicalPlan, exprs: readonly Expr[]): LogicalPlan {
  const resolved = expandStar(exprs, child.output).map((e) => resolveExpr(e, child.output));
  if (resolved.some(hasAgg)) return aggregate(child, [], resolved);
  const tw = extractTimeWindow(child, resolved);
  let input = tw.child;
  let list = tw.exprs;
  const gens = list.filter((e) => stripAlias(e).kind === "explode");
  if (gens.length > 1) {
    throw new AnalysisException("Only one generator allowed per select clause but found " + gens.length, "UNSUPPORTED_GENERATOR.MULTI_GENERATOR");
  }
  if (gens.length === 1) {
    const g = gens[0] as Expr;
    const gen = stripAlias(g);
    const out: Attribute = {
      id: newExprId(),
      name: g.kind === "alias" ? g.name : "col",
      dataType: dataTypeOf(gen),
      nullable: true,
    };
    const generate: Generate = {
      kind: "generate",
      generator: gen,
      generatorOutput: out,
      child: input,
      output: [...input.output, out],
      isStreaming: input.isStreaming,
    };
    input = generate;
    list = list.map((e) => (e === g ? attrRef(out) : e));
  }
  const projectList = list.map(toNamed);
  const node: Project = {
    kind: "project",
    projectList,
    child: input,
    output: projectList.map(toAttribute),
    isStreaming: input.isStreaming,
  };
  return node;
}

/** filter(condition): the condition must be boolean. */
export function filter(child: LogicalPlan, condition: Expr): Filter {
  const cond = resolveExpr(condition, child.output);
  const t = dataTypeOf(cond);
  if (t !== "boolean" && t !== "null") {
    throw new AnalysisException(
      `[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve "${exprToString(cond)}" due to data type mismatch: Filter expression "${exprToString(cond)}" of type "${typeName(t)}" is not a boolean.`,
      "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
    );
  }
  if (hasAgg(cond)) {
    throw new AnalysisException(`Aggregate functions are not allowed in a filter: ${exprToString(cond)}`, "INVALID_WHERE_CONDITION");
  }
  return { kind: "filter", condition: cond, child, output: child.output, isStreaming: child.isStreaming };
}

/**
 * groupBy(groupings).agg(aggs): output = named groupings then named aggregates.
 * Throws if an output expression uses a column that is neither grouped nor aggregated.
 */
export function aggregate(child: LogicalPlan, groupings: readonly Expr[], aggs: readonly Expr[], keepGroupingColumns = true): Aggregate {
  const g = expandStar(groupings, child.output).map((e) => resolveExpr(e, child.output));
  const a = aggs.map((e) => resolveExpr(e, child.output));
  for (const e of g) {
    if (hasAgg(e)) throw new AnalysisException(`Aggregate functions are not allowed in GROUP BY, but found ${exprToString(e)}.`, "GROUP_BY_AGGREGATE");
  }
  const gNamed = g.map(toNamed);
  const named = [...(keepGroupingColumns ? gNamed : []), ...a.map(toNamed)];
  const tw = extractTimeWindow(child, [...gNamed, ...named]);
  const groupingNamed = tw.exprs.slice(0, g.length);
  const outputNamed = tw.exprs.slice(g.length);
  const groupingExpressions = groupingNamed.map(stripAlias);
  // Map named groupings to the aggregate output so later references keep ids.
  const aggregateExpressions = outputNamed.map((e, i) => (keepGroupingColumns && i < g.length ? (groupingNamed[i] as Expr) : e));
  const groupKeys = new Set(groupingExpressions.map((e) => JSON.stringify(e)));
  const checkGrouped = (e: Expr): void => {
    if (groupKeys.has(JSON.stringify(e))) return;
    if (e.kind === "agg" || e.kind === "literal") return;
    if (e.kind === "attr") {
      throw new AnalysisException(
        `[MISSING_AGGREGATION] The non-aggregating expression "${e.name}" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use "first_value(${e.name})" if you do not care which of the values within a group is returned.`,
        "MISSING_AGGREGATION",
      );
    }
    if (e.kind === "alias") return checkGrouped(e.child);
    for (const c of children(e)) checkGrouped(c);
  };
  aggregateExpressions.forEach(checkGrouped);
  return {
    kind: "aggregate",
    groupingExpressions,
    aggregateExpressions,
    child: tw.child,
    output: aggregateExpressions.map(toAttribute),
    isStreaming: tw.child.isStreaming,
  };
}

/**
 * withWatermark(column, delay). Throws IllegalArgumentException for a negative or
 * malformed delay (before looking at the column, as Spark), AnalysisException when
 * the column is not a timestamp or a window.
 */
export function withWatermark(child: LogicalPlan, eventTime: string, delayText: string): EventTimeWatermark {
  const delayMs = durationToMs(delayText);
  if (delayMs < 0) {
    throw new IllegalArgumentException(`delay threshold (${delayText}) should not be negative.`, "INVALID_WATERMARK_DELAY");
  }
  const ref = resolveName(eventTime, child.output);
  if (ref.kind !== "attr") throw new AnalysisException(`Event time must be a top-level column, not ${eventTime}`, "EVENT_TIME_NOT_TOP_LEVEL");
  const t = ref.dataType;
  if (t !== "timestamp" && typeName(t) !== typeName(WINDOW_TYPE)) {
    throw new AnalysisException(
      `[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE] The event time \`${ref.name}\` has the invalid type "${typeName(t)}", but expected "TIMESTAMP".`,
      "EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE",
    );
  }
  const output = child.output.map((a) => {
    if (a.id === ref.id) return { ...a, eventTimeDelayMs: delayMs };
    if (a.eventTimeDelayMs !== undefined) {
      const { eventTimeDelayMs: _d, ...rest } = a;
      void _d;
      return rest;
    }
    return a;
  });
  const et = output.find((a) => a.id === ref.id) as Attribute;
  return { kind: "eventTimeWatermark", eventTime: et, delayMs, delayText, child, output, isStreaming: child.isStreaming };
}

/** union (by position). Throws on a different number of columns or incompatible types. */
export function union(left: LogicalPlan, right: LogicalPlan): Union {
  if (left.output.length !== right.output.length) {
    throw new AnalysisException(
      `[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has ${left.output.length} columns and the second input has ${right.output.length} columns.`,
      "NUM_COLUMNS_MISMATCH",
    );
  }
  left.output.forEach((a, i) => {
    const b = right.output[i] as Attribute;
    const ok = typeName(a.dataType) === typeName(b.dataType) || (isNum(a.dataType) && isNum(b.dataType));
    if (!ok) {
      throw new AnalysisException(
        `[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on tables with compatible column types. The ${i + 1}th column of the second table is "${typeName(b.dataType)}" type which is not compatible with "${typeName(a.dataType)}" at the same column of the first table.`,
        "INCOMPATIBLE_COLUMN_TYPE",
      );
    }
  });
  // Output keeps the left attributes (Spark); event-time metadata of either side survives.
  const output = left.output.map((a, i) => {
    const b = right.output[i] as Attribute;
    const delay = a.eventTimeDelayMs ?? b.eventTimeDelayMs;
    return delay !== undefined ? { ...a, eventTimeDelayMs: delay } : a;
  });
  return { kind: "union", children: [left, right], output, isStreaming: isStreaming(left, right) };
}

function isNum(t: DataType): boolean {
  return t === "long" || t === "int" || t === "double";
}

/** orderBy/sort: each expression becomes a sortOrder (ascending, nulls first by default). */
export function sort(child: LogicalPlan, order: readonly Expr[]): Sort {
  const resolved = order.map((e) => {
    const r = resolveExpr(e, child.output);
    return r.kind === "sortOrder" ? r : ({ kind: "sortOrder", child: r, ascending: true, nullsFirst: true } as const);
  });
  return { kind: "sort", order: resolved, child, output: child.output, isStreaming: child.isStreaming };
}

/** limit(n). */
export function limit(child: LogicalPlan, n: number): Limit {
  return { kind: "limit", n, child, output: child.output, isStreaming: child.isStreaming };
}

const JOIN_TYPES: Record<string, JoinType> = {
  inner: "inner",
  cross: "cross",
  left: "left_outer",
  leftouter: "left_outer",
  left_outer: "left_outer",
  right: "right_outer",
  rightouter: "right_outer",
  right_outer: "right_outer",
  full: "full_outer",
  outer: "full_outer",
  fullouter: "full_outer",
  full_outer: "full_outer",
  semi: "left_semi",
  leftsemi: "left_semi",
  left_semi: "left_semi",
  anti: "left_anti",
  leftanti: "left_anti",
  left_anti: "left_anti",
};

/** Parses a join type name ("inner", "left_outer", "left", …); throws IllegalArgumentException naming it. */
export function parseJoinType(how: string): JoinType {
  const t = JOIN_TYPES[how.toLowerCase().replace(/\s+/g, "")];
  if (t === undefined) {
    throw new IllegalArgumentException(
      `Unsupported join type '${how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.`,
      "UNSUPPORTED_JOIN_TYPE",
    );
  }
  return t;
}

function withNullable(attrs: readonly Attribute[], nullable: boolean): Attribute[] {
  return nullable ? attrs.map((a) => ({ ...a, nullable: true })) : [...attrs];
}

/**
 * join(other, on, how): `on` is a condition Column expression, a column name or a list of
 * names (a USING join: one output column per key), or absent (cross join).
 */
export function join(left: LogicalPlan, right: LogicalPlan, on: Expr | readonly string[] | null, how: string): LogicalPlan {
  const joinType = parseJoinType(how);
  const leftNullable = joinType === "right_outer" || joinType === "full_outer";
  const rightNullable = joinType === "left_outer" || joinType === "full_outer";
  const mk = (condition: Expr | null): Join => ({
    kind: "join",
    left,
    right,
    joinType,
    condition,
    output:
      joinType === "left_semi" || joinType === "left_anti"
        ? [...left.output]
        : [...withNullable(left.output, leftNullable), ...withNullable(right.output, rightNullable)],
    isStreaming: left.isStreaming || right.isStreaming,
  });
  if (on === null) return mk(null);
  if (!Array.isArray(on)) {
    const cond = resolveExpr(on as Expr, [...left.output, ...right.output]);
    const t = dataTypeOf(cond);
    if (t !== "boolean") {
      throw new AnalysisException(`[DATATYPE_MISMATCH] The join condition ${exprToString(cond)} has the invalid type "${typeName(t)}", expected "BOOLEAN".`, "JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE");
    }
    return mk(cond);
  }
  const names = on as readonly string[];
  const pairs = names.map((n) => {
    const l = resolveName(n, left.output);
    const r = resolveName(n, right.output);
    if (l.kind !== "attr" || r.kind !== "attr") throw new AnalysisException(`USING column \`${n}\` must be a top-level column`, "UNRESOLVED_USING_COLUMN");
    return [l, r] as const;
  });
  const cond = pairs
    .map(([l, r]): Expr => ({ kind: "binary", op: "=", left: l, right: r }))
    .reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b }));
  const j = mk(resolveExpr(cond, [...left.output, ...right.output]));
  if (joinType === "left_semi" || joinType === "left_anti") return j;
  const leftKeys = new Set(pairs.map(([l]) => l.id));
  const rightKeys = new Set(pairs.map(([, r]) => r.id));
  const keyExprs: Expr[] = pairs.map(([l, r], i) => {
    const name = names[i] as string;
    if (joinType === "right_outer") return { kind: "alias", child: r, name };
    if (joinType === "full_outer") return { kind: "alias", child: { kind: "call", fn: "coalesce", args: [l, r] }, name };
    return { kind: "alias", child: l, name };
  });
  const rest: Expr[] = [
    ...j.output.filter((a) => left.output.some((x) => x.id === a.id) && !leftKeys.has(a.id)).map(attrRef),
    ...j.output.filter((a) => right.output.some((x) => x.id === a.id) && !rightKeys.has(a.id)).map(attrRef),
  ];
  return project(j, [...keyExprs, ...rest]);
}
