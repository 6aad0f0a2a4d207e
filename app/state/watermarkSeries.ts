import type { WireLateRows, WireProgress, WireValue } from "../../engine/worker/protocol";

export type PointStatus = "on-time" | "late-counted" | "dropped";

/** One row drawn in the watermark view. */
export interface WatermarkPoint {
  /** Processing time: spread over the interval before the batch that read it. */
  x: number;
  /** Event time. */
  y: number;
  status: PointStatus;
  batchId: number;
  /** The watermark the row met (the previous batch's). */
  watermarkMs: number;
  values: WireValue[];
  columns: WireLateRows["columns"];
  windows: Array<{ start: number; end: number; joined: boolean }>;
  group: string | null;
}

/** A window as a band over event time, from its first row to when it was emitted or last updated. */
export interface WindowBand {
  start: number;
  end: number;
  /** Processing time of its first row drawn (or of its output). */
  fromX: number;
  /** Processing time it was emitted (append) or last updated (update, complete); null while only in state. */
  outputX: number | null;
  outputBatchId: number | null;
}

export interface WatermarkSeries {
  eventTimeColumn: string;
  rule: WireLateRows["rule"];
  outputMode: string;
  /** One step per batch: from its processing time on, its watermark. */
  steps: Array<{ x: number; batchId: number; watermarkMs: number }>;
  points: WatermarkPoint[];
  bands: WindowBand[];
  counts: { onTime: number; lateCounted: number; dropped: number; total: number };
  /** Σ numRowsDroppedByWatermark over the batches shown, as progress reports it. */
  progressDropped: number;
  /** The same figure worked out from the rows (late (key, window) groups for an aggregation); null when unknown. */
  expectedDropped: number | null;
  /** The largest on-time sampling stride of the batches shown (1: every row drawn). */
  onTimeSampleEvery: number;
  lateNotDrawn: number;
  batches: number;
  xDomain: [number, number];
  yDomain: [number, number];
}

/** At most this many points are drawn: the newest. */
export const MAX_POINTS = 1_200;

/**
 * The watermark view's picture of the recent batches: rows as points (processing time
 * against event time), the watermark as a step line, windows as bands. Pure, from the
 * progress events the page keeps. Null when no batch carried late-row data.
 */
export function toWatermarkSeries(progress: readonly WireProgress[]): WatermarkSeries | null {
  const traced = progress.filter((p): p is WireProgress & { lateRows: WireLateRows } => p.lateRows != null);
  const first = traced[0];
  if (first === undefined) return null;
  const last = traced[traced.length - 1]!.lateRows;
  const gaps = traced.slice(1).map((p, i) => p.lateRows.batchTimestampMs - traced[i]!.lateRows.batchTimestampMs).filter((g) => g > 0);
  const typicalGap = gaps.length > 0 ? gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]! : 1000;

  const steps: WatermarkSeries["steps"] = [];
  const points: WatermarkPoint[] = [];
  const bands = new Map<string, WindowBand>();
  const counts = { onTime: 0, lateCounted: 0, dropped: 0, total: 0 };
  let progressDropped = 0;
  let expectedDropped: number | null = 0;
  let onTimeSampleEvery = 1;
  let lateNotDrawn = 0;
  let prevX = first.lateRows.batchTimestampMs - typicalGap;

  // Points only for the newest batches that fit MAX_POINTS: a long history costs nothing to redraw.
  let budget = MAX_POINTS;
  let firstDrawn = traced.length;
  while (firstDrawn > 0 && budget - traced[firstDrawn - 1]!.lateRows.points.length >= 0) {
    firstDrawn--;
    budget -= traced[firstDrawn]!.lateRows.points.length;
  }
  let skippedLate = 0;
  traced.forEach((p, k) => {
    const t = p.lateRows;
    const x = t.batchTimestampMs;
    steps.push({ x, batchId: t.batchId, watermarkMs: t.watermarkMs });
    counts.onTime += t.counts.onTime;
    counts.lateCounted += t.counts.lateCounted;
    counts.dropped += t.counts.dropped;
    counts.total += t.counts.total;
    progressDropped += t.numRowsDroppedByWatermark;
    expectedDropped = expectedDropped === null || t.expectedDroppedByWatermark === null ? null : expectedDropped + t.expectedDroppedByWatermark;
    lateNotDrawn += t.lateNotDrawn;
    if (k < firstDrawn) {
      skippedLate += t.points.filter((pt) => pt.status !== "on-time").length;
      prevX = x;
      return;
    }
    onTimeSampleEvery = Math.max(onTimeSampleEvery, t.onTimeSampleEvery);
    // Rows arrived between the previous batch and this one: spread them over that interval, in arrival order.
    const from = Math.max(prevX, x - typicalGap * 4);
    const n = t.points.length;
    t.points.forEach((pt, i) => {
      const px = from + ((x - from) * (i + 1)) / (n + 1);
      points.push({
        x: px,
        y: pt.eventTimeMs,
        status: pt.status,
        batchId: t.batchId,
        watermarkMs: t.lateEventsWatermarkMs,
        values: pt.values,
        columns: t.columnSets[pt.set] ?? t.columns,
        windows: pt.windows,
        group: pt.group,
      });
      for (const w of pt.windows) {
        if (!w.joined) continue;
        const key = `${w.start}-${w.end}`;
        const band = bands.get(key);
        if (band === undefined) bands.set(key, { start: w.start, end: w.end, fromX: px, outputX: null, outputBatchId: null });
        else band.fromX = Math.min(band.fromX, px);
      }
    });
    for (const w of t.outputWindows) {
      const key = `${w.start}-${w.end}`;
      const band = bands.get(key) ?? { start: w.start, end: w.end, fromX: x, outputX: null, outputBatchId: null };
      band.outputX = x;
      band.outputBatchId = t.batchId;
      bands.set(key, band);
    }
    prevX = x;
  });

  const shown = points;
  const ys = [...shown.map((p) => p.y), ...steps.map((s) => s.watermarkMs).filter((w) => w > 0)];
  const xs = [...shown.map((p) => p.x), ...steps.map((s) => s.x)];
  const yMin = ys.length > 0 ? Math.min(...ys) : 0;
  const yMax = ys.length > 0 ? Math.max(...ys) : 1;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  // Bands only where they meet the drawn event-time range, so a long history does not stack up.
  const visibleBands = [...bands.values()].filter((b) => b.end > yMin && b.start < yMax).slice(-200);
  return {
    eventTimeColumn: last.eventTimeColumn,
    rule: last.rule,
    outputMode: last.outputMode,
    steps,
    points: shown,
    bands: visibleBands,
    counts,
    progressDropped,
    expectedDropped,
    onTimeSampleEvery,
    lateNotDrawn: lateNotDrawn + skippedLate,
    batches: traced.length,
    xDomain: [xMin, xMax === xMin ? xMin + 1000 : xMax],
    yDomain: [yMin, yMax === yMin ? yMin + 1000 : yMax],
  };
}
