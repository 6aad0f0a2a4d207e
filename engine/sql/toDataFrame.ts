/**
 * Lowers a parsed SELECT statement onto the public DataFrame API
 * (frontend.ts): the implementation of `spark.sql(...)` over registered
 * streaming and static views.
 *
 * The plan, in Spark's order of clauses:
 *   table(name) → filter(WHERE) → groupBy(keys).agg(aggregates) → filter(HAVING)
 *   → select(items [+ hidden ORDER BY columns]) → dropDuplicates() (DISTINCT)
 *   → orderBy(...) → drop(hidden) → limit(n)
 * With aggregation, every distinct aggregate is computed once as `__agg<i>`
 * and a GROUP BY expression that is not a plain column or a window is
 * computed as `__key<i>`; the final select gives each item its alias, or the
 * name Spark would give it (`count(1)`, `(a + b)`).
 */
import type { Expr, NamedExpr, Query, Relation, SortItem } from "./ast";
import { AnalysisException } from "./errors";
import type { SqlColumn, SqlDataFrame, SqlFunctions, SqlSession } from "./frontend";
import { AGGREGATE_FUNCTIONS } from "./functions";
import { parseQuery } from "./parser";
import { canonicalKey, prettyName } from "./render";
import { colName, columnRef, lowerExpr, type LowerScope } from "./toColumn";

type ColumnExpr = Extract<Expr, { kind: "column" }>;
type Parts = (p: readonly string[]) => readonly string[];

interface Env<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>> {
  readonly spark: SqlSession<D>;
  readonly F: SqlFunctions<C>;
  readonly sql: string;
}

/** True for a call to an aggregate function. */
function isAggregate(e: Expr): boolean {
  return e.kind === "call" && AGGREGATE_FUNCTIONS.has(e.name);
}

/** Calls `visit` on `e` and every sub-expression (pre-order); `visit` returns false to skip children. */
function walk(e: Expr, visit: (x: Expr) => boolean): void {
  if (!visit(e)) return;
  const kids: Expr[] = [];
  switch (e.kind) {
    case "unary": case "isNull": case "isBoolean": case "cast": kids.push(e.operand); break;
    case "binary": kids.push(e.left, e.right); break;
    case "in": kids.push(e.operand, ...e.list); break;
    case "between": kids.push(e.operand, e.lower, e.upper); break;
    case "like": kids.push(e.operand, e.pattern); break;
    case "case":
      if (e.operand) kids.push(e.operand);
      for (const b of e.branches) kids.push(b.when, b.then);
      if (e.otherwise) kids.push(e.otherwise);
      break;
    case "call": kids.push(...e.args); break;
    case "field": kids.push(e.base); break;
    default: break;
  }
  for (const k of kids) walk(k, visit);
}

function containsAggregate(e: Expr): boolean {
  let found = false;
  walk(e, (x) => {
    if (isAggregate(x)) found = true;
    return !found;
  });
  return found;
}

/** Rewrites single-part column references with `replace` (alias resolution). */
function rewriteColumns(e: Expr, replace: (c: ColumnExpr) => Expr | null): Expr {
  const r = (x: Expr): Expr => rewriteColumns(x, replace);
  switch (e.kind) {
    case "column": return replace(e) ?? e;
    case "unary": return { ...e, operand: r(e.operand) };
    case "isNull": return { ...e, operand: r(e.operand) };
    case "isBoolean": return { ...e, operand: r(e.operand) };
    case "cast": return { ...e, operand: r(e.operand) };
    case "binary": return { ...e, left: r(e.left), right: r(e.right) };
    case "in": return { ...e, operand: r(e.operand), list: e.list.map(r) };
    case "between": return { ...e, operand: r(e.operand), lower: r(e.lower), upper: r(e.upper) };
    case "like": return { ...e, operand: r(e.operand), pattern: r(e.pattern) };
    case "case": return {
      ...e,
      operand: e.operand && r(e.operand),
      branches: e.branches.map((b) => ({ when: r(b.when), then: r(b.then) })),
      otherwise: e.otherwise && r(e.otherwise),
    };
    case "call": return isAggregate(e) ? e : { ...e, args: e.args.map(r) };
    case "field": return { ...e, base: r(e.base) };
    default: return e;
  }
}

/** An integer literal used as a GROUP BY / ORDER BY position (Spark's groupByOrdinal / orderByOrdinal). */
function ordinal(e: Expr): number | null {
  return e.kind === "number" && e.type === "int" ? e.value : null;
}

function relationDf<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>>(rel: Relation, env: Env<C, D>): D {
  return rel.kind === "table" ? env.spark.table(rel.name.join(".")) : lowerQuery(rel.query, env);
}

