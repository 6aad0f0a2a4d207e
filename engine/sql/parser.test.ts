import { describe, expect, it } from "vitest";
import type { Expr } from "./ast";
import { parseDataType, parseExpression, parseQuery } from "./parser";

/** A compact s-expression of a tree, for readable expectations. */
function sx(e: Expr): string {
  switch (e.kind) {
    case "column": return e.parts.join(".");
    case "star": return [...e.qualifier, "*"].join(".");
    case "number": return `${e.text}:${e.type}`;
    case "string": return JSON.stringify(e.value);
    case "boolean": return String(e.value);
    case "null": return "null";
    case "interval": return `(interval ${e.months} ${e.days} ${e.microseconds})`;
    case "typedLiteral": return `(${e.type} ${JSON.stringify(e.value)})`;
    case "unary": return `(${e.op} ${sx(e.operand)})`;
    case "binary": return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case "isNull": return `(${e.negated ? "isNotNull" : "isNull"} ${sx(e.operand)})`;
    case "isBoolean": return `(is${e.negated ? "Not" : ""}${e.value} ${sx(e.operand)})`;
    case "in": return `(${e.negated ? "notIn" : "in"} ${sx(e.operand)} ${e.list.map(sx).join(" ")})`;
    case "between": return `(${e.negated ? "notBetween" : "between"} ${sx(e.operand)} ${sx(e.lower)} ${sx(e.upper)})`;
    case "like": return `(${e.negated ? "NOT " : ""}${e.op} ${sx(e.operand)} ${sx(e.pattern)})`;
    case "case": return `(case${e.operand ? " " + sx(e.operand) : ""}${e.branches.map((b) => ` [${sx(b.when)} ${sx(b.then)}]`).join("")}${e.otherwise ? " else " + sx(e.otherwise) : ""})`;
    case "cast": return `(cast ${sx(e.operand)} ${e.dataType.name}${e.dataType.params.length ? `(${e.dataType.params.join(",")})` : ""})`;
    case "call": return `${e.name}(${e.distinct ? "DISTINCT " : ""}${e.star ? "*" : e.args.map(sx).join(", ")})`;
    case "field": return `(field ${sx(e.base)} ${e.field})`;
  }
}
const p = (sql: string): string => sx(parseExpression(sql).expr);

describe("parseExpression: literals", () => {
  it("reads numbers with Spark's types", () => {
    expect(p("42")).toBe("42:int");
    expect(p("10L")).toBe("10:long");
    expect(p("1.25")).toBe("1.25:decimal");
    expect(p("1e3")).toBe("1e3:double");
    expect(parseExpression("1e3").expr).toMatchObject({ value: 1000 });
  });

  it("folds a minus sign into a number literal", () => {
    expect(p("-5")).toBe("-5:int");
    expect(parseExpression("-5").expr).toMatchObject({ value: -5 });
  });

  it("reads strings, adjacent strings, booleans and NULL case-insensitively", () => {
    expect(p(`'a''b'`)).toBe(`"a'b"`);
    expect(p(`"dq"`)).toBe(`"dq"`);
    expect(p(`'a' 'b'`)).toBe(`"ab"`);
    expect(p("TRUE")).toBe("true");
    expect(p("false")).toBe("false");
    expect(p("Null")).toBe("null");
  });

  it("reads typed TIMESTAMP and DATE literals", () => {
    expect(p("TIMESTAMP '2024-01-01 00:00:00'")).toBe(`(timestamp "2024-01-01 00:00:00")`);
    expect(p("date '2024-01-01'")).toBe(`(date "2024-01-01")`);
  });

  it("keeps `timestamp`, `date`, `value` and `window` usable as column names", () => {
    expect(p("timestamp")).toBe("timestamp");
    expect(p("date + 1")).toBe("(+ date 1:int)");
    expect(p("window.start")).toBe("window.start");
  });
});

