/**
 * Hand-written recursive-descent parser for the Spark SQL subset, with
 * Spark's precedence (SqlBaseParser.g4, lowest first):
 *
 *   OR < AND < NOT < predicate (IS NULL, IN, BETWEEN, LIKE, RLIKE)
 *   < comparison (= == <> != < <= > >= <=>) < + - || < * / % DIV
 *   < unary - + < postfix (.field, ::type) < primary
 */
import type { BinaryOp, CaseBranch, DataType, Expr, NamedExpr, Query, Relation, SortItem, Span } from "./ast";
import { ParseException, syntaxError } from "./errors";
import { addUnit, intervalUnit, parseIntervalString, ZERO_INTERVAL, type IntervalError, type SqlInterval } from "./interval";
import { tokenize, type Token } from "./lexer";

/** Words that never start a column reference nor serve as an implicit alias. */
const RESERVED = new Set([
  "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "BY", "AS", "AND", "OR", "NOT", "IS", "IN",
  "BETWEEN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "WHEN", "THEN", "ELSE", "END", "ON", "JOIN", "UNION", "DISTINCT",
  "ALL", "DIV", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "EXCEPT", "INTERSECT", "NULLS", "ASC", "DESC",
  "ESCAPE", "LATERAL", "NATURAL", "SEMI", "ANTI", "WINDOW", "USING", "WITH", "CASE", "SORT", "CLUSTER", "DISTRIBUTE",
]);
/** Reserved words that may still name a column in an expression (`window.start`, `GROUP BY window`). */
const COLUMN_OK = new Set(["WINDOW"]);

const COMPARISONS = new Set(["=", "==", "<>", "!=", "<", "<=", ">", ">=", "<=>"]);

