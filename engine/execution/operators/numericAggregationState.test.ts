/**
 * The numeric state path of streaming aggregations (NumericAggregationState over a
 * NumericStateStoreProvider, taken with an in-memory checkpoint) gives the same rows, batch
 * by batch, and the same state metrics as the tuple path (PersistentStateStoreProvider, taken
 * with a Node directory checkpoint), through the public API.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, memoryCheckpointStore, type DataFrame, type Row } from "../../index";
import { openFileCheckpointStore } from "../../checkpoint/file/FileCheckpointStore";
import { PersistentStateStoreProvider } from "../../checkpoint/persistent/PersistentStateStoreProvider";
import { MemoryStateStoreProvider } from "../../state/MemoryStateStoreProvider";
import { NumericStateStoreProvider } from "../../state/NumericStateStoreProvider";
import { mulberry32 } from "../../util/prng";
import { NumericAggregationState } from "./numericAggregationState";
import { plain } from "../../test/plainValue";

type Mode = "append" | "update" | "complete";
type Kind = "memory" | "file";

type InputRow = {
  t: number;
  k: number | null;
  x: number | null;
  d: number | null;
};

const SCHEMA = { t: "timestamp", k: "int", x: "int", d: "double" } as const;

const sessions: SparkSession[] = [];
const dirs: string[] = [];
let uniq = 0;

afterEach(async () => {
  for (const s of sessions.splice(0)) {
    for (const q of [...s.streams.active]) await q.stop();
    await s.stop();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A session whose checkpoints live in memory (numeric state) or in a temp directory (tuple state). */
function session(kind: Kind): { spark: SparkSession; checkpoint: string } {
  let b = SparkSession.builder()
    .appName(`numeric-agg-${++uniq}`)
    .clock(new ManualClock(0))
    .output(() => undefined);
  let checkpoint: string;
  if (kind === "file") {
    checkpoint = mkdtempSync(join(tmpdir(), "numeric-agg-"));
    dirs.push(checkpoint);
    b = b.checkpointStores((loc) => openFileCheckpointStore(loc));
  } else {
    checkpoint = `numeric-agg-${Date.now()}-${uniq}`;
  }
  const spark = b.getOrCreate();
  sessions.push(spark);
  return { spark, checkpoint };
}

function canonRows(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(plain(r), (_k, x: unknown) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x))).sort();
}

interface BatchRecord {
  rows: string[];
  watermark: string | undefined;
  total: number;
  updated: number;
  removed: number;
  dropped: number;
}

interface RunResult {
  /** By batch id (a re-delivered batch replaces its first delivery). */
  batches: Map<number, BatchRecord>;
  /** Providers of operator 0 as the checkpoint store hands them out (memory runs only). */
  provider: unknown;
}

/**
 * Runs `build(input)` in `mode` over the input batches (processAllAvailable after each, so
 * no-data batches for a moved watermark run too); `restartAfter` stops the query after that
 * many input batches and starts it again on the same checkpoint.
 */
