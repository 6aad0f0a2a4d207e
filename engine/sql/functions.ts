/**
 * The SQL function table: each supported Spark SQL function name mapped to
 * the `F` call that implements it. Names are matched case-insensitively
 * (the parser lower-cases them).
 */
import type { Expr } from "./ast";
import { AnalysisException } from "./errors";
import type { SqlColumn, SqlFunctions } from "./frontend";
import { formatDuration } from "./interval";
import { prettyName } from "./render";

/** A function call node. */
export type CallExpr = Extract<Expr, { kind: "call" }>;

/** What a function lowering needs: the functions module, the SQL text, and how to lower an argument. */
export interface CallContext<C extends SqlColumn<C>> {
  readonly F: SqlFunctions<C>;
  readonly sql: string;
  lower(e: Expr): C;
}

/** Spark's aggregate functions in this subset. */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([
  "count", "sum", "avg", "mean", "min", "max", "first", "last", "first_value", "last_value",
  "collect_list", "collect_set", "approx_count_distinct",
]);

type Lowering = <C extends SqlColumn<C>>(call: CallExpr, cx: CallContext<C>) => C;

interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly lower: Lowering;
}

function wrongArgs(call: CallExpr, cx: { sql: string }, expected: string): AnalysisException {
  return new AnalysisException(
    "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
    `The \`${call.name}\` requires ${expected} parameters but the actual number is ${call.args.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.`,
    cx.sql,
    call.span.start,
  );
}

function notLiteral(call: CallExpr, arg: Expr, what: string, sql: string): AnalysisException {
  return new AnalysisException(
    "UNSUPPORTED_SQL",
    `The ${what} argument of \`${call.name}\` must be a literal here, got "${prettyName(arg)}".`,
    sql,
    arg.span.start,
  );
}

/** A string literal argument (an INTERVAL literal is accepted and written as a duration, for window sizes). */
function str(call: CallExpr, i: number, sql: string, what: string): string {
  const a = call.args[i]!;
  if (a.kind === "string") return a.value;
  if (a.kind === "interval") return formatDuration({ kind: "interval", months: a.months, days: a.days, microseconds: a.microseconds });
  throw notLiteral(call, a, what, sql);
}
function optStr(call: CallExpr, i: number, sql: string, what: string): string | undefined {
  return call.args.length > i ? str(call, i, sql, what) : undefined;
}
function num(call: CallExpr, i: number, sql: string, what: string): number {
  const a = call.args[i]!;
  if (a.kind === "number") return a.value;
  throw notLiteral(call, a, what, sql);
}
function bool(call: CallExpr, i: number, sql: string, what: string): boolean {
  const a = call.args[i]!;
  if (a.kind === "boolean") return a.value;
  throw notLiteral(call, a, what, sql);
}

const one = (f: <C extends SqlColumn<C>>(F: SqlFunctions<C>, c: C) => C): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  lower: (call, cx) => f(cx.F, cx.lower(call.args[0]!)),
});
const firstLast = (pick: "first" | "last"): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 2,
  lower: (call, cx) => {
    const c = cx.lower(call.args[0]!);
    return call.args.length > 1 ? cx.F[pick](c, bool(call, 1, cx.sql, "ignoreNulls")) : cx.F[pick](c);
  },
});
const VARIADIC = Number.POSITIVE_INFINITY;