describe("parseExpression: INTERVAL literals", () => {
  const H = 3_600_000_000;
  const M = 60_000_000;
  it.each([
    ["INTERVAL '10' MINUTE", `(interval 0 0 ${10 * M})`],
    ["INTERVAL 10 MINUTES", `(interval 0 0 ${10 * M})`],
    ["interval '1 hour 30 minutes'", `(interval 0 0 ${H + 30 * M})`],
    ["INTERVAL 1 HOUR 30 MINUTES", `(interval 0 0 ${H + 30 * M})`],
    ["INTERVAL -5 SECONDS", "(interval 0 0 -5000000)"],
    ["INTERVAL '1.5' SECOND", "(interval 0 0 1500000)"],
    ["INTERVAL 2 DAYS", "(interval 0 2 0)"],
    ["INTERVAL 1 YEAR 2 MONTHS", "(interval 14 0 0)"],
    ["INTERVAL 1 WEEK", "(interval 0 7 0)"],
    ["INTERVAL 250 MILLISECONDS", "(interval 0 0 250000)"],
  ])("%s", (sql, tree) => {
    expect(p(sql)).toBe(tree);
  });

  it("ends at a non-unit so timestamp arithmetic parses", () => {
    expect(p("ts + INTERVAL 5 MINUTES")).toBe(`(+ ts (interval 0 0 ${5 * M}))`);
    expect(p("ts > otherTs - INTERVAL 1 HOUR")).toBe(`(> ts (- otherTs (interval 0 0 ${H})))`);
    expect(p("a.ts BETWEEN b.ts AND b.ts + INTERVAL 1 HOUR 30 MINUTES")).toBe(`(between a.ts b.ts (+ b.ts (interval 0 0 ${H + 30 * M})))`);
  });

  it("rejects a bad unit with INVALID_INTERVAL_FORMAT", () => {
    expect(() => p("INTERVAL '1 fortnight'")).toThrow(
      "[INVALID_INTERVAL_FORMAT.INVALID_UNIT] Error parsing '1 fortnight' to interval. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. Invalid unit fortnight. SQLSTATE: 22006 (line 1, pos 9)",
    );
    expect(() => p("INTERVAL 1.5 DAYS")).toThrow(/INVALID_INTERVAL_FORMAT.INVALID_FRACTION.*day cannot have fractional part/);
  });

  it("treats INTERVAL without a value as a column name", () => {
    expect(p("interval")).toBe("interval");
  });
});

describe("parseExpression: operators and precedence (Spark's grammar)", () => {
  it.each([
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["a - b - c", "(- (- a b) c)"],
    ["a / b % c", "(% (/ a b) c)"],
    ["a DIV b", "(DIV a b)"],
    ["-a * b", "(* (- a) b)"],
    ["+a", "(+ a)"],
    ["-x::int", "(- (cast x int))"],
    ["a || b || c", "(|| (|| a b) c)"],
    ["a + 1 = b * 2", "(= (+ a 1:int) (* b 2:int))"],
    ["a = b = c", "(= (= a b) c)"],
    ["a == b", "(== a b)"],
    ["a <> b", "(<> a b)"],
    ["a != b", "(!= a b)"],
    ["a <=> b", "(<=> a b)"],
    ["a < b AND c >= d", "(AND (< a b) (>= c d))"],
    ["a OR b AND c", "(OR a (AND b c))"],
    ["a AND b OR c", "(OR (AND a b) c)"],
    ["NOT a AND b", "(AND (NOT a) b)"],
    ["NOT a = b", "(NOT (= a b))"],
    ["NOT NOT a", "(NOT (NOT a))"],
    ["!a", "(NOT a)"],
    ["(a OR b) AND c", "(AND (OR a b) c)"],
    ["a and b Or c", "(OR (AND a b) c)"],
  ])("%s", (sql, tree) => {
    expect(p(sql)).toBe(tree);
  });
});

