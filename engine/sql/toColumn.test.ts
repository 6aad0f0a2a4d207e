import { describe, expect, it } from "vitest";
import { AnalysisException, ParseException } from "./errors";
import { fakeF } from "./fakeFrontend";
import { SUPPORTED_FUNCTIONS } from "./functions";
import { castTypeName, colName, sqlToColumn } from "./toColumn";

const lower = (sql: string): string => sqlToColumn(sql, fakeF).s;

describe("sqlToColumn: columns, literals, aliases", () => {
  it.each([
    ["value", `col("value")`],
    ["`my col`", `col("my col")`],
    ["`a.b`", 'col("`a.b`")'],
    ["window.start", `col("window.start")`],
    ["t.`odd.name`", 'col("t.`odd.name`")'],
    ["*", `col("*")`],
    ["t.*", `col("t.*")`],
    ["42", "lit(42)"],
    ["10L", `lit(10).cast("long")`],
    ["1.5", "lit(1.5)"],
    ["1e3", "lit(1000)"],
    ["-7", "lit(-7)"],
    ["'it''s'", `lit("it's")`],
    [`"tab\\there"`, `lit("tab\\there")`],
    ["TRUE", "lit(true)"],
    ["NULL", "lit(null)"],
    ["TIMESTAMP '2024-01-01 00:00:00'", `lit("2024-01-01 00:00:00").cast("timestamp")`],
    ["INTERVAL 5 MINUTES", "interval(0, 0, 300000000)"],
    ["INTERVAL '1 month 2 days'", "interval(1, 2, 0)"],
  ])("%s", (sql, calls) => {
    expect(lower(sql)).toBe(calls);
  });

  it("applies an alias with as()", () => {
    expect(lower("value * 2 AS doubled")).toBe(`col("value").multiply(lit(2)).as("doubled")`);
    expect(lower("lower(word) w")).toBe(`lower(col("word")).as("w")`);
  });
});

describe("sqlToColumn: operators", () => {
  it.each([
    ["a + 1", `col("a").plus(lit(1))`],
    ["a - 1", `col("a").minus(lit(1))`],
    ["a * b", `col("a").multiply(col("b"))`],
    ["a / b", `col("a").divide(col("b"))`],
    ["a % 3", `col("a").mod(lit(3))`],
    ["a DIV 2", `col("a").divide(lit(2)).cast("long")`],
    ["-a", `col("a").negate()`],
    ["+a", `col("a")`],
    ["a || b", `concat(col("a"), col("b"))`],
    ["a + b * c", `col("a").plus(col("b").multiply(col("c")))`],
    ["a = 1", `col("a").eq(lit(1))`],
    ["a == 1", `col("a").eq(lit(1))`],
    ["a <> 1", `col("a").notEq(lit(1))`],
    ["a != 1", `col("a").notEq(lit(1))`],
    ["a < 1", `col("a").lt(lit(1))`],
    ["a <= 1", `col("a").leq(lit(1))`],
    ["a > 1", `col("a").gt(lit(1))`],
    ["a >= 1", `col("a").geq(lit(1))`],
    ["a <=> b", `col("a").eqNullSafe(col("b"))`],
    ["a AND b OR NOT c", `col("a").and(col("b")).or(col("c").not())`],
    ["a IS NULL", `col("a").isNull()`],
    ["a IS NOT NULL", `col("a").isNotNull()`],
    ["a IS TRUE", `col("a").eqNullSafe(lit(true))`],
    ["a IS NOT FALSE", `col("a").eqNullSafe(lit(false)).not()`],
    ["a IN (1, 2)", `col("a").isin(lit(1), lit(2))`],
    ["a NOT IN (1, 2)", `col("a").isin(lit(1), lit(2)).not()`],
    ["a BETWEEN 1 AND 5", `col("a").between(lit(1), lit(5))`],
    ["a NOT BETWEEN 1 AND 5", `col("a").between(lit(1), lit(5)).not()`],
    ["s LIKE 'a%'", `col("s").like("a%")`],
    ["s NOT LIKE 'a%'", `col("s").like("a%").not()`],
    ["s RLIKE '^a.*'", `col("s").rlike("^a.*")`],
    ["s NOT RLIKE 'x'", `col("s").rlike("x").not()`],
    ["CAST(v AS BIGINT)", `col("v").cast("long")`],
    ["CAST(v AS INTEGER)", `col("v").cast("int")`],
    ["v::double", `col("v").cast("double")`],
    ["v::decimal(10,2)", `col("v").cast("decimal(10,2)")`],
    ["v::decimal", `col("v").cast("decimal(10,0)")`],
    ["ts + INTERVAL 5 MINUTES", `col("ts").plus(interval(0, 0, 300000000))`],
    ["ts > otherTs - INTERVAL 1 HOUR", `col("ts").gt(col("otherTs").minus(interval(0, 0, 3600000000)))`],
  ])("%s", (sql, calls) => {
    expect(lower(sql)).toBe(calls);
  });

  it("lowers both CASE forms to when/otherwise", () => {
    expect(lower("CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END")).toBe(
      `when(col("a").gt(lit(1)), lit("big")).when(col("a").gt(lit(0)), lit("small")).otherwise(lit("none"))`,
    );
    expect(lower("CASE a WHEN 1 THEN 'one' END")).toBe(`when(col("a").eq(lit(1)), lit("one"))`);
  });

  it("requires a literal LIKE pattern", () => {
    expect(() => lower("a LIKE b")).toThrow(AnalysisException);
  });
});

