import { describe, expect, it } from "vitest";
import { markerShapePath } from "./markers";
import { SERIES_SHAPES } from "./palette";

describe("markerShapePath", () => {
  it("draws every series shape as a path around its centre", () => {
    for (const shape of SERIES_SHAPES) {
      const d = markerShapePath(shape, 100, 50, 4);
      expect(d, shape).toMatch(/^M/);
      const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
      expect(numbers.every(Number.isFinite), shape).toBe(true);
    }
  });

  it("places absolute coordinates within the marker's reach of its centre", () => {
    // Absolute commands (M, L) only: the circle's and cross's relative steps are lengths.
    for (const shape of ["triangle", "diamond", "star", "wye"] as const) {
      const points = [...markerShapePath(shape, 100, 50, 4).matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(points.length, shape).toBeGreaterThan(2);
      for (const [x, y] of points) expect(Math.hypot(x! - 100, y! - 50), shape).toBeLessThanOrEqual(4 * 1.3);
    }
  });
});
