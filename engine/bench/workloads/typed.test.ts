import { describe, expect, it } from "vitest";
import { DirectLookup, IntCountMap, lookupMap } from "./typed";

describe("lookupMap (the ceilings' static-table lookup)", () => {
  it("indexes a table's ids directly and answers as the hash map does, −1 when absent", () => {
    const key = Int32Array.from([3, 0, 4, 1, 2, -1]);
    const attr = Int32Array.from([30, 0, 40, 10, 20, 7]);
    const direct = lookupMap(key, attr);
    expect(direct).toBeInstanceOf(DirectLookup);
    const hashed = new IntCountMap(key.length);
    key.forEach((k, i) => hashed.add(k, attr[i] as number));
    for (const k of [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 2 ** 31 - 1, -(2 ** 31) + 1]) expect(direct.get(k)).toBe(hashed.get(k));
  });

  it("falls back to the hash map for repeated or spread-out keys", () => {
    expect(DirectLookup.of(Int32Array.from([1, 1]), Int32Array.from([5, 6]))).toBeNull();
    expect(DirectLookup.of(Int32Array.from([0, 1_000_000]), Int32Array.from([5, 6]))).toBeNull();
    const spread = lookupMap(Int32Array.from([0, 1_000_000]), Int32Array.from([5, 6]));
    expect(spread).toBeInstanceOf(IntCountMap);
    expect([spread.get(0), spread.get(1_000_000), spread.get(1)]).toEqual([5, 6, -1]);
  });
});