const FUNCTIONS: Record<string, FunctionSpec> = {
  // ---- aggregates ----
  count: {
    minArgs: 1, maxArgs: VARIADIC,
    lower: (call, cx) => {
      if (call.distinct) {
        const [a, ...rest] = call.args.map((x) => cx.lower(x));
        return cx.F.countDistinct(a!, ...rest);
      }
      if (call.args.length > 1) throw wrongArgs(call, cx, "1");
      const a = call.args[0]!;
      // count(1), count('x'): Spark counts every row, like count(*).
      if (a.kind === "number" || a.kind === "string" || a.kind === "boolean") return cx.F.count("*");
      return cx.F.count(cx.lower(a));
    },
  },
  sum: one((F, c) => F.sum(c)),
  avg: one((F, c) => F.avg(c)),
  mean: one((F, c) => F.avg(c)),
  min: one((F, c) => F.min(c)),
  max: one((F, c) => F.max(c)),
  first: firstLast("first"),
  first_value: firstLast("first"),
  last: firstLast("last"),
  last_value: firstLast("last"),
  collect_list: one((F, c) => F.collectList(c)),
  collect_set: one((F, c) => F.collectSet(c)),
  approx_count_distinct: {
    minArgs: 1, maxArgs: 2,
    lower: (call, cx) => {
      const c = cx.lower(call.args[0]!);
      return call.args.length > 1 ? cx.F.approxCountDistinct(c, num(call, 1, cx.sql, "rsd")) : cx.F.approxCountDistinct(c);
    },
  },
  // ---- windows ----
  window: {
    minArgs: 2, maxArgs: 4,
    lower: (call, cx) => cx.F.window(
      cx.lower(call.args[0]!),
      str(call, 1, cx.sql, "windowDuration"),
      optStr(call, 2, cx.sql, "slideDuration"),
      optStr(call, 3, cx.sql, "startTime"),
    ),
  },
  session_window: {
    minArgs: 2, maxArgs: 2,
    lower: (call, cx) => cx.F.sessionWindow(cx.lower(call.args[0]!), str(call, 1, cx.sql, "gapDuration")),
  },
  window_time: one((F, c) => F.windowTime(c)),
  // ---- strings ----
  lower: one((F, c) => F.lower(c)),
  lcase: one((F, c) => F.lower(c)),
  upper: one((F, c) => F.upper(c)),
  ucase: one((F, c) => F.upper(c)),
  length: one((F, c) => F.length(c)),
  char_length: one((F, c) => F.length(c)),
  trim: one((F, c) => F.trim(c)),
  explode: one((F, c) => F.explode(c)),
  concat: { minArgs: 0, maxArgs: VARIADIC, lower: (call, cx) => cx.F.concat(...call.args.map((a) => cx.lower(a))) },
  concat_ws: {
    minArgs: 1, maxArgs: VARIADIC,
    lower: (call, cx) => cx.F.concatWs(str(call, 0, cx.sql, "sep"), ...call.args.slice(1).map((a) => cx.lower(a))),
  },
  substring: {
    minArgs: 2, maxArgs: 3,
    lower: (call, cx) => {
      const c = cx.lower(call.args[0]!);
      const pos = num(call, 1, cx.sql, "pos");
      return call.args.length > 2 ? cx.F.substring(c, pos, num(call, 2, cx.sql, "len")) : cx.F.substring(c, pos);
    },
  },
  split: {
    minArgs: 2, maxArgs: 3,
    lower: (call, cx) => {
      const c = cx.lower(call.args[0]!);
      const pattern = str(call, 1, cx.sql, "regex");
      return call.args.length > 2 ? cx.F.split(c, pattern, num(call, 2, cx.sql, "limit")) : cx.F.split(c, pattern);
    },
  },
  regexp_replace: {
    minArgs: 3, maxArgs: 3,
    lower: (call, cx) => cx.F.regexpReplace(cx.lower(call.args[0]!), str(call, 1, cx.sql, "regexp"), str(call, 2, cx.sql, "rep")),
  },
  coalesce: { minArgs: 1, maxArgs: VARIADIC, lower: (call, cx) => cx.F.coalesce(...call.args.map((a) => cx.lower(a))) },
  ifnull: { minArgs: 2, maxArgs: 2, lower: (call, cx) => cx.F.coalesce(...call.args.map((a) => cx.lower(a))) },
  nvl: { minArgs: 2, maxArgs: 2, lower: (call, cx) => cx.F.coalesce(...call.args.map((a) => cx.lower(a))) },
  if: {
    minArgs: 3, maxArgs: 3,
    lower: (call, cx) => cx.F.when(cx.lower(call.args[0]!), cx.lower(call.args[1]!)).otherwise(cx.lower(call.args[2]!)),
  },
  // ---- time ----
  current_timestamp: { minArgs: 0, maxArgs: 0, lower: (_call, cx) => cx.F.currentTimestamp() },
  now: { minArgs: 0, maxArgs: 0, lower: (_call, cx) => cx.F.currentTimestamp() },
  to_timestamp: {
    minArgs: 1, maxArgs: 2,
    lower: (call, cx) => {
      const c = cx.lower(call.args[0]!);
      return call.args.length > 1 ? cx.F.toTimestamp(c, str(call, 1, cx.sql, "format")) : cx.F.toTimestamp(c);
    },
  },
  date_format: {
    minArgs: 2, maxArgs: 2,
    lower: (call, cx) => cx.F.dateFormat(cx.lower(call.args[0]!), str(call, 1, cx.sql, "format")),
  },
  hour: one((F, c) => F.hour(c)),
  minute: one((F, c) => F.minute(c)),
  second: one((F, c) => F.second(c)),
  year: one((F, c) => F.year(c)),
  month: one((F, c) => F.month(c)),
  dayofmonth: one((F, c) => F.dayofmonth(c)),
  day: one((F, c) => F.dayofmonth(c)),
  unix_timestamp: {
    minArgs: 0, maxArgs: 2,
    lower: (call, cx) => {
      if (call.args.length === 0) return cx.F.unixTimestamp();
      const c = cx.lower(call.args[0]!);
      return call.args.length > 1 ? cx.F.unixTimestamp(c, str(call, 1, cx.sql, "format")) : cx.F.unixTimestamp(c);
    },
  },
  from_unixtime: {
    minArgs: 1, maxArgs: 2,
    lower: (call, cx) => {
      const c = cx.lower(call.args[0]!);
      return call.args.length > 1 ? cx.F.fromUnixtime(c, str(call, 1, cx.sql, "format")) : cx.F.fromUnixtime(c);
    },
  },
};
FUNCTIONS["substr"] = FUNCTIONS["substring"]!;

