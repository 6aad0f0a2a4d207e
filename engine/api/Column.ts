import type { BinaryOp, Expr } from "../expressions/Expression";
import { exprToString } from "../expressions/Expression";
import { parseDataType, type DataType, type Value } from "../expressions/types";
import { IllegalArgumentException } from "../util/errors";

/** Anything a Column method accepts as an operand: a Column or a literal value. */
export type ColumnOrLiteral = Column | number | string | boolean | null | Date;

/** Turns a literal JS value into a literal expression (numbers: long if integral, else double; Date: timestamp). */
export function literalExpr(v: number | string | boolean | null | Date): Expr {
  if (v === null) return { kind: "literal", value: null, dataType: "null" };
  if (v instanceof Date) return { kind: "literal", value: v.getTime(), dataType: "timestamp" };
  switch (typeof v) {
    case "number":
      return { kind: "literal", value: v, dataType: Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? "int" : "long") : "double" };
    case "string":
      return { kind: "literal", value: v, dataType: "string" };
    case "boolean":
      return { kind: "literal", value: v, dataType: "boolean" };
    default:
      throw new IllegalArgumentException(`Unsupported literal ${String(v)}`, "UNSUPPORTED_LITERAL");
  }
}

/** The expression of a Column or literal operand. */
export function toExpr(v: ColumnOrLiteral): Expr {
  return v instanceof Column ? v.expr : literalExpr(v as number | string | boolean | null | Date);
}

/**
 * A column expression, as PySpark's `Column`: built with `F.col`, `F.lit`, operators
 * and functions; resolved against a DataFrame when used (an unknown name fails then).
 *
 * @example
 * F.col("value").multiply(2).plus(1).as("v2")
 * F.col("window").getField("start").cast("long")
 */
export class Column {
  /** @internal the (possibly unresolved) expression tree. */
  readonly expr: Expr;

  /** @internal use F.col / F.lit / F.expr. */
  constructor(expr: Expr) {
    this.expr = expr;
  }

  private bin(op: BinaryOp, other: ColumnOrLiteral): Column {
    return new Column({ kind: "binary", op, left: this.expr, right: toExpr(other) });
  }

  /** `this + other` */
  plus(other: ColumnOrLiteral): Column {
    return this.bin("+", other);
  }
  /** `this - other` */
  minus(other: ColumnOrLiteral): Column {
    return this.bin("-", other);
  }
  /** `this * other` */
  multiply(other: ColumnOrLiteral): Column {
    return this.bin("*", other);
  }
  /** `this / other` (always double; division by zero gives null, as Spark without ANSI mode) */
  divide(other: ColumnOrLiteral): Column {
    return this.bin("/", other);
  }
  /** `this % other` */
  mod(other: ColumnOrLiteral): Column {
    return this.bin("%", other);
  }
  /** `this > other` */
  gt(other: ColumnOrLiteral): Column {
    return this.bin(">", other);
  }
  /** `this >= other` */
  geq(other: ColumnOrLiteral): Column {
    return this.bin(">=", other);
  }
  /** `this < other` */
  lt(other: ColumnOrLiteral): Column {
    return this.bin("<", other);
  }
  /** `this <= other` */
  leq(other: ColumnOrLiteral): Column {
    return this.bin("<=", other);
  }
  /** `this = other` (null if either side is null) */
  eq(other: ColumnOrLiteral): Column {
    return this.bin("=", other);
  }
  /** `this != other` */
  notEq(other: ColumnOrLiteral): Column {
    return this.bin("!=", other);
  }
  /** Null-safe equality `this <=> other`. */
  eqNullSafe(other: ColumnOrLiteral): Column {
    return this.bin("<=>", other);
  }
  /** Boolean AND (three-valued). */
  and(other: ColumnOrLiteral): Column {
    return this.bin("and", other);
  }
  /** Boolean OR (three-valued). */
  or(other: ColumnOrLiteral): Column {
    return this.bin("or", other);
  }
  /** Boolean NOT. */
  not(): Column {
    return new Column({ kind: "not", child: this.expr });
  }
  /** Arithmetic negation. */
  negate(): Column {
    return new Column({ kind: "call", fn: "negate", args: [this.expr] });
  }
  /** True when the value is null. */
  isNull(): Column {
    return new Column({ kind: "isNull", child: this.expr, negated: false });
  }
  /** True when the value is not null. */
  isNotNull(): Column {
    return new Column({ kind: "isNull", child: this.expr, negated: true });
  }
  /** `lower <= this AND this <= upper` */
  between(lower: ColumnOrLiteral, upper: ColumnOrLiteral): Column {
    return this.geq(lower).and(this.leq(upper));
  }
  /** `this IN (values…)` */
  isin(...values: ColumnOrLiteral[]): Column {
    if (values.length === 0) return new Column(literalExpr(false));
    return values.map((v) => this.eq(v)).reduce((a, b) => a.or(b));
  }

