import { describe, expect, it } from "vitest";
import { AnalysisException, ParseException } from "./errors";
import { fakeF, fakeSession } from "./fakeFrontend";
import { sqlToDataFrame } from "./toDataFrame";

const plan = (sql: string, views?: Record<string, readonly string[] | undefined>): string[] =>
  [...sqlToDataFrame(sql, fakeSession(views), fakeF).plan];

function analysisError(run: () => unknown): AnalysisException {
  try {
    run();
  } catch (e) {
    if (e instanceof AnalysisException) return e;
    throw e;
  }
  throw new Error("expected an AnalysisException");
}

describe("sqlToDataFrame: projections", () => {
  it("selects columns and expressions from a view", () => {
    expect(plan("SELECT value, value * 2 AS doubled FROM numbers")).toEqual([
      `table("numbers")`,
      `select(col("value"), col("value").multiply(lit(2)).as("doubled"))`,
    ]);
  });

  it("selects * and t.*", () => {
    expect(plan("SELECT * FROM rate")).toEqual([`table("rate")`, `select(col("*"))`]);
    expect(plan("SELECT r.* FROM rate r")).toEqual([`table("rate")`, `select(col("*"))`]);
  });

  it("rejects a star of an unknown qualifier", () => {
    expect(analysisError(() => plan("SELECT x.* FROM rate r")).errorClass).toBe("CANNOT_RESOLVE_STAR_EXPAND");
  });

  it("removes a table qualifier but keeps struct fields", () => {
    expect(plan("SELECT e.key, e.window.start FROM events AS e")).toEqual([
      `table("events")`,
      `select(col("key"), col("window").getField("start"))`,
    ]);
    expect(plan("SELECT events.key FROM events")).toEqual([`table("events")`, `select(col("key"))`]);
  });

  it("explodes words: the classic word count's first step", () => {
    expect(plan("SELECT explode(split(value, ' ')) AS word FROM lines")).toEqual([
      `table("lines")`,
      `select(explode(split(col("value"), " ")).as("word"))`,
    ]);
  });

  it("filters with WHERE before projecting", () => {
    expect(plan("SELECT a FROM t WHERE a > 1 AND b IS NOT NULL")).toEqual([
      `table("t")`,
      `filter(col("a").gt(lit(1)).and(col("b").isNotNull()))`,
      `select(col("a"))`,
    ]);
  });

  it("uses dropDuplicates for DISTINCT", () => {
    expect(plan("SELECT DISTINCT a, b FROM t")).toEqual([`table("t")`, `select(col("a"), col("b"))`, "dropDuplicates()"]);
  });

  it("applies LIMIT last", () => {
    expect(plan("SELECT a FROM t LIMIT 5")).toEqual([`table("t")`, `select(col("a"))`, "limit(5)"]);
  });

  it("rejects a non-literal LIMIT", () => {
    expect(analysisError(() => plan("SELECT a FROM t LIMIT a")).errorClass).toBe("INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE");
    expect(analysisError(() => plan("SELECT a FROM t LIMIT -1")).shortMessage).toBe(
      `[INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE] The limit like expression "-1" is invalid. The limit expression must be equal to or greater than 0, but got -1. SQLSTATE: 42K0E`,
    );
  });

  it("reads a qualified view name", () => {
    expect(plan("SELECT a FROM default.t")).toEqual([`table("default.t")`, `select(col("a"))`]);
  });

  it("lowers a subquery in FROM first", () => {
    expect(plan("SELECT s.w FROM (SELECT lower(word) AS w FROM words WHERE word <> '') s WHERE s.w LIKE 'a%'")).toEqual([
      `table("words")`,
      `filter(col("word").notEq(lit("")))`,
      `select(lower(col("word")).as("w"))`,
      `filter(col("w").like("a%"))`,
      `select(col("w"))`,
    ]);
  });

  it("needs FROM", () => {
    expect(analysisError(() => plan("SELECT 1")).errorClass).toBe("UNSUPPORTED_SQL");
  });

  it("passes the session's error for an unknown view through", () => {
    expect(() => plan("SELECT a FROM nope", { t: undefined })).toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
  });

  it("throws a ParseException with line and column for bad syntax", () => {
    let err: unknown;
    try { plan("SELECT a,\n  FROM t"); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ParseException);
    expect(err).toMatchObject({ line: 2, column: 3 });
  });
});

