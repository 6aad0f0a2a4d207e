/**
 * Lowers a parsed expression onto the public Column / functions API
 * (frontend.ts). `sqlToColumn` is what `F.expr`, `df.selectExpr` and
 * `df.filter(string)` call.
 */
import type { DataType, Expr } from "./ast";
import { AnalysisException } from "./errors";
import type { SqlColumn, SqlFunctions } from "./frontend";
import { lowerCall } from "./functions";
import { parseExpression } from "./parser";

/** How a lowering resolves names; toDataFrame.ts overrides it for qualifiers and aggregation. */
export interface LowerScope<C extends SqlColumn<C>> {
  readonly F: SqlFunctions<C>;
  /** The SQL text, for error positions. */
  readonly sql: string;
  /** Replaces a whole node before it is lowered (a GROUP BY key, an aggregate already computed), or `undefined`. */
  substitute?(e: Expr): C | undefined;
  /** Lowers a column reference; defaults to `F.col` of the dotted name (`a.b` → `F.col("a.b")`). */
  column?(e: Extract<Expr, { kind: "column" }>): C;
  /** Whether `*` / `t.*` is allowed here (SELECT list only). */
  readonly allowStar?: boolean;
}

/** The API's cast type name for a SQL type (API.md spells bigint `long`). */
export function castTypeName(t: DataType): string {
  switch (t.name) {
    case "bigint": return "long";
    case "smallint": return "short";
    case "tinyint": return "byte";
    case "decimal": return `decimal(${(t.params.length === 0 ? [10, 0] : t.params).join(",")})`;
    default: return t.name;
  }
}

/**
 * `F.col` for one identifier: quoted with backquotes when it holds a dot or
 * backquote, so the engine reads it as one name and not a struct path.
 * Example: `colName("a.b")` → `` "`a.b`" ``; `colName("word")` → `"word"`.
 */