async function run(
  kind: Kind,
  mode: Mode,
  build: (df: DataFrame) => DataFrame,
  inputs: readonly (readonly InputRow[])[],
  restartAfter: readonly number[] = [],
  failBatch = -1,
): Promise<RunResult> {
  const { spark, checkpoint } = session(kind);
  const input = new MemoryStream(spark, SCHEMA);
  const rows = new Map<number, string[]>();
  let failed = false;
  const start = () =>
    build(input.toDF())
      .writeStream.outputMode(mode)
      .trigger({ manual: true })
      .option("checkpointLocation", checkpoint)
      .foreachBatch(async (df: DataFrame, batchId: number) => {
        rows.set(Number(batchId), canonRows((await df.collect()) as Row[]));
        if (Number(batchId) === failBatch && !failed) {
          failed = true;
          throw new Error(`sink failure in batch ${batchId}`);
        }
      })
      .start();
  const batches = new Map<number, BatchRecord>();
  let q = await start();
  const record = () => {
    for (const p of q.recentProgress) {
      const op = p.stateOperators[0];
      expect(op, `batch ${p.batchId} has a state operator`).toBeDefined();
      if (op === undefined) continue;
      batches.set(p.batchId, {
        rows: [],
        watermark: p.eventTime.watermark,
        total: op.numRowsTotal,
        updated: op.numRowsUpdated,
        removed: op.numRowsRemoved,
        dropped: op.numRowsDroppedByWatermark,
      });
    }
  };
  for (let i = 0; i < inputs.length; i++) {
    input.addData([...(inputs[i] as readonly InputRow[])]);
    const error = await q.processAllAvailable().then(
      () => null,
      (e: unknown) => e,
    );
    record();
    if (error !== null) {
      // The sink failed once (failBatch): the stores were aborted; a restart re-runs the batch.
      expect(String(error)).toContain(`sink failure in batch ${failBatch}`);
      q = await start();
      await q.processAllAvailable();
      record();
    } else if (q.exception) throw q.exception;
    if (restartAfter.includes(i + 1)) {
      await q.stop();
      q = await start();
      await q.processAllAvailable();
      record();
    }
  }
  await q.stop();
  expect(failed, "the sink failed as planned").toBe(failBatch >= 0);
  for (const [id, b] of batches) b.rows = rows.get(id) ?? [];
  for (const id of rows.keys()) expect(batches.has(id), `progress of batch ${id}`).toBe(true);
  const provider = kind === "memory" ? memoryCheckpointStore(checkpoint).stateStoreProvider(0) : null;
  return { batches, provider };
}

/** Event-time batches with disorder, late rows (beyond the delay) and nulls in every column but t. */
function makeInputs(seed: number, numBatches: number, perBatch: number, opts: { keys?: number; nullKeys?: (batch: number) => boolean } = {}): InputRow[][] {
  const keys = opts.keys ?? 5;
  const nullKeys = opts.nullKeys ?? (() => true);
  const r = mulberry32(seed);
  const out: InputRow[][] = [];
  let now = 100_000;
  for (let b = 0; b < numBatches; b++) {
    const rows: InputRow[] = [];
    for (let i = 0; i < perBatch; i++) {
      now += Math.floor(r() * 700);
      let t = now;
      const u = r();
      if (u < 0.15) t -= Math.floor(r() * 4_000); // out of order, within the delay
      else if (u < 0.25) t -= 8_000 + Math.floor(r() * 30_000); // late
      rows.push({
        t,
        k: nullKeys(b) && r() < 0.1 ? null : Math.floor(r() * keys) - 1,
        x: r() < 0.15 ? null : Math.floor(r() * 200) - 100,
        d: r() < 0.15 ? null : Math.round((r() * 20 - 10) * 1000) / 7,
      });
    }
    out.push(rows);
  }
  // A last row far ahead moves the watermark past every window (append mode emits them).
  out.push([{ t: now + 600_000, k: 0, x: 1, d: 1 }]);
  return out;
}

const allAggs = (df: DataFrame, ...keys: Parameters<DataFrame["groupBy"]>) =>
  df.groupBy(...keys).agg(
    F.count("*").as("n"),
    F.count("x").as("nx"),
    F.sum("x").as("sx"),
    F.min("x").as("mnx"),
    F.max("x").as("mxx"),
    F.avg("x").as("ax"),
    F.sum("d").as("sd"),
    F.min("d").as("mnd"),
    F.max("d").as("mxd"),
    F.avg("d").as("ad"),
  );

