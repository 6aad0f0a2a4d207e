/**
 * Session-window aggregation over the numeric state (NumericSessionState on a
 * NumericStateStoreProvider, taken with an in-memory checkpoint when the operator has a
 * stateFormat: fixed gap, numeric group keys, count/sum/min/max/avg) against the same query
 * over a Node directory checkpoint (tuple-based PersistentStateStoreProvider), batch by batch
 * through the public API: rows emitted (sorted), watermark, numRowsTotal / Updated / Removed /
 * DroppedByWatermark.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, memoryCheckpointStore, type CheckpointStore, type DataFrame, type Row, type StreamingQuery } from "../../index";
import { openFileCheckpointStore } from "../../checkpoint/file/FileCheckpointStore";
import { PersistentStateStoreProvider } from "../../checkpoint/persistent/PersistentStateStoreProvider";
import { MemoryStateStoreProvider } from "../../state/MemoryStateStoreProvider";
import { NumericStateStoreProvider } from "../../state/NumericStateStoreProvider";
import { mulberry32 } from "../../util/prng";
import { NumericSessionState } from "./numericSessionState";
import { plain } from "../../test/plainValue";

type Mode = "append" | "complete";
type Kind = "memory" | "file";

type InRow = {
  t: number;
  k: number | null;
  k2: number | null;
  x: number | null;
  d: number | null;
  gs: string | null;
};

const SCHEMA = { t: "timestamp", k: "int", k2: "int", x: "int", d: "double", gs: "string" } as const;

/**
 * A script step: rows added as one batch (then processAllAvailable, so the no-data batch of a
 * moved watermark runs too); a restart on the same checkpoint; rows added and the `nth`
 * commit-log write from then on failing (then a restart re-runs the batch); rows added and
 * their data batch (`noData` false) or the no-data batch after it (`noData` true) halted
 * after the sink and before the commit (then a restart re-runs it).
 */
type Step = { add: InRow[] } | { restart: true } | { failCommitAdd: InRow[]; nth: number } | { haltAdd: InRow[]; noData: boolean };

