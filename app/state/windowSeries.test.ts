import { describe, expect, it } from "vitest";
import type { WireField } from "../../engine/worker/protocol";
import { toWindowSeries } from "./windowSeries";

const schema: WireField[] = [
  { name: "window", type: "struct<start:timestamp,end:timestamp>", nullable: false },
  { name: "word", type: "string", nullable: true },
  { name: "count", type: "long", nullable: false },
];

describe("toWindowSeries", () => {
  it("makes one series per key with each window's value, overlapping windows kept", () => {
    const data = toWindowSeries(schema, [
      [{ start: 0, end: 10_000 }, "cat", 2],
      [{ start: 5_000, end: 15_000 }, "cat", 3],
      [{ start: 0, end: 10_000 }, "dog", 1],
    ])!;
    expect(data.valueColumn).toBe("count");
    expect(data.keyColumns).toEqual(["word"]);
    expect(data.series).toEqual([
      { key: "cat", points: [{ start: 0, end: 10_000, value: 2 }, { start: 5_000, end: 15_000, value: 3 }] },
      { key: "dog", points: [{ start: 0, end: 10_000, value: 1 }] },
    ]);
  });

  it("is null without a window column", () => {
    expect(toWindowSeries([{ name: "n", type: "long", nullable: false }], [[1]])).toBeNull();
  });

  it("keeps the largest series and counts the rest", () => {
    const rows = ["a", "b", "c"].map((k, i) => [{ start: 0, end: 1 }, k, i + 1]);
    const data = toWindowSeries(schema, rows, 2)!;
    expect(data.series.map((s) => s.key)).toEqual(["c", "b"]);
    expect(data.hiddenKeys).toBe(1);
  });

  it("draws only the newest windows: a complete-mode result keeps every window forever", () => {
    const rows = [0, 1, 2, 3, 4].flatMap((i) => [
      [{ start: i * 1000, end: i * 1000 + 4000 }, "cat", 1],
      [{ start: i * 1000, end: i * 1000 + 4000 }, "dog", 2],
    ]);
    rows.push([{ start: 0, end: 4000 }, "old", 9]);
    const data = toWindowSeries(schema, rows, 8, 3)!;
    expect(data.series.map((s) => s.key)).toEqual(["dog", "cat"]);
    expect(data.series[0]!.points.map((p) => p.start)).toEqual([2000, 3000, 4000]);
    // cat and dog's two older windows each, and "old"'s only window.
    expect(data.hiddenWindows).toBe(5);
    expect(data.hiddenKeys).toBe(0);
  });
});
