import { describe, expect, it } from "vitest";
import { NumericKeyIndex } from "./NumericKeyIndex";

describe("NumericKeyIndex", () => {
  it("numbers groups densely in first-seen order; keyValues hold each group's key, through growth", () => {
    const n = 5000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = i % 1500;
      b[i] = (i % 1500) * 0.5;
    }
    const index = new NumericKeyIndex(2, 16);
    const out = new Int32Array(n);
    index.groupsOf([a, b], [null, null], n, out);
    expect(index.size).toBe(1500);
    for (let i = 0; i < n; i++) expect(out[i]).toBe(i % 1500);
    const [k0, k1] = index.keyValues;
    expect(k0?.length).toBe(1500);
    expect(k0?.[1499]).toBe(1499);
    expect(k1?.[3]).toBe(1.5);
  });

  it("a null key is its own group and reads back as null; NaN groups with NaN", () => {
    const index = new NumericKeyIndex(1);
    const values = new Float64Array([1, 0, NaN, 1, NaN, 0]);
    const nulls = new Uint8Array([0, 1, 0, 0, 0, 0]);
    const out = new Int32Array(6);
    index.groupsOf([values], [nulls], 6, out);
    expect([...out]).toEqual([0, 1, 2, 0, 2, 3]);
    const [k] = index.keyValues;
    expect(Array.from(k as ArrayLike<number | null>)).toEqual([1, null, NaN, 0]);
  });
});
