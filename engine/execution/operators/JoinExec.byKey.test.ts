/**
 * A stream-static inner join whose static keys are unique integers in a small range is
 * probed by key offset against the static rows laid out by key (JoinExec's `ByKey`). Its
 * answers must be those of the general path: checked against a join computed here, for
 * shuffled ids, absent and edge keys, nulls and strings in the static columns; duplicate
 * keys and outer joins keep the general path.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryStream, SparkSession, type DataFrame } from "../../index";
import { mulberry32 } from "../../util/prng";
import { NumericHeads } from "./JoinExec";

const sessions: SparkSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sessions.splice(0)) await s.stop();
});

type StaticRow = {
  id: number;
  attr: number | null;
  label: string;
};

/** Ids lo…lo+n−1 but every thirteenth (gaps inside the range) shuffled, every seventh attr null, a label per id. */
function table(n: number, lo: number, seed: number): StaticRow[] {
  const rnd = mulberry32(seed);
  const ids = Array.from({ length: n }, (_, i) => lo + i).filter((id) => (id - lo) % 13 !== 5);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
  }
  return ids.map((id, i) => ({ id, attr: i % 7 === 3 ? null : id * 10 + 1, label: `L${id}` }));
}

async function joined(rows: readonly StaticRow[], probes: readonly number[], how: string): Promise<unknown[][]> {
  const spark = SparkSession.builder().appName("byKey").getOrCreate();
  sessions.push(spark);
  const input = new MemoryStream(spark, { k: "double", seq: "int" });
  const dim: DataFrame = spark.createDataFrame([...rows], { id: "int", attr: "int", label: "string" });
  const stream = input.toDF();
  const q = stream
    .join(dim, stream.col("k").eq(dim.col("id")), how)
    .select("seq", "k", "id", "attr", "label")
    .writeStream.format("memory")
    .queryName(`j${sessions.length}`)
    .trigger({ manual: true })
    .start();
  input.addColumns({ k: Float64Array.from(probes), seq: Int32Array.from(probes.map((_, i) => i)) });
  await q.processAllAvailable();
  return (await spark.table(`j${sessions.length}`).collect()).map((r) => [r.seq, r.k, r.id, r.attr, r.label]);
}

/** The inner join, computed row by row: every static row whose id === the probe. */
function expected(rows: readonly StaticRow[], probes: readonly number[]): unknown[][] {
  const out: unknown[][] = [];
  probes.forEach((k, seq) => {
    for (const r of rows) if (r.id === k) out.push([seq, k, r.id, r.attr, r.label]);
  });
  return out;
}

const edges = [0.5, -0.5, 1e-17, -1e-17, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 31) - 1, 2 ** 31];

describe("stream-static inner join on unique dense ids", () => {
  for (const lo of [0, -250, 1_000_000]) {
    it(`ids ${lo}…${lo + 999} shuffled: the same rows as a join computed row by row, without a hashed probe`, async () => {
      const rows = table(1000, lo, 7);
      const rnd = mulberry32(11);
      // Present ids, absent neighbours on both sides, -0, and edge values, in a random order.
      const probes = [...Array.from({ length: 3000 }, () => lo - 20 + Math.floor(rnd() * 1040)), -0, lo, lo + 5, lo + 999, lo - 1, lo + 1000, ...edges];
      const first = vi.spyOn(NumericHeads.prototype, "first");
      const got = await joined(rows, probes, "inner");
      expect(first).not.toHaveBeenCalled();
      expect(got.length).toBeGreaterThan(2000);
      // Probes fell in the gaps too.
      expect(probes.some((k) => k > lo && k < lo + 999 && (k - lo) % 13 === 5)).toBe(true);
      expect(got).toEqual(expected(rows, probes));
    });
  }

  it("a table with a repeated id takes the general path and returns every match", async () => {
    const rows = [...table(100, 0, 3), { id: 42, attr: 7, label: "again" }];
    const probes = [42, 41, 42.5, 100, 0];
    const first = vi.spyOn(NumericHeads.prototype, "first");
    const got = await joined(rows, probes, "inner");
    expect(first).toHaveBeenCalled();
    expect(got).toEqual(expected(rows, probes));
  });

  it("a left outer join keeps the general path (unmatched stream rows padded with nulls)", async () => {
    const rows = table(100, 0, 5);
    const probes = [5, 500, 7.5, 99];
    // Matched rows come first, then the padded ones: compare in stream order.
    const got = (await joined(rows, probes, "left_outer")).sort((a, b) => (a[0] as number) - (b[0] as number));
    const inner = expected(rows, probes);
    expect(got).toEqual(probes.map((k, seq) => inner.find((r) => r[0] === seq) ?? [seq, k, null, null, null]));
  });
});