/** The names a column reference may use to qualify a column of this relation. */
function qualifiers(rel: Relation): Set<string> {
  const q = new Set<string>();
  if (rel.alias !== null) q.add(rel.alias.toLowerCase());
  else if (rel.kind === "table") q.add(rel.name[rel.name.length - 1]!.toLowerCase());
  return q;
}

function lowerSort<C extends SqlColumn<C>>(c: C, s: SortItem): C {
  if (s.direction === "DESC") return s.nulls === "FIRST" ? c.descNullsFirst() : c.desc();
  return s.nulls === "LAST" ? c.ascNullsLast() : c.asc();
}

function lowerQuery<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>>(q: Query, env: Env<C, D>): D {
  const { F, sql } = env;
  if (q.from === null) {
    throw new AnalysisException("UNSUPPORTED_SQL", "SELECT without FROM is not supported by this SQL subset.", sql, q.span.start);
  }
  let df = relationDf(q.from, env);
  const quals = qualifiers(q.from);
  const strip: Parts = (p) => (p.length > 1 && quals.has(p[0]!.toLowerCase()) ? p.slice(1) : p);
  const inputColumns = new Set((df.columns ?? []).map((c) => c.toLowerCase()));
  const isInputColumn = (name: string): boolean => inputColumns.has(name.toLowerCase());
  const base: LowerScope<C> = { F, sql, column: (e) => columnRef(F, strip(e.parts)) };
  const starName = (e: Extract<Expr, { kind: "star" }>): string => {
    if (e.qualifier.length === 0 || (e.qualifier.length === 1 && quals.has(e.qualifier[0]!.toLowerCase()))) return "*";
    const known = [...(df.columns ?? [])].map((c) => "`" + c + "`").join(", ");
    throw new AnalysisException(
      "CANNOT_RESOLVE_STAR_EXPAND",
      `Cannot resolve ${e.qualifier.map((p) => "`" + p + "`").join(".")}.* given input columns ${known}. Please check that the specified table or struct exists and is accessible in the input columns.`,
      sql,
      e.span.start,
    );
  };

  if (q.where !== null) {
    walk(q.where, (x) => {
      if (isAggregate(x)) {
        throw new AnalysisException(
          "INVALID_WHERE_CONDITION",
          `The WHERE condition "${prettyName(q.where!, strip)}" contains invalid expressions: ${prettyName(x, strip)}. Rewrite the query to avoid window functions, aggregate functions, and generator functions in the WHERE clause.`,
          sql,
          x.span.start,
        );
      }
      return true;
    });
    df = df.filter(lowerExpr(q.where, base));
  }

  const aliasOf = (name: string): NamedExpr | undefined =>
    q.items.find((it) => it.alias !== null && it.alias.toLowerCase() === name.toLowerCase());

  const aggregating = q.groupBy.length > 0 || q.having !== null ||
    q.items.some((it) => containsAggregate(it.expr)) || q.orderBy.some((s) => containsAggregate(s.expr));

  // ---- projection items and the scope they are lowered in ----
  let scope: LowerScope<C> = base;
  let outNames: (string | null)[];
  if (aggregating) {
    const agg = aggregate(q, env, df, { strip, isInputColumn, aliasOf });
    df = agg.df;
    scope = agg.scope;
    outNames = q.items.map((it) => it.alias ?? prettyName(it.expr, strip));
  } else {
    outNames = q.items.map((it) =>
      it.alias ?? (it.expr.kind === "column" && strip(it.expr.parts).length === 1 ? strip(it.expr.parts)[0]! : null));
  }

  const projection: C[] = q.items.map((it, i) => {
    if (it.expr.kind === "star") {
      if (aggregating) throw new AnalysisException("UNSUPPORTED_SQL", "`*` with GROUP BY or aggregates is not supported.", sql, it.expr.span.start);
      return F.col(starName(it.expr));
    }
    const c = lowerExpr(it.expr, scope);
    return aggregating ? c.as(outNames[i]!) : it.alias !== null ? c.as(it.alias) : c;
  });

  // ---- ORDER BY: output names first (aliases, positions), else hidden columns ----
  const hasStar = q.items.some((it) => it.expr.kind === "star");
  const hidden: string[] = [];
  const sortCols: C[] = q.orderBy.map((s) => {
    const pos = ordinal(s.expr);
    let byName: string | null = null;
    let expr = s.expr;
    if (pos !== null) {
      const item = q.items[pos - 1];
      if (item === undefined) {
        throw new AnalysisException("ORDER_BY_POS_OUT_OF_RANGE", `ORDER BY position ${pos} is not in select list (valid range is [1, ${q.items.length}]).`, sql, s.expr.span.start);
      }
      byName = outNames[pos - 1] ?? null;
      expr = item.expr;
    } else {
      const key = canonicalKey(s.expr, strip);
      const idx = q.items.findIndex((it) => canonicalKey(it.expr, strip) === key);
      if (idx >= 0 && outNames[idx] != null) byName = outNames[idx]!;
      else if (s.expr.kind === "column" && strip(s.expr.parts).length === 1) {
        const name = strip(s.expr.parts)[0]!;
        if (aliasOf(name) !== undefined) byName = aliasOf(name)!.alias;
        else if (!aggregating && hasStar) byName = name;
      }
    }
    if (byName !== null) return lowerSort(F.col(colName(byName)), s);
    if (q.distinct) {
      throw new AnalysisException("UNSUPPORTED_SQL", `ORDER BY "${prettyName(s.expr, strip)}" must be in the SELECT DISTINCT list.`, sql, s.expr.span.start);
    }
    const name = `__sort${hidden.length}`;
    hidden.push(name);
    const resolved = rewriteColumns(expr, (c) => (c.parts.length === 1 && !isInputColumn(c.parts[0]!) && aliasOf(c.parts[0]!) ? aliasOf(c.parts[0]!)!.expr : null));
    projection.push(lowerExpr(resolved, scope).as(name));
    return lowerSort(F.col(name), s);
  });

  df = df.select(...projection);
  if (q.distinct) df = df.dropDuplicates();
  if (sortCols.length > 0) df = df.orderBy(...sortCols);
  if (hidden.length > 0) df = df.drop(...hidden);
  if (q.limit !== null) {
    const n = q.limit;
    if (n.kind !== "number" || n.type !== "int") {
      throw new AnalysisException("INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE", `The limit like expression "${prettyName(n)}" is invalid. The limit expression must evaluate to a constant value.`, sql, n.span.start);
    }
    if (n.value < 0) {
      throw new AnalysisException("INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE", `The limit like expression "${n.text}" is invalid. The limit expression must be equal to or greater than 0, but got ${n.text}.`, sql, n.span.start);
    }
    df = df.limit(n.value);
  }
  return df;
}

