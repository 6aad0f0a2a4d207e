import { describe, expect, it } from "vitest";
import { ScratchSlot } from "./scratch";

describe("ScratchSlot", () => {
  it("hands out arrays of the length asked, over the same memory from one batch to the next", () => {
    const slot = new ScratchSlot();
    const a = slot.float64(1000);
    expect(a.length).toBe(1000);
    a[999] = 7;
    const b = slot.float64(800);
    expect(b.length).toBe(800);
    expect(b.buffer).toBe(a.buffer);
    const i = slot.int32(10);
    expect(i).toBeInstanceOf(Int32Array);
    expect(slot.int32(10).buffer).toBe(i.buffer);
  });

  it("grows when a batch is larger than any before", () => {
    const slot = new ScratchSlot();
    const small = slot.int32(16);
    const big = slot.int32(100_000);
    expect(big.length).toBe(100_000);
    expect(big.buffer).not.toBe(small.buffer);
    expect(slot.int32(50_000).buffer).toBe(big.buffer);
  });
});