describe("parseExpression: predicates", () => {
  it.each([
    ["a IS NULL", "(isNull a)"],
    ["a is not null", "(isNotNull a)"],
    ["a + 1 IS NULL", "(isNull (+ a 1:int))"],
    ["a IS TRUE", "(istrue a)"],
    ["a IS NOT FALSE", "(isNotfalse a)"],
    ["a IS DISTINCT FROM b", "(NOT (<=> a b))"],
    ["a IS NOT DISTINCT FROM b + 1", "(<=> a (+ b 1:int))"],
    ["a IN (1, 2, 3)", "(in a 1:int 2:int 3:int)"],
    ["a NOT IN ('x')", `(notIn a "x")`],
    ["a BETWEEN 1 AND 10", "(between a 1:int 10:int)"],
    ["a NOT BETWEEN 1 AND 10 AND b", "(AND (notBetween a 1:int 10:int) b)"],
    ["name LIKE 'a%'", `(LIKE name "a%")`],
    ["name NOT LIKE '_b'", `(NOT LIKE name "_b")`],
    ["name RLIKE '^a'", `(RLIKE name "^a")`],
    ["name REGEXP '^a'", `(RLIKE name "^a")`],
    ["name NOT RLIKE '^a'", `(NOT RLIKE name "^a")`],
    ["NOT a IN (1)", "(NOT (in a 1:int))"],
  ])("%s", (sql, tree) => {
    expect(p(sql)).toBe(tree);
  });
});

describe("parseExpression: CASE, CAST, functions, fields", () => {
  it("parses both CASE forms", () => {
    expect(p("CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END"))
      .toBe(`(case [(> a 1:int) "big"] [(> a 0:int) "small"] else "none")`);
    expect(p("case a when 1 then 'one' end")).toBe(`(case a [1:int "one"])`);
  });

  it("parses CAST and :: with Spark's type names", () => {
    expect(p("CAST(value AS BIGINT)")).toBe("(cast value bigint)");
    expect(p("cast(x as long)")).toBe("(cast x bigint)");
    expect(p("x::timestamp")).toBe("(cast x timestamp)");
    expect(p("x::decimal(10, 2)")).toBe("(cast x decimal(10,2))");
    expect(p("CAST(a + 1 AS STRING)")).toBe("(cast (+ a 1:int) string)");
    expect(parseDataType("Integer")).toMatchObject({ name: "int", params: [] });
  });

  it("rejects an unknown type with UNSUPPORTED_DATATYPE", () => {
    expect(() => p("CAST(a AS blob)")).toThrow(/\[UNSUPPORTED_DATATYPE\] Unsupported data type "BLOB"/);
  });

  it("parses function calls with lower-cased names, *, DISTINCT and no arguments", () => {
    expect(p("COUNT(*)")).toBe("count(*)");
    expect(p("count(DISTINCT a, b)")).toBe("count(DISTINCT a, b)");
    expect(p("Window(ts, '5 minutes', '1 minute')")).toBe(`window(ts, "5 minutes", "1 minute")`);
    expect(p("current_timestamp()")).toBe("current_timestamp()");
    expect(p("CURRENT_TIMESTAMP")).toBe("current_timestamp()");
    expect(p("explode(split(value, ' '))")).toBe(`explode(split(value, " "))`);
  });

  it("parses dotted names as one column reference and fields of calls as field access", () => {
    expect(p("t.window.start")).toBe("t.window.start");
    expect(p("window(ts, '1 hour').end")).toBe(`(field window(ts, "1 hour") end)`);
    expect(p("`a.b`.c")).toBe("a.b.c");
    expect(parseExpression("`a.b`.c").expr).toMatchObject({ parts: ["a.b", "c"] });
  });

  it("parses a star and a qualified star", () => {
    expect(p("*")).toBe("*");
    expect(p("t.*")).toBe("t.*");
  });
});

describe("parseExpression: aliases", () => {
  it("reads AS alias, a bare alias and a backquoted alias", () => {
    expect(parseExpression("count(*) AS n")).toMatchObject({ alias: "n" });
    expect(parseExpression("a + 1 b")).toMatchObject({ alias: "b" });
    expect(parseExpression("a AS `my name`")).toMatchObject({ alias: "my name" });
    expect(parseExpression("a")).toMatchObject({ alias: null });
  });
});

