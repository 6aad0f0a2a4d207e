import type { DataType, Value } from "./types";

/**
 * Expression trees. The DataFrame API builds unresolved trees (names); the
 * analyzer (plan/analyzer.ts) resolves names to attributes with ids and types;
 * expressions/compile.ts turns resolved trees into JavaScript functions.
 */

/** A column of a plan's output: a stable id (Spark's exprId), a name, a type. */
export interface Attribute {
  readonly id: number;
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
  /** Spark's `spark.watermarkDelayMs` metadata: set on the event-time column of a withWatermark. */
  readonly eventTimeDelayMs?: number;
}

/** Arithmetic, comparison and boolean operators. */
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or" | "<=>";

/** Scalar functions known to the engine. */
export type ScalarFnName =
  | "lower"
  | "upper"
  | "length"
  | "split"
  | "current_timestamp"
  | "to_timestamp"
  | "coalesce"
  | "abs"
  | "concat"
  | "negate"
  | "struct"
  | "substring"
  | "trim"
  | "concat_ws"
  | "regexp_replace"
  | "date_format"
  | "hour"
  | "minute"
  | "second"
  | "year"
  | "month"
  | "dayofmonth"
  | "unix_timestamp"
  | "from_unixtime"
  | "like"
  | "rlike";

/** Aggregate functions known to the engine. */
export type AggFnName =
  | "count"
  | "sum"
  | "avg"
  | "min"
  | "max"
  | "first"
  | "last"
  | "collect_list"
  | "collect_set"
  | "count_distinct"
  | "approx_count_distinct";

/** An expression node. `unresolvedAttr` and `star` exist only before analysis. */
export type Expr =
  | { readonly kind: "unresolvedAttr"; readonly name: string }
  | { readonly kind: "star" }
  | ({ readonly kind: "attr" } & Attribute)
  | { readonly kind: "literal"; readonly value: Value; readonly dataType: DataType }
  | { readonly kind: "alias"; readonly child: Expr; readonly name: string; readonly id?: number }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "not"; readonly child: Expr }
  | { readonly kind: "isNull"; readonly child: Expr; readonly negated: boolean }
  | { readonly kind: "cast"; readonly child: Expr; readonly to: DataType }
  | { readonly kind: "getField"; readonly child: Expr; readonly field: string }
  | {
      readonly kind: "timeWindow";
      readonly child: Expr;
      readonly windowMs: number;
      readonly slideMs: number;
      readonly startMs: number;
    }
  | { readonly kind: "windowTime"; readonly child: Expr }
  | { readonly kind: "caseWhen"; readonly branches: readonly (readonly [Expr, Expr])[]; readonly otherwise: Expr | null }
  | { readonly kind: "call"; readonly fn: ScalarFnName; readonly args: readonly Expr[]; readonly options?: Value }
  | { readonly kind: "agg"; readonly fn: AggFnName; readonly args: readonly Expr[]; readonly distinct: boolean; readonly ignoreNulls?: boolean }
  | { readonly kind: "sortOrder"; readonly child: Expr; readonly ascending: boolean; readonly nullsFirst: boolean }
  | { readonly kind: "explode"; readonly child: Expr }
  | { readonly kind: "sessionWindow"; readonly child: Expr; readonly gapMs: number; readonly gapExpr?: Expr };

/** Expression nodes by kind. */
export type ExprOf<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

let nextExprId = 1;

/** A fresh expression id (Spark's NamedExpression.newExprId). */
export function newExprId(): number {
  return nextExprId++;
}

/** An attribute-reference expression for `a`. */
export function attrRef(a: Attribute): ExprOf<"attr"> {
  return { kind: "attr", ...a };
}

