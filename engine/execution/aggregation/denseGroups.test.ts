import { describe, expect, it } from "vitest";
import { densePaneKeyGroupsOf, denseGroupsOf } from "./denseGroups";

const f64 = (xs: number[]) => Float64Array.from(xs);

describe("denseGroupsOf", () => {
  it("numbers groups by first appearance, a key divided by its step", () => {
    const panes = f64([120_000, 60_000, 120_000, 60_000, 0]);
    const keys = f64([7, 7, 7, -3, 7]);
    const out = new Int32Array(5);
    const r = denseGroupsOf([panes, keys], [60_000, 1], 5, out)!;
    expect(r.numGroups).toBe(4);
    expect([...out]).toEqual([0, 1, 0, 2, 3]);
    expect(r.keyValues).toEqual([
      [120_000, 60_000, 60_000, 0],
      [7, 7, -3, 7],
    ]);
  });

  it("leaves its table clean: the next batch starts from group 0", () => {
    const out = new Int32Array(3);
    denseGroupsOf([f64([5, 6, 5])], [1], 3, out);
    const r = denseGroupsOf([f64([6, 6, 5])], [1], 3, out)!;
    expect([...out]).toEqual([0, 0, 1]);
    expect(r.keyValues).toEqual([[6, 5]]);
  });

  it("declines non-integers, NaN, values off the step, and values beyond int32", () => {
    const out = new Int32Array(2);
    expect(denseGroupsOf([f64([1, 1.5])], [1], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([1, NaN])], [1], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([60_000, 90_000])], [60_000], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([2 ** 31, 2 ** 31 + 1])], [1], 2, out)).toBeNull();
    expect(denseGroupsOf([f64([-(2 ** 31) - 1, -(2 ** 31)])], [1], 2, out)).toBeNull();
  });

  it("declines a key range too wide for its rows", () => {
    expect(denseGroupsOf([f64([0, 1e7])], [1], 2, new Int32Array(2))).toBeNull();
  });

  it("groups three keys", () => {
    const out = new Int32Array(4);
    const r = denseGroupsOf([f64([1, 1, 2, 1]), f64([0, 0, 0, 1]), f64([9, 9, 9, 9])], [1, 1, 1], 4, out)!;
    expect([...out]).toEqual([0, 0, 1, 2]);
    expect(r.numGroups).toBe(3);
  });
});