describe("parseExpression: spans", () => {
  it("records the source span of every node", () => {
    const e = parseExpression("  a + foo(b)").expr;
    expect(e.span).toEqual({ start: 2, end: 12 });
    if (e.kind !== "binary") throw new Error("binary expected");
    expect(e.left.span).toEqual({ start: 2, end: 3 });
    expect(e.right.span).toEqual({ start: 6, end: 12 });
  });
});

describe("parseQuery", () => {
  it("parses every clause", () => {
    const q = parseQuery(`
      SELECT DISTINCT word, count(*) AS n
      FROM words AS w
      WHERE length(word) > 2
      GROUP BY word
      HAVING n > 1
      ORDER BY n DESC NULLS FIRST, word
      LIMIT 10;`);
    expect(q.distinct).toBe(true);
    expect(q.items.map((i) => [sx(i.expr), i.alias])).toEqual([["word", null], ["count(*)", "n"]]);
    expect(q.from).toMatchObject({ kind: "table", name: ["words"], alias: "w" });
    expect(sx(q.where!)).toBe("(> length(word) 2:int)");
    expect(q.groupBy.map(sx)).toEqual(["word"]);
    expect(sx(q.having!)).toBe("(> n 1:int)");
    expect(q.orderBy.map((s) => [sx(s.expr), s.direction, s.nulls])).toEqual([["n", "DESC", "FIRST"], ["word", null, null]]);
    expect(sx(q.limit!)).toBe("10:int");
  });

  it("parses keywords in any case", () => {
    const q = parseQuery("select a from t where a > 1 group by a order by a asc limit 1");
    expect(q.groupBy.length).toBe(1);
    expect(q.orderBy[0]!.direction).toBe("ASC");
  });

  it("parses window and session_window grouping", () => {
    const q = parseQuery("SELECT window, count(*) FROM events GROUP BY window(eventTime, '10 minutes', '5 minutes'), session_window(eventTime, '5 minutes')");
    expect(q.groupBy.map(sx)).toEqual([`window(eventTime, "10 minutes", "5 minutes")`, `session_window(eventTime, "5 minutes")`]);
  });

  it("parses a subquery in FROM with and without an alias", () => {
    const q = parseQuery("SELECT x FROM (SELECT a AS x FROM t) AS s");
    expect(q.from).toMatchObject({ kind: "subquery", alias: "s" });
    expect(parseQuery("SELECT x FROM (SELECT a AS x FROM t)").from).toMatchObject({ kind: "subquery", alias: null });
  });

  it("parses a qualified view name and an implicit table alias", () => {
    expect(parseQuery("SELECT e.a FROM db.events e").from).toMatchObject({ name: ["db", "events"], alias: "e" });
  });

  it("rejects JOIN, WITH, UNION and window functions as unsupported", () => {
    expect(() => parseQuery("SELECT * FROM a JOIN b ON a.x = b.x")).toThrow(/UNSUPPORTED_SQL.*JOIN/);
    expect(() => parseQuery("SELECT * FROM a, b")).toThrow(/UNSUPPORTED_SQL/);
    expect(() => parseQuery("WITH c AS (SELECT 1) SELECT * FROM c")).toThrow(/UNSUPPORTED_SQL/);
    expect(() => parseQuery("SELECT a FROM t UNION SELECT a FROM u")).toThrow(/UNSUPPORTED_SQL/);
    expect(() => parseQuery("SELECT rank() OVER (ORDER BY a) FROM t")).toThrow(/UNSUPPORTED_SQL.*OVER/);
    expect(() => parseQuery("SELECT a FROM t WHERE a IN (SELECT b FROM u)")).toThrow(/UNSUPPORTED_SQL/);
    expect(() => parseQuery("SELECT a, count(*) FROM t GROUP BY ROLLUP(a)")).toThrow(/UNSUPPORTED_SQL.*ROLLUP/);
    expect(() => parseQuery("SELECT a, count(*) FROM t GROUP BY GROUPING SETS ((a))")).toThrow(/UNSUPPORTED_SQL/);
  });
});
