import { describe, expect, it } from "vitest";
import { WINDOW_TYPE } from "../expressions/types";
import { gatherRows, getValue } from "./ColumnarBatch";
import { TypedWindowColumn } from "./TypedWindowColumn";

describe("TypedWindowColumn", () => {
  const col = () => new TypedWindowColumn(WINDOW_TYPE, 3, Float64Array.from([0, 10, 20]), Float64Array.from([5, 15, 25]));

  it("reads as the { start, end } structs of a window column, built once", () => {
    const c = col();
    expect(c.values).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 15 },
      { start: 20, end: 25 },
    ]);
    expect(c.values).toBe(c.values);
    expect(getValue(c, 1)).toEqual({ start: 10, end: 15 });
    expect(c.nulls).toBeNull();
  });

  it("stays typed when a batch's rows are gathered", () => {
    const b = gatherRows({ numRows: 3, columns: [col()] }, Int32Array.from([2, 0]), 2);
    const g = b.columns[0] as TypedWindowColumn;
    expect(g).toBeInstanceOf(TypedWindowColumn);
    expect([...g.starts]).toEqual([20, 0]);
    expect([...g.ends]).toEqual([25, 5]);
    expect(g.length).toBe(2);
  });
});