describe("densePaneKeyGroupsOf", () => {
  /** Pane starts as the general path computes them. */
  const paneStarts = (times: Float64Array, paneMs: number, offset: number) =>
    times.map((t) => {
      const r = (t - offset) % paneMs;
      return t - (r < 0 ? r + paneMs : r);
    });

  it("groups by (pane start, key) in order of first appearance, as denseGroupsOf over pane starts does", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [paneMs, offset] of [
      [60_000, 0],
      [10_000, 3_000],
      [1_000, 999],
    ] as const) {
      const n = 5_000;
      const times = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 37 + Math.floor(rnd() * 20_000) - (i % 50 === 0 ? 60_000 : 0));
      const keys = Float64Array.from({ length: n }, () => Math.floor(rnd() * 300) - 100);
      const got = new Int32Array(n);
      const fused = densePaneKeyGroupsOf(times, paneMs, offset, keys, n, got);
      // Reference: groups by first appearance of (pane start, key) in a Map.
      const starts = paneStarts(times, paneMs, offset);
      const ids = new Map<string, number>();
      const want: number[] = [];
      const keyValues: number[][] = [[], []];
      for (let i = 0; i < n; i++) {
        const id = `${starts[i]}|${keys[i]}`;
        if (!ids.has(id)) {
          ids.set(id, ids.size);
          keyValues[0]!.push(starts[i]!);
          keyValues[1]!.push(keys[i]!);
        }
        want.push(ids.get(id)!);
      }
      expect(fused).toEqual({ numGroups: ids.size, keyValues });
      expect([...got]).toEqual(want);
      if (offset === 0) expect(denseGroupsOf([starts, keys], [paneMs, 1], n, new Int32Array(n))).toEqual(fused);
    }
  });

  it("leaves the dense array clear: a second batch gets the same groups", () => {
    const times = Float64Array.from([60_000, 120_001, 60_500, 180_000]);
    const keys = Float64Array.from([1, 1, 1, 2]);
    const out = new Int32Array(4);
    const first = densePaneKeyGroupsOf(times, 60_000, 0, keys, 4, out);
    expect(first).toEqual({ numGroups: 3, keyValues: [[60_000, 120_000, 180_000], [1, 1, 2]] });
    expect([...out]).toEqual([0, 1, 0, 2]);
    expect(densePaneKeyGroupsOf(times, 60_000, 0, keys, 4, out)).toEqual(first);
  });

  it("counts each group's rows in the same pass when asked", () => {
    const times = Float64Array.from([60_000, 120_001, 60_500, 180_000, 61_000]);
    const keys = Float64Array.from([1, 1, 1, 2, 1]);
    const counts = new Float64Array(5).fill(99);
    const out = new Int32Array(5);
    expect(densePaneKeyGroupsOf(times, 60_000, 0, keys, 5, out, counts)?.numGroups).toBe(3);
    expect([...counts.subarray(0, 3)]).toEqual([3, 1, 1]);
  });

  it("counting gives the groups (same ids, same order) and the row tallies of the grouping, and leaves the dense array clean", () => {
    const n = 5_000;
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const times = Float64Array.from({ length: n }, (_, i) => 3_600_000 + i * 40 - Math.floor(rand() * 20_000));
    const keys = Float64Array.from({ length: n }, () => Math.floor(rand() * 300) - 100);
    const gids = new Int32Array(n);
    const grouped = densePaneKeyGroupsOf(times, 60_000, 5_000, keys, n, gids);
    const counts = new Float64Array(n);
    const counted = densePaneKeyGroupsOf(times, 60_000, 5_000, keys, n, new Int32Array(n), counts);
    expect(counted).toEqual(grouped);
    const tally = new Array<number>(grouped?.numGroups ?? 0).fill(0);
    for (const g of gids) tally[g] = (tally[g] as number) + 1;
    expect([...counts.subarray(0, tally.length)]).toEqual(tally);
    const out = new Int32Array(3);
    expect(denseGroupsOf([Float64Array.from([7, 7, 9])], [1], 3, out)).toEqual({ numGroups: 2, keyValues: [[7, 9]] });
    expect([...out]).toEqual([0, 0, 1]);
  });

  it("counting in one pass (in the box of the last key range and the panes around the first row) or falling back midway agrees with the grouping", () => {
    const n = 2_000;
    const base = Float64Array.from({ length: n }, (_, i) => 7_200_000 + i * 100);
    const keyOf = (i: number) => (i * 37) % 50;
    const cases: { name: string; times: Float64Array; keys: Float64Array }[] = [
      { name: "in the box", times: base, keys: Float64Array.from({ length: n }, (_, i) => keyOf(i)) },
      { name: "a key past the last range, midway", times: base, keys: Float64Array.from({ length: n }, (_, i) => (i === n / 2 ? 75 : keyOf(i))) },
      { name: "a row 20 panes late, midway", times: base.map((t, i) => (i === n / 2 ? t - 20 * 60_000 : t)), keys: Float64Array.from({ length: n }, (_, i) => keyOf(i)) },
      { name: "a fractional key, midway", times: base, keys: Float64Array.from({ length: n }, (_, i) => (i === n / 2 ? 2.5 : keyOf(i))) },
      // Below a negative range's start, 1e-17 − (−25) rounds to the whole 25: still its own group.
      { name: "a tiny fraction with a negative range", times: base, keys: Float64Array.from({ length: n }, (_, i) => (i === n / 2 ? 1e-17 : keyOf(i) - 25)) },
      { name: "a near-integer with a negative range", times: base, keys: Float64Array.from({ length: n }, (_, i) => (i === n / 2 ? 5.000000000000001 : keyOf(i) - 25)) },
    ];
    for (const c of cases) {
      // Prime the last key range with this batch's usual keys (negative ones for the negative cases).
      const shift = c.name.includes("negative") ? -25 : 0;
      densePaneKeyGroupsOf(base, 60_000, 0, Float64Array.from({ length: n }, (_, i) => keyOf(i) + shift), n, new Int32Array(n));
      const counts = new Float64Array(n);
      const counted = densePaneKeyGroupsOf(c.times, 60_000, 0, c.keys, n, new Int32Array(n), counts);
      const gids = new Int32Array(n);
      const grouped = densePaneKeyGroupsOf(c.times, 60_000, 0, c.keys, n, gids);
      expect(counted, c.name).toEqual(grouped);
      if (grouped !== null) {
        const tally = new Array<number>(grouped.numGroups).fill(0);
        for (const g of gids) tally[g] = (tally[g] as number) + 1;
        expect([...counts.subarray(0, tally.length)], c.name).toEqual(tally);
      }
      // A clean dense array: 20,000 distinct values (slots 0..19,999) are 20,000 new groups.
      const wide = Float64Array.from({ length: 20_000 }, (_, i) => i);
      const out = new Int32Array(wide.length);
      expect(denseGroupsOf([wide], [1], wide.length, out)?.numGroups, c.name).toBe(wide.length);
      expect(out.every((g, i) => g === i), c.name).toBe(true);
    }
  });

  it("declines panes of a fraction of a millisecond, and leaves the dense array clean for what follows", () => {
    const out = new Int32Array(3);
    expect(densePaneKeyGroupsOf(Float64Array.from([4.35, 4.3]), 0.1, 0, Float64Array.from([1, 1]), 2, out)).toBeNull();
    expect(densePaneKeyGroupsOf(Float64Array.from([4.35]), 1, 0.5, Float64Array.from([1]), 1, out)).toBeNull();
    // Many groups through the fused path, then an unrelated grouping: every slot was cleared.
    const n = 3_000;
    const times = Float64Array.from({ length: n }, (_, i) => 1_000 + i * 7);
    const keys = Float64Array.from({ length: n }, (_, i) => i % 97);
    expect(densePaneKeyGroupsOf(times, 1_000, 0, keys, n, new Int32Array(n))).not.toBeNull();
    expect(denseGroupsOf([Float64Array.from([7, 7, 9])], [1], 3, out)).toEqual({ numGroups: 2, keyValues: [[7, 9]] });
    expect([...out]).toEqual([0, 0, 1]);
  });

  it("declines a batch it cannot index, writing nothing", () => {
    const out = Int32Array.from([9, 9]);
    const t = Float64Array.from([1000, 2000]);
    expect(densePaneKeyGroupsOf(t, 1000, 0, Float64Array.from([1, 1.5]), 2, out)).toBeNull();
    expect(densePaneKeyGroupsOf(Float64Array.from([1000, NaN]), 1000, 0, Float64Array.from([1, 2]), 2, out)).toBeNull();
    expect(densePaneKeyGroupsOf(t, 1000, 0, Float64Array.from([0, 2 ** 40]), 2, out)).toBeNull();
    expect(densePaneKeyGroupsOf(t, 1000, 0, Float64Array.from([0, 1e7]), 2, out)).toBeNull();
    expect([...out]).toEqual([9, 9]);
  });
});