/** The direct children of an expression. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "unresolvedAttr":
    case "star":
    case "attr":
    case "literal":
      return [];
    case "alias":
    case "not":
    case "isNull":
    case "cast":
    case "getField":
    case "timeWindow":
    case "windowTime":
    case "sortOrder":
    case "explode":
    case "sessionWindow":
      return [e.child];
    case "binary":
      return [e.left, e.right];
    case "caseWhen":
      return [...e.branches.flatMap(([c, v]) => [c, v]), ...(e.otherwise ? [e.otherwise] : [])];
    case "call":
    case "agg":
      return [...e.args];
  }
}

/** Rebuilds `e` with its children replaced by `f(child)` (bottom-up transforms use this). */
export function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.kind) {
    case "unresolvedAttr":
    case "star":
    case "attr":
    case "literal":
      return e;
    case "alias":
    case "not":
    case "isNull":
    case "cast":
    case "getField":
    case "timeWindow":
    case "windowTime":
    case "sortOrder":
    case "explode":
    case "sessionWindow":
      return { ...e, child: f(e.child) };
    case "binary":
      return { ...e, left: f(e.left), right: f(e.right) };
    case "caseWhen":
      return {
        ...e,
        branches: e.branches.map(([c, v]) => [f(c), f(v)] as const),
        otherwise: e.otherwise ? f(e.otherwise) : null,
      };
    case "call":
    case "agg":
      return { ...e, args: e.args.map(f) };
  }
}

/** Applies `rule` bottom-up to every node of `e`. */
export function transformUp(e: Expr, rule: (e: Expr) => Expr): Expr {
  return rule(mapChildren(e, (c) => transformUp(c, rule)));
}

/** True when `pred` holds for `e` or any descendant. */
export function exists(e: Expr, pred: (e: Expr) => boolean): boolean {
  return pred(e) || children(e).some((c) => exists(c, pred));
}

/** Every attribute id referenced by `e`. */
export function references(e: Expr, out: Set<number> = new Set()): Set<number> {
  if (e.kind === "attr") out.add(e.id);
  for (const c of children(e)) references(c, out);
  return out;
}

/** Strips aliases: `x AS y` → `x`. */
export function stripAlias(e: Expr): Expr {
  return e.kind === "alias" ? stripAlias(e.child) : e;
}

/** A readable SQL-like rendering used for default column names and explain(). */
export function exprToString(e: Expr): string {
  switch (e.kind) {
    case "unresolvedAttr":
      return e.name;
    case "star":
      return "*";
    case "attr":
      return e.name;
    case "literal":
      return e.value === null ? "NULL" : typeof e.value === "string" ? e.value : JSON.stringify(e.value);
    case "alias":
      return exprToString(e.child);
    case "binary":
      return `(${exprToString(e.left)} ${e.op === "and" ? "AND" : e.op === "or" ? "OR" : e.op} ${exprToString(e.right)})`;
    case "not":
      return `(NOT ${exprToString(e.child)})`;
    case "isNull":
      return `(${exprToString(e.child)} IS ${e.negated ? "NOT " : ""}NULL)`;
    case "cast":
      return `CAST(${exprToString(e.child)} AS ${typeof e.to === "string" ? e.to.toUpperCase() : "STRUCT"})`;
    case "getField":
      return `${exprToString(e.child)}.${e.field}`;
    case "timeWindow":
      return `window(${exprToString(e.child)}, ${e.windowMs * 1000}, ${e.slideMs * 1000}, ${e.startMs * 1000})`;
    case "windowTime":
      return `window_time(${exprToString(e.child)})`;
    case "caseWhen":
      return `CASE ${e.branches.map(([c, v]) => `WHEN ${exprToString(c)} THEN ${exprToString(v)}`).join(" ")}${
        e.otherwise ? ` ELSE ${exprToString(e.otherwise)}` : ""
      } END`;
    case "call":
      return `${e.fn}(${e.args.map(exprToString).join(", ")})`;
    case "agg": {
      if (e.fn === "count" && e.args.length === 1 && e.args[0]?.kind === "star") return "count(1)";
      const name = e.fn === "count_distinct" ? "count" : e.fn;
      const d = e.distinct || e.fn === "count_distinct" ? "DISTINCT " : "";
      return `${name}(${d}${e.args.map(exprToString).join(", ")})`;
    }
    case "sortOrder":
      return `${exprToString(e.child)} ${e.ascending ? "ASC" : "DESC"} NULLS ${e.nullsFirst ? "FIRST" : "LAST"}`;
    case "explode":
      return `explode(${exprToString(e.child)})`;
    case "sessionWindow":
      return `session_window(${exprToString(e.child)}, ${e.gapMs * 1000})`;
  }
}
