import type { AggFnName, Expr } from "../expressions/Expression";
import { windowDurationToMs } from "../util/durations";
import { IllegalArgumentException } from "../util/errors";
import { Column, literalExpr, toExpr, type ColumnOrLiteral } from "./Column";
import { sqlFrontend } from "./sqlHook";

type ColRef = Column | string;

function c(x: ColRef): Expr {
  return typeof x === "string" ? (x === "*" ? { kind: "star" } : { kind: "unresolvedAttr", name: x }) : x.expr;
}

function agg(fn: AggFnName, x: ColRef, distinct = false): Column {
  return new Column({ kind: "agg", fn, args: [c(x)], distinct });
}

/**
 * Spark SQL functions (`pyspark.sql.functions`), camelCased. Column arguments accept
 * a Column or a column name.
 *
 * @example
 * df.groupBy(F.window(F.col("timestamp"), "10 seconds")).agg(F.count("*").as("n"))
 */
export const F = {
  /** A column by name; "*" is every column. Dotted names reach struct fields ("window.start"). */
  col(name: string): Column {
    return new Column(c(name));
  },
  /** Same as `col`. */
  column(name: string): Column {
    return new Column(c(name));
  },
  /** A literal value: integral numbers are int/long, others double; Date is a timestamp. */
  lit(v: number | string | boolean | null | Date): Column {
    return new Column(literalExpr(v));
  },
  /** A SQL expression, parsed by the SQL frontend. Throws "SQL frontend not loaded" when none is registered. */
  expr(sql: string): Column {
    return sqlFrontend("F.expr").sqlToColumn(sql, F);
  },

  /**
   * A time window over a timestamp column: a struct `{ start, end }`, windows aligned to the
   * epoch plus `startTime`, [start, end). Sliding when `slideDuration` < `windowDuration`.
   * Rows with a null time are dropped. Throws IllegalArgumentException for a bad duration.
   *
   * @example F.window(F.col("eventTime"), "10 minutes", "5 minutes")
   */
  window(timeColumn: ColRef, windowDuration: string, slideDuration?: string | null, startTime?: string | null): Column {
    const windowMs = windowDurationToMs(windowDuration, "window duration");
    const slideMs = slideDuration == null ? windowMs : windowDurationToMs(slideDuration, "slide duration");
    const startMs = startTime == null ? 0 : windowDurationToMs(startTime, "startTime");
    if (slideMs > windowMs) {
      throw new IllegalArgumentException(`The slide duration (${slideDuration}) must be less than or equal to the windowDuration (${windowDuration}).`);
    }
    if (Math.abs(startMs) >= slideMs) {
      throw new IllegalArgumentException(`The absolute value of start time (${startTime}) must be less than the slideDuration (${slideDuration ?? windowDuration}).`);
    }
    return new Column({ kind: "timeWindow", child: c(timeColumn), windowMs, slideMs, startMs });
  },
  /**
   * Session window (Spark's session_window): groups events of a key into sessions that
   * close after `gapDuration` without events; a session is `{ start, end }` with end = last
   * event + gap, and sessions merge across batches. `gapDuration` is a duration string or a
   * per-row column (an interval or a duration string; rows whose gap is null or ≤ 0 are
   * dropped). Streaming: append and complete modes; needs another grouping key.
   * Throws IllegalArgumentException for a malformed duration.
   *
   * @example df.groupBy(F.sessionWindow("eventTime", "5 minutes"), "userId").count()
   */
  sessionWindow(timeColumn: ColRef, gapDuration: string | Column): Column {
    if (typeof gapDuration !== "string") return new Column({ kind: "sessionWindow", child: c(timeColumn), gapMs: 0, gapExpr: gapDuration.expr });
    return new Column({ kind: "sessionWindow", child: c(timeColumn), gapMs: windowDurationToMs(gapDuration, "gap duration") });
  },
  /** The event time of a window: `window.end - 1 microsecond`, as Spark's window_time. */
  windowTime(windowColumn: ColRef): Column {
    return new Column({ kind: "windowTime", child: c(windowColumn) });
  },

  /** count("*") counts rows; count(col) counts non-null values. */
  count(x: ColRef): Column {
    return agg("count", x);
  },
  /** Sum of non-null values (long for integral input, double otherwise); null when none. */
  sum(x: ColRef): Column {
    return agg("sum", x);
  },
  /** Mean of non-null values (double). */
  avg(x: ColRef): Column {
    return agg("avg", x);
  },
  /** Same as `avg`. */
  mean(x: ColRef): Column {
    return agg("avg", x);
  },
  /** Minimum non-null value. */
  min(x: ColRef): Column {
    return agg("min", x);
  },
  /** Maximum non-null value. */
  max(x: ColRef): Column {
    return agg("max", x);
  },
  /** First value in arrival order (nulls included unless ignoreNulls). */
  first(x: ColRef, ignoreNulls = false): Column {
    return new Column({ kind: "agg", fn: "first", args: [c(x)], distinct: false, ignoreNulls });
  },
  /** Last value in arrival order (nulls included unless ignoreNulls). */
  last(x: ColRef, ignoreNulls = false): Column {
    return new Column({ kind: "agg", fn: "last", args: [c(x)], distinct: false, ignoreNulls });
  },
  /** The non-null values as an array, in arrival order. */
  collectList(x: ColRef): Column {
    return agg("collect_list", x);
  },
  /** Number of distinct non-null values (static DataFrames; streaming queries reject it, as Spark). */
  countDistinct(x: ColRef, ...more: ColRef[]): Column {
    return new Column({ kind: "agg", fn: "count_distinct", args: [c(x), ...more.map(c)], distinct: true });
  },
  /** Approximate distinct count (HyperLogLog, relative standard deviation 5% by default). */
  approxCountDistinct(x: ColRef, rsd = 0.05): Column {
    return new Column({ kind: "agg", fn: "approx_count_distinct", args: [c(x), literalExpr(rsd)], distinct: false });
  },

  /** An interval literal (Spark's CalendarInterval): `F.interval(0, 0, 5_000_000)` is 5 seconds; add it to a timestamp. */
  interval(months: number, days: number, microseconds: number): Column {
    return new Column({ kind: "literal", value: { months, days, microseconds }, dataType: "interval" });
  },
  /** The distinct non-null values as an array. */
  collectSet(x: ColRef): Column {
    return agg("collect_set", x);
  },
  /** Joins strings (and array elements) with a separator, skipping nulls. */
  concatWs(separator: string, ...xs: ColRef[]): Column {
    return new Column({ kind: "call", fn: "concat_ws", args: [literalExpr(separator), ...xs.map(c)] });
  },
  /** Substring from 1-based `pos` (negative: from the end), `len` characters (default: to the end). */
  substring(x: ColRef, pos: number, len?: number): Column {
    return new Column({ kind: "call", fn: "substring", args: [c(x), literalExpr(pos), ...(len === undefined ? [] : [literalExpr(len)])] });
  },
  /** Removes leading and trailing spaces. */
  trim(x: ColRef): Column {
    return new Column({ kind: "call", fn: "trim", args: [c(x)] });
  },
  /** Replaces every match of a regular expression (`$1` refers to a group). */
  regexpReplace(x: ColRef, pattern: string, replacement: string): Column {
    return new Column({ kind: "call", fn: "regexp_replace", args: [c(x), literalExpr(pattern), literalExpr(replacement)] });
  },
  /** Formats a timestamp with a pattern like "yyyy-MM-dd HH:mm" (UTC). */
  dateFormat(x: ColRef, format: string): Column {
    return new Column({ kind: "call", fn: "date_format", args: [c(x), literalExpr(format)] });
  },
  /** Hour of a timestamp (UTC). */
  hour(x: ColRef): Column {
    return new Column({ kind: "call", fn: "hour", args: [c(x)] });
  },
  /** Minute of a timestamp. */
  minute(x: ColRef): Column {
    return new Column({ kind: "call", fn: "minute", args: [c(x)] });
  },
  /** Second of a timestamp. */
  second(x: ColRef): Column {
    return new Column({ kind: "call", fn: "second", args: [c(x)] });
  },
  /** Year of a timestamp (UTC). */
  year(x: ColRef): Column {
    return new Column({ kind: "call", fn: "year", args: [c(x)] });
  },
  /** Month (1–12) of a timestamp (UTC). */
  month(x: ColRef): Column {
    return new Column({ kind: "call", fn: "month", args: [c(x)] });
  },
  /** Day of the month of a timestamp (UTC). */
  dayofmonth(x: ColRef): Column {
    return new Column({ kind: "call", fn: "dayofmonth", args: [c(x)] });
  },
  /** Seconds since the epoch of a timestamp or a timestamp string; without arguments, of the batch time. */
  unixTimestamp(x?: ColRef, _format?: string): Column {
    return new Column({ kind: "call", fn: "unix_timestamp", args: x === undefined ? [] : [c(x)] });
  },
  /** A seconds-since-epoch number as a formatted string (default "yyyy-MM-dd HH:mm:ss"). */
  fromUnixtime(x: ColRef, format?: string): Column {
    return new Column({ kind: "call", fn: "from_unixtime", args: [c(x), ...(format === undefined ? [] : [literalExpr(format)])] });
  },
  /** Lower-case a string. */
  lower(x: ColRef): Column {
    return new Column({ kind: "call", fn: "lower", args: [c(x)] });
  },
  /** Upper-case a string. */
  upper(x: ColRef): Column {
    return new Column({ kind: "call", fn: "upper", args: [c(x)] });
  },
  /** Length of a string (characters) or an array. */
  length(x: ColRef): Column {
    return new Column({ kind: "call", fn: "length", args: [c(x)] });
  },
  /** Splits a string around a regular expression; `limit` > 0 keeps at most that many parts. */
  split(x: ColRef, pattern: string, limit?: number): Column {
    return new Column({ kind: "call", fn: "split", args: [c(x), literalExpr(pattern), ...(limit === undefined ? [] : [literalExpr(limit)])] });
  },
  /** One output row per array element (in select). */
  explode(x: ColRef): Column {
    return new Column({ kind: "explode", child: c(x) });
  },
  /** The batch's processing time (Spark: the same value for every row of a micro-batch). */
  currentTimestamp(): Column {
    return new Column({ kind: "call", fn: "current_timestamp", args: [] });
  },
  /** Parses a string ("2016-03-27 19:39:34") or reads a number as seconds. */
  toTimestamp(x: ColRef, _fmt?: string): Column {
    return new Column({ kind: "call", fn: "to_timestamp", args: [c(x)] });
  },
  /** First non-null argument. */
  coalesce(...xs: ColRef[]): Column {
    return new Column({ kind: "call", fn: "coalesce", args: xs.map(c) });
  },
  /** Absolute value. */
  abs(x: ColRef): Column {
    return new Column({ kind: "call", fn: "abs", args: [c(x)] });
  },
  /** String concatenation (null if any argument is null). */
  concat(...xs: ColRef[]): Column {
    return new Column({ kind: "call", fn: "concat", args: xs.map(c) });
  },
  /** A struct of the given columns. */
  struct(...xs: ColRef[]): Column {
    return new Column({ kind: "call", fn: "struct", args: xs.map(c) });
  },
  /** CASE WHEN condition THEN value; chain `.when(...)` and `.otherwise(...)`. */
  when(condition: Column, value: ColumnOrLiteral): Column {
    return new Column({ kind: "caseWhen", branches: [[condition.expr, toExpr(value)]], otherwise: null });
  },
  /** Descending order of a column by name. */
  desc(name: string): Column {
    return F.col(name).desc();
  },
  /** Ascending order of a column by name. */
  asc(name: string): Column {
    return F.col(name).asc();
  },
};

/** The type of `F`. */
export type Functions = typeof F;
