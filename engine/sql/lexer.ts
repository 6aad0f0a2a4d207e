/**
 * Tokenizer for the Spark SQL subset (Spark's SqlBaseLexer.g4, default
 * non-ANSI mode): identifiers (keywords are identifiers, matched by the parser
 * case-insensitively), backquoted identifiers, '...' and "..." strings with
 * Spark's escapes, numbers with Spark's suffixes, operators, comments.
 */
import { syntaxError } from "./errors";

/** Token kinds. Keywords are `ident` tokens; the parser compares their `upper` text. */
export type TokenKind = "ident" | "quotedIdent" | "string" | "number" | "op" | "eof";

/** Numeric literal type from the literal's form (Spark: 1 int, 1L bigint, 1.5 decimal, 1e3 / 1D double). */
export type NumberType = "int" | "long" | "smallint" | "tinyint" | "decimal" | "double" | "float";

/** One token with its 0-based `[start, end)` offsets in the text. */
export interface Token {
  readonly kind: TokenKind;
  /** Source text exactly as written (what Spark shows in `Syntax error at or near '...'`). */
  readonly text: string;
  /** Identifier name (backquotes removed), string value (escapes applied), operator text, or number text without suffix. */
  readonly value: string;
  /** `value` upper-cased, for keyword tests on `ident` tokens. */
  readonly upper: string;
  readonly numberType?: NumberType;
  readonly start: number;
  readonly end: number;
}

const OPERATORS = ["<=>", "<>", "!=", "<=", ">=", "==", "::", "||", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".", "[", "]", "&", "|", "^", "~", "!", ";", ":"];

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c.charCodeAt(0) > 127;
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** Spark's `unescapeSQLString` for the body of a quoted string. */
function unescape(body: string, quote: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === quote && body[i + 1] === quote) {
      out += quote;
      i++;
    } else if (c === "\\" && i + 1 < body.length) {
      const n = body[++i]!;
      if (n === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
      } else if (/^[0-3][0-7]{2}$/.test(body.slice(i, i + 3))) {
        out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
        i += 2;
      } else {
        switch (n) {
          case "0": out += "\u0000"; break;
          case "b": out += "\b"; break;
          case "n": out += "\n"; break;
          case "r": out += "\r"; break;
          case "t": out += "\t"; break;
          case "Z": out += "\u001A"; break;
          // Spark keeps the backslash before % and _ so LIKE patterns see it.
          case "%": out += "\\%"; break;
          case "_": out += "\\_"; break;
          default: out += n;
        }
      }
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Splits SQL text into tokens, ending with one `eof` token.
 *
 * Contract: whitespace, `-- line` and `/* block *\/` comments are skipped.
 * Fails with a `ParseException` (PARSE_SYNTAX_ERROR) on an unclosed string,
 * backquote or comment, or a character Spark does not accept.
 * Example: `tokenize("a+1")` → ident `a`, op `+`, number `1`, eof.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: TokenKind, start: number, end: number, value: string, numberType?: NumberType): void => {
    tokens.push({ kind, text: sql.slice(start, end), value, upper: value.toUpperCase(), start, end, ...(numberType ? { numberType } : {}) });
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      while (i < n && sql[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      if (close < 0) throw syntaxError(sql, i, `'${sql.slice(i, i + 2)}'`, ": unclosed bracketed comment");
      i = close + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === "\\") i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i++;
      }
      if (i >= n) throw syntaxError(sql, start, `'${c}'`);
      i++;
      push("string", start, i, unescape(sql.slice(start + 1, i - 1), c));
      continue;
    }
    if (c === "`") {
      i++;
      while (i < n) {
        if (sql[i] === "`" && sql[i + 1] === "`") i += 2;
        else if (sql[i] === "`") break;
        else i++;
      }
      if (i >= n) throw syntaxError(sql, start, "'`'");
      i++;
      push("quotedIdent", start, i, sql.slice(start + 1, i - 1).replace(/``/g, "`"));
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(sql[i + 1] ?? ""))) {
      let j = i;
      while (j < n && isDigit(sql[j]!)) j++;
      let type: NumberType = "int";
      if (sql[j] === "." && !(j > i && isIdentStart(sql[j + 1] ?? "") && !/[eE]/.test(sql[j + 1] ?? ""))) {
        j++;
        while (j < n && isDigit(sql[j]!)) j++;
        type = "decimal";
      }
      if ((sql[j] === "e" || sql[j] === "E") && /^[eE][+-]?\d/.test(sql.slice(j, j + 3))) {
        j++;
        if (sql[j] === "+" || sql[j] === "-") j++;
        while (j < n && isDigit(sql[j]!)) j++;
        type = "double";
      }
      const digitsEnd = j;
      const rest = sql.slice(j, j + 2).toUpperCase();
      const after = (k: number): boolean => !isIdentPart(sql[j + k] ?? "");
      if (rest.startsWith("BD") && after(2)) { type = "decimal"; j += 2; }
      else if (rest[0] === "L" && type === "int" && after(1)) { type = "long"; j += 1; }
      else if (rest[0] === "S" && type === "int" && after(1)) { type = "smallint"; j += 1; }
      else if (rest[0] === "Y" && type === "int" && after(1)) { type = "tinyint"; j += 1; }
      else if (rest[0] === "D" && after(1)) { type = "double"; j += 1; }
      else if (rest[0] === "F" && after(1)) { type = "float"; j += 1; }
      if (j < n && isIdentPart(sql[j]!) && type === "int") {
        // Spark's IDENTIFIER is (LETTER | DIGIT | '_')+: `1a` is an identifier.
        while (j < n && isIdentPart(sql[j]!)) j++;
        push("ident", start, j, sql.slice(start, j));
      } else {
        push("number", start, j, sql.slice(start, digitsEnd), type);
      }
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(sql[j]!)) j++;
      push("ident", start, j, sql.slice(start, j));
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (op === undefined) throw syntaxError(sql, i, `'${c}'`);
    i += op.length;
    push("op", start, i, op);
  }
  tokens.push({ kind: "eof", text: "", value: "", upper: "", start: n, end: n });
  return tokens;
}
