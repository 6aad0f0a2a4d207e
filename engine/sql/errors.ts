/**
 * Errors raised by the SQL front end, worded as Spark words them.
 *
 * `ParseException` is Spark's `org.apache.spark.sql.catalyst.parser.ParseException`;
 * `AnalysisException` is raised while lowering a parsed statement onto the
 * DataFrame API (unknown function, MISSING_AGGREGATION, ...). Both carry the
 * 1-based `line` and `column` of the offending text so the editor can mark it.
 */

/** SQLSTATE of each error class this folder raises (Spark's error-conditions.json). */
const SQLSTATE: Record<string, string> = {
  PARSE_SYNTAX_ERROR: "42601",
  PARSE_EMPTY_STATEMENT: "42617",
  INVALID_INTERVAL_FORMAT: "22006",
  MISSING_AGGREGATION: "42803",
  UNRESOLVED_ROUTINE: "42883",
  "WRONG_NUM_ARGS.WITHOUT_SUGGESTION": "42605",
  NESTED_AGGREGATE_FUNCTION: "42607",
  MISSING_GROUP_BY: "42803",
  GROUP_BY_POS_OUT_OF_RANGE: "42805",
  ORDER_BY_POS_OUT_OF_RANGE: "42805",
  INVALID_WHERE_CONDITION: "42903",
  GROUP_BY_AGGREGATE: "42903",
  GROUP_BY_POS_AGGREGATE: "42903",
  CANNOT_RESOLVE_STAR_EXPAND: "42704",
  UNSUPPORTED_DATATYPE: "0A000",
  INVALID_LIMIT_LIKE_EXPRESSION: "42K0E",
  UNSUPPORTED_SQL: "0A000",
};

/** A point in the SQL text: `line` and `column` 1-based, `offset` 0-based into the whole text. */
export interface TextPoint {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/**
 * Finds the line and column of a 0-based offset.
 *
 * Contract: `offset` is clamped to `[0, text.length]`; lines end at `\n`.
 * Example: `pointAt("a\nbc", 3)` → `{ line: 2, column: 2, offset: 3 }`.
 */
export function pointAt(text: string, offset: number): TextPoint {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1, offset: clamped };
}

/** `[CLASS] text SQLSTATE: nnnnn`, Spark's message layout. */
function classMessage(errorClass: string, text: string): string {
  const state = SQLSTATE[errorClass] ?? SQLSTATE[errorClass.split(".")[0] ?? ""];
  return state === undefined ? `[${errorClass}] ${text}` : `[${errorClass}] ${text} SQLSTATE: ${state}`;
}

/** Spark's `== SQL ==` block: the statement with `---^^^` under the error line. */
function sqlContext(sql: string, line: number, pos: number): string {
  const lines = sql.split("\n");
  const above = lines.slice(0, line);
  const below = lines.slice(line);
  let out = "\n== SQL ==\n";
  for (const l of above) out += l + "\n";
  out += "-".repeat(pos) + "^^^\n";
  for (const l of below) out += l + "\n";
  return out;
}

/**
 * A syntax error in SQL text (Spark's ParseException).
 *
 * `message` is Spark's, e.g.
 * `[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'. SQLSTATE: 42601 (line 1, pos 7)`
 * followed by the `== SQL ==` block with a caret under the error.
 * `line` and `column` are 1-based; `startPos` is Spark's `pos`, the 0-based
 * column in that line; `offset` is 0-based in the whole text.
 */
export class ParseException extends Error {
  override readonly name = "ParseException";
  /** Spark's error class, e.g. `PARSE_SYNTAX_ERROR`. */
  readonly errorClass: string;
  /** Spark's message parameters, e.g. `{ error: "'FROM'", hint: "" }`. */
  readonly messageParameters: Readonly<Record<string, string>>;
  /** 1-based line of the error. */
  readonly line: number;
  /** 1-based column of the error. */
  readonly column: number;
  /** 0-based column of the error: Spark's `pos`. */
  readonly startPos: number;
  /** 0-based offset of the error in the whole text. */
  readonly offset: number;
  /** The message without the position and the `== SQL ==` block. */
  readonly shortMessage: string;

  constructor(
    errorClass: string,
    text: string,
    messageParameters: Record<string, string>,
    sql: string,
    offset: number,
  ) {
    const at = pointAt(sql, offset);
    const short = classMessage(errorClass, text);
    super(`${short} (line ${at.line}, pos ${at.column - 1})\n${sqlContext(sql, at.line, at.column - 1)}`);
    this.errorClass = errorClass;
    this.messageParameters = messageParameters;
    this.line = at.line;
    this.column = at.column;
    this.startPos = at.column - 1;
    this.offset = at.offset;
    this.shortMessage = short;
  }
}

/**
 * `PARSE_SYNTAX_ERROR` at a token: `Syntax error at or near <token><hint>.`
 *
 * `tokenDisplay` is `'text'` in single quotes, or `end of input`; `hint` is
 * empty or e.g. `: missing ')'`.
 */
export function syntaxError(sql: string, offset: number, tokenDisplay: string, hint = ""): ParseException {
  if (sql.trim() === "") {
    return new ParseException("PARSE_EMPTY_STATEMENT", "Syntax Error, unexpected empty statement.", {}, sql, 0);
  }
  return new ParseException(
    "PARSE_SYNTAX_ERROR",
    `Syntax error at or near ${tokenDisplay}${hint}.`,
    { error: tokenDisplay, hint },
    sql,
    offset,
  );
}

/**
 * An error found while lowering a parsed statement (Spark's AnalysisException),
 * e.g. `[MISSING_AGGREGATION] ...` or `[UNRESOLVED_ROUTINE] ...`.
 *
 * `line` and `column` (1-based) point at the offending expression; the message
 * ends with Spark's `; line L pos P` suffix.
 */
export class AnalysisException extends Error {
  override readonly name = "AnalysisException";
  /** Spark's error class (or `UNSUPPORTED_SQL` for what this playground does not support). */
  readonly errorClass: string;
  /** 1-based line of the offending expression. */
  readonly line: number;
  /** 1-based column of the offending expression. */
  readonly column: number;
  /** 0-based column: Spark's `pos`. */
  readonly startPos: number;
  /** The message without the position suffix. */
  readonly shortMessage: string;

  constructor(errorClass: string, text: string, sql: string, offset: number) {
    const at = pointAt(sql, offset);
    const short = classMessage(errorClass, text);
    super(`${short}; line ${at.line} pos ${at.column - 1}`);
    this.errorClass = errorClass;
    this.line = at.line;
    this.column = at.column;
    this.startPos = at.column - 1;
    this.shortMessage = short;
  }
}
