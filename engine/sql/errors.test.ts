import { describe, expect, it } from "vitest";
import { AnalysisException, ParseException, pointAt } from "./errors";
import { parseExpression, parseQuery } from "./parser";

function parseError(run: () => unknown): ParseException {
  try {
    run();
  } catch (e) {
    if (e instanceof ParseException) return e;
    throw e;
  }
  throw new Error("expected a ParseException");
}

describe("ParseException", () => {
  it("words a syntax error as Spark does, with Spark's 0-based pos", () => {
    const e = parseError(() => parseQuery("SELECT FROM t"));
    expect(e.name).toBe("ParseException");
    expect(e.errorClass).toBe("PARSE_SYNTAX_ERROR");
    expect(e.message.split("\n")[0]).toBe("[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'. SQLSTATE: 42601 (line 1, pos 7)");
    expect(e).toMatchObject({ line: 1, column: 8, startPos: 7, offset: 7 });
    expect(e.messageParameters).toEqual({ error: "'FROM'", hint: "" });
  });

  it("appends Spark's == SQL == block with a caret under the error", () => {
    const e = parseError(() => parseQuery("SELECT FROM t"));
    expect(e.message).toBe(
      "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'. SQLSTATE: 42601 (line 1, pos 7)\n\n== SQL ==\nSELECT FROM t\n-------^^^\n",
    );
  });

  it("shows the offending token as typed", () => {
    expect(parseError(() => parseQuery("select from t")).shortMessage).toBe("[PARSE_SYNTAX_ERROR] Syntax error at or near 'from'. SQLSTATE: 42601");
  });

  it("points at the right line and column in multi-line SQL", () => {
    const sql = "SELECT word,\n       count(*)\nFROM words\nWHERE length(word) >\nGROUP BY word";
    const e = parseError(() => parseQuery(sql));
    expect(e).toMatchObject({ line: 5, column: 1, startPos: 0 });
    expect(e.message).toContain("Syntax error at or near 'GROUP'. SQLSTATE: 42601 (line 5, pos 0)");
    expect(e.message).toContain("WHERE length(word) >\nGROUP BY word\n^^^\n");
  });

  it("points inside a line after leading whitespace", () => {
    const e = parseError(() => parseQuery("SELECT a\n  FROM t\n  WHERE a = = 1"));
    expect(e).toMatchObject({ line: 3, column: 13, startPos: 12 });
    expect(e.message).toContain("at or near '='");
  });

  it("says end of input when the text stops early", () => {
    const e = parseError(() => parseExpression("a +"));
    expect(e.shortMessage).toBe("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601");
    expect(e).toMatchObject({ line: 1, column: 4 });
  });

  it("hints a missing closing parenthesis", () => {
    const e = parseError(() => parseQuery("SELECT count(x FROM t"));
    expect(e.shortMessage).toBe("[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM': missing ')'. SQLSTATE: 42601");
  });

  it("reports extra input after a complete expression or statement", () => {
    expect(parseError(() => parseExpression("a b c")).shortMessage).toContain("at or near 'c'");
    expect(parseError(() => parseQuery("SELECT a FROM t t2 t3")).shortMessage).toContain("at or near 't3'");
  });

  it("reports an empty statement as PARSE_EMPTY_STATEMENT", () => {
    const e = parseError(() => parseQuery("  \n "));
    expect(e.errorClass).toBe("PARSE_EMPTY_STATEMENT");
    expect(e.shortMessage).toBe("[PARSE_EMPTY_STATEMENT] Syntax Error, unexpected empty statement. SQLSTATE: 42617");
  });

  it("fails on CASE without WHEN, and on NULLS without FIRST/LAST", () => {
    expect(parseError(() => parseExpression("CASE END")).shortMessage).toContain("at or near 'END'");
    expect(parseError(() => parseQuery("SELECT a FROM t ORDER BY a NULLS")).shortMessage).toContain("end of input");
  });
});

describe("AnalysisException", () => {
  it("carries the error class, 1-based line/column, and Spark's '; line L pos P' suffix", () => {
    const e = new AnalysisException("MISSING_AGGREGATION", "text.", "SELECT\n  ts", 9);
    expect(e.name).toBe("AnalysisException");
    expect(e).toMatchObject({ errorClass: "MISSING_AGGREGATION", line: 2, column: 3, startPos: 2 });
    expect(e.message).toBe("[MISSING_AGGREGATION] text. SQLSTATE: 42803; line 2 pos 2");
  });
});

describe("pointAt", () => {
  it("maps offsets to 1-based lines and columns, clamped to the text", () => {
    expect(pointAt("a\nbc", 3)).toEqual({ line: 2, column: 2, offset: 3 });
    expect(pointAt("ab", 99)).toEqual({ line: 1, column: 3, offset: 2 });
    expect(pointAt("ab", -1)).toEqual({ line: 1, column: 1, offset: 0 });
  });
});
