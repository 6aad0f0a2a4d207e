import { describe, expect, it } from "vitest";
import type { WireProgress } from "../../engine/worker/protocol";
import { formatRate, wireBytesPerSecond } from "./wireRate";

const p = (batchId: number, iso: string) => ({ batchId, timestamp: iso }) as WireProgress;

describe("wireBytesPerSecond", () => {
  it("divides the bytes of the batches after the first by the time they span", () => {
    const progress = [p(0, "2026-01-01T00:00:00.000Z"), p(1, "2026-01-01T00:00:01.000Z"), p(2, "2026-01-01T00:00:02.000Z")];
    const bytes = new Map([[0, 999], [1, 1000], [2, 3000]]);
    expect(wireBytesPerSecond(progress, bytes)).toBe(2000);
    expect(wireBytesPerSecond(progress.slice(0, 1), bytes)).toBeNull();
    expect(formatRate(2_500_000)).toBe("2.5 MB/s");
  });
});