const queries: { name: string; modes: readonly Mode[]; build: (df: DataFrame) => DataFrame }[] = [
  {
    name: "tumbling window + nullable int key, every aggregate",
    modes: ["append", "update", "complete"],
    build: (df) => allAggs(df.withWatermark("t", "5 seconds"), F.window(F.col("t"), "10 seconds"), F.col("k")),
  },
  {
    name: "sliding window, every aggregate",
    modes: ["append", "update", "complete"],
    build: (df) => allAggs(df.withWatermark("t", "5 seconds"), F.window(F.col("t"), "10 seconds", "4 seconds")),
  },
  {
    name: "count only, tumbling window",
    modes: ["append", "update"],
    build: (df) => df.withWatermark("t", "3 seconds").groupBy(F.window(F.col("t"), "5 seconds"), F.col("k")).count(),
  },
  {
    name: "no window: the timestamp column itself (truncated to seconds) with a watermark",
    modes: ["append", "update"],
    build: (df) =>
      allAggs(
        df.withColumn("ts", F.col("t").cast("long").cast("timestamp")).withWatermark("ts", "4 seconds"),
        F.col("ts"),
        F.col("k"),
      ),
  },
  {
    // Partitions hold floor(event time): the one the watermark falls in is evicted entry by entry.
    name: "no window: a timestamp with sub-millisecond parts (every 0.25 s of t, + 0.4 ms) with a watermark",
    modes: ["append", "update"],
    build: (df) =>
      allAggs(
        df
          .withColumn("ts", F.col("t").cast("double").multiply(4).cast("long").divide(4).plus(0.0004).cast("timestamp"))
          .withWatermark("ts", "3 seconds"),
        F.col("ts"),
      ),
  },
  {
    name: "nullable int key without a watermark",
    modes: ["update", "complete"],
    build: (df) => allAggs(df, F.col("k")),
  },
  {
    name: "double key and int key without a watermark",
    modes: ["update", "complete"],
    build: (df) => df.withColumn("dk", F.col("d").cast("long").cast("double")).groupBy(F.col("dk"), F.col("k")).agg(F.sum("x").as("s"), F.avg("d").as("a"), F.count("*").as("n")),
  },
];

function expectSameBatches(numeric: RunResult, tuple: RunResult, what: string): void {
  expect([...numeric.batches.keys()], `${what}: batch ids`).toEqual([...tuple.batches.keys()]);
  for (const [id, b] of tuple.batches) {
    expect(numeric.batches.get(id), `${what}: batch ${id}`).toEqual(b);
  }
}

describe("numeric aggregation state agrees with the tuple state, batch by batch", () => {
  for (const q of queries) {
    for (const mode of q.modes) {
      it(`${q.name}, ${mode} mode`, async () => {
        const inputs = makeInputs(q.name.length * 31 + mode.length, 8, 60);
        const numeric = await run("memory", mode, q.build, inputs);
        const tuple = await run("file", mode, q.build, inputs);
        expect(numeric.provider).toBeInstanceOf(NumericStateStoreProvider);
        const rowsOut = [...numeric.batches.values()].reduce((n, b) => n + b.rows.length, 0);
        expect(rowsOut).toBeGreaterThan(0);
        expectSameBatches(numeric, tuple, `${q.name} (${mode})`);
      });
    }
  }

  it("late rows are dropped and counted the same (numRowsDroppedByWatermark, numRowsTotal)", async () => {
    const build = (df: DataFrame) => df.withWatermark("t", "5 seconds").groupBy(F.window(F.col("t"), "10 seconds"), F.col("k")).agg(F.sum("x").as("s"));
    const inputs: InputRow[][] = [
      [
        { t: 10_000, k: 1, x: 1, d: null },
        { t: 21_000, k: 1, x: 2, d: null },
        { t: 42_000, k: null, x: 3, d: null },
      ],
      // watermark is now 37 s: windows ending at or before 37 s are late
      [
        { t: 12_000, k: 1, x: 100, d: null },
        { t: 25_000, k: 2, x: 100, d: null },
        { t: 41_000, k: 1, x: 4, d: null },
        { t: 43_000, k: null, x: 5, d: null },
      ],
      [{ t: 100_000, k: 1, x: 6, d: null }],
    ];
    for (const mode of ["append", "update"] as const) {
      const numeric = await run("memory", mode, build, inputs);
      const tuple = await run("file", mode, build, inputs);
      expectSameBatches(numeric, tuple, mode);
      const dropped = [...numeric.batches.values()].map((b) => b.dropped);
      expect(dropped.reduce((a, b) => a + b, 0), `${mode}: rows dropped`).toBe(2);
      expect(Math.max(...[...numeric.batches.values()].map((b) => b.total))).toBeGreaterThan(0);
    }
  });

  it("a restart from the in-memory checkpoint continues as an uninterrupted run", async () => {
    for (const mode of ["append", "update", "complete"] as const) {
      const build = queries[0]?.build as (df: DataFrame) => DataFrame;
      const inputs = makeInputs(99 + mode.length, 8, 50);
      const uninterrupted = await run("memory", mode, build, inputs);
      const restarted = await run("memory", mode, build, inputs, [2, 5]);
      const tupleRestarted = await run("file", mode, build, inputs, [2, 5]);
      expect(restarted.provider).toBeInstanceOf(NumericStateStoreProvider);
      expectSameBatches(restarted, tupleRestarted, `restarted (${mode}) vs tuple restarted`);
      const rowsOf = (r: RunResult) => [...r.batches.entries()].map(([id, b]) => [id, b.rows]);
      expect(rowsOf(restarted), `restarted (${mode}) vs uninterrupted`).toEqual(rowsOf(uninterrupted));
    }
  });
});