  /** SQL LIKE: `%` any characters, `_` one character, `\\` escapes. */
  like(pattern: string): Column {
    return new Column({ kind: "call", fn: "like", args: [this.expr, literalExpr(pattern)] });
  }
  /** True when the regular expression matches anywhere in the string. */
  rlike(pattern: string): Column {
    return new Column({ kind: "call", fn: "rlike", args: [this.expr, literalExpr(pattern)] });
  }

  /** Names the column. @example F.count("*").as("count") */
  as(name: string): Column {
    return new Column({ kind: "alias", child: this.expr, name });
  }
  /** Same as `as`. */
  alias(name: string): Column {
    return this.as(name);
  }
  /** Same as `as` (PySpark's `name`). */
  name(name: string): Column {
    return this.as(name);
  }

  /**
   * Casts to "timestamp" | "long" | "int" | "double" | "string" | "boolean" (and Spark's
   * aliases "bigint", "integer", "float"). A number cast to timestamp is seconds since the epoch.
   * Throws IllegalArgumentException for an unknown type name.
   */
  cast(to: string | DataType): Column {
    return new Column({ kind: "cast", child: this.expr, to: parseDataType(to) });
  }
  /** Same as `cast`. */
  astype(to: string | DataType): Column {
    return this.cast(to);
  }

  /** A field of a struct column. @example F.col("window").getField("start") */
  getField(name: string): Column {
    return new Column({ kind: "getField", child: this.expr, field: name });
  }

  /** Descending sort order (nulls last, as Spark). */
  desc(): Column {
    return new Column({ kind: "sortOrder", child: this.expr, ascending: false, nullsFirst: false });
  }
  /** Ascending sort order (nulls first, as Spark). */
  asc(): Column {
    return new Column({ kind: "sortOrder", child: this.expr, ascending: true, nullsFirst: true });
  }
  /** Ascending, nulls last. */
  ascNullsLast(): Column {
    return new Column({ kind: "sortOrder", child: this.expr, ascending: true, nullsFirst: false });
  }
  /** Descending, nulls first. */
  descNullsFirst(): Column {
    return new Column({ kind: "sortOrder", child: this.expr, ascending: false, nullsFirst: true });
  }

  /** For `F.when(...).when(...)`: adds a branch to a CASE WHEN column. */
  when(condition: Column, value: ColumnOrLiteral): Column {
    if (this.expr.kind !== "caseWhen" || this.expr.otherwise !== null) {
      throw new IllegalArgumentException("when() can only be applied on a Column previously generated by when() function", "INVALID_WHEN");
    }
    return new Column({ ...this.expr, branches: [...this.expr.branches, [condition.expr, toExpr(value)]] });
  }
  /** For `F.when(...).otherwise(v)`: the ELSE value. */
  otherwise(value: ColumnOrLiteral): Column {
    if (this.expr.kind !== "caseWhen" || this.expr.otherwise !== null) {
      throw new IllegalArgumentException("otherwise() can only be applied once on a Column previously generated by when()", "INVALID_OTHERWISE");
    }
    return new Column({ ...this.expr, otherwise: toExpr(value) });
  }

  /** SQL-like text of the expression, e.g. `(value + 1)`. */
  toString(): string {
    return `Column<'${exprToString(this.expr)}'>`;
  }
}

/** A literal value as a Column expression value (for internal use by functions). */
export function litValue(v: Value): Column {
  return new Column(literalExpr(v as number | string | boolean | null));
}
