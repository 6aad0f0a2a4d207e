import { describe, expect, it } from "vitest";
import type { WireLateRows, WireProgress } from "../../engine/worker/protocol";
import { toWatermarkSeries } from "./watermarkSeries";

function progress(batchId: number, lateRows: Partial<WireLateRows> | null): WireProgress {
  const base: WireLateRows = {
    batchId,
    batchTimestampMs: 10_000 * (batchId + 1),
    watermarkMs: 0,
    lateEventsWatermarkMs: 0,
    eventTimeColumn: "eventTime",
    columns: [{ name: "eventTime", type: "timestamp" }],
    columnSets: [[{ name: "eventTime", type: "timestamp" }]],
    rule: { kind: "window", windowMs: 10_000, slideMs: 10_000, startMs: 0 },
    outputMode: "append",
    counts: { total: 0, onTime: 0, lateCounted: 0, dropped: 0 },
    expectedDroppedByWatermark: 0,
    numRowsDroppedByWatermark: 0,
    points: [],
    onTimeSampleEvery: 1,
    lateNotDrawn: 0,
    outputWindows: [],
  };
  return {
    batchId,
    timestamp: "",
    numInputRows: 0,
    inputRowsPerSecond: 0,
    processedRowsPerSecond: 0,
    durationMs: {},
    eventTime: {},
    stateOperators: [],
    json: "{}",
    lateRows: lateRows === null ? null : { ...base, ...lateRows },
  };
}

const point = (t: number, status: "on-time" | "late-counted" | "dropped") => ({
  eventTimeMs: t,
  status,
  values: [t],
  set: 0,
  windows: [{ start: Math.floor(t / 10_000) * 10_000, end: Math.floor(t / 10_000) * 10_000 + 10_000, joined: status !== "dropped" }],
  group: status === "dropped" ? `["a"]|${Math.floor(t / 10_000) * 10_000 + 10_000}` : null,
});

describe("toWatermarkSeries", () => {
  it("is null until a batch carries late-row data", () => {
    expect(toWatermarkSeries([progress(0, null)])).toBeNull();
  });
  it("adds up counts and metrics, steps the watermark per batch, spreads rows before their batch, bands windows up to their output", () => {
    const s = toWatermarkSeries([
      progress(0, { points: [point(5_000, "on-time"), point(8_000, "on-time")], counts: { total: 2, onTime: 2, lateCounted: 0, dropped: 0 } }),
      progress(1, {
        watermarkMs: 12_000,
        lateEventsWatermarkMs: 0,
        points: [point(15_000, "on-time")],
        counts: { total: 1, onTime: 1, lateCounted: 0, dropped: 0 },
        outputWindows: [{ start: 0, end: 10_000 }],
      }),
      progress(2, {
        watermarkMs: 12_000,
        lateEventsWatermarkMs: 12_000,
        points: [point(3_000, "dropped"), point(11_000, "late-counted")],
        counts: { total: 2, onTime: 0, lateCounted: 1, dropped: 1 },
        numRowsDroppedByWatermark: 1,
        expectedDroppedByWatermark: 1,
      }),
    ])!;
    expect(s.counts).toEqual({ onTime: 3, lateCounted: 1, dropped: 1, total: 5 });
    expect(s.progressDropped).toBe(1);
    expect(s.expectedDropped).toBe(1);
    expect(s.steps.map((x) => [x.batchId, x.watermarkMs])).toEqual([[0, 0], [1, 12_000], [2, 12_000]]);
    // Batch 2's rows lie between batch 1 (20 s) and batch 2 (30 s).
    const b2 = s.points.filter((p) => p.batchId === 2);
    expect(b2.every((p) => p.x > 20_000 && p.x < 30_000)).toBe(true);
    expect(b2[0]!.watermarkMs).toBe(12_000);
    const first = s.bands.find((b) => b.start === 0)!;
    expect(first.outputBatchId).toBe(1);
    expect(first.outputX).toBe(20_000);
  });
});
