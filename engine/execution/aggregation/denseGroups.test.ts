import { describe, expect, it } from "vitest";
import { denseGroupsOf } from "./denseGroups";

const f64 = (xs: number[]) => Float64Array.from(xs);

describe("denseGroupsOf", () => {
  it("numbers groups by first appearance, a key divided by its step", () => {
    const panes = f64([120_000, 60_000, 120_000, 60_000, 0]);
    const keys = f64([7, 7, 7, -3, 7]);
    const out = new Int32Array(5);
    const r = denseGroupsOf([panes, keys], [60_000, 1], 5, out)!;
    expect(r.numGroups).toBe(4);
    expect([...out]).toEqual([0, 1, 0, 2, 3]);
    expect(r.keyValues).toEqual([
      [120_000, 60_000, 60_000, 0],
      [7, 7, -3, 7],
    ]);
  });

  it("leaves its table clean: the next batch starts from group 0", () => {
    const out = new Int32Array(3);
    denseGroupsOf([f64([5, 6, 5])], [1], 3, out);
    const r = denseGroupsOf([f64([6, 6, 5])], [1], 3, out)!;
    expect([...out]).toEqual([0, 0, 1]);
    expect(r.keyValues).toEqual([[6, 5]]);
  });

  it("declines non-integers, NaN, values off the step, and values beyond int32", () => {
    const out = new Int32Array(2);
    expect(denseGroupsOf([f64([1, 1.5])], [1], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([1, NaN])], [1], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([60_000, 90_000])], [60_000], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([2 ** 31, 2 ** 31 + 1])], [1], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([-(2 ** 31) - 1, -(2 ** 31)])], [1], 2, out)).toBeNull();
  });

  it("declines a key range too wide for its rows", () => {
    expect(denseGroupsOf([f64([0, 1e7])], [1], 2, new Int32Array(2))).toBeNull();
  });

  it("groups three keys", () => {
    const out = new Int32Array(4);
    const r = denseGroupsOf([f64([1, 1, 2, 1]), f64([0, 0, 0, 1]), f64([9, 9, 9, 9])], [1, 1, 1], 4, out)!;
    expect([...out]).toEqual([0, 0, 1, 2]);
    expect(r.numGroups).toBe(3);
  });
});
