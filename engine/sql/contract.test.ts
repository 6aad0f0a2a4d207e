/**
 * The exact surface of the DataFrame API the SQL layer calls: a corpus of
 * statements is lowered onto the recording fake and every method name in the
 * recorded calls must be one the engine was told to provide (frontend.ts),
 * and every method promised in frontend.ts must be exercised.
 */
import { describe, expect, it } from "vitest";
import { fakeF, fakeSession, type FakeColumn, type FakeDataFrame } from "./fakeFrontend";
import { createSqlFrontend } from "./sqlFrontend";
import { sqlToColumn } from "./toColumn";
import { sqlToDataFrame } from "./toDataFrame";

const F_METHODS = [
  "col", "lit", "interval", "window", "sessionWindow", "windowTime", "count", "countDistinct", "approxCountDistinct",
  "sum", "avg", "min", "max", "first", "last", "collectList", "collectSet", "concat", "concatWs", "substring",
  "lower", "upper", "length", "trim", "split", "explode", "regexpReplace", "coalesce", "when",
  "currentTimestamp", "toTimestamp", "dateFormat", "hour", "minute", "second", "year", "month", "dayofmonth",
  "unixTimestamp", "fromUnixtime",
];
const COLUMN_METHODS = [
  "plus", "minus", "multiply", "divide", "mod", "gt", "geq", "lt", "leq", "eq", "notEq", "eqNullSafe", "and", "or",
  "not", "negate", "isNull", "isNotNull", "isin", "between", "like", "rlike", "getField", "cast", "as", "asc", "desc",
  "ascNullsLast", "descNullsFirst", "when", "otherwise",
];
const DATAFRAME_METHODS = ["table", "select", "filter", "groupBy", "agg", "orderBy", "limit", "dropDuplicates", "drop"];

const EXPRESSIONS = [
  "a + b - c * d / e % f", "a DIV 2", "-a", "a = 1 AND b <> 2 OR NOT c", "a < 1 OR a <= 2 OR a > 3 OR a >= 4",
  "a <=> b", "a IS NULL OR b IS NOT NULL", "a IN (1, 2)", "a BETWEEN 1 AND 2", "s LIKE 'x%' OR s RLIKE 'y'",
  "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END", "CAST(a AS BIGINT)", "a::string AS s", "ts + INTERVAL 5 MINUTES",
  "window(ts, '10 minutes', '5 minutes', '1 minute')", "session_window(ts, '5 minutes')", "window_time(window)",
  "count(*)", "count(DISTINCT a)", "approx_count_distinct(a)", "sum(a)", "avg(a)", "min(a)", "max(a)", "first(a)",
  "last(a)", "collect_list(a)", "collect_set(a)", "concat(a, b)", "concat_ws(',', a)", "substring(s, 1, 2)",
  "lower(s)", "upper(s)", "length(s)", "trim(s)", "explode(split(s, ' '))", "regexp_replace(s, 'a', 'b')",
  "coalesce(a, b)", "current_timestamp()", "to_timestamp(s)", "date_format(ts, 'HH')", "hour(ts)", "minute(ts)",
  "second(ts)", "year(ts)", "month(ts)", "dayofmonth(ts)", "unix_timestamp(ts)", "from_unixtime(n)",
  "window(ts, '1 hour').start", "a IS TRUE", "'x' || 'y'",
];
const QUERIES = [
  "SELECT DISTINCT a FROM t ORDER BY a DESC NULLS FIRST",
  "SELECT a FROM t WHERE a > 0 ORDER BY b ASC NULLS LAST, a LIMIT 3",
  "SELECT k, count(*) FROM t GROUP BY k HAVING count(*) > 1 ORDER BY 2 DESC",
];

describe("the API surface the SQL layer calls", () => {
  const recorded = [
    ...EXPRESSIONS.map((e) => sqlToColumn(e, fakeF).s),
    ...QUERIES.flatMap((q) => sqlToDataFrame(q, fakeSession(), fakeF).plan),
  ].join("\n");
  const fCalls = new Set([...recorded.matchAll(/(?<![.\w])([a-zA-Z]+)\(/g)].map((m) => m[1]!));
  const methodCalls = new Set([...recorded.matchAll(/\.([a-zA-Z]+)\(/g)].map((m) => m[1]!));

  it("calls only the promised functions, column and DataFrame methods", () => {
    for (const name of fCalls) expect([...F_METHODS, ...DATAFRAME_METHODS]).toContain(name);
    for (const name of methodCalls) expect([...COLUMN_METHODS, ...DATAFRAME_METHODS]).toContain(name);
  });

  it("exercises every promised method", () => {
    for (const name of F_METHODS) expect(fCalls.has(name) || methodCalls.has(name), name).toBe(true);
    for (const name of COLUMN_METHODS) expect(methodCalls.has(name), name).toBe(true);
    for (const name of DATAFRAME_METHODS) expect(fCalls.has(name) || methodCalls.has(name), name).toBe(true);
  });

  it("promises exactly the functions the fake (typed by frontend.ts) implements", () => {
    expect(Object.keys(fakeF).sort()).toEqual([...F_METHODS].sort());
  });
});

describe("parser speed", () => {
  it("parses and lowers a long expression and deep nesting quickly", () => {
    const long = Array.from({ length: 1000 }, (_, i) => `c${i} * ${i}`).join(" + ");
    const deep = "(".repeat(500) + "a" + ")".repeat(500);
    const t0 = performance.now();
    sqlToColumn(long, fakeF);
    sqlToColumn(deep, fakeF);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("createSqlFrontend", () => {
  it("binds F so spark.sql needs only the text and the session", () => {
    const fe = createSqlFrontend<FakeColumn, FakeDataFrame>(fakeF);
    expect(fe.sqlToDataFrame("SELECT a FROM t", fakeSession()).plan).toEqual([`table("t")`, `select(col("a"))`]);
    expect(fe.sqlToColumn("a + 1", fakeF).s).toBe(`col("a").plus(lit(1))`);
  });
});