describe("sqlToDataFrame: ORDER BY", () => {
  it("sorts by an input column after projecting it", () => {
    expect(plan("SELECT a, b FROM t ORDER BY b DESC, a")).toEqual([
      `table("t")`, `select(col("a"), col("b"))`, `orderBy(col("b").desc(), col("a").asc())`,
    ]);
  });

  it("sorts by an alias and by a position", () => {
    expect(plan("SELECT a + 1 AS x FROM t ORDER BY x")).toEqual([
      `table("t")`, `select(col("a").plus(lit(1)).as("x"))`, `orderBy(col("x").asc())`,
    ]);
    expect(plan("SELECT a, b AS y FROM t ORDER BY 2 DESC")).toEqual([
      `table("t")`, `select(col("a"), col("b").as("y"))`, `orderBy(col("y").desc())`,
    ]);
  });

  it("honours NULLS FIRST / LAST", () => {
    expect(plan("SELECT a FROM t ORDER BY a ASC NULLS LAST")).toContain(`orderBy(col("a").ascNullsLast())`);
    expect(plan("SELECT a FROM t ORDER BY a DESC NULLS FIRST")).toContain(`orderBy(col("a").descNullsFirst())`);
    expect(plan("SELECT a FROM t ORDER BY a ASC NULLS FIRST")).toContain(`orderBy(col("a").asc())`);
  });

  it("sorts by a column that is not selected through a hidden column it then drops", () => {
    expect(plan("SELECT a FROM t ORDER BY b")).toEqual([
      `table("t")`, `select(col("a"), col("b").as("__sort0"))`, `orderBy(col("__sort0").asc())`, `drop("__sort0")`,
    ]);
  });

  it("sorts by an input column directly when * is selected", () => {
    expect(plan("SELECT * FROM t ORDER BY b")).toEqual([`table("t")`, `select(col("*"))`, `orderBy(col("b").asc())`]);
  });

  it("rejects a position out of range", () => {
    const e = analysisError(() => plan("SELECT a FROM t ORDER BY 3"));
    expect(e.errorClass).toBe("ORDER_BY_POS_OUT_OF_RANGE");
    expect(e.message).toContain("ORDER BY position 3 is not in select list (valid range is [1, 1]).");
  });

  it("requires DISTINCT sort keys to be selected", () => {
    expect(() => plan("SELECT DISTINCT a FROM t ORDER BY b")).toThrow(/SELECT DISTINCT list/);
  });
});

