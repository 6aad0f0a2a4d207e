import { IllegalStateException } from "../util/errors";
import type { ColumnarBatch, ColumnVector } from "../execution/ColumnarBatch";
import type { Attribute, Expr } from "./Expression";
import { castValue, valueToString } from "./cast";
import { dataTypeOf } from "./typeOf";
import { addInterval, formatDatePattern, formatTimestamp, parseTimestamp } from "./timestamps";
import type { DataType, IntervalValue, StructValue, Value } from "./types";

/** Per-batch values that expressions may read (current_timestamp reads the batch time, as in Spark). */
export interface EvalContext {
  batchTimestampMs: number;
}

/** A compiled expression: bind it to a batch, then call the row function for each row index. */
export type CompiledExpr = (batch: ColumnarBatch, ctx: EvalContext) => (row: number) => Value;

/**
 * Compiles a resolved expression against the attributes of its input.
 * Throws IllegalStateException if an attribute is not in `input` (an analyzer bug)
 * and for aggregate/generator nodes, which physical operators handle themselves.
 *
 * The row function is a closure tree; attribute reads go straight to the typed
 * array of the column (no per-row object is built).
 */
export function compileExpr(e: Expr, input: readonly Attribute[]): CompiledExpr {
  const ordinal = new Map<number, number>();
  input.forEach((a, i) => ordinal.set(a.id, i));
  return compileNode(e, ordinal);
}

/** Timestamp window start containing `t` for a given slide and offset (floor-aligned, negative-safe). */
export function windowStart(t: number, slideMs: number, startMs: number): number {
  const r = (t - startMs) % slideMs;
  return t - (r < 0 ? r + slideMs : r);
}

function compileNode(e: Expr, ord: Map<number, number>): CompiledExpr {
  switch (e.kind) {
    case "attr": {
      const i = ord.get(e.id);
      if (i === undefined) throw new IllegalStateException(`Couldn't find ${e.name}#${e.id} in input`, "INTERNAL_ERROR");
      return (b) => {
        const col = b.columns[i] as ColumnVector;
        const values = col.values;
        const nulls = col.nulls;
        if (values instanceof Float64Array) {
          if (nulls === null) return (r) => values[r] as number;
          return (r) => (nulls[r] === 1 ? null : (values[r] as number));
        }
        return (r) => values[r] ?? null;
      };
    }
    case "literal": {
      const v = e.value;
      return () => () => v;
    }
    case "alias":
    case "sortOrder":
      return compileNode(e.child, ord);
    case "binary":
      return compileBinary(e, ord);
    case "not": {
      const c = compileNode(e.child, ord);
      return (b, ctx) => {
        const f = c(b, ctx);
        return (r) => {
          const v = f(r);
          return v === null ? null : !v;
        };
      };
    }
    case "isNull": {
      const c = compileNode(e.child, ord);
      const neg = e.negated;
      return (b, ctx) => {
        const f = c(b, ctx);
        return neg ? (r) => f(r) !== null : (r) => f(r) === null;
      };
    }
    case "cast": {
      const c = compileNode(e.child, ord);
      const from = dataTypeOf(e.child);
      const to = e.to;
      if (from === "timestamp" && to === "long") {
        return (b, ctx) => {
          const f = c(b, ctx);
          return (r) => {
            const v = f(r) as number | null;
            return v === null ? null : Math.floor(v / 1000);
          };
        };
      }
      if ((from === "long" || from === "int") && to === "timestamp") {
        return (b, ctx) => {
          const f = c(b, ctx);
          return (r) => {
            const v = f(r) as number | null;
            return v === null ? null : v * 1000;
          };
        };
      }
      return (b, ctx) => {
        const f = c(b, ctx);
        return (r) => castValue(f(r), from, to);
      };
    }
    case "getField": {
      const c = compileNode(e.child, ord);
      const field = e.field;
      return (b, ctx) => {
        const f = c(b, ctx);
        return (r) => {
          const v = f(r) as StructValue | null;
          return v === null ? null : (v[field] ?? null);
        };
      };
    }
    case "timeWindow": {
      // Scalar (tumbling) form. Sliding windows are expanded by the TimeWindowExpand operator.
      const c = compileNode(e.child, ord);
      const { windowMs, slideMs, startMs } = e;
      return (b, ctx) => {
        const f = c(b, ctx);
        return (r) => {
          const t = f(r) as number | null;
          if (t === null) return null;
          const s = windowStart(t, slideMs, startMs);
          return { start: s, end: s + windowMs };
        };
      };
    }
    case "windowTime": {
      const c = compileNode(e.child, ord);
      return (b, ctx) => {
        const f = c(b, ctx);
        return (r) => {
          const v = f(r) as StructValue | null;
          return v === null ? null : (v.end as number) - 0.001;
        };
      };
    }
    case "caseWhen": {
      const branches = e.branches.map(([cond, val]) => [compileNode(cond, ord), compileNode(val, ord)] as const);
      const other = e.otherwise ? compileNode(e.otherwise, ord) : null;
      return (b, ctx) => {
        const bs = branches.map(([c, v]) => [c(b, ctx), v(b, ctx)] as const);
        const o = other ? other(b, ctx) : null;
        return (r) => {
          for (const [c, v] of bs) if (c(r) === true) return v(r);
          return o ? o(r) : null;
        };
      };
    }
    case "call":
      return compileCall(e, ord);
    case "unresolvedAttr":
    case "star":
    case "agg":
    case "explode":
    case "sessionWindow":
      throw new IllegalStateException(`Cannot evaluate ${e.kind} in a scalar context`, "INTERNAL_ERROR");
  }
}