interface Resolution {
  readonly strip: Parts;
  isInputColumn(name: string): boolean;
  aliasOf(name: string): NamedExpr | undefined;
}

/** groupBy(keys).agg(aggregates) and HAVING; returns the scope that lowers items over its output. */
function aggregate<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>>(
  q: Query,
  env: Env<C, D>,
  input: D,
  res: Resolution,
): { df: D; scope: LowerScope<C> } {
  const { F, sql } = env;
  const { strip, isInputColumn, aliasOf } = res;
  const base: LowerScope<C> = { F, sql, column: (e) => columnRef(F, strip(e.parts)) };
  // A bare name that is not an input column but is a SELECT alias means the aliased expression (spark.sql.groupByAliases).
  const resolveAlias = (e: Expr): Expr =>
    rewriteColumns(e, (c) => {
      const p = strip(c.parts);
      if (p.length !== 1 || isInputColumn(p[0]!)) return null;
      const item = aliasOf(p[0]!);
      if (item === undefined) return null;
      // `lower(word) AS word ... GROUP BY word`: the alias hides nothing, `word` is the column.
      let selfReference = false;
      walk(item.expr, (x) => {
        if (x.kind === "column" && strip(x.parts)[0]!.toLowerCase() === p[0]!.toLowerCase()) selfReference = true;
        return !selfReference;
      });
      return selfReference ? null : item.expr;
    });

  // ---- grouping keys ----
  const keys: Expr[] = q.groupBy.map((g) => {
    const pos = ordinal(g);
    if (pos !== null) {
      const item = q.items[pos - 1];
      if (item === undefined) {
        throw new AnalysisException("GROUP_BY_POS_OUT_OF_RANGE", `GROUP BY position ${pos} is not in select list (valid range is [1, ${q.items.length}]).`, sql, g.span.start);
      }
      if (containsAggregate(item.expr)) {
        throw new AnalysisException("GROUP_BY_POS_AGGREGATE", `GROUP BY ${pos} refers to an expression ${prettyName(item.expr, strip)} that contains an aggregate function. Aggregate functions are not allowed in GROUP BY.`, sql, g.span.start);
      }
      return item.expr;
    }
    return resolveAlias(g);
  });
  for (const k of keys) {
    walk(k, (x) => {
      if (isAggregate(x)) throw new AnalysisException("GROUP_BY_AGGREGATE", `Aggregate functions are not allowed in GROUP BY, but found ${prettyName(x, strip)}.`, sql, x.span.start);
      return true;
    });
  }
  const keyIds = keys.map((k) => canonicalKey(k, strip));
  // Plain columns and windows keep the name the engine gives them; other keys are named __key<i>.
  const keyNames = keys.map((k, i) => {
    if (k.kind === "column" && strip(k.parts).length === 1) return strip(k.parts)[0]!;
    if (k.kind === "call" && (k.name === "window" || k.name === "session_window")) return k.name;
    return `__key${i}`;
  });
  const keyCols = keys.map((k, i) => {
    const c = lowerExpr(k, base);
    return keyNames[i]!.startsWith("__key") ? c.as(keyNames[i]!) : c;
  });

  // ---- aggregates: each distinct one computed once ----
  const having = q.having === null ? null : resolveAlias(q.having);
  const sortExprs = q.orderBy.map((s) => resolveAlias(s.expr));
  const aggIds: string[] = [];
  const aggCols: C[] = [];
  const collect = (e: Expr): void =>
    walk(e, (x) => {
      if (x.kind !== "call" || !isAggregate(x)) return true;
      for (const a of x.args) {
        walk(a, (y) => {
          if (isAggregate(y)) {
            throw new AnalysisException("NESTED_AGGREGATE_FUNCTION", "It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.", sql, y.span.start);
          }
          return true;
        });
      }
      const id = canonicalKey(x, strip);
      if (!aggIds.includes(id)) {
        aggIds.push(id);
        aggCols.push(lowerExpr(x, base).as(`__agg${aggIds.length - 1}`));
      }
      return false;
    });
  q.items.forEach((it) => collect(it.expr));
  if (having !== null) collect(having);
  sortExprs.forEach(collect);
  // agg() needs at least one aggregate; a GROUP BY without any gets a count that the final select drops.
  if (aggCols.length === 0) aggCols.push(F.count("*").as("__agg_count"));

  let df = input.groupBy(...keyCols).agg(...aggCols);

  const scope: LowerScope<C> = {
    F,
    sql,
    substitute: (e) => {
      const id = canonicalKey(e, strip);
      const k = keyIds.indexOf(id);
      if (k >= 0) return F.col(colName(keyNames[k]!));
      if (isAggregate(e)) return F.col(`__agg${aggIds.indexOf(id)}`);
      if (e.kind === "column") {
        const p = strip(e.parts);
        // `window.start` after GROUP BY window(...): the window key is the column `window`.
        const w = keys.findIndex((key) => key.kind === "call" && key.name === p[0]!.toLowerCase() && (key.name === "window" || key.name === "session_window"));
        if (w >= 0) return columnRef(F, [keyNames[w]!, ...p.slice(1)]);
        const kp = keys.findIndex((key) => key.kind === "column" && canonicalKey(key, strip) === p[0]!.toLowerCase());
        if (kp >= 0 && p.length > 1) return columnRef(F, [keyNames[kp]!, ...p.slice(1)]);
        const shown = p.join(".");
        if (q.groupBy.length === 0) {
          throw new AnalysisException("MISSING_GROUP_BY", "The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.", sql, e.span.start);
        }
        throw new AnalysisException(
          "MISSING_AGGREGATION",
          `The non-aggregating expression "${shown}" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(${shown})" if you do not care which of the values within a group is returned.`,
          sql,
          e.span.start,
        );
      }
      return undefined;
    },
  };
  if (having !== null) df = df.filter(lowerExpr(having, scope));
  return { df, scope };
}

