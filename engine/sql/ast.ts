/**
 * Typed syntax tree of the Spark SQL subset. Every node carries its source
 * span so later errors (MISSING_AGGREGATION, unknown function) point at it.
 * Names follow Spark's grammar (SqlBaseParser.g4): namedExpression,
 * querySpecification, sortItem, dataType.
 */
import type { NumberType } from "./lexer";

/** Source span of a node: 0-based `[start, end)` offsets into the SQL text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Binary operators, by Spark's spelling (`==` is kept apart from `=` only for display). */
export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "DIV" | "||"
  | "=" | "==" | "<>" | "!=" | "<" | "<=" | ">" | ">=" | "<=>"
  | "AND" | "OR";

/** A data type in CAST / `::`: Spark's lower-case name (`bigint`, `int`, `decimal`) and its parameters. */
export interface DataType {
  readonly name: string;
  readonly params: readonly number[];
  readonly span: Span;
}

/** An expression. `column.parts` is unresolved: `t.x` may be a qualifier or a struct field. */
export type Expr =
  | { readonly kind: "column"; readonly parts: readonly string[]; readonly span: Span }
  | { readonly kind: "star"; readonly qualifier: readonly string[]; readonly span: Span }
  | { readonly kind: "number"; readonly text: string; readonly value: number; readonly type: NumberType; readonly span: Span }
  | { readonly kind: "string"; readonly value: string; readonly span: Span }
  | { readonly kind: "boolean"; readonly value: boolean; readonly span: Span }
  | { readonly kind: "null"; readonly span: Span }
  | { readonly kind: "interval"; readonly months: number; readonly days: number; readonly microseconds: number; readonly span: Span }
  | { readonly kind: "typedLiteral"; readonly type: "timestamp" | "date"; readonly value: string; readonly span: Span }
  | { readonly kind: "unary"; readonly op: "-" | "+" | "NOT"; readonly operand: Expr; readonly span: Span }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: "isNull"; readonly operand: Expr; readonly negated: boolean; readonly span: Span }
  | { readonly kind: "isBoolean"; readonly operand: Expr; readonly value: boolean; readonly negated: boolean; readonly span: Span }
  | { readonly kind: "in"; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly span: Span }
  | { readonly kind: "between"; readonly operand: Expr; readonly lower: Expr; readonly upper: Expr; readonly negated: boolean; readonly span: Span }
  | { readonly kind: "like"; readonly op: "LIKE" | "RLIKE"; readonly operand: Expr; readonly pattern: Expr; readonly negated: boolean; readonly span: Span }
  | { readonly kind: "case"; readonly operand: Expr | null; readonly branches: readonly CaseBranch[]; readonly otherwise: Expr | null; readonly span: Span }
  | { readonly kind: "cast"; readonly operand: Expr; readonly dataType: DataType; readonly span: Span }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[]; readonly distinct: boolean; readonly star: boolean; readonly span: Span }
  | { readonly kind: "field"; readonly base: Expr; readonly field: string; readonly span: Span };

/** `WHEN condition THEN value` of a CASE expression. */
export interface CaseBranch {
  readonly when: Expr;
  readonly then: Expr;
}

/** `expression [AS] alias` (Spark's namedExpression). */
export interface NamedExpr {
  readonly expr: Expr;
  readonly alias: string | null;
  readonly span: Span;
}

/** A FROM item: a table / view name or a parenthesised query, with an optional alias. */
export type Relation =
  | { readonly kind: "table"; readonly name: readonly string[]; readonly alias: string | null; readonly span: Span }
  | { readonly kind: "subquery"; readonly query: Query; readonly alias: string | null; readonly span: Span };

/** `expression [ASC | DESC] [NULLS FIRST | LAST]`. */
export interface SortItem {
  readonly expr: Expr;
  readonly direction: "ASC" | "DESC" | null;
  readonly nulls: "FIRST" | "LAST" | null;
  readonly span: Span;
}

/** One SELECT statement (Spark's querySpecification plus ORDER BY / LIMIT). */
export interface Query {
  readonly kind: "select";
  readonly distinct: boolean;
  readonly items: readonly NamedExpr[];
  readonly from: Relation | null;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | null;
  readonly orderBy: readonly SortItem[];
  readonly limit: Expr | null;
  readonly span: Span;
}
