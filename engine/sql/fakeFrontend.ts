/**
 * A recording fake of the DataFrame API for tests: every F / Column /
 * DataFrame call is written down as text, e.g. `col("a").plus(lit(1))`, so
 * tests of the SQL lowering do not need the real engine.
 *
 * Example:
 *   sqlToColumn("a + 1", fakeF).s                 // 'col("a").plus(lit(1))'
 *   sqlToDataFrame("SELECT a FROM t", fakeSession(), fakeF).plan
 *                                                 // ['table("t")', 'select(col("a"))']
 */
import type { SqlColumn, SqlDataFrame, SqlFunctions, SqlGroupedData, SqlLiteral, SqlSession } from "./frontend";

type Arg = FakeColumn | SqlLiteral | undefined;

function show(a: Arg): string {
  if (a instanceof FakeColumn) return a.s;
  if (a === null) return "null";
  return typeof a === "string" ? JSON.stringify(a) : String(a);
}

function call(name: string, args: readonly Arg[]): string {
  const shown = [...args];
  while (shown.length > 0 && shown[shown.length - 1] === undefined) shown.pop();
  return `${name}(${shown.map(show).join(", ")})`;
}

/** A column that is the text of the calls that built it. */
export class FakeColumn implements SqlColumn<FakeColumn> {
  constructor(readonly s: string) {}
  private m(name: string, ...args: Arg[]): FakeColumn {
    return new FakeColumn(`${this.s}.${call(name, args)}`);
  }
  plus(o: FakeColumn): FakeColumn { return this.m("plus", o); }
  minus(o: FakeColumn): FakeColumn { return this.m("minus", o); }
  multiply(o: FakeColumn): FakeColumn { return this.m("multiply", o); }
  divide(o: FakeColumn): FakeColumn { return this.m("divide", o); }
  mod(o: FakeColumn): FakeColumn { return this.m("mod", o); }
  gt(o: FakeColumn): FakeColumn { return this.m("gt", o); }
  geq(o: FakeColumn): FakeColumn { return this.m("geq", o); }
  lt(o: FakeColumn): FakeColumn { return this.m("lt", o); }
  leq(o: FakeColumn): FakeColumn { return this.m("leq", o); }
  eq(o: FakeColumn): FakeColumn { return this.m("eq", o); }
  notEq(o: FakeColumn): FakeColumn { return this.m("notEq", o); }
  eqNullSafe(o: FakeColumn): FakeColumn { return this.m("eqNullSafe", o); }
  and(o: FakeColumn): FakeColumn { return this.m("and", o); }
  or(o: FakeColumn): FakeColumn { return this.m("or", o); }
  not(): FakeColumn { return this.m("not"); }
  negate(): FakeColumn { return this.m("negate"); }
  isNull(): FakeColumn { return this.m("isNull"); }
  isNotNull(): FakeColumn { return this.m("isNotNull"); }
  isin(...v: FakeColumn[]): FakeColumn { return this.m("isin", ...v); }
  between(lo: FakeColumn, hi: FakeColumn): FakeColumn { return this.m("between", lo, hi); }
  like(p: string): FakeColumn { return this.m("like", p); }
  rlike(p: string): FakeColumn { return this.m("rlike", p); }
  getField(n: string): FakeColumn { return this.m("getField", n); }
  cast(t: string): FakeColumn { return this.m("cast", t); }
  as(n: string): FakeColumn { return this.m("as", n); }
  asc(): FakeColumn { return this.m("asc"); }
  desc(): FakeColumn { return this.m("desc"); }
  ascNullsLast(): FakeColumn { return this.m("ascNullsLast"); }
  descNullsFirst(): FakeColumn { return this.m("descNullsFirst"); }
  when(c: FakeColumn, v: FakeColumn): FakeColumn { return this.m("when", c, v); }
  otherwise(v: FakeColumn): FakeColumn { return this.m("otherwise", v); }
}