/**
 * Parses and lowers one SELECT statement onto the DataFrame API: the
 * implementation of `spark.sql(text)` over views registered with
 * `createOrReplaceTempView` (streaming or static) and memory-sink tables.
 *
 * Contract: calls only `spark.table`, the SqlDataFrame methods and `F` /
 * Column methods listed in frontend.ts; the result is the engine's DataFrame
 * (streaming if the view is). Aggregates in SELECT / HAVING / ORDER BY are
 * resolved against GROUP BY like Spark (positions and SELECT aliases allowed
 * in GROUP BY and ORDER BY; `window.start` after `GROUP BY window(...)`).
 * Fails with a ParseException (syntax; `line`/`column` set) or an
 * AnalysisException: MISSING_AGGREGATION (a column neither grouped nor
 * aggregated), MISSING_GROUP_BY, NESTED_AGGREGATE_FUNCTION,
 * INVALID_WHERE_CONDITION, GROUP_BY_POS_OUT_OF_RANGE, ORDER_BY_POS_OUT_OF_RANGE,
 * UNRESOLVED_ROUTINE, UNSUPPORTED_SQL; and whatever `spark.table` throws for
 * an unknown view.
 * Example:
 *   sqlToDataFrame("SELECT window.start, word, count(*) AS n FROM words " +
 *     "GROUP BY window(ts, '5 minutes'), word", spark, F)
 */
export function sqlToDataFrame<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>>(
  text: string,
  spark: SqlSession<D>,
  F: SqlFunctions<C>,
): D {
  return lowerQuery(parseQuery(text), { spark, F, sql: text });
}
