import { describe, expect, it } from "vitest";
import { gatherRows, getValue } from "./ColumnarBatch";
import { TypedSourceColumn } from "./TypedSourceColumn";

describe("TypedSourceColumn", () => {
  it("reads as a Float64Array column of the source's numbers, converted once", () => {
    const c = new TypedSourceColumn("int", Int32Array.from([7, -8, 9]));
    expect(c.length).toBe(3);
    expect(c.values).toBeInstanceOf(Float64Array);
    expect([...c.values]).toEqual([7, -8, 9]);
    expect(c.values).toBe(c.values);
    expect(getValue(c, 1)).toBe(-8);
    expect(c.nulls).toBeNull();
  });

  it("is gathered from its source into a plain Float64Array column", () => {
    const c = new TypedSourceColumn("int", Uint8Array.from([200, 3, 4]));
    const b = gatherRows({ numRows: 3, columns: [c] }, Int32Array.from([2, 0]), 2);
    const g = b.columns[0]!;
    expect(g).not.toBeInstanceOf(TypedSourceColumn);
    expect([...(g.values as Float64Array)]).toEqual([4, 200]);
    expect(g.length).toBe(2);
  });

  it("copies into the caller's array while unconverted, and reads the conversion once there is one", () => {
    const c = new TypedSourceColumn("int", Int16Array.from([5, -6]));
    const mine = new Float64Array(2);
    expect(c.valuesInto(() => mine)).toBe(mine);
    expect([...mine]).toEqual([5, -6]);
    const converted = c.values;
    expect(converted).not.toBe(mine);
    expect(c.valuesInto(() => new Float64Array(2))).toBe(converted);
  });
});