function toComparable(v: Value, t: DataType, other: DataType): Value {
  if (typeof v === "string" && other !== "string") {
    if (other === "timestamp") return parseTimestamp(v);
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  void t;
  return v;
}

function compileBinary(e: Extract<Expr, { kind: "binary" }>, ord: Map<number, number>): CompiledExpr {
  const l = compileNode(e.left, ord);
  const r = compileNode(e.right, ord);
  const lt = dataTypeOf(e.left);
  const rt = dataTypeOf(e.right);
  const resultType = dataTypeOf(e);
  const integral = resultType === "long" || resultType === "int";
  const fast = fastNumericBinary(e, ord, lt, rt);
  if (fast !== null) {
    // Bind-time choice: when both operands are null-free numeric columns or literals, read the
    // typed arrays directly (no child closure calls); otherwise the generic path below.
    const generic = genericBinary(e, l, r, lt, rt, integral);
    return (b, ctx) => fast(b) ?? generic(b, ctx);
  }
  return genericBinary(e, l, r, lt, rt, integral);
}

type NumericOperand = { kind: "col"; ordinal: number } | { kind: "lit"; value: number };

function numericOperand(e: Expr, ord: Map<number, number>): NumericOperand | null {
  if (e.kind === "literal" && typeof e.value === "number") return { kind: "lit", value: e.value };
  if (e.kind === "attr" && (e.dataType === "long" || e.dataType === "int" || e.dataType === "double" || e.dataType === "timestamp")) {
    const o = ord.get(e.id);
    return o === undefined ? null : { kind: "col", ordinal: o };
  }
  return null;
}

const FAST_OPS: Record<string, (a: number, b: number) => Value> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

function fastNumericBinary(
  e: Extract<Expr, { kind: "binary" }>,
  ord: Map<number, number>,
  lt: DataType,
  rt: DataType,
): ((b: ColumnarBatch) => ((row: number) => Value) | null) | null {
  if (lt === "string" || rt === "string") return null;
  const x = numericOperand(e.left, ord);
  const y = numericOperand(e.right, ord);
  if (x === null || y === null || (x.kind === "lit" && y.kind === "lit")) return null;
  const op = e.op;
  if (FAST_OPS[op] === undefined) return null;
  const arrayOf = (b: ColumnarBatch, o: NumericOperand): Float64Array | null => {
    if (o.kind !== "col") return null;
    const c = b.columns[o.ordinal] as ColumnVector;
    return c.values instanceof Float64Array && c.nulls === null ? c.values : null;
  };
  return (b) => {
    const xa = arrayOf(b, x);
    const ya = arrayOf(b, y);
    if ((x.kind === "col" && xa === null) || (y.kind === "col" && ya === null)) return null;
    if (xa !== null && ya !== null) {
      switch (op) {
        case "+":
          return (r) => (xa[r] as number) + (ya[r] as number);
        case "-":
          return (r) => (xa[r] as number) - (ya[r] as number);
        case "*":
          return (r) => (xa[r] as number) * (ya[r] as number);
        default: {
          const f = FAST_OPS[op] as (a: number, b: number) => Value;
          return (r) => f(xa[r] as number, ya[r] as number);
        }
      }
    }
    if (xa !== null) {
      const c = (y as { value: number }).value;
      switch (op) {
        case "+":
          return (r) => (xa[r] as number) + c;
        case "-":
          return (r) => (xa[r] as number) - c;
        case "*":
          return (r) => (xa[r] as number) * c;
        case "<":
          return (r) => (xa[r] as number) < c;
        case "<=":
          return (r) => (xa[r] as number) <= c;
        case ">":
          return (r) => (xa[r] as number) > c;
        case ">=":
          return (r) => (xa[r] as number) >= c;
        case "=":
          return (r) => (xa[r] as number) === c;
        default:
          return (r) => (xa[r] as number) !== c;
      }
    }
    const c = (x as { value: number }).value;
    const f = FAST_OPS[op] as (a: number, b: number) => Value;
    return (r) => f(c, ya![r] as number);
  };
}

function genericBinary(
  e: Extract<Expr, { kind: "binary" }>,
  l: CompiledExpr,
  r: CompiledExpr,
  lt: DataType,
  rt: DataType,
  integral: boolean,
): CompiledExpr {
  if (lt === "interval" || rt === "interval") {
    // timestamp ± interval (Spark's TimeAdd): calendar months, then days and microseconds.
    const sign = e.op === "-" ? -1 : 1;
    return bin(l, r, (a, b) => {
      const [ts, iv] = lt === "interval" ? [b as number, a as IntervalValue] : [a as number, b as IntervalValue];
      return addInterval(ts, sign * iv.months, sign * iv.days, sign * iv.microseconds);
    });
  }
  switch (e.op) {
    case "+":
      return bin(l, r, (a, b) => (a as number) + (b as number));
    case "-":
      return bin(l, r, (a, b) => (a as number) - (b as number));
    case "*":
      return bin(l, r, (a, b) => (a as number) * (b as number));
    case "/":
      return bin(l, r, (a, b) => ((b as number) === 0 ? null : (a as number) / (b as number)));
    case "%":
      return bin(l, r, (a, b) => {
        if ((b as number) === 0) return null;
        const m = (a as number) % (b as number);
        return integral ? m : m;
      });
    case "and":
      return (b, ctx) => {
        const fl = l(b, ctx);
        const fr = r(b, ctx);
        return (i) => {
          const x = fl(i);
          if (x === false) return false;
          const y = fr(i);
          if (y === false) return false;
          return x === null || y === null ? null : true;
        };
      };
    case "or":
      return (b, ctx) => {
        const fl = l(b, ctx);
        const fr = r(b, ctx);
        return (i) => {
          const x = fl(i);
          if (x === true) return true;
          const y = fr(i);
          if (y === true) return true;
          return x === null || y === null ? null : false;
        };
      };
    case "<=>":
      return (b, ctx) => {
        const fl = l(b, ctx);
        const fr = r(b, ctx);
        return (i) => compareValues(fl(i), fr(i)) === 0;
      };
    default: {
      const op = e.op;
      const needsCoerce = (lt === "string") !== (rt === "string");
      const test =
        op === "="
          ? (c: number) => c === 0
          : op === "!="
            ? (c: number) => c !== 0
            : op === "<"
              ? (c: number) => c < 0
              : op === "<="
                ? (c: number) => c <= 0
                : op === ">"
                  ? (c: number) => c > 0
                  : (c: number) => c >= 0;
      return (b, ctx) => {
        const fl = l(b, ctx);
        const fr = r(b, ctx);
        return (i) => {
          let x = fl(i);
          let y = fr(i);
          if (x === null || y === null) return null;
          if (needsCoerce) {
            x = toComparable(x, lt, rt);
            y = toComparable(y, rt, lt);
            if (x === null || y === null) return null;
          }
          return test(compareValues(x, y));
        };
      };
    }
  }
}

function bin(l: CompiledExpr, r: CompiledExpr, op: (a: Value, b: Value) => Value): CompiledExpr {
  return (b, ctx) => {
    const fl = l(b, ctx);
    const fr = r(b, ctx);
    return (i) => {
      const x = fl(i);
      if (x === null) return null;
      const y = fr(i);
      if (y === null) return null;
      return op(x, y);
    };
  };
}

/** Total order used by sort, min/max and comparisons: null first, numbers, strings, booleans, structs field by field. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === "object" && typeof b === "object") {
    for (const k of Object.keys(a)) {
      const c = compareValues((a as StructValue)[k] ?? null, (b as StructValue)[k] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function compileCall(e: Extract<Expr, { kind: "call" }>, ord: Map<number, number>): CompiledExpr {
  const args = e.args.map((a) => compileNode(a, ord));
  const argTypes = e.args.map(dataTypeOf);
  const unary = (f: (v: Value) => Value): CompiledExpr => {
    const a = args[0] as CompiledExpr;
    return (b, ctx) => {
      const g = a(b, ctx);
      return (i) => {
        const v = g(i);
        return v === null ? null : f(v);
      };
    };
  };
  switch (e.fn) {
    case "lower":
      return unary((v) => String(v).toLowerCase());
    case "upper":
      return unary((v) => String(v).toUpperCase());
    case "length":
      return unary((v) => (Array.isArray(v) ? v.length : [...String(v)].length));
    case "abs":
      return unary((v) => Math.abs(v as number));
    case "negate":
      return unary((v) => -(v as number));
    case "split": {
      const pattern = (e.args[1]?.kind === "literal" ? e.args[1].value : " ") as string;
      const limit = e.args[2] === undefined ? -1 : literalNumber(e.args[2], -1);
      const re = new RegExp(pattern, "g");
      return unary((v) => splitSQL(String(v), re, limit));
    }
    case "current_timestamp":
      return (_b, ctx) => {
        const t = ctx.batchTimestampMs;
        return () => t;
      };
    case "to_timestamp":
      // Seconds; NaN and ±Infinity have no timestamp (null, as Spark's cast of a double).
      return unary((v) => (typeof v === "number" ? (Number.isFinite(v) ? v * 1000 : null) : parseTimestamp(String(v))));
    case "coalesce":
      return (b, ctx) => {
        const fs = args.map((a) => a(b, ctx));
        return (i) => {
          for (const f of fs) {
            const v = f(i);
            if (v !== null) return v;
          }
          return null;
        };
      };
    case "concat":
      return (b, ctx) => {
        const fs = args.map((a) => a(b, ctx));
        return (i) => {
          let s = "";
          for (let k = 0; k < fs.length; k++) {
            const v = (fs[k] as (r: number) => Value)(i);
            if (v === null) return null;
            s += valueToString(v, argTypes[k] as DataType);
          }
          return s;
        };
      };
    case "substring": {
      const pos = literalNumber(e.args[1], 1);
      const len = e.args[2] === undefined ? Number.MAX_SAFE_INTEGER : literalNumber(e.args[2], Number.MAX_SAFE_INTEGER);
      return unary((v) => substringSQL(String(v), pos, len));
    }
    case "trim":
      return unary((v) => String(v).replace(/^ +| +$/g, ""));
    case "concat_ws":
      return (b, ctx) => {
        const fs = args.map((a) => a(b, ctx));
        return (i) => {
          const sep = (fs[0] as (r: number) => Value)(i);
          if (sep === null) return null;
          const parts: string[] = [];
          for (let k = 1; k < fs.length; k++) {
            const v = (fs[k] as (r: number) => Value)(i);
            if (v === null) continue;
            if (Array.isArray(v)) {
              for (const x of v) if (x !== null) parts.push(String(x));
            } else {
              parts.push(valueToString(v, argTypes[k] as DataType));
            }
          }
          return parts.join(String(sep));
        };
      };
    case "regexp_replace": {
      const re = new RegExp(literalString(e.args[1]), "g");
      const rep = literalString(e.args[2]);
      return unary((v) => String(v).replace(re, rep));
    }
    case "like": {
      const re = likeToRegExp(literalString(e.args[1]));
      return unary((v) => re.test(String(v)));
    }
    case "rlike": {
      const re = new RegExp(literalString(e.args[1]));
      return unary((v) => re.test(String(v)));
    }
    case "date_format": {
      const fmt = literalString(e.args[1]);
      const t0 = argTypes[0];
      return unary((v) => {
        const ms = t0 === "timestamp" ? (v as number) : parseTimestamp(String(v));
        return ms === null ? null : formatDatePattern(ms, fmt);
      });
    }
    case "hour":
    case "minute":
    case "second":
    case "year":
    case "month":
    case "dayofmonth": {
      const fn = e.fn;
      const t0 = argTypes[0];
      return unary((v) => {
        const ms = t0 === "timestamp" ? (v as number) : parseTimestamp(String(v));
        if (ms === null) return null;
        const d = new Date(Math.floor(ms));
        switch (fn) {
          case "hour":
            return d.getUTCHours();
          case "minute":
            return d.getUTCMinutes();
          case "second":
            return d.getUTCSeconds();
          case "year":
            return d.getUTCFullYear();
          case "month":
            return d.getUTCMonth() + 1;
          default:
            return d.getUTCDate();
        }
      });
    }
    case "unix_timestamp": {
      if (args.length === 0) {
        return (_b, ctx) => {
          const t = Math.floor(ctx.batchTimestampMs / 1000);
          return () => t;
        };
      }
      const t0 = argTypes[0];
      return unary((v) => {
        const ms = t0 === "timestamp" ? (v as number) : parseTimestamp(String(v));
        return ms === null ? null : Math.floor(ms / 1000);
      });
    }
    case "from_unixtime": {
      const fmt = e.args[1] === undefined ? null : literalString(e.args[1]);
      return unary((v) => (fmt === null ? formatTimestamp(Math.floor(v as number) * 1000) : formatDatePattern((v as number) * 1000, fmt)));
    }
    case "struct": {
      const names = e.args.map((a, i) => (a.kind === "alias" ? a.name : a.kind === "attr" ? a.name : `col${i + 1}`));
      return (b, ctx) => {
        const fs = args.map((a) => a(b, ctx));
        return (i) => {
          const o: StructValue = {};
          for (let k = 0; k < fs.length; k++) o[names[k] as string] = (fs[k] as (r: number) => Value)(i);
          return o;
        };
      };
    }
  }
}

function literalNumber(e: Expr | undefined, dflt: number): number {
  return e !== undefined && e.kind === "literal" && typeof e.value === "number" ? e.value : dflt;
}

function literalString(e: Expr | undefined): string {
  if (e === undefined || e.kind !== "literal" || e.value === null) {
    throw new IllegalStateException("Expected a literal string argument", "INTERNAL_ERROR");
  }
  return String(e.value);
}

/** Spark's UTF8String.substringSQL: 1-based `pos` (0 acts as 1, negative counts from the end). */
export function substringSQL(s: string, pos: number, length: number): string {
  const chars = [...s];
  const len = chars.length;
  let start = pos > 0 ? pos - 1 : pos < 0 ? len + pos : 0;
  const end = start + length;
  start = Math.max(start, 0);
  if (start >= end) return "";
  return chars.slice(start, Math.min(end, len)).join("");
}

/** Spark's split with a limit: > 0 keeps at most `limit` parts (the last holds the rest). */
function splitSQL(s: string, re: RegExp, limit: number): string[] {
  if (limit <= 0) return s.split(new RegExp(re.source));
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null && out.length < limit - 1; m = re.exec(s)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

/** SQL LIKE pattern (`%`, `_`, `\` escape) as an anchored regular expression. */
export function likeToRegExp(pattern: string): RegExp {
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) {
      src += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (c === "%") src += "[\\s\\S]*";
    else if (c === "_") src += "[\\s\\S]";
    else src += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

/** A numeric expression computed a whole column at a time: the values, or null when it cannot be (see `compileNumericColumn`). */
export type CompiledColumn = (batch: ColumnarBatch) => Float64Array | null;

type ColumnNode = { kind: "col"; ordinal: number } | { kind: "lit"; value: number } | { kind: "op"; op: "+" | "-" | "*"; left: ColumnNode; right: ColumnNode };

const NUMERIC_STORAGE: ReadonlySet<DataType> = new Set<DataType>(["long", "int", "double", "timestamp"]);

function columnNode(e: Expr, ord: Map<number, number>): ColumnNode | null {
  switch (e.kind) {
    case "alias":
      return columnNode(e.child, ord);
    case "literal":
      return typeof e.value === "number" ? { kind: "lit", value: e.value } : null;
    case "attr": {
      const o = ord.get(e.id);
      return o !== undefined && NUMERIC_STORAGE.has(e.dataType) ? { kind: "col", ordinal: o } : null;
    }
    case "binary": {
      if (e.op !== "+" && e.op !== "-" && e.op !== "*") return null;
      if (!NUMERIC_STORAGE.has(dataTypeOf(e)) || !NUMERIC_STORAGE.has(dataTypeOf(e.left)) || !NUMERIC_STORAGE.has(dataTypeOf(e.right))) return null;
      const left = columnNode(e.left, ord);
      const right = columnNode(e.right, ord);
      return left === null || right === null ? null : { kind: "op", op: e.op, left, right };
    }
    default:
      return null;
  }
}

/**
 * Compiles `+`, `-`, `*` trees over numeric columns and number literals to whole-column
 * loops (one tight loop per operator instead of a closure call per row and node): the same
 * values as the row function when every column it reads is a null-free Float64Array; the
 * compiled function returns null for a batch where one is not (the caller then uses the row
 * function). Returns null when `e` is not such a tree (or is a bare column or literal).
 */
export function compileNumericColumn(e: Expr, input: readonly Attribute[]): CompiledColumn | null {
  const ordinal = new Map<number, number>();
  input.forEach((a, i) => ordinal.set(a.id, i));
  const node = columnNode(e, ordinal);
  if (node === null || node.kind !== "op") return null;
  return (b) => {
    const v = evalColumnNode(node, b, b.numRows);
    return v instanceof Float64Array ? v : null;
  };
}

/** A node's values: a column (read-only), a constant, or null when a column is not a null-free Float64Array. */
function evalColumnNode(node: ColumnNode, b: ColumnarBatch, n: number): Float64Array | number | null {
  if (node.kind === "lit") return node.value;
  if (node.kind === "col") {
    const c = b.columns[node.ordinal] as ColumnVector | undefined;
    return c !== undefined && c.values instanceof Float64Array && c.nulls === null ? c.values : null;
  }
  const x = evalColumnNode(node.left, b, n);
  if (x === null) return null;
  const y = evalColumnNode(node.right, b, n);
  if (y === null) return null;
  if (typeof x === "number" && typeof y === "number") {
    const c = node.op === "+" ? x + y : node.op === "-" ? x - y : x * y;
    return new Float64Array(n).fill(c);
  }
  // A computed operand is this call's own fresh array: the result overwrites it in place
  // (every loop reads index i before writing it), one array less of fresh memory per level.
  const out = typeof x !== "number" && node.left.kind !== "col" ? x : typeof y !== "number" && node.right.kind !== "col" ? y : new Float64Array(n);
  if (typeof x !== "number" && typeof y !== "number") {
    if (node.op === "+") addColumns(x, y, out, n);
    else if (node.op === "-") subColumns(x, y, out, n);
    else mulColumns(x, y, out, n);
  } else if (typeof x !== "number") {
    const c = y as number;
    if (node.op === "+") addConstant(x, c, out, n);
    else if (node.op === "-") subConstant(x, c, out, n);
    else mulConstant(x, c, out, n);
  } else {
    const a = y as Float64Array;
    if (node.op === "+") constantAdd(x, a, out, n);
    else if (node.op === "-") constantSub(x, a, out, n);
    else constantMul(x, a, out, n);
  }
  return out;
}

// Hot loops, one per operator and operand kinds (monomorphic; the operand order is kept, so
// the values are those of the row function's `a op b`).
function addColumns(a: Float64Array, b: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number);
}
function subColumns(a: Float64Array, b: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number);
}
function mulColumns(a: Float64Array, b: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
}
function addConstant(a: Float64Array, c: number, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) + c;
}
function subConstant(a: Float64Array, c: number, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) - c;
}
function mulConstant(a: Float64Array, c: number, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) * c;
}
function constantAdd(c: number, a: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = c + (a[i] as number);
}
function constantSub(c: number, a: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = c - (a[i] as number);
}
function constantMul(c: number, a: Float64Array, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = c * (a[i] as number);
}