const f = (name: string, ...args: Arg[]): FakeColumn => new FakeColumn(call(name, args));

/** The recording functions module. */
export const fakeF: SqlFunctions<FakeColumn> = {
  col: (n) => f("col", n),
  lit: (v) => f("lit", v),
  interval: (m, d, us) => f("interval", m, d, us),
  window: (c, w, s, st) => f("window", c, w, s, st),
  sessionWindow: (c, g) => f("sessionWindow", c, g),
  windowTime: (c) => f("windowTime", c),
  count: (c) => f("count", c),
  countDistinct: (...c) => f("countDistinct", ...c),
  approxCountDistinct: (c, r) => f("approxCountDistinct", c, r),
  sum: (c) => f("sum", c),
  avg: (c) => f("avg", c),
  min: (c) => f("min", c),
  max: (c) => f("max", c),
  first: (c, i) => f("first", c, i),
  last: (c, i) => f("last", c, i),
  collectList: (c) => f("collectList", c),
  collectSet: (c) => f("collectSet", c),
  concat: (...c) => f("concat", ...c),
  concatWs: (s, ...c) => f("concatWs", s, ...c),
  substring: (c, p, l) => f("substring", c, p, l),
  lower: (c) => f("lower", c),
  upper: (c) => f("upper", c),
  length: (c) => f("length", c),
  trim: (c) => f("trim", c),
  split: (c, p, l) => f("split", c, p, l),
  explode: (c) => f("explode", c),
  regexpReplace: (c, p, r) => f("regexpReplace", c, p, r),
  coalesce: (...c) => f("coalesce", ...c),
  when: (c, v) => f("when", c, v),
  currentTimestamp: () => f("currentTimestamp"),
  toTimestamp: (c, fmt) => f("toTimestamp", c, fmt),
  dateFormat: (c, fmt) => f("dateFormat", c, fmt),
  hour: (c) => f("hour", c),
  minute: (c) => f("minute", c),
  second: (c) => f("second", c),
  year: (c) => f("year", c),
  month: (c) => f("month", c),
  dayofmonth: (c) => f("dayofmonth", c),
  unixTimestamp: (c, fmt) => f("unixTimestamp", c, fmt),
  fromUnixtime: (c, fmt) => f("fromUnixtime", c, fmt),
};

/** A DataFrame that is the list of calls made on it, in order. */
export class FakeDataFrame implements SqlDataFrame<FakeColumn, FakeDataFrame> {
  constructor(readonly plan: readonly string[], readonly columns?: readonly string[]) {}
  private then(step: string): FakeDataFrame {
    return new FakeDataFrame([...this.plan, step], this.columns);
  }
  select(...c: FakeColumn[]): FakeDataFrame { return this.then(call("select", c)); }
  filter(c: FakeColumn): FakeDataFrame { return this.then(call("filter", [c])); }
  groupBy(...keys: FakeColumn[]): SqlGroupedData<FakeColumn, FakeDataFrame> {
    return { agg: (...a: FakeColumn[]) => this.then(`${call("groupBy", keys)}.${call("agg", a)}`) };
  }
  orderBy(...c: FakeColumn[]): FakeDataFrame { return this.then(call("orderBy", c)); }
  limit(n: number): FakeDataFrame { return this.then(call("limit", [n])); }
  dropDuplicates(): FakeDataFrame { return this.then("dropDuplicates()"); }
  drop(...names: string[]): FakeDataFrame { return this.then(call("drop", names)); }
}

/**
 * A session whose views are the given names (with their columns, if known).
 * `table` of another name throws Spark's TABLE_OR_VIEW_NOT_FOUND-like error.
 */
export function fakeSession(views: Record<string, readonly string[] | undefined> = {}): SqlSession<FakeDataFrame> {
  return {
    table: (name) => {
      if (Object.keys(views).length > 0 && !(name in views)) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.`);
      return new FakeDataFrame([call("table", [name])], views[name]);
    },
  };
}