/** Fails the `failAt`-th putCommit (counting from when it is set); otherwise the store itself. */
class CommitFault {
  failAt = 0;
  wrap(store: CheckpointStore): CheckpointStore {
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === "putCommit") {
          return (batchId: number, c: Parameters<CheckpointStore["putCommit"]>[1]): Promise<void> => {
            if (this.failAt > 0 && --this.failAt === 0) return Promise.reject(new Error(`injected failure writing commits/${batchId}`));
            return target.putCommit(batchId, c);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === "function" ? (v as (...args: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

const sessions: SparkSession[] = [];
const dirs: string[] = [];
let uniq = 0;

afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sessions.splice(0)) {
    try {
      for (const q of [...s.streams.active]) await q.stop();
    } catch {
      /* best effort */
    }
    await s.stop();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newSession(kind: Kind, fault: CommitFault): { spark: SparkSession; location: string } {
  let b = SparkSession.builder()
    .appName(`numeric-session-${++uniq}`)
    .clock(new ManualClock(0))
    .output(() => undefined);
  let location = `numeric-session-memory-${uniq}-${Date.now()}`;
  if (kind === "file") {
    const dir = mkdtempSync(join(tmpdir(), "nsession-"));
    dirs.push(dir);
    location = join(dir, "cp");
    b = b.checkpointStores((loc) => fault.wrap(openFileCheckpointStore(loc, { minDeltasForSnapshot: 2 })));
  } else {
    b = b.checkpointStores((loc) => fault.wrap(memoryCheckpointStore(loc)));
  }
  const spark = b.getOrCreate();
  sessions.push(spark);
  return { spark, location };
}

function canonRows(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(plain(r), (_k, x: unknown) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x))).sort();
}

interface BatchRecord {
  batchId: number;
  rows: string[];
  watermark: string | undefined;
  total: number;
  updated: number;
  removed: number;
  dropped: number;
}

interface RunResult {
  batches: BatchRecord[];
  location: string;
  /** Calls of NumericSessionState.execute during the run. */
  numericCalls: number;
}

type Build = (df: DataFrame) => DataFrame;

/** Runs `steps` on a fresh query of `kind` in `mode`; returns every batch's record by batch id (a re-run replaces the first run). */
async function run(kind: Kind, mode: Mode, build: Build, steps: readonly Step[]): Promise<RunResult> {
  const fault = new CommitFault();
  const { spark, location } = newSession(kind, fault);
  const input = new MemoryStream(spark, SCHEMA);
  const df = build(input.toDF());
  const rows = new Map<number, string[]>();
  const records = new Map<number, BatchRecord>();
  const spy = vi.spyOn(NumericSessionState.prototype, "execute");
  const start = (): Promise<StreamingQuery> =>
    Promise.resolve(
      df.writeStream
        .foreachBatch(async (b: DataFrame, id: number) => {
          rows.set(Number(id), canonRows((await b.collect()) as Row[]));
        })
        .outputMode(mode)
        .trigger({ manual: true })
        .option("checkpointLocation", location)
        .start(),
    );
  const collect = (q: StreamingQuery): void => {
    for (const p of q.recentProgress) {
      const op = p.stateOperators[0];
      if (op === undefined) throw new Error(`batch ${p.batchId} has no state operator progress`);
      records.set(p.batchId, {
        batchId: p.batchId,
        rows: [],
        watermark: p.eventTime.watermark,
        total: op.numRowsTotal,
        updated: op.numRowsUpdated,
        removed: op.numRowsRemoved,
        dropped: op.numRowsDroppedByWatermark,
      });
    }
  };
  let q = await start();
  for (const step of steps) {
    if ("restart" in step) {
      collect(q);
      await q.stop();
      q = await start();
    } else if ("add" in step) {
      input.addData([...step.add]);
      await q.processAllAvailable();
      if (q.exception) throw q.exception;
    } else if ("failCommitAdd" in step) {
      fault.failAt = step.nth;
      input.addData([...step.failCommitAdd]);
      const failed = await q.processAllAvailable().then(
        () => null,
        (e: unknown) => e,
      );
      expect(String(failed)).toContain("injected failure");
      expect(fault.failAt).toBe(0);
      collect(q);
      await q.stop().catch(() => undefined);
      q = await start();
      await q.processAllAvailable();
    } else {
      input.addData([...step.haltAdd]);
      if (step.noData) await q.step();
      const halted = q.haltInNextBatch();
      const stepping = q.step().then(
        () => null,
        (e: unknown) => e,
      );
      const first = await Promise.race([halted.then(() => "halted"), stepping.then(() => "stepped")]);
      if (first !== "halted") throw new Error("the script's halted step had no batch to run");
      collect(q);
      await q.stop();
      await stepping;
      q = await start();
      await q.processAllAvailable();
    }
  }
  collect(q);
  await q.stop();
  const numericCalls = spy.mock.calls.length;
  spy.mockRestore();
  const batches = [...records.values()].sort((a, b) => a.batchId - b.batchId).map((r) => ({ ...r, rows: rows.get(r.batchId) ?? [] }));
  for (const id of rows.keys()) expect(records.has(id), `progress of batch ${id}`).toBe(true);
  return { batches, location, numericCalls };
}

function expectSame(numeric: RunResult, tuple: RunResult, what: string): void {
  expect(
    numeric.batches.map((b) => b.batchId),
    `${what}: batch ids`,
  ).toEqual(tuple.batches.map((b) => b.batchId));
  for (let i = 0; i < tuple.batches.length; i++) {
    expect(numeric.batches[i], `${what}: batch ${tuple.batches[i]?.batchId}`).toEqual(tuple.batches[i]);
  }
}

/** Both runs; asserts they agree batch by batch and that the memory run took the numeric state. */
async function compare(mode: Mode, build: Build, steps: readonly Step[], what: string): Promise<BatchRecord[]> {
  const mem = await run("memory", mode, build, steps);
  const file = await run("file", mode, build, steps);
  expect(mem.batches.length).toBeGreaterThan(0);
  expect(memoryCheckpointStore(mem.location).stateStoreProvider<unknown>(0), `${what}: numeric provider`).toBeInstanceOf(NumericStateStoreProvider);
  expect(mem.numericCalls, `${what}: numeric batches`).toBeGreaterThan(0);
  expect(file.numericCalls, `${what}: tuple run took no numeric batch`).toBe(0);
  expectSame(mem, file, `${what} (${mode})`);
  return mem.batches;
}

const allAggs = (df: DataFrame, ...keys: Parameters<DataFrame["groupBy"]>): DataFrame =>
  df.groupBy(...keys).agg(
    F.count("*").as("n"),
    F.count("x").as("nx"),
    F.sum("x").as("sx"),
    F.min("x").as("mnx"),
    F.max("x").as("mxx"),
    F.avg("x").as("ax"),
    F.count("d").as("nd"),
    F.sum("d").as("sd"),
    F.min("d").as("mnd"),
    F.max("d").as("mxd"),
    F.avg("d").as("ad"),
  );

const oneKey =
  (gap: string, delay: string): Build =>
  (df) =>
    allAggs(df.withWatermark("t", delay), F.sessionWindow(F.col("t"), gap), F.col("k"));

/** Two keys with the session between them (the session is not the last grouping key). */
const twoKeys =
  (gap: string, delay: string): Build =>
  (df) =>
    allAggs(df.withWatermark("t", delay), F.col("k"), F.sessionWindow(F.col("t"), gap), F.col("k2"));

/** Streaming rejects a global session aggregation: a constant key stands in for "the session only". */
const constantKey =
  (gap: string, delay: string): Build =>
  (df) =>
    allAggs(df.withWatermark("t", delay), F.sessionWindow(F.col("t"), gap), F.lit(7).as("c"));

const S = 1000;
let seq = 0;
/** A row at `ts` seconds for key k (k2, x, d derived unless given). */
function r(ts: number, k: number | null, over: Partial<InRow> = {}): InRow {
  seq++;
  return { t: Math.round(ts * S), k, k2: k === null ? null : k % 2, x: seq % 5 === 0 ? null : (seq * 7) % 23, d: seq % 4 === 0 ? null : ((seq * 13) % 29) / 7, gs: null, ...over };
}

type Parsed = { k: number | null; start: number; end: number; n: number; sx: number | null };
function parse(rows: readonly string[]): Parsed[] {
  return rows.map((s) => {
    const o = JSON.parse(s) as { k: number | null; session_window: { start: number; end: number }; n: number; sx: number | null };
    return { k: o.k, start: o.session_window.start, end: o.session_window.end, n: o.n, sx: o.sx };
  });
}

/** A hand-made script (gap 5 s, delay 20 s) with every merge case; see the comments. */
function scriptSteps(): Step[] {
  seq = 0;
  return [
    // Batch 0 (wm 0): k1 [100,105] [108,113] [120,125]; k2 [100,105]; k3 [100,105] then [100,108]
    // (rows 100, 103); k4 [100,105]; null key [101,106]. max 120 → wm 100.
    { add: [r(100, 1), r(108, 1), r(120, 1), r(100, 2), r(100, 3), r(103, 3), r(100, 4), r(101, null), r(101.5, null, { x: null, d: null })] },
    // Batch 2: k1 103 falls between [100,105] and [108,113]: one [100,113]. k2 97 starts before
    // [100,105] and absorbs it: [97,105]. k3 100 ties [100,108] (shorter: new first). k4 100
    // ties [100,105] (same end: stored first). k5 a new key. max 121 → wm 101.
    { add: [r(103, 1), r(97, 2), r(100, 3), r(100, 4), r(110, 5), r(121, 5)] },
    // Batch 4: k1 extends [120,125] to [120,128]; k5 gets a third session. Several sessions per key.
    { add: [r(123, 1), r(130, 5), r(102.5, null)] },
    { restart: true },
    // A row that moves the watermark to exactly 113: [100,113] of k1 closes (end = wm), the
    // others of k1 stay; null key [101,107.5]… and sessions ending ≤ 113.
    { add: [r(133, 6)] },
    // Late rows: 105 (own session ends 110 ≤ 113: dropped), 108 ends 113 = wm: dropped; 108.5 ends 113.5: kept.
    { add: [r(105, 1), r(108, 2), r(108.5, 7), r(134, 6)] },
    // The watermark to 128 exactly: k1 [120,128] closes.
    { add: [r(148, 6)] },
    // Far ahead: everything closes.
    { add: [r(400, 8)] },
  ];
}

describe("session windows on the numeric state agree with the tuple state", () => {
  it("hand-made merges (extend, bridge two stored sessions, absorb, ties), eviction at the watermark, late rows, restart; append mode", async () => {
    const batches = await compare("append", oneKey("5 seconds", "20 seconds"), scriptSteps(), "script");
    const all = batches.flatMap((b) => parse(b.rows).map((p) => ({ ...p, batchId: b.batchId })));
    const find = (k: number | null, start: number) => all.filter((p) => p.k === k && p.start === start * S);
    // k1: the bridged session, closed exactly at the watermark 113 s.
    expect(find(1, 100).map((p) => [p.end, p.n])).toEqual([[113 * S, 3]]);
    const bridged = all.find((p) => p.k === 1 && p.start === 100 * S);
    expect(batches.find((b) => b.batchId === bridged?.batchId)?.watermark).toBe(new Date(113 * S).toISOString());
    expect(find(1, 120).map((p) => [p.end, p.n])).toEqual([[128 * S, 2]]);
    // k2: absorbed by an earlier start.
    expect(find(2, 97).map((p) => [p.end, p.n])).toEqual([[105 * S, 2]]);
    expect(find(2, 100)).toEqual([]);
    // Ties.
    expect(find(3, 100).map((p) => [p.end, p.n])).toEqual([[108 * S, 3]]);
    expect(find(4, 100).map((p) => [p.end, p.n])).toEqual([[105 * S, 2]]);
    // k5: three sessions; null key: one.
    expect(all.filter((p) => p.k === 5).map((p) => [p.start / S, p.end / S, p.n])).toEqual(
      expect.arrayContaining([
        [110, 115, 1],
        [121, 126, 1],
        [130, 135, 1],
      ]),
    );
    expect(find(null, 101).map((p) => [p.end, p.n])).toEqual([[107.5 * S, 3]]);
    // Late rows: two dropped; the one just past the watermark kept.
    expect(batches.reduce((n, b) => n + b.dropped, 0)).toBe(2);
    expect(find(7, 108.5).map((p) => [p.end, p.n])).toEqual([[113.5 * S, 1]]);
    const last = batches[batches.length - 1] as BatchRecord;
    expect(last.total).toBe(1);
  });

  it("the same script in complete mode", async () => {
    const batches = await compare("complete", oneKey("5 seconds", "20 seconds"), scriptSteps(), "script");
    const last = parse((batches[batches.length - 1] as BatchRecord).rows);
    expect(last.filter((p) => p.k === 1).map((p) => [p.start / S, p.end / S, p.n])).toEqual(
      expect.arrayContaining([
        [100, 113, 4],
        [120, 128, 2],
      ]),
    );
    expect(batches.every((b) => b.removed === 0 && b.dropped === 0)).toBe(true);
  });

  for (const mode of ["append", "complete"] as const) {
    it(`two numeric keys (the session between them) with null key values, ${mode} mode`, async () => {
      seq = 0;
      const steps: Step[] = [
        { add: [r(10, 1), r(11, 1, { k2: null }), r(12, null, { k2: 3 }), r(13, null, { k2: null }), r(10, 2), r(30, 2), r(31, 1)] },
        { add: [r(14, 1), r(20, 1, { k2: null }), r(13.5, null, { k2: null }), r(25, 2), r(22, 1), r(45, 3)] },
        { add: [r(11, 1), r(60, 1), r(33, 2, { k2: 0 }), r(47, 2)] },
        { restart: true },
        { add: [r(200, 1)] },
      ];
      await compare(mode, twoKeys("4 seconds", "10 seconds"), steps, "two keys");
    });

    it(`a constant key (the session only: streaming rejects a global session aggregation), ${mode} mode`, async () => {
      seq = 0;
      const steps: Step[] = [
        { add: [r(10, 1), r(12, 2), r(30, 3), r(50, 4)] },
        { add: [r(20, 1), r(40, 1), r(26.5, 1), r(8, 1)] },
        { add: [r(33, 1), r(45, 9), r(70, 1), r(5, 1)] },
        { restart: true },
        { add: [r(66, 1), r(71, 1), r(200, 1)] },
      ];
      await compare(mode, constantKey("3.5 seconds", "15 seconds"), steps, "no key");
    });
  }

  it("ints and doubles with nulls only in a session (null sums, mins, maxes, avgs)", async () => {
    const nul = { x: null, d: null };
    const steps: Step[] = [
      { add: [r(10, 1, nul), r(11, 1, nul), r(10, 2, nul), r(12, 2, { x: -5, d: -0.5 }), r(30, 3, { x: 2147483647, d: 1e300 }), r(31, 3, { x: 2147483647, d: 1e300 })] },
      { add: [r(13, 1, nul), r(14, 2, nul), r(32, 3, { x: -2147483648, d: -1e300 }), r(60, 4)] },
      { add: [r(200, 1)] },
    ];
    for (const mode of ["append", "complete"] as const) await compare(mode, oneKey("3 seconds", "10 seconds"), steps, "nulls");
  });
});

describe("a global session aggregation", () => {
  it("is rejected by the streaming checker (a constant key is the way to aggregate by the session only)", async () => {
    const { spark } = newSession("memory", new CommitFault());
    const input = new MemoryStream(spark, SCHEMA);
    const df = allAggs(input.toDF().withWatermark("t", "5 seconds"), F.sessionWindow(F.col("t"), "2 seconds"));
    expect(() => df.writeStream.outputMode("append").trigger({ manual: true }).foreachBatch(() => undefined).start()).toThrow(/Global aggregation with session window/);
  });
});

describe("failures: a batch re-run on a rolled-back numeric state", () => {
  for (const mode of ["append", "complete"] as const) {
    it(`a failed commit-log write (data batch and no-data batch), ${mode} mode`, async () => {
      seq = 0;
      const steps: Step[] = [
        { add: [r(100, 1), r(108, 1), r(120, 1), r(100, 2), r(101, null)] },
        // The data batch's commit fails: it bridges two sessions of k1 and absorbs one of k2.
        { failCommitAdd: [r(103, 1), r(97, 2), r(125, 3)], nth: 1 },
        // The following no-data batch (its eviction) fails its commit (append mode).
        { failCommitAdd: [r(104, 1), r(140, 3)], nth: mode === "append" ? 2 : 1 },
        { add: [r(122, 1), r(141, 3), r(300, 4)] },
      ];
      await compare(mode, oneKey("5 seconds", "20 seconds"), steps, "failed commit");
    });

    it(`a batch halted before its commit (a data batch, then a no-data batch), ${mode} mode`, async () => {
      seq = 0;
      const steps: Step[] = [
        { add: [r(100, 1), r(108, 1), r(120, 1), r(100, 2), r(101, null)] },
        { haltAdd: [r(103, 1), r(97, 2), r(125, 3)], noData: false },
        { add: [r(103, 1), r(97, 2), r(126, 3)] },
        ...(mode === "append" ? [{ haltAdd: [r(140, 3), r(110, 1)], noData: true } satisfies Step] : []),
        { add: [r(122, 1), r(141, 3), r(300, 4)] },
      ];
      await compare(mode, oneKey("5 seconds", "20 seconds"), steps, "halted");
    });
  }
});

/** Seeded batches: out-of-order and late rows, many keys (some null), restarts and failures. */
function randomSteps(seed: number, batches: number, opts: { faults: boolean; keys: number; maxRows: number; noDataBatches: boolean; stepMs?: number; nullKeys?: boolean }): Step[] {
  const rnd = mulberry32(seed);
  const steps: Step[] = [];
  let now = 50_000;
  const mk = (t: number): InRow => ({
    t,
    k: opts.nullKeys !== false && rnd() < 0.05 ? null : Math.floor(rnd() * opts.keys),
    k2: rnd() < 0.1 ? null : Math.floor(rnd() * 2),
    x: rnd() < 0.15 ? null : Math.floor(rnd() * 200) - 100,
    d: rnd() < 0.15 ? null : Math.round((rnd() * 20 - 10) * 1000) / 7,
    gs: null,
  });
  for (let b = 0; b < batches; b++) {
    if (b > 0 && rnd() < 0.12) steps.push({ restart: true });
    const n = 1 + Math.floor(rnd() * opts.maxRows);
    const rows: InRow[] = [];
    for (let i = 0; i < n; i++) {
      now += Math.floor(rnd() * (opts.stepMs ?? 400));
      let t = now;
      const u = rnd();
      if (u < 0.2) t -= Math.floor(rnd() * 4_000); // out of order, within the delay
      else if (u < 0.3) t -= 4_000 + Math.floor(rnd() * 10_000); // late, or just about
      else if (u < 0.35) t = Math.floor(t / 1000) * 1000; // on a second (bucket boundaries)
      rows.push(mk(t));
    }
    const f = rnd();
    if (opts.faults && b > 0 && f < 0.08) steps.push({ failCommitAdd: rows, nth: opts.noDataBatches ? 1 + Math.floor(rnd() * 2) : 1 });
    else if (opts.faults && b > 0 && f < 0.14) steps.push({ haltAdd: rows, noData: false });
    else steps.push({ add: rows });
  }
  steps.push({ add: [mk(now + 600_000)] });
  return steps;
}

describe("seeded randomized runs", () => {
  const cases: { name: string; build: Build; keys: number }[] = [
    { name: "one key", build: oneKey("2 seconds", "5 seconds"), keys: 12 },
    { name: "two keys", build: twoKeys("1500 milliseconds", "4 seconds"), keys: 6 },
    { name: "constant key (session only)", build: constantKey("700 milliseconds", "3 seconds"), keys: 1 },
  ];
  for (const c of cases) {
    for (const mode of ["append", "complete"] as const) {
      it(`${c.name}, ${mode} mode: several hundred rows, restarts, failed commits, halted batches`, async () => {
        const steps = randomSteps(c.name.length * 17 + mode.length, 30, { faults: true, keys: c.keys, maxRows: 30, noDataBatches: mode === "append" });
        const rows = steps.reduce((n, s) => n + ("add" in s ? s.add.length : "failCommitAdd" in s ? s.failCommitAdd.length : "haltAdd" in s ? s.haltAdd.length : 0), 0);
        expect(rows).toBeGreaterThan(300);
        expect(steps.some((s) => "failCommitAdd" in s)).toBe(true);
        expect(steps.some((s) => "restart" in s)).toBe(true);
        const batches = await compare(mode, c.build, steps, c.name);
        expect(batches.some((b) => b.rows.length > 0)).toBe(true);
        if (mode === "append") {
          expect(batches.some((b) => b.dropped > 0), "some late rows").toBe(true);
          expect(batches.some((b) => b.removed > 0), "some evictions").toBe(true);
        }
      });
    }
  }

  it("hundreds of integer keys at once (their directories indexed densely), append mode, with faults", async () => {
    const steps = randomSteps(99, 30, { faults: true, keys: 800, maxRows: 400, noDataBatches: true, stepMs: 4, nullKeys: false });
    const batches = await compare("append", oneKey("2 seconds", "5 seconds"), steps, "dense directories");
    expect(batches.some((b) => b.removed > 100), "many evictions").toBe(true);
  });

  it("a restart and a failed commit give the same batches as an uninterrupted run (numeric state)", async () => {
    const plainSteps = randomSteps(4242, 25, { faults: false, keys: 8, maxRows: 30, noDataBatches: true });
    const build = oneKey("2 seconds", "5 seconds");
    const uninterrupted = await run("memory", "append", build, plainSteps.filter((s) => !("restart" in s)));
    const restarted = await run("memory", "append", build, plainSteps);
    const failing = await run(
      "memory",
      "append",
      build,
      plainSteps.map((s, i) => (i % 5 === 3 && "add" in s ? { failCommitAdd: s.add, nth: 1 } : s)),
    );
    expectSame(restarted, uninterrupted, "restarted vs uninterrupted");
    expectSame(failing, uninterrupted, "failed commits vs uninterrupted");
  });
});

describe("a per-row (dynamic) gap keeps the tuple state", () => {
  for (const mode of ["append", "complete"] as const) {
    it(`dynamic gap, ${mode} mode: MemoryStateStoreProvider, no numeric batch, same batches as the file checkpoint`, async () => {
      seq = 0;
      const g2 = { gs: "2 seconds" };
      const g5 = { gs: "5 seconds" };
      const steps: Step[] = [
        { add: [r(100, 1, g2), r(101, 1, g5), r(110, 1, g2), r(100, 2, g5), r(100, 2, g2), r(103, null, g2)] },
        { add: [r(104, 1, g2), r(96, 2, g5), r(120, 3, g2), r(90, 1, g2)] },
        { restart: true },
        { add: [r(140, 3, g5), r(112, 1, g5)] },
        { add: [r(400, 1, g2)] },
      ];
      const build: Build = (df) => allAggs(df.withWatermark("t", "20 seconds"), F.sessionWindow(F.col("t"), F.col("gs")), F.col("k"));
      const mem = await run("memory", mode, build, steps);
      const file = await run("file", mode, build, steps);
      expect(memoryCheckpointStore(mem.location).stateStoreProvider<unknown>(0)).toBeInstanceOf(MemoryStateStoreProvider);
      expect(mem.numericCalls).toBe(0);
      expect(mem.batches.some((b) => b.rows.length > 0)).toBe(true);
      expectSame(mem, file, `dynamic gap (${mode})`);
    });
  }

  it("the file checkpoint hands out a tuple-based provider", () => {
    const dir = mkdtempSync(join(tmpdir(), "nsession-provider-"));
    dirs.push(dir);
    expect(openFileCheckpointStore(dir).stateStoreProvider(0)).toBeInstanceOf(PersistentStateStoreProvider);
  });
});

describe("bugs found", () => {
  /**
   * NumericSessionState.execute keeps the new sessions' buffers in `pool`, indexed by the
   * session's position among the key's merged sessions (stored ones included): a key with more
   * than 32 sessions ahead of a batch's first new session once made the position jump past a
   * pool grown by one doubling, and the session was stored with zero buffers.
   */
  for (const mode of ["complete", "append"] as const) {
    it(`a new session after 40 stored sessions of its key keeps its aggregates, ${mode} mode`, async () => {
      seq = 0;
      const steps: Step[] = [
        { add: Array.from({ length: 40 }, (_, i) => r(10 + 10 * i, 1, { x: 1, d: 0.5 })) },
        { add: [r(1000, 1, { x: 5, d: 2.5 })] },
        // The watermark past every session (append mode emits them).
        { add: [r(10_000, 2)] },
      ];
      const mem = await run("memory", mode, oneKey("2 seconds", "1 hour"), steps);
      const last = parse(mem.batches.flatMap((b) => b.rows));
      expect(last.filter((p) => p.start === 1000 * S).map((p) => [p.end, p.n, p.sx])).toEqual(mode === "complete" ? [[1002 * S, 1, 5], [1002 * S, 1, 5]] : [[1002 * S, 1, 5]]);
      const file = await run("file", mode, oneKey("2 seconds", "1 hour"), steps);
      expectSame(mem, file, `40 sessions (${mode})`);
    });
  }

  /**
   * groupSessions takes the gap from the first row (`end - start`, to the microsecond) and
   * returns null when another row's `start + gap !== end`; with sub-millisecond event times whose
   * `t + gap` crosses a power of two (here 65536 ms) `(t + gap) - t` is not exactly the gap, and
   * the numeric path once threw and ended the query.
   */
  for (const mode of ["append", "complete"] as const) {
    it(`sub-millisecond event times near 65.536 s with a fixed gap, ${mode} mode`, async () => {
      // 64000.001 + 2000 = 66000.00099999999: (t + gap) - t = 1999.9999999999927.
      const steps: Step[] = [{ add: [r(64, 1, { t: 64000.001 }), r(64, 2, { t: 64000.003 }), r(64, 1, { t: 64500.7 })] }, { add: [r(100, 1)] }];
      const file = await run("file", mode, oneKey("2 seconds", "1 second"), steps);
      expect(file.batches.length).toBeGreaterThan(0);
      const mem = await run("memory", mode, oneKey("2 seconds", "1 second"), steps);
      expectSame(mem, file, `sub-ms times (${mode})`);
    });
  }
});