describe("sqlToDataFrame: aggregation", () => {
  it("groups and counts: word count", () => {
    expect(plan("SELECT word, count(*) AS count FROM words GROUP BY word")).toEqual([
      `table("words")`,
      `groupBy(col("word")).agg(count("*").as("__agg0"))`,
      `select(col("word").as("word"), col("__agg0").as("count"))`,
    ]);
  });

  it("names unaliased aggregates as Spark does", () => {
    expect(plan("SELECT word, count(*), sum(n), avg(n) / 2 FROM words GROUP BY word").at(-1)).toBe(
      `select(col("word").as("word"), col("__agg0").as("count(1)"), col("__agg1").as("sum(n)"), col("__agg2").divide(lit(2)).as("(avg(n) / 2)"))`,
    );
  });

  it("computes a global aggregate with an empty groupBy", () => {
    expect(plan("SELECT count(*), max(value) FROM rate")).toEqual([
      `table("rate")`,
      `groupBy().agg(count("*").as("__agg0"), max(col("value")).as("__agg1"))`,
      `select(col("__agg0").as("count(1)"), col("__agg1").as("max(value)"))`,
    ]);
  });

  it("computes each distinct aggregate once", () => {
    expect(plan("SELECT k, sum(v), sum(v) * 2, SUM(V) FROM t GROUP BY k")[1]).toBe(`groupBy(col("k")).agg(sum(col("v")).as("__agg0"))`);
  });

  it("groups by a tumbling window and reads window.start / window.end", () => {
    expect(plan(
      "SELECT window.start, window.end, word, count(*) AS n FROM words GROUP BY window(timestamp, '10 minutes', '5 minutes'), word",
    )).toEqual([
      `table("words")`,
      `groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")).agg(count("*").as("__agg0"))`,
      `select(col("window").getField("start").as("start"), col("window").getField("end").as("end"), col("word").as("word"), col("__agg0").as("n"))`,
    ]);
  });

  it("selects the window key itself, by the call or by its name", () => {
    expect(plan("SELECT window(ts, '5 minutes'), count(*) FROM t GROUP BY window(ts, '5 minutes')").at(-1)).toBe(
      `select(col("window").as("window"), col("__agg0").as("count(1)"))`,
    );
    expect(plan("SELECT window, window_time(window) AS wt, count(*) FROM t GROUP BY window(ts, '5 minutes')").at(-1)).toBe(
      `select(col("window").as("window"), windowTime(col("window")).as("wt"), col("__agg0").as("count(1)"))`,
    );
  });

  it("groups by a session window", () => {
    expect(plan("SELECT session_window.start, userId, count(*) FROM clicks GROUP BY session_window(ts, '5 minutes'), userId")).toEqual([
      `table("clicks")`,
      `groupBy(sessionWindow(col("ts"), "5 minutes"), col("userId")).agg(count("*").as("__agg0"))`,
      `select(col("session_window").getField("start").as("start"), col("userId").as("userId"), col("__agg0").as("count(1)"))`,
    ]);
  });

  it("names an expression key __key<i> and matches it in SELECT", () => {
    expect(plan("SELECT lower(word), count(*) FROM t GROUP BY LOWER(word)")).toEqual([
      `table("t")`,
      `groupBy(lower(col("word")).as("__key0")).agg(count("*").as("__agg0"))`,
      `select(col("__key0").as("lower(word)"), col("__agg0").as("count(1)"))`,
    ]);
  });

  it("builds expressions over keys", () => {
    expect(plan("SELECT upper(word) AS w, count(*) FROM t GROUP BY word").at(-1)).toBe(
      `select(upper(col("word")).as("w"), col("__agg0").as("count(1)"))`,
    );
  });

  it("matches qualified and unqualified references to the same key", () => {
    expect(plan("SELECT t.word, count(*) FROM words t GROUP BY word").at(-1)).toBe(
      `select(col("word").as("word"), col("__agg0").as("count(1)"))`,
    );
  });

  it("groups by a SELECT position and by a SELECT alias", () => {
    expect(plan("SELECT lower(word) AS w, count(*) FROM t GROUP BY 1")[1]).toBe(
      `groupBy(lower(col("word")).as("__key0")).agg(count("*").as("__agg0"))`,
    );
    expect(plan("SELECT lower(word) AS w, count(*) FROM t GROUP BY w", { t: ["word"] })[1]).toBe(
      `groupBy(lower(col("word")).as("__key0")).agg(count("*").as("__agg0"))`,
    );
  });

  it("prefers a real column over a SELECT alias of the same name", () => {
    // `b` is the column, not the alias, so `a` is not grouped: Spark's MISSING_AGGREGATION.
    expect(analysisError(() => plan("SELECT a AS b, count(*) FROM t GROUP BY b", { t: ["a", "b"] })).errorClass).toBe("MISSING_AGGREGATION");
    expect(plan("SELECT a AS b, count(*) FROM t GROUP BY b", { t: ["a"] })[1]).toBe(`groupBy(col("a")).agg(count("*").as("__agg0"))`);
    expect(plan("SELECT lower(word) AS word, count(*) FROM t GROUP BY word")[1]).toBe(`groupBy(col("word")).agg(count("*").as("__agg0"))`);
  });

  it("rejects GROUP BY positions out of range or on aggregates", () => {
    expect(analysisError(() => plan("SELECT a FROM t GROUP BY 2")).errorClass).toBe("GROUP_BY_POS_OUT_OF_RANGE");
    expect(analysisError(() => plan("SELECT count(*) FROM t GROUP BY 1")).errorClass).toBe("GROUP_BY_POS_AGGREGATE");
    expect(analysisError(() => plan("SELECT a FROM t GROUP BY count(a)")).errorClass).toBe("GROUP_BY_AGGREGATE");
  });

  it("filters groups with HAVING, over aggregates and aliases", () => {
    expect(plan("SELECT word, count(*) AS n FROM t GROUP BY word HAVING n > 1 AND max(len) < 10")).toEqual([
      `table("t")`,
      `groupBy(col("word")).agg(count("*").as("__agg0"), max(col("len")).as("__agg1"))`,
      `filter(col("__agg0").gt(lit(1)).and(col("__agg1").lt(lit(10))))`,
      `select(col("word").as("word"), col("__agg0").as("n"))`,
    ]);
  });

  it("treats HAVING without GROUP BY as a global aggregate", () => {
    expect(plan("SELECT count(*) FROM t HAVING count(*) > 0")[1]).toBe(`groupBy().agg(count("*").as("__agg0"))`);
  });

  it("sorts aggregates by alias, by position, and by an unselected aggregate", () => {
    expect(plan("SELECT word, count(*) AS n FROM t GROUP BY word ORDER BY n DESC LIMIT 3").slice(-2)).toEqual([
      `orderBy(col("n").desc())`, "limit(3)",
    ]);
    expect(plan("SELECT word, count(*) FROM t GROUP BY word ORDER BY 2 DESC").at(-1)).toBe(`orderBy(col("count(1)").desc())`);
    expect(plan("SELECT word, count(*) FROM t GROUP BY word ORDER BY count(*) DESC").at(-1)).toBe(`orderBy(col("count(1)").desc())`);
    expect(plan("SELECT word FROM t GROUP BY word ORDER BY sum(x)")).toEqual([
      `table("t")`,
      `groupBy(col("word")).agg(sum(col("x")).as("__agg0"))`,
      `select(col("word").as("word"), col("__agg0").as("__sort0"))`,
      `orderBy(col("__sort0").asc())`,
      `drop("__sort0")`,
    ]);
  });

  it("groups without aggregates using a count the final select drops", () => {
    expect(plan("SELECT word FROM t GROUP BY word")).toEqual([
      `table("t")`,
      `groupBy(col("word")).agg(count("*").as("__agg_count"))`,
      `select(col("word").as("word"))`,
    ]);
  });

  it("counts DISTINCT and approximately", () => {
    expect(plan("SELECT k, count(DISTINCT v), approx_count_distinct(v) FROM t GROUP BY k")[1]).toBe(
      `groupBy(col("k")).agg(countDistinct(col("v")).as("__agg0"), approxCountDistinct(col("v")).as("__agg1"))`,
    );
  });

  it("reports a column neither grouped nor aggregated with Spark's MISSING_AGGREGATION", () => {
    const sql = "SELECT word,\n       ts,\n       count(*)\nFROM words\nGROUP BY word";
    const e = analysisError(() => plan(sql));
    expect(e.errorClass).toBe("MISSING_AGGREGATION");
    expect(e.shortMessage).toBe(
      `[MISSING_AGGREGATION] The non-aggregating expression "ts" is based on columns which are not participating in the GROUP BY clause.\n` +
      `Add the columns or the expression to the GROUP BY, aggregate the expression, or use "any_value(ts)" if you do not care which of the values within a group is returned. SQLSTATE: 42803`,
    );
    expect(e).toMatchObject({ line: 2, column: 8 });
  });

  it("reports MISSING_AGGREGATION inside an expression and in HAVING", () => {
    expect(analysisError(() => plan("SELECT word, ts + 1 FROM t GROUP BY word")).message).toContain(`expression "ts"`);
    expect(analysisError(() => plan("SELECT word FROM t GROUP BY word HAVING ts > 1")).errorClass).toBe("MISSING_AGGREGATION");
  });

  it("reports MISSING_GROUP_BY for a bare column next to a global aggregate", () => {
    expect(analysisError(() => plan("SELECT a, count(*) FROM t")).errorClass).toBe("MISSING_GROUP_BY");
  });

  it("rejects nested aggregates, aggregates in WHERE, and * with aggregates", () => {
    expect(analysisError(() => plan("SELECT sum(count(*)) FROM t")).errorClass).toBe("NESTED_AGGREGATE_FUNCTION");
    const where = analysisError(() => plan("SELECT a FROM t WHERE count(*) > 1"));
    expect(where.errorClass).toBe("INVALID_WHERE_CONDITION");
    expect(where.message).toContain(`The WHERE condition "(count(1) > 1)" contains invalid expressions: count(1).`);
    expect(analysisError(() => plan("SELECT *, count(*) FROM t GROUP BY a")).errorClass).toBe("UNSUPPORTED_SQL");
  });

  it("reports an unknown function at its line and column", () => {
    const e = analysisError(() => plan("SELECT a,\n  nope(a)\nFROM t"));
    expect(e).toMatchObject({ errorClass: "UNRESOLVED_ROUTINE", line: 2, column: 3 });
  });

  it("filters on event time with intervals (stream-stream join style conditions)", () => {
    expect(plan("SELECT * FROM clicks WHERE clickTime > impressionTime - INTERVAL 1 HOUR")).toEqual([
      `table("clicks")`,
      `filter(col("clickTime").gt(col("impressionTime").minus(interval(0, 0, 3600000000))))`,
      `select(col("*"))`,
    ]);
  });
});