describe("count(*) over a tumbling window and plain non-null columns (rows straight to the state)", () => {
  const cases: { name: string; build: (df: DataFrame) => DataFrame; keys: number; nullKeys: (b: number) => boolean }[] = [
    {
      name: "window and an int key, many groups per row",
      build: (df) => df.withWatermark("t", "5 seconds").groupBy(F.window(F.col("t"), "10 seconds"), F.col("k")).agg(F.count("*").as("n")),
      keys: 1000,
      nullKeys: () => false,
    },
    {
      name: "window with a start offset and an int key",
      build: (df) => df.withWatermark("t", "5 seconds").groupBy(F.window(F.col("t"), "10 seconds", null, "3 seconds"), F.col("k")).count(),
      keys: 1000,
      nullKeys: () => false,
    },
    {
      name: "key column first, then the window",
      build: (df) => df.withWatermark("t", "5 seconds").groupBy(F.col("k"), F.window(F.col("t"), "10 seconds")).agg(F.count("*").as("n")),
      keys: 1000,
      nullKeys: () => false,
    },
    {
      name: "batches with null keys in between (the partial path for those)",
      build: (df) => df.withWatermark("t", "5 seconds").groupBy(F.window(F.col("t"), "10 seconds"), F.col("k")).agg(F.count("*").as("n")),
      keys: 1000,
      nullKeys: (b) => b % 3 === 1,
    },
    {
      name: "few groups per row",
      build: (df) => df.withWatermark("t", "5 seconds").groupBy(F.window(F.col("t"), "10 seconds"), F.col("k")).agg(F.count("*").as("n")),
      keys: 2,
      nullKeys: () => false,
    },
  ];
  for (const c of cases) {
    for (const mode of ["append", "update", "complete"] as const) {
      it(`${c.name}, ${mode} mode`, async () => {
        const inputs = makeInputs(c.name.length + mode.length, 8, 80, { keys: c.keys, nullKeys: c.nullKeys });
        const direct = vi.spyOn(NumericAggregationState.prototype, "executeDirect");
        const numeric = await run("memory", mode, c.build, inputs);
        const tookDirectPath = direct.mock.results.some((r) => r.type === "return" && r.value !== undefined);
        direct.mockRestore();
        const tuple = await run("file", mode, c.build, inputs);
        expect(numeric.provider).toBeInstanceOf(NumericStateStoreProvider);
        if (c.keys > 2) expect(tookDirectPath, "rows went straight to the state in some batch").toBe(true);
        if (mode !== "complete") expect([...numeric.batches.values()].some((b) => b.dropped > 0), "some late rows").toBe(true);
        expectSameBatches(numeric, tuple, `${c.name} (${mode})`);
      });
    }
  }

  it("double keys with NaN, -0, 0 and large values group the same as the tuple state", async () => {
    const r = mulberry32(77);
    const ds = [NaN, -0, 0, 1.5, -1.5, 1e300, 2 ** 53, -(2 ** 40) + 0.25];
    const inputs: InputRow[][] = [];
    let now = 50_000;
    for (let b = 0; b < 6; b++) {
      const rows: InputRow[] = [];
      for (let i = 0; i < 60; i++) {
        now += Math.floor(r() * 300);
        rows.push({ t: r() < 0.1 ? now - 20_000 : now, k: 1, x: 1, d: ds[Math.floor(r() * ds.length)] as number });
      }
      inputs.push(rows);
    }
    const build = (df: DataFrame) => df.withWatermark("t", "2 seconds").groupBy(F.window(F.col("t"), "1 second"), F.col("d")).agg(F.count("*").as("n"));
    for (const mode of ["append", "update", "complete"] as const) {
      const numeric = await run("memory", mode, build, inputs);
      const tuple = await run("file", mode, build, inputs);
      expectSameBatches(numeric, tuple, `double keys (${mode})`);
    }
  });

  it("event times around the epoch (negative times) without a watermark", async () => {
    const r = mulberry32(78);
    const inputs: InputRow[][] = [];
    for (let b = 0; b < 5; b++) {
      const rows: InputRow[] = [];
      for (let i = 0; i < 80; i++) rows.push({ t: Math.floor(r() * 100_000) - 50_000, k: Math.floor(r() * 200), x: null, d: null });
      inputs.push(rows);
    }
    const build = (df: DataFrame) => df.groupBy(F.window(F.col("t"), "7 seconds", null, "2 seconds"), F.col("k")).agg(F.count("*").as("n"));
    for (const mode of ["update", "complete"] as const) {
      const numeric = await run("memory", mode, build, inputs);
      const tuple = await run("file", mode, build, inputs);
      expectSameBatches(numeric, tuple, `negative times (${mode})`);
    }
  });

  it("a restart in the middle continues as an uninterrupted run", async () => {
    const build = cases[0]?.build as (df: DataFrame) => DataFrame;
    for (const mode of ["append", "update"] as const) {
      const inputs = makeInputs(3, 8, 80, { keys: 1000, nullKeys: () => false });
      const uninterrupted = await run("memory", mode, build, inputs);
      const restarted = await run("memory", mode, build, inputs, [3, 4]);
      const failed = await run("memory", mode, build, inputs, [], 5);
      expectSameBatches(restarted, uninterrupted, `restarted (${mode})`);
      expectSameBatches(failed, uninterrupted, `sink failure (${mode})`);
    }
  });
});