describe("sqlToColumn: functions", () => {
  it.each([
    ["count(*)", `count("*")`],
    ["count(1)", `count("*")`],
    ["count(x)", `count(col("x"))`],
    ["COUNT(DISTINCT x)", `countDistinct(col("x"))`],
    ["count(DISTINCT x, y)", `countDistinct(col("x"), col("y"))`],
    ["sum(x)", `sum(col("x"))`],
    ["avg(x)", `avg(col("x"))`],
    ["mean(x)", `avg(col("x"))`],
    ["min(x)", `min(col("x"))`],
    ["max(x)", `max(col("x"))`],
    ["first(x)", `first(col("x"))`],
    ["last(x, true)", `last(col("x"), true)`],
    ["collect_list(x)", `collectList(col("x"))`],
    ["collect_set(x)", `collectSet(col("x"))`],
    ["approx_count_distinct(x)", `approxCountDistinct(col("x"))`],
    ["approx_count_distinct(x, 0.05)", `approxCountDistinct(col("x"), 0.05)`],
    ["window(ts, '5 minutes')", `window(col("ts"), "5 minutes")`],
    ["window(ts, '10 minutes', '5 minutes')", `window(col("ts"), "10 minutes", "5 minutes")`],
    ["window(ts, '1 hour', '10 minutes', '5 minutes')", `window(col("ts"), "1 hour", "10 minutes", "5 minutes")`],
    ["window(ts, INTERVAL 5 MINUTES)", `window(col("ts"), "5 minutes")`],
    ["session_window(ts, '5 minutes')", `sessionWindow(col("ts"), "5 minutes")`],
    ["window_time(window)", `windowTime(col("window"))`],
    ["lower(s)", `lower(col("s"))`],
    ["UPPER(s)", `upper(col("s"))`],
    ["length(s)", `length(col("s"))`],
    ["concat(a, '-', b)", `concat(col("a"), lit("-"), col("b"))`],
    ["concat_ws(',', a, b)", `concatWs(",", col("a"), col("b"))`],
    ["substring(s, 2, 3)", `substring(col("s"), 2, 3)`],
    ["substr(s, 2)", `substring(col("s"), 2)`],
    ["trim(s)", `trim(col("s"))`],
    ["split(value, ' ')", `split(col("value"), " ")`],
    ["split(value, ',', 2)", `split(col("value"), ",", 2)`],
    ["explode(split(value, ' '))", `explode(split(col("value"), " "))`],
    ["regexp_replace(s, '[0-9]', '#')", `regexpReplace(col("s"), "[0-9]", "#")`],
    ["coalesce(a, b, 0)", `coalesce(col("a"), col("b"), lit(0))`],
    ["ifnull(a, 0)", `coalesce(col("a"), lit(0))`],
    ["if(a > 0, 'p', 'n')", `when(col("a").gt(lit(0)), lit("p")).otherwise(lit("n"))`],
    ["current_timestamp()", "currentTimestamp()"],
    ["current_timestamp", "currentTimestamp()"],
    ["now()", "currentTimestamp()"],
    ["to_timestamp(s)", `toTimestamp(col("s"))`],
    ["to_timestamp(s, 'yyyy-MM-dd HH:mm')", `toTimestamp(col("s"), "yyyy-MM-dd HH:mm")`],
    ["date_format(ts, 'HH:mm')", `dateFormat(col("ts"), "HH:mm")`],
    ["hour(ts)", `hour(col("ts"))`],
    ["minute(ts)", `minute(col("ts"))`],
    ["second(ts)", `second(col("ts"))`],
    ["year(ts)", `year(col("ts"))`],
    ["month(ts)", `month(col("ts"))`],
    ["dayofmonth(ts)", `dayofmonth(col("ts"))`],
    ["unix_timestamp()", "unixTimestamp()"],
    ["unix_timestamp(ts)", `unixTimestamp(col("ts"))`],
    ["unix_timestamp(s, 'yyyy-MM-dd')", `unixTimestamp(col("s"), "yyyy-MM-dd")`],
    ["from_unixtime(secs)", `fromUnixtime(col("secs"))`],
    ["from_unixtime(secs, 'HH')", `fromUnixtime(col("secs"), "HH")`],
    ["window(ts, '1 hour').start", `window(col("ts"), "1 hour").getField("start")`],
    ["(a).b", `col("a.b")`],
  ])("%s", (sql, calls) => {
    expect(lower(sql)).toBe(calls);
  });

  it("lists the supported functions", () => {
    expect(SUPPORTED_FUNCTIONS).toContain("session_window");
    expect(SUPPORTED_FUNCTIONS).toContain("approx_count_distinct");
  });

  it("reports an unknown function with UNRESOLVED_ROUTINE at its position", () => {
    let err: unknown;
    try { lower("a + frobnicate(b)"); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AnalysisException);
    expect((err as AnalysisException).errorClass).toBe("UNRESOLVED_ROUTINE");
    expect((err as AnalysisException).message).toContain("Cannot resolve routine `frobnicate` on search path");
    expect((err as AnalysisException).column).toBe(5);
  });

  it("reports a wrong argument count with WRONG_NUM_ARGS", () => {
    expect(() => lower("lower(a, b)")).toThrow(/\[WRONG_NUM_ARGS.WITHOUT_SUGGESTION\] The `lower` requires 1 parameters but the actual number is 2/);
    expect(() => lower("window(ts)")).toThrow(/requires \[2, 4\] parameters/);
    expect(() => lower("coalesce()")).toThrow(/requires at least 1 parameters/);
  });

  it("requires literals where the API takes strings or numbers", () => {
    expect(() => lower("split(value, sep)")).toThrow(/argument of `split` must be a literal/);
    expect(() => lower("window(ts, size)")).toThrow(AnalysisException);
  });

  it("rejects DISTINCT and * outside count", () => {
    expect(() => lower("sum(DISTINCT x)")).toThrow(/UNSUPPORTED_SQL/);
    expect(() => lower("sum(*)")).toThrow(/UNSUPPORTED_SQL/);
    expect(() => lower("a + *")).toThrow(/`\*` is only supported/);
  });

  it("throws a ParseException for bad syntax", () => {
    expect(() => lower("a +")).toThrow(ParseException);
  });
});

describe("helpers", () => {
  it("maps SQL types to API cast names", () => {
    expect(castTypeName({ name: "bigint", params: [], span: { start: 0, end: 0 } })).toBe("long");
    expect(castTypeName({ name: "smallint", params: [], span: { start: 0, end: 0 } })).toBe("short");
    expect(castTypeName({ name: "timestamp", params: [], span: { start: 0, end: 0 } })).toBe("timestamp");
  });

  it("backquotes names with dots for F.col", () => {
    expect(colName("word")).toBe("word");
    expect(colName("a.b")).toBe("`a.b`");
    expect(colName("a`b")).toBe("`a``b`");
  });
});
