import { describe, expect, it } from "vitest";
import type { WireProgress } from "../../engine/worker/protocol";
import { toProgressPoints } from "./progressSeries";

const progress = (over: Partial<WireProgress>): WireProgress => ({
  batchId: 0,
  timestamp: "",
  numInputRows: 0,
  inputRowsPerSecond: 0,
  processedRowsPerSecond: 0,
  durationMs: {},
  eventTime: {},
  stateOperators: [],
  json: "{}",
  ...over,
});

describe("toProgressPoints", () => {
  it("reads rates, duration, state and the watermark's gap from Spark's progress", () => {
    const [p] = toProgressPoints([
      progress({
        batchId: 3,
        inputRowsPerSecond: 10,
        processedRowsPerSecond: 200,
        durationMs: { triggerExecution: 42 },
        eventTime: { max: "1970-01-01T00:00:25.000Z", watermark: "1970-01-01T00:00:15.000Z" },
        stateOperators: [
          { numRowsTotal: 2, numRowsDroppedByWatermark: 1 },
          { numRowsTotal: 3, numRowsDroppedByWatermark: 0 },
        ],
      }),
    ]);
    expect(p).toEqual({
      batchId: 3,
      inputRowsPerSecond: 10,
      processedRowsPerSecond: 200,
      numInputRows: 0,
      batchDurationMs: 42,
      stateRows: 5,
      droppedByWatermark: 1,
      watermarkMs: 15_000,
      watermarkGapSeconds: 10,
    });
  });

  it("has no watermark before the first one (Spark reports the epoch then)", () => {
    expect(toProgressPoints([progress({})])[0]!.watermarkMs).toBeNull();
    const [p] = toProgressPoints([progress({ eventTime: { max: "2026-01-01T00:00:00.000Z", watermark: "1970-01-01T00:00:00.000Z" } })]);
    expect(p!.watermarkMs).toBeNull();
    expect(p!.watermarkGapSeconds).toBeNull();
  });
});
