import { AnalysisException } from "../util/errors";
import type { Expr } from "./Expression";
import { exprToString } from "./Expression";
import { isNumeric, WINDOW_TYPE, widerNumeric, type DataType, typeName } from "./types";

function mismatch(e: Expr, why: string): never {
  throw new AnalysisException(
    `[DATATYPE_MISMATCH] Cannot resolve "${exprToString(e)}" due to data type mismatch: ${why}.`,
    "DATATYPE_MISMATCH",
  );
}

/**
 * The data type of a resolved expression, checking operand types as Spark's
 * analyzer does. Throws AnalysisException (DATATYPE_MISMATCH) naming the expression.
 */
export function dataTypeOf(e: Expr): DataType {
  switch (e.kind) {
    case "unresolvedAttr":
    case "star":
      throw new AnalysisException(`Invalid call to dataType on unresolved object ${exprToString(e)}`, "INTERNAL_ERROR");
    case "attr":
    case "literal":
      return e.dataType;
    case "alias":
    case "sortOrder":
      return dataTypeOf(e.child);
    case "binary": {
      const l = dataTypeOf(e.left);
      const r = dataTypeOf(e.right);
      switch (e.op) {
        case "+":
        case "-":
        case "*":
        case "%": {
          if (e.op !== "%" && l === "timestamp" && (r === "long" || r === "int")) return "timestamp";
          if ((e.op === "+" || e.op === "-") && l === "timestamp" && r === "interval") return "timestamp";
          if (e.op === "+" && l === "interval" && r === "timestamp") return "timestamp";
          if ((l === "null" || isNumeric(l)) && (r === "null" || isNumeric(r))) return widerNumeric(l, r);
          return mismatch(e, `the operator ${e.op} requires numeric operands, not "${typeName(l)}" and "${typeName(r)}"`);
        }
        case "/":
          if ((l === "null" || isNumeric(l)) && (r === "null" || isNumeric(r))) return "double";
          return mismatch(e, `the operator / requires numeric operands, not "${typeName(l)}" and "${typeName(r)}"`);
        case "and":
        case "or":
          if ((l === "boolean" || l === "null") && (r === "boolean" || r === "null")) return "boolean";
          return mismatch(e, `the operator ${e.op.toUpperCase()} requires boolean operands, not "${typeName(l)}" and "${typeName(r)}"`);
        default: {
          const comparable =
            l === "null" ||
            r === "null" ||
            typeName(l) === typeName(r) ||
            ((isNumeric(l) || l === "timestamp") && (isNumeric(r) || r === "timestamp")) ||
            (l === "string" && (isNumeric(r) || r === "timestamp")) ||
            (r === "string" && (isNumeric(l) || l === "timestamp"));
          if (!comparable) return mismatch(e, `cannot compare "${typeName(l)}" with "${typeName(r)}"`);
          return "boolean";
        }
      }
    }
    case "not": {
      const t = dataTypeOf(e.child);
      if (t !== "boolean" && t !== "null") mismatch(e, `NOT requires a boolean, not "${typeName(t)}"`);
      return "boolean";
    }
    case "isNull":
      dataTypeOf(e.child);
      return "boolean";
    case "cast": {
      const from = dataTypeOf(e.child);
      if (typeof e.to !== "string" && typeName(from) !== typeName(e.to)) mismatch(e, `cannot cast "${typeName(from)}" to "${typeName(e.to)}"`);
      if (typeof from !== "string" && e.to !== "string" && typeName(from) !== typeName(e.to)) {
        mismatch(e, `cannot cast "${typeName(from)}" to "${typeName(e.to)}"`);
      }
      return e.to;
    }
    case "getField": {
      const t = dataTypeOf(e.child);
      if (typeof t === "string" || t.type !== "struct") return mismatch(e, `"${typeName(t)}" is not a struct; cannot get field "${e.field}"`);
      const f = t.fields.find((x) => x.name === e.field);
      if (!f) {
        throw new AnalysisException(
          `[FIELD_NOT_FOUND] No such struct field \`${e.field}\` in ${t.fields.map((x) => `\`${x.name}\``).join(", ")}.`,
          "FIELD_NOT_FOUND",
        );
      }
      return f.dataType;
    }
    case "timeWindow":
    case "sessionWindow": {
      const t = dataTypeOf(e.child);
      if (t !== "timestamp") {
        return mismatch(e, `the time column of ${e.kind === "timeWindow" ? "window" : "session_window"} must be "timestamp", not "${typeName(t)}"`);
      }
      return WINDOW_TYPE;
    }
    case "windowTime": {
      const t = dataTypeOf(e.child);
      if (typeName(t) !== typeName(WINDOW_TYPE)) mismatch(e, `window_time requires a window column, not "${typeName(t)}"`);
      return "timestamp";
    }
    case "caseWhen": {
      let out: DataType = "null";
      for (const [c, v] of e.branches) {
        const ct = dataTypeOf(c);
        if (ct !== "boolean" && ct !== "null") mismatch(e, `WHEN expressions must be boolean, not "${typeName(ct)}"`);
        out = unify(e, out, dataTypeOf(v));
      }
      if (e.otherwise) out = unify(e, out, dataTypeOf(e.otherwise));
      return out;
    }
    case "call":
      return callType(e);
    case "agg":
      return aggType(e);
    case "explode": {
      const t = dataTypeOf(e.child);
      if (typeof t === "string" || t.type !== "array") return mismatch(e, `explode requires an array, not "${typeName(t)}"`);
      return t.elementType;
    }
  }
}

function unify(e: Expr, a: DataType, b: DataType): DataType {
  if (a === "null") return b;
  if (b === "null") return a;
  if (typeName(a) === typeName(b)) return a;
  if (isNumeric(a) && isNumeric(b)) return widerNumeric(a, b);
  return mismatch(e, `branches have different types "${typeName(a)}" and "${typeName(b)}"`);
}

function callType(e: Extract<Expr, { kind: "call" }>): DataType {
  const argTypes = e.args.map(dataTypeOf);
  const needString = (i: number) => {
    const t = argTypes[i];
    if (t !== "string" && t !== "null") mismatch(e, `${e.fn} requires a string argument, not "${typeName(t ?? "null")}"`);
  };
  switch (e.fn) {
    case "lower":
    case "upper":
      needString(0);
      return "string";
    case "length":
      return "int";
    case "split":
      needString(0);
      return { type: "array", elementType: "string" };
    case "current_timestamp":
      return "timestamp";
    case "to_timestamp":
      return "timestamp";
    case "coalesce":
      return argTypes.reduce<DataType>((a, b) => unify(e, a, b), "null");
    case "abs":
    case "negate": {
      const t = argTypes[0] ?? "null";
      if (!isNumeric(t) && t !== "null") mismatch(e, `${e.fn} requires a numeric argument, not "${typeName(t)}"`);
      return t;
    }
    case "concat":
    case "concat_ws":
      return "string";
    case "substring":
    case "trim":
    case "regexp_replace":
      needString(0);
      return "string";
    case "like":
    case "rlike":
      needString(0);
      return "boolean";
    case "date_format":
    case "from_unixtime":
      return "string";
    case "hour":
    case "minute":
    case "second":
    case "year":
    case "month":
    case "dayofmonth": {
      const t = argTypes[0] ?? "null";
      if (t !== "timestamp" && t !== "string" && t !== "null") mismatch(e, `${e.fn} requires a timestamp, not "${typeName(t)}"`);
      return "int";
    }
    case "unix_timestamp":
      return "long";
    case "struct":
      return {
        type: "struct",
        fields: e.args.map((a, i) => ({
          name: a.kind === "alias" ? a.name : a.kind === "attr" ? a.name : `col${i + 1}`,
          dataType: argTypes[i] ?? "null",
          nullable: true,
        })),
      };
  }
}

function aggType(e: Extract<Expr, { kind: "agg" }>): DataType {
  const arg = e.args[0];
  const t: DataType = arg === undefined || arg.kind === "star" ? "long" : dataTypeOf(arg);
  switch (e.fn) {
    case "count":
    case "count_distinct":
    case "approx_count_distinct":
      return "long";
    case "sum":
      if (!isNumeric(t) && t !== "null") mismatch(e, `sum requires a numeric argument, not "${typeName(t)}"`);
      return t === "double" ? "double" : "long";
    case "avg":
      if (!isNumeric(t) && t !== "null") mismatch(e, `avg requires a numeric argument, not "${typeName(t)}"`);
      return "double";
    case "min":
    case "max":
    case "first":
    case "last":
      return t;
    case "collect_list":
    case "collect_set":
      return { type: "array", elementType: t };
  }
}

/** Whether a resolved expression may produce null (conservative). */
export function nullableOf(e: Expr): boolean {
  switch (e.kind) {
    case "attr":
      return e.nullable;
    case "literal":
      return e.value === null;
    case "alias":
      return nullableOf(e.child);
    case "isNull":
      return false;
    case "agg":
      return !(e.fn === "count" || e.fn === "count_distinct" || e.fn === "approx_count_distinct" || e.fn === "collect_list");
    case "timeWindow":
      return false;
    default:
      return true;
  }
}
