/**
 * What the SQL layer needs from the DataFrame API, as structural interfaces.
 *
 * The lowering in toColumn.ts / toDataFrame.ts calls ONLY the methods listed
 * here, all named as in ../../shared/API.md and PySpark (camelCase). The
 * engine's real `Column`, `F`, `DataFrame` and `SparkSession` satisfy these
 * types, and their own types flow through the generic parameters:
 * `sqlToColumn<Column>(text, F)` returns the engine's `Column`.
 */
import type { SqlInterval } from "./interval";

/** A literal value `F.lit` receives from SQL: numbers, strings, booleans, null. */
export type SqlLiteral = string | number | boolean | null;

/**
 * The column methods the lowering calls. `C` is the engine's Column type.
 * Each takes and returns columns; none mutates its receiver.
 */
export interface SqlColumn<C> {
  /** `a + b` (numbers; a timestamp plus an interval column from `F.interval`). */
  plus(other: C): C;
  /** `a - b` (numbers; timestamp minus interval). */
  minus(other: C): C;
  /** `a * b`. */
  multiply(other: C): C;
  /** `a / b`: always fractional (double), null on division by zero, as in Spark. */
  divide(other: C): C;
  /** `a % b`. */
  mod(other: C): C;
  /** `a > b`. */
  gt(other: C): C;
  /** `a >= b`. */
  geq(other: C): C;
  /** `a < b`. */
  lt(other: C): C;
  /** `a <= b`. */
  leq(other: C): C;
  /** `a = b` / `a == b`. */
  eq(other: C): C;
  /** `a <> b` / `a != b`. */
  notEq(other: C): C;
  /** `a <=> b`: null-safe equality (true when both are null). */
  eqNullSafe(other: C): C;
  /** `a AND b` with SQL three-valued logic. */
  and(other: C): C;
  /** `a OR b` with SQL three-valued logic. */
  or(other: C): C;
  /** `NOT a`. */
  not(): C;
  /** `-a` (unary minus). */
  negate(): C;
  /** `a IS NULL`. */
  isNull(): C;
  /** `a IS NOT NULL`. */
  isNotNull(): C;
  /** `a IN (v1, v2, ...)`: Spark's `Column.isin`. */
  isin(...values: C[]): C;
  /** `a BETWEEN lo AND hi` (inclusive both ends). */
  between(lower: C, upper: C): C;
  /** `a LIKE 'pattern'` with SQL `%` and `_` wildcards and `\` escape. */
  like(pattern: string): C;
  /** `a RLIKE 'regex'`: true if the Java-style regex matches anywhere in `a`. */
  rlike(pattern: string): C;
  /** `s.field`: a field of a struct column (e.g. `window.start`). */
  getField(name: string): C;
  /**
   * `CAST(a AS type)` / `a::type`. `type` is one of: "string", "int", "long",
   * "short", "byte", "double", "float", "boolean", "timestamp", "timestamp_ntz",
   * "date", "binary", or "decimal(p,s)".
   */
  cast(type: string): C;
  /** `expr AS name`. */
  as(name: string): C;
  /** `ORDER BY a ASC` (nulls first, Spark's default for ASC). */
  asc(): C;
  /** `ORDER BY a DESC` (nulls last, Spark's default for DESC). */
  desc(): C;
  /** `ORDER BY a ASC NULLS LAST`. */
  ascNullsLast(): C;
  /** `ORDER BY a DESC NULLS FIRST`. */
  descNullsFirst(): C;
  /** Chained `WHEN cond THEN value` on a column made by `F.when`. */
  when(condition: C, value: C): C;
  /** `ELSE value` on a column made by `F.when`. */
  otherwise(value: C): C;
}

/**
 * The functions module (`F`) the lowering calls. `C` is the engine's Column type.
 * Names are PySpark's `pyspark.sql.functions` names in camelCase.
 * Where an argument is a `string`/`number` rather than a column, the SQL
 * must give a literal there (e.g. the pattern of `split`); the lowering
 * reports an AnalysisException otherwise.
 */
