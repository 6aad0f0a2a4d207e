/**
 * Renders expressions as text: `prettyName` gives the column name Spark gives
 * an unaliased expression (`count(1)`, `(a + b)`, `start` for `window.start`);
 * `canonicalKey` gives a case-insensitive structural key used to match a
 * SELECT expression against a GROUP BY expression.
 */
import type { DataType, Expr } from "./ast";
import { formatDuration } from "./interval";

/** Spark's SQL spelling of a data type: `BIGINT`, `DECIMAL(10,2)`. */
export function typeSql(t: DataType): string {
  const name = t.name.toUpperCase();
  return t.params.length === 0 ? name : `${name}(${t.params.join(",")})`;
}

function render(e: Expr, key: boolean, parts: (p: readonly string[]) => readonly string[]): string {
  const r = (x: Expr): string => render(x, key, parts);
  switch (e.kind) {
    case "column": {
      const ps = parts(e.parts);
      return key ? ps.map((p) => p.toLowerCase()).join(".") : (ps[ps.length - 1] ?? "");
    }
    case "star": return e.qualifier.length === 0 ? "*" : `${e.qualifier.join(".")}.*`;
    case "number": return key ? `${e.text}:${e.type}` : e.text;
    case "string": return key ? JSON.stringify(e.value) : e.value;
    case "boolean": return String(e.value);
    case "null": return "NULL";
    case "interval": return `INTERVAL '${formatDuration({ kind: "interval", months: e.months, days: e.days, microseconds: e.microseconds })}'`;
    case "typedLiteral": return `${e.type.toUpperCase()} '${e.value}'`;
    case "unary": return e.op === "NOT" ? `(NOT ${r(e.operand)})` : e.op === "-" ? `(- ${r(e.operand)})` : `(+ ${r(e.operand)})`;
    case "binary": {
      if (e.op === "||") return `concat(${r(e.left)}, ${r(e.right)})`;
      const op = e.op === "==" ? "=" : e.op === "!=" ? "<>" : e.op === "DIV" ? "div" : e.op;
      if (op === "<>") return `(NOT (${r(e.left)} = ${r(e.right)}))`;
      return `(${r(e.left)} ${op} ${r(e.right)})`;
    }
    case "isNull": return `(${r(e.operand)} IS ${e.negated ? "NOT " : ""}NULL)`;
    case "isBoolean": return `(${r(e.operand)} IS ${e.negated ? "NOT " : ""}${e.value ? "TRUE" : "FALSE"})`;
    case "in": {
      const s = `(${r(e.operand)} IN (${e.list.map(r).join(", ")}))`;
      return e.negated ? `(NOT ${s})` : s;
    }
    case "between": {
      const s = `(${r(e.operand)} BETWEEN ${r(e.lower)} AND ${r(e.upper)})`;
      return e.negated ? `(NOT ${s})` : s;
    }
    case "like": {
      const s = e.op === "LIKE" ? `${r(e.operand)} LIKE ${r(e.pattern)}` : `RLIKE(${r(e.operand)}, ${r(e.pattern)})`;
      return e.negated ? `(NOT ${s})` : s;
    }
    case "case": {
      let s = "CASE";
      if (e.operand) s += ` ${r(e.operand)}`;
      for (const b of e.branches) s += ` WHEN ${r(b.when)} THEN ${r(b.then)}`;
      if (e.otherwise) s += ` ELSE ${r(e.otherwise)}`;
      return s + " END";
    }
    case "cast": return `CAST(${r(e.operand)} AS ${typeSql(e.dataType)})`;
    case "call": {
      if (!key && (e.name === "window" || e.name === "session_window")) return e.name;
      if (e.star) return `${e.name}(${key ? "*" : "1"})`;
      return `${e.name}(${e.distinct ? "DISTINCT " : ""}${e.args.map(r).join(", ")})`;
    }
    case "field": return key ? `${r(e.base)}.${e.field.toLowerCase()}` : e.field;
  }
}

/**
 * The name Spark gives an unaliased expression in a SELECT list.
 *
 * Contract: `parts` maps a column reference to the parts that remain after
 * removing a table qualifier (identity by default). Never fails.
 * Example: `prettyName(parse("sum(value) / count(*)"))` → `"(sum(value) / count(1))"`.
 */
export function prettyName(e: Expr, parts: (p: readonly string[]) => readonly string[] = (p) => p): string {
  return render(e, false, parts);
}

/**
 * A structural key: equal for expressions Spark treats as the same
 * (identifiers and function names compared case-insensitively, qualifiers removed by `parts`).
 * Example: `canonicalKey(parse("T.Word"), dropT) === canonicalKey(parse("word"))`.
 */
export function canonicalKey(e: Expr, parts: (p: readonly string[]) => readonly string[] = (p) => p): string {
  return render(e, true, parts);
}