/** The names of every supported SQL function (lower case), for editor completion. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS).sort();

/**
 * Lowers one function call onto `F`.
 *
 * Fails with an AnalysisException: UNRESOLVED_ROUTINE for an unknown name,
 * WRONG_NUM_ARGS.WITHOUT_SUGGESTION for a wrong argument count,
 * UNSUPPORTED_SQL for DISTINCT on anything but count, `*` on anything but
 * count, or a non-literal where `F` takes a string/number.
 * Example: `split(value, ' ')` → `F.split(F.col("value"), " ")`.
 */
export function lowerCall<C extends SqlColumn<C>>(call: CallExpr, cx: CallContext<C>): C {
  const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, call.name) ? FUNCTIONS[call.name] : undefined;
  if (spec === undefined) {
    throw new AnalysisException(
      "UNRESOLVED_ROUTINE",
      `Cannot resolve routine \`${call.name}\` on search path [\`system\`.\`builtin\`, \`system\`.\`session\`, \`spark_catalog\`.\`default\`].`,
      cx.sql,
      call.span.start,
    );
  }
  if (call.star) {
    if (call.name !== "count") throw new AnalysisException("UNSUPPORTED_SQL", `\`${call.name}(*)\` is not supported; only count(*).`, cx.sql, call.span.start);
    return cx.F.count("*");
  }
  if (call.distinct && call.name !== "count") {
    throw new AnalysisException("UNSUPPORTED_SQL", `DISTINCT inside \`${call.name}\` is not supported by this SQL subset; only count(DISTINCT ...).`, cx.sql, call.span.start);
  }
  const n = call.args.length;
  if (n < spec.minArgs || n > spec.maxArgs) {
    const expected = spec.minArgs === spec.maxArgs ? String(spec.minArgs)
      : spec.maxArgs === VARIADIC ? `at least ${spec.minArgs}` : `[${spec.minArgs}, ${spec.maxArgs}]`;
    throw wrongArgs(call, cx, expected);
  }
  return spec.lower(call, cx);
}
