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
  /** Windows older than the newest `maxWindows` window starts, left out of the chart. */
  hiddenWindows: number;
}

const WINDOW_TYPE = /^struct<start:timestamp,end:timestamp>$/;
const NUMERIC = /^(long|int|integer|short|byte|double|float|decimal.*|bigint)$/;

/**
 * Reads a windowed aggregation's result as chart series: the window column
 * (a `struct<start,end>` of timestamps), the value (the last numeric column),
 * and one series per distinct value of the other columns. Null when the
 * result has no window or no numeric column. At most `maxSeries` series, the
 * largest by total value; the rest are counted in `hiddenKeys`. Only windows among the
 * newest `maxWindows` window starts: a complete-mode result keeps every window forever,
 * and a live chart shows where event time is now (the rest counted in `hiddenWindows`).
 */
export function toWindowSeries(schema: readonly WireField[], rows: readonly WireValue[][], maxSeries = 8, maxWindows = 40): WindowChartData | null {
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
  const starts = [...new Set([...byKey.values()].flatMap((points) => points.map((p) => p.start)))].sort((a, b) => a - b);
  const from = starts.length > maxWindows ? starts[starts.length - maxWindows]! : -Infinity;
  const all = [...byKey].map(([key, points]) => {
    const recent = points.filter((p) => p.start >= from);
    return { key, points: recent.sort((a, b) => a.start - b.start), older: points.length - recent.length };
  });
  const total = (s: WindowSeries) => s.points.reduce((acc, p) => acc + p.value, 0);
  // A key with only old windows is not a series: its windows count as hidden windows.
  const live = all.filter((s) => s.points.length > 0).sort((a, b) => total(b) - total(a) || a.key.localeCompare(b.key));
  const shown = live.slice(0, maxSeries);
  const gone = all.filter((s) => s.points.length === 0);
  return {
    windowColumn: schema[w]!.name,
    valueColumn: schema[v]!.name,
    keyColumns: keyIdx.map((i) => schema[i]!.name),
    series: shown.map(({ key, points }) => ({ key, points })),
    hiddenKeys: live.length - shown.length,
    hiddenWindows: [...shown, ...gone].reduce((n, s) => n + s.older, 0),
  };
}
