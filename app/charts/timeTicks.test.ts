import { describe, expect, it } from "vitest";
import { timeTicks } from "./timeTicks";

describe("timeTicks", () => {
  it("puts ticks on whole seconds, at most `max` of them", () => {
    expect(timeTicks(1_500, 9_200)).toEqual([2_000, 4_000, 6_000, 8_000]);
    expect(timeTicks(0, 3_000, 7)).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it("steps to minutes for a longer span", () => {
    const ticks = timeTicks(0, 30 * 60_000);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((t) => t % 300_000 === 0)).toBe(true);
  });

  it("keeps to `max` ticks over years (an event at epoch 0 beside today)", () => {
    const ticks = timeTicks(0, Date.UTC(2026, 0, 1));
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks.every((t) => t % 86_400_000 === 0)).toBe(true);
  });
});