describe("a batch re-run after a sink failure (the numeric state rolled back by abort)", () => {
  for (const mode of ["append", "update", "complete"] as const) {
    for (const failBatch of [1, 4]) {
      it(`${mode} mode, sink failing once in batch ${failBatch}: same batches as an uninterrupted run and as the tuple state`, async () => {
        const build = (df: DataFrame) => allAggs(df.withWatermark("t", "5 seconds"), F.window(F.col("t"), "10 seconds"), F.col("k"));
        const inputs = makeInputs(7 + failBatch, 6, 50);
        const uninterrupted = await run("memory", mode, build, inputs);
        const rerun = await run("memory", mode, build, inputs, [], failBatch);
        const tupleRerun = await run("file", mode, build, inputs, [], failBatch);
        expect(rerun.provider).toBeInstanceOf(NumericStateStoreProvider);
        expectSameBatches(rerun, tupleRerun, `re-run (${mode}) vs tuple re-run`);
        expectSameBatches(rerun, uninterrupted, `re-run (${mode}) vs uninterrupted`);
      });
    }
  }
});

describe("which state store the memory checkpoint hands out", () => {
  it("a numeric aggregation gets a NumericStateStoreProvider, a string-keyed one a MemoryStateStoreProvider", async () => {
    const inputs = makeInputs(5, 2, 10);
    const numeric = await run("memory", "update", (df) => df.groupBy(F.col("k")).agg(F.max("d").as("m")), inputs);
    expect(numeric.provider).toBeInstanceOf(NumericStateStoreProvider);
    const strings = await run("memory", "update", (df) => df.groupBy(F.col("k").cast("string").as("ks")).agg(F.max("d").as("m")), inputs);
    expect(strings.provider).toBeInstanceOf(MemoryStateStoreProvider);
    // The file checkpoint keeps its tuple-based provider whatever the operator's format.
    const dir = mkdtempSync(join(tmpdir(), "numeric-agg-provider-"));
    dirs.push(dir);
    expect(openFileCheckpointStore(dir).stateStoreProvider(0)).toBeInstanceOf(PersistentStateStoreProvider);
  });
});
