import { describe, expect, it } from "vitest";
import { ParseException } from "./errors";
import { tokenize } from "./lexer";

const kinds = (sql: string): string[] => tokenize(sql).map((t) => `${t.kind}:${t.value}`);

describe("tokenize", () => {
  it("splits identifiers, operators and numbers, and ends with eof", () => {
    expect(kinds("a+1")).toEqual(["ident:a", "op:+", "number:1", "eof:"]);
  });

  it("keeps keyword case in text and offers an upper-case form", () => {
    const [t] = tokenize("select");
    expect(t).toMatchObject({ kind: "ident", text: "select", upper: "SELECT", start: 0, end: 6 });
  });

  it("reads the longest operator first", () => {
    expect(kinds("a<=>b<>c!=d<=e>=f==g::h||i")).toEqual([
      "ident:a", "op:<=>", "ident:b", "op:<>", "ident:c", "op:!=", "ident:d", "op:<=", "ident:e",
      "op:>=", "ident:f", "op:==", "ident:g", "op:::", "ident:h", "op:||", "ident:i", "eof:",
    ]);
  });

  it("unescapes single-quoted strings: '' and backslash escapes", () => {
    const [t] = tokenize(String.raw`'it''s a\tb\n\'q\' \\ \u0041 \101 \%'`);
    expect(t!.kind).toBe("string");
    expect(t!.value).toBe("it's a\tb\n'q' \\ A A \\%");
  });

  it("reads double-quoted strings as strings (Spark's default, non-ANSI mode)", () => {
    expect(tokenize(`"say ""hi"" \\"x\\""`)[0]).toMatchObject({ kind: "string", value: `say "hi" "x"` });
  });

  it("reads backquoted identifiers with `` as an escaped backquote", () => {
    expect(tokenize("`my ``odd`` col`")[0]).toMatchObject({ kind: "quotedIdent", value: "my `odd` col" });
  });

  it("types numbers by their form and suffix", () => {
    const types = tokenize("1 10L 1.5 .5 1e3 2.5E-2 3D 4F 5S 6Y 7BD").filter((t) => t.kind === "number").map((t) => `${t.value}:${t.numberType}`);
    expect(types).toEqual(["1:int", "10:long", "1.5:decimal", ".5:decimal", "1e3:double", "2.5E-2:double", "3:double", "4:float", "5:smallint", "6:tinyint", "7:decimal"]);
  });

  it("reads digits followed by letters as an identifier, like Spark", () => {
    expect(kinds("1abc")).toEqual(["ident:1abc", "eof:"]);
  });

  it("skips -- and /* */ comments", () => {
    expect(kinds("a -- note\n/* block\n comment */ b")).toEqual(["ident:a", "ident:b", "eof:"]);
  });

  it("records 0-based offsets", () => {
    const t = tokenize("SELECT  x");
    expect(t[1]).toMatchObject({ value: "x", start: 8, end: 9 });
    expect(t[2]).toMatchObject({ kind: "eof", start: 9 });
  });

  it("fails on an unclosed string at the quote", () => {
    const err = (() => { try { tokenize("a = 'oops"); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(ParseException);
    expect((err as ParseException).column).toBe(5);
  });

  it("fails on an unclosed comment and on an unknown character", () => {
    expect(() => tokenize("a /* x")).toThrow(ParseException);
    expect(() => tokenize("a # b")).toThrow(/Syntax error at or near '#'/);
  });
});