/** Spark's canonical type names, keyed by every spelling the parser accepts. */
const TYPE_NAMES: Record<string, string> = {
  STRING: "string", VARCHAR: "string", CHAR: "string", INT: "int", INTEGER: "int", BIGINT: "bigint", LONG: "bigint",
  SMALLINT: "smallint", SHORT: "smallint", TINYINT: "tinyint", BYTE: "tinyint", DOUBLE: "double", FLOAT: "float",
  REAL: "float", BOOLEAN: "boolean", TIMESTAMP: "timestamp", TIMESTAMP_LTZ: "timestamp", TIMESTAMP_NTZ: "timestamp_ntz",
  DATE: "date", DECIMAL: "decimal", DEC: "decimal", NUMERIC: "decimal", BINARY: "binary",
};

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  // ---- token helpers ----
  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private prevEnd(): number {
    return this.tokens[Math.max(0, this.i - 1)]!.end;
  }
  private span(start: number): Span {
    return { start, end: this.prevEnd() };
  }
  private isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "ident" && t.upper === word;
  }
  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "op" && t.value === op;
  }
  private acceptKw(word: string): boolean {
    if (!this.isKw(word)) return false;
    this.i++;
    return true;
  }
  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.i++;
    return true;
  }
  private expectKw(word: string): void {
    if (!this.acceptKw(word)) throw this.fail(this.peek(), `: missing '${word}'`);
  }
  private expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.fail(this.peek(), `: missing '${op}'`);
  }
  /** PARSE_SYNTAX_ERROR at `t`. Spark adds no hint to most errors; only missing-token ones. */
  fail(t: Token, hint = ""): ParseException {
    return syntaxError(this.sql, t.start, t.kind === "eof" ? "end of input" : `'${t.text}'`, hint);
  }
  private unsupported(t: Token, what: string): ParseException {
    return new ParseException("UNSUPPORTED_SQL", `${what} is not supported by this SQL subset.`, { what }, this.sql, t.start);
  }
  expectEnd(): void {
    while (this.acceptOp(";"));
    if (this.peek().kind !== "eof") throw this.fail(this.peek());
  }

  // ---- identifiers ----
  private isIdentifier(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "quotedIdent" || (t.kind === "ident" && !RESERVED.has(t.upper));
  }
  private identifier(): string {
    if (!this.isIdentifier()) throw this.fail(this.peek());
    return this.next().value;
  }

  // ---- statements ----
  namedExpression(): NamedExpr {
    const start = this.peek().start;
    const expr = this.expression();
    let alias: string | null = null;
    if (this.acceptKw("AS")) alias = this.identifier();
    else if (this.isIdentifier()) alias = this.identifier();
    return { expr, alias, span: this.span(start) };
  }

  query(): Query {
    const start = this.peek().start;
    if (this.isKw("WITH")) throw this.unsupported(this.peek(), "WITH (common table expressions)");
    this.expectKw("SELECT");
    let distinct = false;
    if (this.acceptKw("DISTINCT")) distinct = true;
    else this.acceptKw("ALL");
    const items: NamedExpr[] = [this.namedExpression()];
    while (this.acceptOp(",")) items.push(this.namedExpression());
    let from: Relation | null = null;
    if (this.acceptKw("FROM")) {
      from = this.relation();
      const t = this.peek();
      if (this.isOp(",") || ["JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL"].includes(t.upper) && t.kind === "ident") {
        throw this.unsupported(t, "JOIN in SQL (use DataFrame.join)");
      }
    }
    const where = this.acceptKw("WHERE") ? this.expression() : null;
    const groupBy: Expr[] = [];
    if (this.acceptKw("GROUP")) {
      this.expectKw("BY");
      do {
        if ((this.isKw("ROLLUP") || this.isKw("CUBE")) && this.isOp("(", 1) || this.isKw("GROUPING") && this.isKw("SETS", 1)) {
          throw this.unsupported(this.peek(), "GROUPING SETS, ROLLUP and CUBE");
        }
        groupBy.push(this.expression());
      } while (this.acceptOp(","));
    }
    const having = this.acceptKw("HAVING") ? this.expression() : null;
    if (this.isKw("UNION") || this.isKw("EXCEPT") || this.isKw("INTERSECT")) throw this.unsupported(this.peek(), "Set operations in SQL (use DataFrame.union)");
    const orderBy: SortItem[] = [];
    if (this.acceptKw("ORDER")) {
      this.expectKw("BY");
      do orderBy.push(this.sortItem());
      while (this.acceptOp(","));
    }
    let limit: Expr | null = null;
    if (this.acceptKw("LIMIT")) limit = this.expression();
    return { kind: "select", distinct, items, from, where, groupBy, having, orderBy, limit, span: this.span(start) };
  }

  private relation(): Relation {
    const start = this.peek().start;
    if (this.acceptOp("(")) {
      const query = this.query();
      this.expectOp(")");
      return { kind: "subquery", query, alias: this.relationAlias(), span: this.span(start) };
    }
    const name = [this.identifier()];
    while (this.acceptOp(".")) name.push(this.identifier());
    return { kind: "table", name, alias: this.relationAlias(), span: this.span(start) };
  }

  private relationAlias(): string | null {
    if (this.acceptKw("AS")) return this.identifier();
    return this.isIdentifier() ? this.identifier() : null;
  }

  private sortItem(): SortItem {
    const start = this.peek().start;
    const expr = this.expression();
    const direction = this.acceptKw("ASC") ? "ASC" : this.acceptKw("DESC") ? "DESC" : null;
    let nulls: "FIRST" | "LAST" | null = null;
    if (this.acceptKw("NULLS")) {
      if (this.acceptKw("FIRST")) nulls = "FIRST";
      else if (this.acceptKw("LAST")) nulls = "LAST";
      else throw this.fail(this.peek());
    }
    return { expr, direction, nulls, span: this.span(start) };
  }

  // ---- expressions, lowest precedence first ----
  expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    const start = this.peek().start;
    let left = this.and();
    while (this.acceptKw("OR")) left = { kind: "binary", op: "OR", left, right: this.and(), span: this.span(start) };
    return left;
  }

  private and(): Expr {
    const start = this.peek().start;
    let left = this.not();
    while (this.acceptKw("AND")) left = { kind: "binary", op: "AND", left, right: this.not(), span: this.span(start) };
    return left;
  }

  private not(): Expr {
    const start = this.peek().start;
    if (this.acceptKw("NOT") || this.acceptOp("!")) return { kind: "unary", op: "NOT", operand: this.not(), span: this.span(start) };
    return this.predicated();
  }

  private predicated(): Expr {
    const start = this.peek().start;
    const operand = this.comparison();
    if (this.acceptKw("IS")) {
      const negated = this.acceptKw("NOT");
      if (this.acceptKw("NULL")) return { kind: "isNull", operand, negated, span: this.span(start) };
      if (this.acceptKw("TRUE")) return { kind: "isBoolean", operand, value: true, negated, span: this.span(start) };
      if (this.acceptKw("FALSE")) return { kind: "isBoolean", operand, value: false, negated, span: this.span(start) };
      if (this.acceptKw("DISTINCT")) {
        // `a IS DISTINCT FROM b` is `NOT (a <=> b)`, as Spark's AstBuilder builds it.
        this.expectKw("FROM");
        const same: Expr = { kind: "binary", op: "<=>", left: operand, right: this.comparison(), span: this.span(start) };
        return negated ? same : { kind: "unary", op: "NOT", operand: same, span: this.span(start) };
      }
      throw this.fail(this.peek());
    }
    const negated = this.isKw("NOT") && ["IN", "BETWEEN", "LIKE", "RLIKE", "REGEXP"].includes(this.peek(1).upper);
    if (negated) this.i++;
    if (this.acceptKw("IN")) {
      this.expectOp("(");
      if (this.isKw("SELECT")) throw this.unsupported(this.peek(), "IN (subquery)");
      const list = [this.expression()];
      while (this.acceptOp(",")) list.push(this.expression());
      this.expectOp(")");
      return { kind: "in", operand, list, negated, span: this.span(start) };
    }
    if (this.acceptKw("BETWEEN")) {
      const lower = this.comparison();
      this.expectKw("AND");
      const upper = this.comparison();
      return { kind: "between", operand, lower, upper, negated, span: this.span(start) };
    }
    if (this.isKw("LIKE") || this.isKw("RLIKE") || this.isKw("REGEXP")) {
      const op = this.next().upper === "LIKE" ? "LIKE" : "RLIKE";
      const pattern = this.comparison();
      if (this.isKw("ESCAPE")) throw this.unsupported(this.peek(), "LIKE ... ESCAPE");
      return { kind: "like", op, operand, pattern, negated, span: this.span(start) };
    }
    return operand;
  }

  private comparison(): Expr {
    const start = this.peek().start;
    let left = this.additive();
    while (this.peek().kind === "op" && COMPARISONS.has(this.peek().value)) {
      const op = this.next().value as BinaryOp;
      left = { kind: "binary", op, left, right: this.additive(), span: this.span(start) };
    }
    return left;
  }

  private additive(): Expr {
    const start = this.peek().start;
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-") || this.isOp("||")) {
      const op = this.next().value as BinaryOp;
      left = { kind: "binary", op, left, right: this.multiplicative(), span: this.span(start) };
    }
    return left;
  }

  private multiplicative(): Expr {
    const start = this.peek().start;
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%") || this.isKw("DIV")) {
      const t = this.next();
      const op = (t.kind === "ident" ? "DIV" : t.value) as BinaryOp;
      left = { kind: "binary", op, left, right: this.unary(), span: this.span(start) };
    }
    return left;
  }

  private unary(): Expr {
    const start = this.peek().start;
    if (this.isOp("-") || this.isOp("+")) {
      const op = this.next().value as "-" | "+";
      const operand = this.unary();
      // Fold a signed number literal, as Spark's AstBuilder does for `-5`.
      if (op === "-" && operand.kind === "number") {
        return { ...operand, text: "-" + operand.text, value: -operand.value, span: this.span(start) };
      }
      return { kind: "unary", op, operand, span: this.span(start) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    const start = this.peek().start;
    let e = this.primary();
    for (;;) {
      if (this.isOp(".") && (this.peek(1).kind === "ident" || this.peek(1).kind === "quotedIdent")) {
        this.i++;
        const name = this.next().value;
        e = e.kind === "column" ? { kind: "column", parts: [...e.parts, name], span: this.span(start) } : { kind: "field", base: e, field: name, span: this.span(start) };
      } else if (this.isOp(".") && this.isOp("*", 1) && e.kind === "column") {
        this.i += 2;
        e = { kind: "star", qualifier: e.parts, span: this.span(start) };
      } else if (this.acceptOp("::")) {
        e = { kind: "cast", operand: e, dataType: this.dataType(), span: this.span(start) };
      } else {
        return e;
      }
    }
  }

  private primary(): Expr {
    const t = this.peek();
    const start = t.start;
    if (t.kind === "number") {
      this.i++;
      return { kind: "number", text: t.value, value: Number(t.value), type: t.numberType ?? "int", span: this.span(start) };
    }
    if (t.kind === "string") {
      let value = "";
      // Adjacent string literals concatenate: 'a' 'b' is 'ab' (Spark's stringLit+).
      while (this.peek().kind === "string") value += this.next().value;
      return { kind: "string", value, span: this.span(start) };
    }
    if (t.kind === "op") {
      if (this.acceptOp("(")) {
        if (this.isKw("SELECT")) throw this.unsupported(this.peek(), "A scalar subquery");
        const inner = this.expression();
        if (this.isOp(",")) throw this.unsupported(this.peek(), "A struct constructor (a, b)");
        this.expectOp(")");
        return inner;
      }
      if (this.acceptOp("*")) return { kind: "star", qualifier: [], span: this.span(start) };
      throw this.fail(t);
    }
    if (t.kind === "quotedIdent") {
      this.i++;
      return { kind: "column", parts: [t.value], span: this.span(start) };
    }
    if (t.kind === "eof") throw this.fail(t);
    // An identifier or a keyword.
    const word = t.upper;
    const next = this.peek(1);
    if (word === "NULL") { this.i++; return { kind: "null", span: this.span(start) }; }
    if (word === "TRUE" || word === "FALSE") { this.i++; return { kind: "boolean", value: word === "TRUE", span: this.span(start) }; }
    if (word === "CASE") return this.caseExpr();
    if (word === "CAST" && next.kind === "op" && next.value === "(") return this.castExpr();
    if (word === "INTERVAL" && (next.kind === "string" || next.kind === "number" || (next.kind === "op" && (next.value === "-" || next.value === "+")))) return this.interval();
    if ((word === "TIMESTAMP" || word === "DATE") && next.kind === "string") {
      this.i += 2;
      return { kind: "typedLiteral", type: word === "DATE" ? "date" : "timestamp", value: next.value, span: this.span(start) };
    }
    if ((word === "CURRENT_TIMESTAMP" || word === "CURRENT_DATE") && !(next.kind === "op" && next.value === "(")) {
      this.i++;
      return { kind: "call", name: word.toLowerCase(), args: [], distinct: false, star: false, span: this.span(start) };
    }
    if (next.kind === "op" && next.value === "(" && (!RESERVED.has(word) || COLUMN_OK.has(word))) return this.call();
    if (RESERVED.has(word) && !COLUMN_OK.has(word)) throw this.fail(t);
    this.i++;
    return { kind: "column", parts: [t.value], span: this.span(start) };
  }

  private call(): Expr {
    const start = this.peek().start;
    const name = this.next().value.toLowerCase();
    this.expectOp("(");
    if (this.acceptOp("*")) {
      this.expectOp(")");
      return { kind: "call", name, args: [], distinct: false, star: true, span: this.span(start) };
    }
    let distinct = false;
    if (this.acceptKw("DISTINCT")) distinct = true;
    else this.acceptKw("ALL");
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      do args.push(this.expression());
      while (this.acceptOp(","));
    }
    this.expectOp(")");
    if (this.isKw("OVER")) throw this.unsupported(this.peek(), "A window function (OVER)");
    if (this.isKw("FILTER") && this.isOp("(", 1)) throw this.unsupported(this.peek(), "An aggregate FILTER clause");
    return { kind: "call", name, args, distinct, star: false, span: this.span(start) };
  }

  private caseExpr(): Expr {
    const start = this.peek().start;
    this.expectKw("CASE");
    const operand = this.isKw("WHEN") ? null : this.expression();
    const branches: CaseBranch[] = [];
    if (!this.isKw("WHEN")) throw this.fail(this.peek(), "");
    while (this.acceptKw("WHEN")) {
      const when = this.expression();
      this.expectKw("THEN");
      branches.push({ when, then: this.expression() });
    }
    const otherwise = this.acceptKw("ELSE") ? this.expression() : null;
    this.expectKw("END");
    return { kind: "case", operand, branches, otherwise, span: this.span(start) };
  }

  private castExpr(): Expr {
    const start = this.peek().start;
    this.i += 2; // CAST (
    const operand = this.expression();
    this.expectKw("AS");
    const dataType = this.dataType();
    this.expectOp(")");
    return { kind: "cast", operand, dataType, span: this.span(start) };
  }

  dataType(): DataType {
    const t = this.peek();
    if (t.kind !== "ident") throw this.fail(t);
    this.i++;
    const name = TYPE_NAMES[t.upper];
    if (name === undefined) {
      throw new ParseException("UNSUPPORTED_DATATYPE", `Unsupported data type "${t.upper}".`, { typeName: t.upper }, this.sql, t.start);
    }
    const params: number[] = [];
    if (this.acceptOp("(")) {
      do {
        const p = this.peek();
        if (p.kind !== "number" || p.numberType !== "int") throw this.fail(p);
        this.i++;
        params.push(Number(p.value));
      } while (this.acceptOp(","));
      this.expectOp(")");
    }
    return { name, params, span: this.span(t.start) };
  }

  /** `INTERVAL '1 hour'`, `INTERVAL '10' MINUTE`, `INTERVAL 1 HOUR 30 MINUTES`, `INTERVAL -5 SECONDS`. */
  private interval(): Expr {
    const start = this.peek().start;
    this.i++; // INTERVAL
    const first = this.peek();
    if (first.kind === "string" && intervalUnit(this.peek(1).value) === null) {
      this.i++;
      const iv = parseIntervalString(first.value);
      if (iv.kind === "error") throw this.intervalError(first, first.value, iv);
      return this.intervalNode(iv, start);
    }
    let acc: SqlInterval = ZERO_INTERVAL;
    let any = false;
    while (this.intervalValueAhead() || !any) {
      const valueStart = this.peek();
      let sign = "";
      if (this.isOp("-") || this.isOp("+")) sign = this.next().value;
      const v = this.next();
      if (v.kind !== "number" && v.kind !== "string") throw this.fail(v);
      const unitTok = this.peek();
      const unit = unitTok.kind === "ident" ? intervalUnit(unitTok.value) : null;
      if (unit === null) throw this.fail(unitTok);
      this.i++;
      if (this.isKw("TO")) throw this.unsupported(this.peek(), "INTERVAL ... TO ...");
      const raw = v.kind === "string" ? v.value.trim() : v.value;
      const value = sign === "-" ? (raw.startsWith("-") ? raw.slice(1) : "-" + raw.replace(/^\+/, "")) : raw;
      const next = addUnit(acc, value, unit);
      if (next.kind === "error") throw this.intervalError(valueStart, value, next);
      acc = next;
      any = true;
    }
    return this.intervalNode(acc, start);
  }

  /** True if the next tokens are `[+|-] value unit`, continuing a multi-unit interval. */
  private intervalValueAhead(): boolean {
    let k = 0;
    if (this.isOp("-") || this.isOp("+")) k = 1;
    const v = this.peek(k);
    const u = this.peek(k + 1);
    return (v.kind === "number" || v.kind === "string") && u.kind === "ident" && intervalUnit(u.value) !== null;
  }

  private intervalNode(iv: SqlInterval, start: number): Expr {
    return { kind: "interval", months: iv.months, days: iv.days, microseconds: iv.microseconds, span: this.span(start) };
  }

  /** Spark's INVALID_INTERVAL_FORMAT.<sub-class>, at the interval's value. */
  private intervalError(t: Token, input: string, err: IntervalError): ParseException {
    return new ParseException(
      `INVALID_INTERVAL_FORMAT.${err.subClass}`,
      `Error parsing '${input}' to interval. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. ${err.detail}`,
      { input },
      this.sql,
      t.start,
    );
  }
}