export interface SqlFunctions<C> {
  /** A column by name. `name` is one identifier, `*`, or a backquoted name (`` `a.b` ``) when it contains a dot. */
  col(name: string): C;
  /** A literal column. */
  lit(value: SqlLiteral): C;
  /** An interval literal column (Spark's CalendarInterval): `INTERVAL 5 MINUTES` → `interval(0, 0, 300_000_000)`. */
  interval(months: number, days: number, microseconds: number): C;
  /** `window(timeCol, '5 minutes'[, '1 minute'[, startTime]])`: tumbling/sliding window struct `{ start, end }`, named `window`. */
  window(timeColumn: C, windowDuration: string, slideDuration?: string, startTime?: string): C;
  /** `session_window(timeCol, '5 minutes')`: session window struct, named `session_window`. */
  sessionWindow(timeColumn: C, gapDuration: string): C;
  /** `window_time(window)`: the event time of a window (its end minus 1 microsecond). */
  windowTime(windowColumn: C): C;
  /** `count(*)` (pass `"*"`, named `count(1)`) or `count(x)`: non-null rows. */
  count(column: C | "*"): C;
  /** `count(DISTINCT x, y)`. */
  countDistinct(first: C, ...rest: C[]): C;
  /** `approx_count_distinct(x[, rsd])`. */
  approxCountDistinct(column: C, rsd?: number): C;
  /** `sum(x)`. */
  sum(column: C): C;
  /** `avg(x)` / `mean(x)`. */
  avg(column: C): C;
  /** `min(x)`. */
  min(column: C): C;
  /** `max(x)`. */
  max(column: C): C;
  /** `first(x[, ignoreNulls])`. */
  first(column: C, ignoreNulls?: boolean): C;
  /** `last(x[, ignoreNulls])`. */
  last(column: C, ignoreNulls?: boolean): C;
  /** `collect_list(x)`. */
  collectList(column: C): C;
  /** `collect_set(x)`. */
  collectSet(column: C): C;
  /** `a || b` and `concat(a, b, ...)`. */
  concat(...columns: C[]): C;
  /** `concat_ws(sep, a, b, ...)`. */
  concatWs(separator: string, ...columns: C[]): C;
  /** `substring(s, pos[, len])` / `substr`: 1-based `pos`; without `len`, to the end of the string. */
  substring(column: C, pos: number, len?: number): C;
  /** `lower(s)`. */
  lower(column: C): C;
  /** `upper(s)`. */
  upper(column: C): C;
  /** `length(s)`. */
  length(column: C): C;
  /** `trim(s)`. */
  trim(column: C): C;
  /** `split(s, regex[, limit])`: an array column. */
  split(column: C, pattern: string, limit?: number): C;
  /** `explode(array)`: one row per element, column named `col`. */
  explode(column: C): C;
  /** `regexp_replace(s, regex, replacement)`. */
  regexpReplace(column: C, pattern: string, replacement: string): C;
  /** `coalesce(a, b, ...)`, also `ifnull`/`nvl`. */
  coalesce(...columns: C[]): C;
  /** `CASE WHEN cond THEN value`: continue with `.when(...)` / `.otherwise(...)`. */
  when(condition: C, value: C): C;
  /** `current_timestamp()` / `now()`: the batch's timestamp (session clock). */
  currentTimestamp(): C;
  /** `to_timestamp(s[, fmt])`. */
  toTimestamp(column: C, format?: string): C;
  /** `date_format(ts, fmt)`. */
  dateFormat(column: C, format: string): C;
  /** `hour(ts)`. */
  hour(column: C): C;
  /** `minute(ts)`. */
  minute(column: C): C;
  /** `second(ts)`. */
  second(column: C): C;
  /** `year(ts)`. */
  year(column: C): C;
  /** `month(ts)`. */
  month(column: C): C;
  /** `dayofmonth(ts)` / `day(ts)`. */
  dayofmonth(column: C): C;
  /** `unix_timestamp([s[, fmt]])`: seconds since the epoch; no argument means now. */
  unixTimestamp(column?: C, format?: string): C;
  /** `from_unixtime(seconds[, fmt])`: a formatted string. */
  fromUnixtime(column: C, format?: string): C;
}

/** The grouped data the lowering calls: `df.groupBy(...).agg(...)`. */
export interface SqlGroupedData<C, D> {
  /** Aggregates; the result has the grouping columns first, then the aggregates. */
  agg(...columns: C[]): D;
}

/** The DataFrame methods the lowering calls. `D` is the engine's DataFrame type. */
export interface SqlDataFrame<C, D> {
  /** Column names; used only to resolve `GROUP BY alias` like Spark (a real column wins over an alias). */
  readonly columns?: readonly string[];
  select(...columns: C[]): D;
  filter(condition: C): D;
  groupBy(...columns: C[]): SqlGroupedData<C, D>;
  orderBy(...columns: C[]): D;
  limit(n: number): D;
  /** `SELECT DISTINCT`: without names, over all columns. */
  dropDuplicates(): D;
  drop(...names: string[]): D;
}

/** The session method the lowering calls: a registered view or memory-sink table by name. */
export interface SqlSession<D> {
  /** Fails (the engine's error, e.g. TABLE_OR_VIEW_NOT_FOUND) if no such view or table exists. */
  table(name: string): D;
}

export type { SqlInterval };