export function colName(name: string): string {
  return /[.`]/.test(name) ? "`" + name.replace(/`/g, "``") + "`" : name;
}

/**
 * A column reference whose table qualifier is already removed: `a` → `F.col("a")`,
 * `window.start` → `F.col("window").getField("start")`.
 */
export function columnRef<C extends SqlColumn<C>>(F: SqlFunctions<C>, parts: readonly string[]): C {
  let c = F.col(colName(parts[0]!));
  for (const p of parts.slice(1)) c = c.getField(p);
  return c;
}

function literalString<C extends SqlColumn<C>>(e: Expr, what: string, scope: LowerScope<C>): string {
  if (e.kind === "string") return e.value;
  throw new AnalysisException("UNSUPPORTED_SQL", `The pattern of ${what} must be a string literal here.`, scope.sql, e.span.start);
}

/**
 * Lowers an expression tree onto `scope.F` and Column methods.
 *
 * Contract: calls only the methods of SqlFunctions / SqlColumn (frontend.ts).
 * Fails with an AnalysisException (UNRESOLVED_ROUTINE, WRONG_NUM_ARGS...,
 * UNSUPPORTED_SQL for `*` outside a SELECT list or a non-literal LIKE pattern).
 * Example: `a + 1 > 2` → `F.col("a").plus(F.lit(1)).gt(F.lit(2))`.
 */
export function lowerExpr<C extends SqlColumn<C>>(e: Expr, scope: LowerScope<C>): C {
  const sub = scope.substitute?.(e);
  if (sub !== undefined) return sub;
  const F = scope.F;
  const inner: LowerScope<C> = scope.allowStar ? { ...scope, allowStar: false } : scope;
  const lower = (x: Expr): C => lowerExpr(x, inner);
  switch (e.kind) {
    // Without a FROM clause to tell a table qualifier from a struct, pass the dotted name to
    // F.col, which resolves it as Spark's col("a.b") does (qualifier first, then struct fields).
    case "column": return scope.column ? scope.column(e) : F.col(e.parts.map(colName).join("."));
    case "star":
      if (!scope.allowStar) throw new AnalysisException("UNSUPPORTED_SQL", "`*` is only supported as a SELECT item or in count(*).", scope.sql, e.span.start);
      return F.col(e.qualifier.length === 0 ? "*" : `${e.qualifier.map(colName).join(".")}.*`);
    case "number": {
      const lit = F.lit(e.value);
      // A 10L literal is a bigint in Spark; other integers are ints unless too large.
      return e.type === "long" ? lit.cast("long") : lit;
    }
    case "string": return F.lit(e.value);
    case "boolean": return F.lit(e.value);
    case "null": return F.lit(null);
    case "interval": return F.interval(e.months, e.days, e.microseconds);
    case "typedLiteral": return F.lit(e.value).cast(e.type);
    case "unary": {
      const x = lower(e.operand);
      return e.op === "NOT" ? x.not() : e.op === "-" ? x.negate() : x;
    }
    case "binary": {
      const l = lower(e.left);
      const r = lower(e.right);
      switch (e.op) {
        case "+": return l.plus(r);
        case "-": return l.minus(r);
        case "*": return l.multiply(r);
        case "/": return l.divide(r);
        case "%": return l.mod(r);
        // Spark's `a DIV b` is integral division truncated toward zero.
        case "DIV": return l.divide(r).cast("long");
        case "||": return F.concat(l, r);
        case "=": case "==": return l.eq(r);
        case "<>": case "!=": return l.notEq(r);
        case "<": return l.lt(r);
        case "<=": return l.leq(r);
        case ">": return l.gt(r);
        case ">=": return l.geq(r);
        case "<=>": return l.eqNullSafe(r);
        case "AND": return l.and(r);
        case "OR": return l.or(r);
      }
    }
    case "isNull": {
      const x = lower(e.operand);
      return e.negated ? x.isNotNull() : x.isNull();
    }
    case "isBoolean": {
      const t = lower(e.operand).eqNullSafe(F.lit(e.value));
      return e.negated ? t.not() : t;
    }
    case "in": {
      const t = lower(e.operand).isin(...e.list.map(lower));
      return e.negated ? t.not() : t;
    }
    case "between": {
      const t = lower(e.operand).between(lower(e.lower), lower(e.upper));
      return e.negated ? t.not() : t;
    }
    case "like": {
      const x = lower(e.operand);
      const pattern = literalString(e.pattern, e.op, scope);
      const t = e.op === "LIKE" ? x.like(pattern) : x.rlike(pattern);
      return e.negated ? t.not() : t;
    }
    case "case": {
      const operand = e.operand;
      const cond = (w: Expr): C => (operand === null ? lower(w) : lower(operand).eq(lower(w)));
      const [firstBranch, ...rest] = e.branches;
      let c = F.when(cond(firstBranch!.when), lower(firstBranch!.then));
      for (const b of rest) c = c.when(cond(b.when), lower(b.then));
      return e.otherwise === null ? c : c.otherwise(lower(e.otherwise));
    }
    case "cast": return lower(e.operand).cast(castTypeName(e.dataType));
    case "call": return lowerCall(e, { F, sql: scope.sql, lower });
    case "field": return lower(e.base).getField(e.field);
  }
}

/**
 * Parses and lowers one SQL expression, with an optional alias:
 * the implementation of `F.expr(sql)`, `df.selectExpr(...sql)` and `df.filter(sql)`.
 *
 * Contract: `text` is one expression (`value * 2`, `count(*) AS n`, `*`);
 * names are not resolved here: `a.b` becomes `F.col("a.b")` for the engine to
 * resolve as Spark does (a DataFrame alias `a`, else a struct field `b` of `a`).
 * Fails with a ParseException (syntax; `line`/`column` set) or an
 * AnalysisException (unknown function, wrong argument count, unsupported construct).
 * Example: `sqlToColumn("lower(word) AS w", F)` → `F.lower(F.col("word")).as("w")`.
 */
export function sqlToColumn<C extends SqlColumn<C>>(text: string, F: SqlFunctions<C>): C {
  const named = parseExpression(text);
  const c = lowerExpr(named.expr, { F, sql: text, allowStar: true });
  return named.alias === null ? c : c.as(named.alias);
}
