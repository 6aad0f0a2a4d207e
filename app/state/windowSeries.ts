import type { WireField, WireValue } from "../../engine/worker/protocol";

/** One window's value for one key. */
export interface WindowPoint {
  start: number;
  end: number;
  value: number;
}

export interface WindowSeries {
  key: string;
  points: WindowPoint[];
}

export interface WindowChartData {
  windowColumn: string;
  valueColumn: string;
  keyColumns: string[];
  series: WindowSeries[];
  /** Keys beyond the series limit, left out of the chart. */
  hiddenKeys: number;
}

const WINDOW_TYPE = /^struct<start:timestamp,end:timestamp>$/;
const NUMERIC = /^(long|int|integer|short|byte|double|float|decimal.*|bigint)$/;

/**
 * Reads a windowed aggregation's result as chart series: the window column
 * (a `struct<start,end>` of timestamps), the value (the last numeric column),
 * and one series per distinct value of the other columns. Null when the
 * result has no window or no numeric column. At most `maxSeries` series, the
 * largest by total value; the rest are counted in `hiddenKeys`.
 */
export function toWindowSeries(schema: readonly WireField[], rows: readonly WireValue[][], maxSeries = 8): WindowChartData | null {
  const w = schema.findIndex((f) => WINDOW_TYPE.test(f.type.replace(/\s/g, "")));
  if (w < 0) return null;
  const valueIdx = schema.map((f, i) => (i !== w && NUMERIC.test(f.type) ? i : -1)).filter((i) => i >= 0);
  const v = valueIdx.at(-1);
  if (v === undefined) return null;
  const keyIdx = schema.map((_, i) => i).filter((i) => i !== w && i !== v && !NUMERIC.test(schema[i]!.type));
  const byKey = new Map<string, WindowPoint[]>();
  for (const row of rows) {
    const win = row[w] as { start?: unknown; end?: unknown } | null;
    const value = row[v];
    if (!win || typeof win.start !== "number" || typeof win.end !== "number" || typeof value !== "number") continue;
    const key = keyIdx.length === 0 ? schema[v]!.name : keyIdx.map((i) => String(row[i] ?? "null")).join(" · ");
    let points = byKey.get(key);
    if (!points) byKey.set(key, (points = []));
    points.push({ start: win.start, end: win.end, value });
  }
  const all = [...byKey].map(([key, points]) => ({ key, points: points.sort((a, b) => a.start - b.start) }));
  const total = (s: WindowSeries) => s.points.reduce((acc, p) => acc + p.value, 0);
  all.sort((a, b) => total(b) - total(a) || a.key.localeCompare(b.key));
  return {
    windowColumn: schema[w]!.name,
    valueColumn: schema[v]!.name,
    keyColumns: keyIdx.map((i) => schema[i]!.name),
    series: all.slice(0, maxSeries),
    hiddenKeys: Math.max(0, all.length - maxSeries),
  };
}
