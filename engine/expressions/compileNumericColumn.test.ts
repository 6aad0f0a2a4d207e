/** Whole-column arithmetic gives exactly the row function's values, and declines what it cannot do. */
import { describe, expect, it } from "vitest";
import type { ColumnarBatch } from "../execution/ColumnarBatch";
import { compileExpr, compileNumericColumn } from "./compile";
import type { Attribute, Expr } from "./Expression";

const a: Attribute = { id: 1, name: "a", dataType: "long", nullable: false };
const b: Attribute = { id: 2, name: "b", dataType: "double", nullable: false };
const input = [a, b];
const col = (x: Attribute): Expr => ({ kind: "attr", ...x });
const lit = (v: number): Expr => ({ kind: "literal", value: v, dataType: Number.isInteger(v) ? "long" : "double" });
const bin = (op: "+" | "-" | "*" | "/", left: Expr, right: Expr): Expr => ({ kind: "binary", op, left, right });

const n = 1000;
const av = new Float64Array(n).map((_, i) => (i * 7919) % 1013 - 500);
const bv = new Float64Array(n).map((_, i) => Math.sin(i) * 1e6 + (i % 3 === 0 ? -0 : 0.1));
const batch: ColumnarBatch = {
  numRows: n,
  columns: [
    { dataType: "long", length: n, values: av, nulls: null },
    { dataType: "double", length: n, values: bv, nulls: null },
  ],
};

describe("compileNumericColumn", () => {
  const trees: Expr[] = [
    bin("+", bin("*", col(a), lit(2)), lit(1)),
    bin("-", lit(3), bin("*", col(b), col(a))),
    bin("*", bin("-", col(a), col(b)), bin("+", lit(0.5), col(b))),
    bin("+", lit(1), lit(2)),
  ];
  for (const e of trees) {
    it(`matches the row function: ${JSON.stringify(e).slice(0, 60)}`, () => {
      const f = compileNumericColumn(e, input);
      expect(f).not.toBeNull();
      const got = (f as NonNullable<typeof f>)(batch) as Float64Array;
      const row = compileExpr(e, input)(batch, { batchTimestampMs: 0 });
      for (let i = 0; i < n; i++) expect(Object.is(got[i], row(i))).toBe(true);
    });
  }

  it("declines division, bare columns and batches with nulls", () => {
    expect(compileNumericColumn(bin("/", col(a), lit(2)), input)).toBeNull();
    expect(compileNumericColumn(col(a), input)).toBeNull();
    const f = compileNumericColumn(bin("+", col(a), lit(1)), input) as NonNullable<ReturnType<typeof compileNumericColumn>>;
    const withNulls: ColumnarBatch = { numRows: n, columns: [{ ...batch.columns[0]!, nulls: new Uint8Array(n) }, batch.columns[1]!] };
    expect(f(withNulls)).toBeNull();
  });
});