/**
 * Parses one expression with an optional alias, as `F.expr`, `selectExpr` and
 * `filter(string)` receive it (Spark's `singleExpression: namedExpression EOF`).
 *
 * Fails with a `ParseException` (PARSE_SYNTAX_ERROR, line/column set) on bad syntax.
 * Example: `parseExpression("count(*) AS n")` → `{ expr: call count(*), alias: "n" }`.
 */
export function parseExpression(sql: string): NamedExpr {
  const p = new Parser(sql);
  const e = p.namedExpression();
  p.expectEnd();
  return e;
}

/**
 * Parses one SELECT statement (trailing `;` allowed), as `spark.sql` receives it.
 *
 * Fails with a `ParseException`: PARSE_SYNTAX_ERROR, PARSE_EMPTY_STATEMENT,
 * INVALID_INTERVAL_FORMAT, UNSUPPORTED_DATATYPE, or UNSUPPORTED_SQL for Spark
 * syntax outside the subset (JOIN, WITH, UNION, subqueries in expressions, OVER).
 * Example: `parseQuery("SELECT word, count(*) FROM words GROUP BY word")`.
 */
export function parseQuery(sql: string): Query {
  const p = new Parser(sql);
  if (p.peek().kind === "eof") throw syntaxError(sql, 0, "end of input");
  const q = p.query();
  p.expectEnd();
  return q;
}

/**
 * Parses a data type as written after `CAST(x AS` (`bigint`, `decimal(10,2)`).
 * Fails with a `ParseException` (UNSUPPORTED_DATATYPE) on an unknown type.
 * Example: `parseDataType("LONG")` → `{ name: "bigint", params: [] }`.
 */
export function parseDataType(sql: string): DataType {
  const p = new Parser(sql);
  const t = p.dataType();
  p.expectEnd();
  return t;
}
