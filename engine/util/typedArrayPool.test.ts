import { describe, expect, it } from "vitest";
import { TypedArrayPool } from "./typedArrayPool";

describe("TypedArrayPool", () => {
  it("gives the smallest array of the type that fits, at most 8 times as long as asked", () => {
    const pool = new TypedArrayPool(1 << 30);
    const big = new Float64Array(1 << 20);
    const mid = new Float64Array(1 << 16);
    const ints = new Int32Array(1 << 18);
    for (const a of [big, mid, ints]) pool.give(a);
    expect(pool.size).toBe(big.byteLength + mid.byteLength + ints.byteLength);
    expect(pool.take(Float64Array, 1 << 15)).toBe(mid);
    // The big one is more than 8 times what is asked.
    expect(pool.take(Float64Array, 1 << 16)).toBeUndefined();
    expect(pool.take(Float64Array, 1 << 19)).toBe(big);
    expect(pool.take(Uint8Array, 1 << 17)).toBeUndefined();
    expect(pool.take(Int32Array, 1 << 17)).toBe(ints);
    expect(pool.size).toBe(0);
  });

  it("keeps no small array, no array twice, and drops the oldest past its size", () => {
    const pool = new TypedArrayPool(3 << 20);
    pool.give(new Uint8Array(1000));
    expect(pool.size).toBe(0);
    expect(pool.take(Uint8Array, 10)).toBeUndefined();
    const first = new Uint8Array(1 << 20);
    const second = new Uint8Array(1 << 20);
    const third = new Uint8Array(2 << 20);
    pool.give(first);
    pool.give(first);
    pool.give(second);
    expect(pool.size).toBe(2 << 20);
    pool.give(third);
    // first went out to make room for third.
    expect(pool.size).toBe(3 << 20);
    expect(pool.take(Uint8Array, 1 << 20)).toBe(second);
    expect(pool.take(Uint8Array, 1 << 20)).toBe(third);
    expect(pool.take(Uint8Array, 1 << 20)).toBeUndefined();
  });
});
