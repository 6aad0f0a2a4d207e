import { describe, expect, it } from "vitest";
import type { WireProgress } from "../../engine/worker/protocol";
import { batchDetails } from "./batchDetails";

function progress(batchId: number, numInputRows: number, watermark: string, extra: object = {}): WireProgress {
  const raw = { batchId, sources: [{ description: "MemoryStream#1", startOffset: batchId - 1 < 0 ? null : batchId - 1, endOffset: batchId }], sink: { numOutputRows: -1 }, ...extra };
  return {
    batchId,
    timestamp: "",
    numInputRows,
    inputRowsPerSecond: 0,
    processedRowsPerSecond: 0,
    durationMs: { triggerExecution: 3 },
    eventTime: { watermark },
    stateOperators: [{ operatorName: "stateStoreSave", numRowsTotal: 2, numRowsUpdated: 1, numRowsRemoved: 1, numRowsDroppedByWatermark: 0 }],
    json: JSON.stringify(raw),
  };
}

describe("batchDetails", () => {
  const list = [progress(0, 3, "1970-01-01T00:00:00.000Z"), progress(1, 0, "1970-01-01T00:00:15.000Z")];

  it("tells a data batch's offsets, rows, watermark before and after, and state", () => {
    const d = batchDetails(list, 0, 0);
    expect(d).toMatchObject({
      batchId: 0,
      noData: false,
      inputRows: 3,
      outputRows: 0,
      offsets: [{ source: "MemoryStream#1", start: "—", end: "0" }],
      watermarkBefore: "1970-01-01T00:00:00.000Z",
      watermarkAfter: "1970-01-01T00:00:15.000Z",
      state: [{ operator: "stateStoreSave", total: 2, updated: 1, removed: 1, droppedByWatermark: 0 }],
    });
  });

  it("marks a no-data batch; the latest batch's next watermark is not known yet", () => {
    const d = batchDetails(list, 1, undefined);
    expect(d.noData).toBe(true);
    expect(d.watermarkAfter).toBeNull();
    expect(d.outputRows).toBeNull(); // Spark's -1 means "unknown"
  });

  it("tells keys added apart from keys updated: the state's growth plus what was evicted", () => {
    expect(batchDetails(list, 0, undefined).state[0]!.added).toBe(3); // from an empty state: 2 kept + 1 evicted
    expect(batchDetails(list, 1, undefined).state[0]!.added).toBe(1); // 2 → 2 rows with 1 evicted
    expect(batchDetails([list[1]!], 0, undefined).state[0]!.added).toBeNull(); // the batch before is not at hand
  });
});
