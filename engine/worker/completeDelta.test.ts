import { describe, expect, it } from "vitest";
import { completeDelta } from "./completeDelta";

describe("completeDelta", () => {
  it("sends the whole first table, then only the rows that changed or were added, by position", () => {
    const tables = new Map<string, string[]>();
    expect(completeDelta(tables, "q", [["a", 1], ["b", 1], ["c", 1]])).toBeNull();
    expect(completeDelta(tables, "q", [["a", 2], ["b", 1], ["c", 1], ["d", 1]])).toEqual({ rows: [["a", 2], ["d", 1]], positions: [0, 3] });
    expect(completeDelta(tables, "q", [["a", 2], ["b", 1], ["c", 1], ["d", 1]])).toEqual({ rows: [], positions: [] });
  });
  it("sends the whole table when most rows changed", () => {
    const tables = new Map<string, string[]>();
    completeDelta(tables, "q", [["a", 1], ["b", 1]]);
    expect(completeDelta(tables, "q", [["b", 5], ["a", 5]])).toBeNull();
  });
});
