import type { SERIES_SHAPES } from "./palette";

export type MarkerShape = (typeof SERIES_SHAPES)[number];

const f = (n: number) => Math.round(n * 10) / 10;

/**
 * An SVG path for a marker of radius `r` centred on (x, y). Charts draw many markers as
 * plain paths they lay out themselves: a chart library's per-point components cost
 * tens of milliseconds a repaint on a live stream.
 */
export function markerShapePath(shape: MarkerShape, x: number, y: number, r = 4.5): string {
  switch (shape) {
    case "circle":
      return `M${f(x - r)},${f(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    case "square":
      return `M${f(x - r * 0.85)},${f(y - r * 0.85)}h${f(1.7 * r)}v${f(1.7 * r)}h${f(-1.7 * r)}Z`;
    case "triangle":
      return `M${f(x)},${f(y - r)}L${f(x + r)},${f(y + r * 0.8)}L${f(x - r)},${f(y + r * 0.8)}Z`;
    case "diamond":
      return `M${f(x)},${f(y - r * 1.2)}L${f(x + r * 0.75)},${f(y)}L${f(x)},${f(y + r * 1.2)}L${f(x - r * 0.75)},${f(y)}Z`;
    case "cross": {
      const a = r / 3;
      return `M${f(x - a)},${f(y - r)}h${f(2 * a)}v${f(r - a)}h${f(r - a)}v${f(2 * a)}h${f(a - r)}v${f(r - a)}h${f(-2 * a)}v${f(a - r)}h${f(a - r)}v${f(-2 * a)}h${f(r - a)}Z`;
    }
    case "star": {
      let d = "";
      for (let i = 0; i < 10; i++) {
        const rr = i % 2 === 0 ? r * 1.2 : r * 0.5;
        const t = (Math.PI / 5) * i - Math.PI / 2;
        d += `${i === 0 ? "M" : "L"}${f(x + rr * Math.cos(t))},${f(y + rr * Math.sin(t))}`;
      }
      return `${d}Z`;
    }
    case "wye": {
      let d = "";
      for (let i = 0; i < 3; i++) {
        const t = ((2 * Math.PI) / 3) * i - Math.PI / 2;
        d += `M${f(x)},${f(y)}L${f(x + r * 1.2 * Math.cos(t))},${f(y + r * 1.2 * Math.sin(t))}`;
      }
      return d;
    }
  }
}
