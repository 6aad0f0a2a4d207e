/**
 * StreamTest: an action-script DSL for streaming queries, modelled on Spark's
 * `org.apache.spark.sql.streaming.StreamTest` (sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamTest.scala).
 *
 * Written only against the public API of `engine/index.ts` (../../shared/API.md).
 *
 * ```ts
 * const { spark, clock } = newSession();
 * const input = new MemoryStream(spark, { value: "long" });
 * const df = input.toDF().groupBy(F.col("value")).count();
 * await testStream(df, "update", { clock })(
 *   AddData(input, 3),
 *   CheckNewAnswer({ value: 3, count: 1 }),
 *   StopStream,
 *   StartStream(),
 *   AddData(input, 3, 2),
 *   CheckNewAnswer({ value: 3, count: 2 }, { value: 2, count: 1 }),
 * );
 * ```
 *
 * Semantics (Spark's StreamTest, as tabled in spark-cases/README.md):
 * - The query runs with `trigger({ manual: true })` (unless StartStream names another
 *   trigger) and writes through `foreachBatch`; the harness `collect()`s every batch and
 *   keeps it by batchId. A batch id delivered again (a batch re-run after a restart)
 *   replaces its first delivery, and is not "new" for CheckNewAnswer once fetched.
 *   Sink rows survive StopStream/StartStream, like the one MemorySink StreamTest keeps.
 * - The query starts automatically before the first action unless a StartStream comes
 *   before the first action that needs a running stream (Spark's `startedManually`).
 * - AddData adds to the MemoryStream(s) (MultiAddData: several sources, one batch), then
 *   `processAllAvailable()` when the query runs with the manual trigger (which also runs the
 *   no-data batches a moved watermark needs). Data added while the query is stopped is
 *   processed by the first check after the (re)start. Checks do not call
 *   processAllAvailable() otherwise (a rate-micro-batch source is never drained: use
 *   TriggerBatch). AdvanceManualClock advances the clock, then processAllAvailable() (manual
 *   trigger) or lets a processing-time trigger run (event-loop turns only, no timers).
 * - StartStream(trigger) restarts on the same checkpoint; AwaitTermination (once /
 *   availableNow) leaves the terminated query current, so checks read it; Execute(fn) runs
 *   fn(query, ctx) and fails the script if it throws.
 * - CheckNewAnswer: rows delivered since the previous check (complete mode: the result table,
 *   if a batch came since the previous check). CheckAnswer: every row the sink holds
 *   (append/update: all batches so far; complete: the last result table). CheckLastBatch:
 *   the rows of the batch with the highest id. Order-insensitive unless `sorted`;
 *   doubles compare to 1e-6; a Date compares by epoch ms; an expected number never equals
 *   an actual Date (the case says which one it wants).
 * - AssertNumStateRows(n): `lastProgress.stateOperators[i].numRowsTotal` (i = 0 by default,
 *   the operator nearest the sink). AssertWatermark(s): `lastProgress.eventTime.watermark`
 *   equals Spark's ISO form, e.g. "1970-01-01T00:00:15.000Z".
 * - ExpectFailure(text): the query was rejected (at start, or by the batches the previous
 *   action ran, or by the batches run now) with an error whose message (or cause's)
 *   contains `text`, case-insensitively.
 *
 * On failure, throws an Error whose message is a Spark-like report: the action list with
 * "=>" at the failing action, expected vs actual rows, the sink's batches and the last
 * progress as JSON.
 */
import { ManualClock, MemoryStream, SparkSession } from "../index";

// ---------------------------------------------------------------------------------------
// Types derived from the engine's public API (so a drift in API.md shows up in `tsc`).

/** An instance of the engine's MemoryStream (generic or not). */
export type MemoryStreamInstance = InstanceType<typeof MemoryStream>;
/** The engine's DataFrame, as returned by `MemoryStream.toDF()`. */
export type DataFrame = ReturnType<MemoryStreamInstance["toDF"]>;
/** The engine's DataStreamWriter (`df.writeStream`). */
export type DataStreamWriter = DataFrame["writeStream"];
/** The engine's StreamingQuery, as resolved from `writeStream.start()`. */
export type StreamingQuery = Awaited<ReturnType<DataStreamWriter["start"]>>;
/** What `trigger(...)` accepts: `{ manual: true }`, `{ once: true }`, `{ processingTime: "1 second" }`… */
export type TriggerSpec = Parameters<DataStreamWriter["trigger"]>[0];
/** A session of the engine. */
export type Session = SparkSession;

export type OutputMode = "append" | "update" | "complete";
/** A result row as `collect()` returns it: a plain object (timestamps as Date, windows as {start, end}). */
export type Row = Record<string, unknown>;

// ---------------------------------------------------------------------------------------
// Sessions

const openSessions: Session[] = [];

/**
 * A fresh session on a ManualClock at `startMs` (default 0), like Spark's StreamManualClock.
 * `output` receives what the session prints (console sink, show()): a playground extension.
 * Call `stopAllSessions()` in `afterEach`.
 */
export function newSession(opts: { startMs?: number; output?: (text: string) => void } = {}): {
  spark: Session;
  clock: ManualClock;
} {
  const clock = new ManualClock(opts.startMs ?? 0);
  let builder = SparkSession.builder().appName(`streamTest-${++uniq}`).clock(clock);
  if (opts.output) builder = builder.output(opts.output);
  const spark = builder.getOrCreate();
  openSessions.push(spark);
  return { spark, clock };
}

/** Stops every active query of the sessions made by `newSession`, then the sessions. Never throws. */
export async function stopAllSessions(): Promise<void> {
  const sessions = openSessions.splice(0);
  for (const s of sessions) {
    try {
      for (const q of [...s.streams.active]) await q.stop();
    } catch {
      /* best effort: a broken engine must not hide the test's own failure */
    }
    try {
      await s.stop();
    } catch {
      /* idem */
    }
  }
}

let uniq = 0;

// ---------------------------------------------------------------------------------------
// Actions

/** Structural view of a MemoryStream for AddData (any value type). */
export interface AddableSource {
  addData(...values: unknown[]): unknown;
}

export type StreamAction =
  | { kind: "AddData"; inputs: { source: AddableSource; values: unknown[] }[]; label: string }
  | { kind: "Check"; which: "new" | "all" | "last"; rows: Row[]; sorted: boolean }
  | { kind: "StopStream" }
  | { kind: "StartStream"; trigger?: TriggerSpec }
  | { kind: "AssertNumStateRows"; total: number; operator: number }
  | { kind: "AssertWatermark"; seconds: number }
  | { kind: "AdvanceManualClock"; ms: number }
  | { kind: "TriggerBatch" }
  | { kind: "ProcessAllAvailable" }
  | { kind: "AwaitTermination" }
  | { kind: "ExpectFailure"; text: string }
  | { kind: "Execute"; name: string; fn: (query: StreamingQuery, ctx: StreamContext) => unknown };

/** What Execute callbacks may read besides the query. */
export interface StreamContext {
  /** All rows the sink holds (see CheckAnswer). */
  allRows(): Row[];
  /** Rows of each delivered batch, by batchId. */
  batches(): ReadonlyMap<number, Row[]>;
  clock?: ManualClock;
}

function sourceName(source: AddableSource, index: number): string {
  const s = String(source);
  return s === "[object Object]" ? `MemoryStream#${index}` : s;
}
const sourceIds = new WeakMap<AddableSource, number>();
let nextSourceId = 0;
function sourceLabel(source: AddableSource): string {
  let id = sourceIds.get(source);
  if (id === undefined) {
    id = ++nextSourceId;
    sourceIds.set(source, id);
  }
  return sourceName(source, id);
}

/** Adds `values` to `source` as one batch. */
export function AddData(source: AddableSource, ...values: unknown[]): StreamAction {
  return {
    kind: "AddData",
    inputs: [{ source, values }],
    label: `AddData to ${sourceLabel(source)}: ${values.map(fmt).join(",")}`,
  };
}

/** Adds data to several sources so that it lands in the same batch (Spark's MultiAddData). */
export function MultiAddData(...inputs: [AddableSource, unknown[]][]): StreamAction {
  return {
    kind: "AddData",
    inputs: inputs.map(([source, values]) => ({ source, values })),
    label: `[ ${inputs.map(([s, v]) => `AddData to ${sourceLabel(s)}: ${v.map(fmt).join(",")}`).join(" | ")} ]`,
  };
}

/** Rows the sink received since the previous check (complete mode: the last result table, if new). */
export function CheckNewAnswer(...rows: Row[]): StreamAction {
  return { kind: "Check", which: "new", rows, sorted: false };
}
/** Every row the sink holds (complete mode: the last result table). Order-insensitive. */
export function CheckAnswer(...rows: Row[]): StreamAction {
  return { kind: "Check", which: "all", rows, sorted: false };
}
/** Like CheckAnswer, but the order must match too (Spark's `isSorted = true`). */
export function CheckSortedAnswer(...rows: Row[]): StreamAction {
  return { kind: "Check", which: "all", rows, sorted: true };
}
/** The rows of the last delivered batch. */
export function CheckLastBatch(...rows: Row[]): StreamAction {
  return { kind: "Check", which: "last", rows, sorted: false };
}
/** The rows of the last delivered batch, in this order. */
export function CheckLastBatchSorted(...rows: Row[]): StreamAction {
  return { kind: "Check", which: "last", rows, sorted: true };
}
/** Stops the query (it must be running). */
export const StopStream: StreamAction = { kind: "StopStream" };
/** Starts the query on the same checkpoint (default trigger: manual). */
export function StartStream(trigger?: TriggerSpec): StreamAction {
  return trigger === undefined ? { kind: "StartStream" } : { kind: "StartStream", trigger };
}
/** `lastProgress.stateOperators[operator].numRowsTotal === total` (operator 0 = nearest the sink). */
export function AssertNumStateRows(total: number, operator = 0): StreamAction {
  return { kind: "AssertNumStateRows", total, operator };
}
/** `lastProgress.eventTime.watermark` is the ISO time of `seconds` since the epoch. */
export function AssertWatermark(seconds: number): StreamAction {
  return { kind: "AssertWatermark", seconds };
}
/** Advances the session's ManualClock (options.clock) by `ms`, then processAllAvailable (manual trigger). */
export function AdvanceManualClock(ms: number): StreamAction {
  return { kind: "AdvanceManualClock", ms };
}
/** `query.step()`: exactly one trigger. */
export const TriggerBatch: StreamAction = { kind: "TriggerBatch" };
/** `query.processAllAvailable()`. */
export const ProcessAllAvailable: StreamAction = { kind: "ProcessAllAvailable" };
/** `query.awaitTermination()` (for once / availableNow triggers). */
export const AwaitTermination: StreamAction = { kind: "AwaitTermination" };
/** The query must fail (at start or while running) with an error containing `text` (case-insensitive). */
export function ExpectFailure(text: string): StreamAction {
  return { kind: "ExpectFailure", text };
}
/** Runs `fn(query, ctx)`; a throw or rejection fails the test at this action. */
export function Execute(
  nameOrFn: string | ((query: StreamingQuery, ctx: StreamContext) => unknown),
  fn?: (query: StreamingQuery, ctx: StreamContext) => unknown,
): StreamAction {
  if (typeof nameOrFn === "function") return { kind: "Execute", name: "Execute", fn: nameOrFn };
  if (!fn) throw new Error("Execute(name, fn): fn missing");
  return { kind: "Execute", name: nameOrFn, fn };
}

function describeAction(a: StreamAction): string {
  switch (a.kind) {
    case "AddData":
      return a.label;
    case "Check": {
      const name = a.which === "new" ? "CheckNewAnswer" : a.which === "all" ? "CheckAnswer" : "CheckLastBatch";
      return `${name}${a.sorted ? "(sorted)" : ""}: ${a.rows.map(fmt).join(",")}`;
    }
    case "StopStream":
      return "StopStream";
    case "StartStream":
      return `StartStream(${a.trigger === undefined ? "" : fmt(a.trigger)})`;
    case "AssertNumStateRows":
      return `AssertNumStateRows(${a.total}${a.operator ? `, operator ${a.operator}` : ""})`;
    case "AssertWatermark":
      return `AssertWatermark(${a.seconds} s = ${isoOfSeconds(a.seconds)})`;
    case "AdvanceManualClock":
      return `AdvanceManualClock(${a.ms} ms)`;
    case "TriggerBatch":
      return "TriggerBatch (query.step())";
    case "ProcessAllAvailable":
      return "ProcessAllAvailable";
    case "AwaitTermination":
      return "AwaitTermination";
    case "ExpectFailure":
      return `ExpectFailure(${JSON.stringify(a.text)})`;
    case "Execute":
      return `Execute(${a.name})`;
  }
}

/** Actions that need a running stream (Spark's StreamMustBeRunning), for the auto-start rule. */
function mustBeRunning(a: StreamAction): boolean {
  return !(a.kind === "AddData" || a.kind === "StartStream" || a.kind === "Execute");
}

// ---------------------------------------------------------------------------------------
// Row comparison

/** Spark's ISO-8601 form of a time given in seconds since the epoch: "1970-01-01T00:00:15.000Z". */
export function isoOfSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Value equality as StreamTest needs it (see the module comment). */
export function valueEquals(expected: unknown, actual: unknown, tolerance = 1e-6): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  if (typeof expected === "number" || typeof expected === "bigint") {
    const a = typeof actual === "bigint" ? Number(actual) : actual;
    const e = Number(expected);
    if (typeof a !== "number") return false;
    if (Number.isNaN(e)) return Number.isNaN(a);
    if (Number.isInteger(e) && Number.isInteger(a)) return a === e;
    return Math.abs(a - e) <= Math.max(tolerance, Math.abs(e) * 1e-12);
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => valueEquals(e, actual[i], tolerance))
    );
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(actual).sort();
    return ek.length === ak.length && ek.every((k, i) => k === ak[i] && valueEquals(expected[k], actual[k], tolerance));
  }
  return expected === actual;
}

/** Multiset equality (or ordered equality when `sorted`). */
export function rowsMatch(expected: readonly Row[], actual: readonly Row[], sorted = false): boolean {
  if (expected.length !== actual.length) return false;
  if (sorted) return expected.every((e, i) => valueEquals(e, actual[i]));
  const used = new Array<boolean>(actual.length).fill(false);
  for (const e of expected) {
    let found = -1;
    for (let i = 0; i < actual.length; i++) {
      if (!used[i] && valueEquals(e, actual[i])) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    used[found] = true;
  }
  return true;
}

/** Compact printing of values and rows, Dates as ISO strings. */
export function fmt(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Date(invalid)" : `Date(${v.toISOString()})`;
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(", ")}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .map((k) => `${k}: ${fmt(v[k])}`)
      .join(", ")}}`;
  }
  return String(v);
}

/** Spark's side-by-side answer diff ("!" marks rows without a partner). */
export function sideBySide(expected: readonly Row[], actual: readonly Row[], sorted = false): string {
  const left = [`== Correct Answer - ${expected.length} ==`];
  const right = [`== Engine Answer - ${actual.length} ==`];
  const e = sorted ? [...expected] : [...expected].sort((a, b) => fmt(a).localeCompare(fmt(b)));
  const a = sorted ? [...actual] : [...actual].sort((x, y) => fmt(x).localeCompare(fmt(y)));
  const n = Math.max(e.length, a.length);
  const lines: string[] = [];
  const width = Math.max(left[0]!.length, ...e.map((r) => fmt(r).length));
  lines.push(`${" "}${left[0]!.padEnd(width)}   ${right[0]}`);
  for (let i = 0; i < n; i++) {
    const l = i < e.length ? fmt(e[i]) : "";
    const r = i < a.length ? fmt(a[i]) : "";
    const same = i < e.length && i < a.length && valueEquals(e[i], a[i]);
    lines.push(`${same ? " " : "!"}${l.padEnd(width)}   ${r}`);
  }
  return lines.join("\n");
}

/** Message of an error and of its causes (StreamingQueryException wraps the original). */
export function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (cur instanceof Error) {
      parts.push(`${cur.name}: ${cur.message}`);
      cur = (cur as { cause?: unknown }).cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join("\n  Caused by: ");
}

// ---------------------------------------------------------------------------------------
// The sink

/** The harness's MemorySink: every batch collected through foreachBatch, by batchId. */
class CollectingSink {
  readonly batches = new Map<number, Row[]>();
  private pending: Promise<unknown>[] = [];
  private failures: unknown[] = [];
  lastFetchedBatchId = -1;

  constructor(readonly outputMode: OutputMode) {}

  /** The foreachBatch callback. Returns the collect() promise, so an engine that awaits it stays ordered. */
  readonly onBatch = (batchDf: DataFrame, batchId: number): Promise<void> => {
    const id = Number(batchId);
    const p = Promise.resolve()
      .then(() => batchDf.collect())
      .then((rows) => {
        this.batches.set(id, [...(rows as Row[])]);
      });
    this.pending.push(p.catch((e: unknown) => this.failures.push(e)));
    return p;
  };

  /** Waits for every collect() started so far; rethrows the first collect() failure. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) {
      const ps = this.pending.splice(0);
      await Promise.all(ps);
    }
    if (this.failures.length > 0) {
      const f = this.failures[0];
      this.failures = [];
      throw new Error(`collect() of a batch DataFrame inside foreachBatch failed: ${errorText(f)}`);
    }
  }

  latestBatchId(): number {
    let max = -1;
    for (const id of this.batches.keys()) max = Math.max(max, id);
    return max;
  }

  private ids(): number[] {
    return [...this.batches.keys()].sort((a, b) => a - b);
  }

  allData(): Row[] {
    if (this.outputMode === "complete") return this.batches.get(this.latestBatchId()) ?? [];
    return this.ids().flatMap((id) => this.batches.get(id) ?? []);
  }

  latestBatchData(): Row[] {
    return this.batches.get(this.latestBatchId()) ?? [];
  }

  dataSinceBatch(batchId: number): Row[] {
    if (this.outputMode === "complete") {
      const last = this.latestBatchId();
      return last > batchId ? (this.batches.get(last) ?? []) : [];
    }
    return this.ids()
      .filter((id) => id > batchId)
      .flatMap((id) => this.batches.get(id) ?? []);
  }

  debugString(): string {
    const ids = this.ids();
    if (ids.length === 0) return "(no batches)";
    return ids.map((id) => `batch ${id}: ${(this.batches.get(id) ?? []).map(fmt).join(", ")}`).join("\n");
  }
}

// ---------------------------------------------------------------------------------------
// testStream

export interface TestStreamOptions {
  /** Checkpoint for every (re)start of this test; default: a fresh unique name. */
  checkpointLocation?: string;
  /** The session's ManualClock, for AdvanceManualClock. */
  clock?: ManualClock;
  /** Default trigger of StartStream and of the automatic start; default `{ manual: true }`. */
  trigger?: TriggerSpec;
  /** Query name (optional). */
  queryName?: string;
}

class StreamTestFailure extends Error {
  override name = "StreamTestFailure";
}

/**
 * Runs `actions` against a query on `df` in `outputMode`. Resolves when every action passed;
 * rejects with a Spark-like report otherwise. Stops the query at the end.
 */
export function testStream(
  df: DataFrame,
  outputMode: OutputMode = "append",
  options: TestStreamOptions = {},
): (...actions: StreamAction[]) => Promise<void> {
  return (...actions) => runStreamTest(df, outputMode, options, actions);
}

async function runStreamTest(
  df: DataFrame,
  outputMode: OutputMode,
  options: TestStreamOptions,
  actions: StreamAction[],
): Promise<void> {
  const checkpointLocation = options.checkpointLocation ?? `streamTest-checkpoint-${Date.now()}-${++uniq}`;
  const defaultTrigger: TriggerSpec = options.trigger ?? ({ manual: true } as TriggerSpec);
  const sink = new CollectingSink(outputMode);

  const firstMustRun = actions.findIndex(mustBeRunning);
  const startedManually = actions
    .slice(0, firstMustRun < 0 ? actions.length : firstMustRun)
    .some((a) => a.kind === "StartStream");
  const script: StreamAction[] = startedManually ? actions : [StartStream(), ...actions];

  let pos = 0;
  let current: StreamingQuery | undefined;
  let last: StreamingQuery | undefined;
  let currentTrigger: TriggerSpec = defaultTrigger;
  /** An error raised by the engine and not yet claimed by an ExpectFailure. */
  let pendingError: { error: unknown; where: string; pos: number } | undefined;
  let resultsSection = "";
  /** Data was added that no processAllAvailable() has seen yet (added while stopped, or before the start). */
  let unprocessedData = false;

  const isManual = (t: TriggerSpec): boolean =>
    typeof t === "object" && t !== null && (t as { manual?: unknown }).manual === true;

  const progressJson = (): string => {
    const q = current ?? last;
    if (!q) return "(no query)";
    try {
      return JSON.stringify(q.lastProgress, null, 2) ?? "null";
    } catch (e) {
      return `(lastProgress unavailable: ${errorText(e)})`;
    }
  };

  const report = (message: string, cause?: unknown): never => {
    const progress = script
      .map((a, i) => `${i === pos ? "=> " : "   "}${describeAction(a)}${!startedManually && i === 0 ? "   (automatic)" : ""}`)
      .join("\n");
    const q = current ?? last;
    let state = "not started";
    if (q) {
      try {
        state = `${current ? "running" : "stopped"}, isActive=${String(q.isActive)}, exception=${q.exception ? errorText(q.exception) : "none"}`;
      } catch {
        state = current ? "running" : "stopped";
      }
    }
    const text = [
      "",
      message + (cause !== undefined ? `: ${errorText(cause)}` : ""),
      "",
      resultsSection ? `== Results ==\n${resultsSection}\n` : "",
      "== Progress ==",
      progress,
      "",
      "== Stream ==",
      `Output Mode: ${outputMode}`,
      `Checkpoint: ${checkpointLocation}`,
      `Stream state: ${state}`,
      pendingError ? `Unclaimed engine error (${pendingError.where}): ${errorText(pendingError.error)}` : "",
      "",
      "== Sink ==",
      sink.debugString(),
      "",
      "== Last progress ==",
      progressJson(),
    ].join("\n");
    throw new StreamTestFailure(text);
  };

  /** Runs an engine call; an engine error becomes the pending error (for a following ExpectFailure). */
  const engine = async (where: string, f: () => unknown): Promise<boolean> => {
    try {
      await f();
      return true;
    } catch (error) {
      pendingError = { error, where, pos };
      return false;
    }
  };

  const claimNoError = (): void => {
    if (pendingError) {
      pos = pendingError.pos; // "=>" marks the action during which the engine failed
      report(`Unexpected engine error during ${pendingError.where}`, pendingError.error);
    }
  };

  const queryOrFail = (what: string): StreamingQuery => {
    const q = current;
    if (!q) return report(`${what}: the stream is not running`);
    return q;
  };

  const catchUp = async (): Promise<void> => {
    // Like fetchStreamAnswer's wait for the added offsets: data added while the query was not
    // running is processed now. (Not unconditionally: a rate-micro-batch source is never drained.)
    if (unprocessedData && current && isManual(currentTrigger) && current.isActive) {
      await engine("processAllAvailable()", () => current!.processAllAvailable());
      unprocessedData = false;
    }
    claimNoError();
    // Like Spark's check of the stream thread's death cause: a query that died is a failure here.
    if (current) {
      let ex: unknown = null;
      try {
        ex = current.exception;
      } catch {
        ex = null;
      }
      if (ex) report("The query terminated with an exception", ex);
    }
    try {
      await sink.settle();
    } catch (e) {
      report("The sink could not read a batch", e);
    }
  };

  const start = async (trigger: TriggerSpec): Promise<void> => {
    if (current && current.isActive) report("StartStream: the stream is already running");
    currentTrigger = trigger;
    await engine("start()", async () => {
      let w = df.writeStream.outputMode(outputMode).trigger(trigger).option("checkpointLocation", checkpointLocation);
      if (options.queryName !== undefined) w = w.queryName(options.queryName);
      const q = await w.foreachBatch(sink.onBatch).start();
      current = q;
      last = q;
    });
  };

  const lastProgressOf = (what: string): NonNullable<StreamingQuery["lastProgress"]> => {
    const q = current ?? last;
    if (!q) return report(`${what}: no query was started`);
    const p = q.lastProgress;
    if (p === null || p === undefined) return report(`${what}: lastProgress is ${String(p)} (no batch has run)`);
    return p;
  };

  try {
    for (pos = 0; pos < script.length; pos++) {
      const action = script[pos]!;
      resultsSection = "";
      // A query rejected at start() may be claimed by an ExpectFailure after more AddData
      // (spark-cases README: "rejected at start, or at this step"); anything else reports it.
      const startRejected = pendingError !== undefined && pendingError.where === "start()" && !current;
      if (action.kind !== "ExpectFailure" && !(action.kind === "AddData" && startRejected)) claimNoError();
      switch (action.kind) {
        case "StartStream":
          await start(action.trigger ?? defaultTrigger);
          break;

        case "StopStream": {
          const q = queryOrFail("StopStream");
          await engine("stop()", () => q.stop());
          current = undefined;
          try {
            await sink.settle();
          } catch (e) {
            report("The sink could not read a batch", e);
          }
          break;
        }

        case "AddData":
          for (const { source, values } of action.inputs) {
            await engine("addData()", () => source.addData(...values));
          }
          if (current && isManual(currentTrigger) && current.isActive && !pendingError) {
            await engine("processAllAvailable() after AddData", () => current!.processAllAvailable());
            unprocessedData = false;
          } else {
            unprocessedData = true;
          }
          break;

        case "Check": {
          queryOrFail(describeAction(action));
          await catchUp();
          const actual =
            action.which === "new"
              ? sink.dataSinceBatch(sink.lastFetchedBatchId)
              : action.which === "all"
                ? sink.allData()
                : sink.latestBatchData();
          sink.lastFetchedBatchId = Math.max(sink.lastFetchedBatchId, sink.latestBatchId());
          if (!rowsMatch(action.rows, actual, action.sorted)) {
            resultsSection = sideBySide(action.rows, actual, action.sorted);
            report(`Results do not match for query (${action.sorted ? "ordered" : "order-insensitive"})`);
          }
          break;
        }

        case "AssertNumStateRows": {
          await catchUp();
          const p = lastProgressOf("AssertNumStateRows");
          const ops = (p as { stateOperators?: { numRowsTotal?: unknown }[] }).stateOperators;
          const op = Array.isArray(ops) ? ops[action.operator] : undefined;
          if (!op) report(`AssertNumStateRows: lastProgress.stateOperators[${action.operator}] is missing`);
          const total = Number(op!.numRowsTotal);
          if (total !== action.total) {
            report(`AssertNumStateRows: stateOperators[${action.operator}].numRowsTotal is ${String(op!.numRowsTotal)}, expected ${action.total}`);
          }
          break;
        }

        case "AssertWatermark": {
          await catchUp();
          const p = lastProgressOf("AssertWatermark");
          const wm = (p as { eventTime?: { watermark?: unknown } }).eventTime?.watermark;
          const expected = isoOfSeconds(action.seconds);
          if (wm !== expected) {
            report(`AssertWatermark: lastProgress.eventTime.watermark is ${fmt(wm)}, expected ${JSON.stringify(expected)}`);
          }
          break;
        }

        case "AdvanceManualClock": {
          const clock = options.clock;
          if (!clock) report("AdvanceManualClock needs testStream(..., { clock }) (the session's ManualClock)");
          clock!.advance(action.ms);
          if (current && isManual(currentTrigger) && current.isActive) {
            await engine("processAllAvailable() after AdvanceManualClock", () => current!.processAllAvailable());
            unprocessedData = false;
          } else if (current && current.isActive) {
            // A processing-time trigger woken by the clock runs asynchronously: let it run (event-loop turns, no timers).
            await ticks(200);
          }
          break;
        }

        case "TriggerBatch": {
          const q = queryOrFail("TriggerBatch");
          await engine("step()", () => q.step());
          break;
        }

        case "ProcessAllAvailable": {
          const q = queryOrFail("ProcessAllAvailable");
          await engine("processAllAvailable()", () => q.processAllAvailable());
          break;
        }

        case "AwaitTermination": {
          const q = current ?? last;
          if (!q) report("AwaitTermination: no query was started");
          await engine("awaitTermination()", () => q!.awaitTermination());
          // Like Spark, the terminated query stays current: checks read its sink and progress.
          try {
            await sink.settle();
          } catch (e) {
            report("The sink could not read a batch", e);
          }
          break;
        }

        case "ExpectFailure": {
          if (!pendingError && current) {
            // The failure may surface only when the stream runs (planning the first batch).
            const q = current;
            if (q.isActive && unprocessedData && isManual(currentTrigger)) {
              await engine("processAllAvailable()", () => q.processAllAvailable());
            }
            if (!pendingError) {
              try {
                const ex = q.exception;
                if (ex) pendingError = { error: ex, where: "query.exception", pos };
              } catch (e) {
                pendingError = { error: e, where: "query.exception", pos };
              }
            }
          }
          if (!pendingError) report(`Expected a failure containing ${JSON.stringify(action.text)}, but the query ran without error`);
          const text = errorText(pendingError!.error);
          if (!text.toLowerCase().includes(action.text.toLowerCase())) {
            report(`Expected a failure containing ${JSON.stringify(action.text)}, got`, pendingError!.error);
          }
          pendingError = undefined;
          // Spark's ExpectFailure leaves the query terminated.
          if (current) {
            try {
              await current.stop();
            } catch {
              /* already dead */
            }
            current = undefined;
          }
          break;
        }

        case "Execute": {
          const q = current ?? last;
          if (!q) report(`${action.name}: no query was started`);
          try {
            await action.fn(q!, {
              allRows: () => sink.allData(),
              batches: () => sink.batches,
              clock: options.clock,
            });
          } catch (e) {
            report(`${action.name} failed`, e);
          }
          break;
        }
      }
    }
    pos = script.length;
    claimNoError();
  } finally {
    if (current) {
      try {
        await current.stop();
      } catch {
        /* cleanup only */
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Helpers for tests that drive queries directly (no sleeps: only event-loop turns).

/** Lets the event loop turn `n` times (setImmediate), so asynchronous engine work can run. No timers. */
export async function ticks(n = 50): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A checkpoint name unique to this process run: `${prefix}-<time>-<n>` (checkpoint stores may outlive a test). */
export function uniqueCheckpoint(prefix: string): string {
  return `${prefix}-${Date.now()}-${++uniq}`;
}

/** Waits (by event-loop turns only, at most `maxTicks`) until `cond()` holds; throws naming `what` otherwise. */
export async function eventually(cond: () => boolean, what: string, maxTicks = 2000): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    if (cond()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!cond()) throw new Error(`still not true after ${maxTicks} event-loop turns: ${what}`);
}

/**
 * Runs `f` (sync or async) and expects it to throw or reject with an error whose text
 * (message and causes) matches every pattern (strings: case-insensitive substring). Returns the error.
 */
export async function expectError(f: () => unknown, ...patterns: (string | RegExp)[]): Promise<unknown> {
  let error: unknown;
  let threw = false;
  try {
    await f();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) throw new Error(`expected an error matching ${patterns.map(String).join(" and ")}, but nothing was thrown`);
  const text = errorText(error);
  for (const p of patterns) {
    const ok = typeof p === "string" ? text.toLowerCase().includes(p.toLowerCase()) : p.test(text);
    if (!ok) throw new Error(`expected an error matching ${String(p)}, got:\n  ${text}`);
  }
  return error;
}

/** A query whose batches the test reads: foreachBatch + collect(), by batchId. */
export interface CollectedQuery {
  query: StreamingQuery;
  /** Rows of each batch, by batchId (a re-delivered batch replaces the first delivery). */
  batches: Map<number, Row[]>;
  /** Waits for pending collect()s. */
  settle(): Promise<void>;
  /** All rows, in batch order (after settle). */
  rows(): Row[];
}

/**
 * Starts `df` with foreachBatch collection. Defaults: manual trigger, a fresh checkpoint.
 * Rejects as `start()` does.
 */
export async function startCollecting(
  df: DataFrame,
  outputMode: OutputMode,
  opts: { trigger?: TriggerSpec; checkpointLocation?: string; queryName?: string; batches?: Map<number, Row[]> } = {},
): Promise<CollectedQuery> {
  const batches = opts.batches ?? new Map<number, Row[]>();
  const pending: Promise<unknown>[] = [];
  let w = df.writeStream
    .outputMode(outputMode)
    .trigger(opts.trigger ?? ({ manual: true } as TriggerSpec))
    .option("checkpointLocation", opts.checkpointLocation ?? `collect-checkpoint-${Date.now()}-${++uniq}`);
  if (opts.queryName !== undefined) w = w.queryName(opts.queryName);
  const query = await w
    .foreachBatch((batchDf: DataFrame, batchId: number) => {
      const p = Promise.resolve(batchDf.collect()).then((rows) => {
        batches.set(Number(batchId), [...(rows as Row[])]);
      });
      pending.push(p);
      return p;
    })
    .start();
  return {
    query,
    batches,
    async settle() {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
    rows() {
      return [...batches.keys()].sort((a, b) => a - b).flatMap((id) => batches.get(id) ?? []);
    },
  };
}

/** Asserts rows equal (order-insensitive unless `sorted`), with a side-by-side diff on failure. */
export function assertRows(actual: readonly Row[], expected: readonly Row[], sorted = false, what = "rows"): void {
  if (!rowsMatch(expected, actual, sorted)) {
    throw new Error(`${what} do not match (${sorted ? "ordered" : "order-insensitive"})\n${sideBySide(expected, actual, sorted)}`);
  }
}

/** Spark's progress objects as the tests read them (field names from StreamingQueryProgress). */
export interface ProgressView {
  id?: unknown;
  runId?: unknown;
  name?: unknown;
  timestamp?: unknown;
  batchId: number;
  numInputRows: number;
  inputRowsPerSecond?: unknown;
  processedRowsPerSecond?: unknown;
  durationMs?: Record<string, unknown>;
  eventTime?: Record<string, unknown>;
  stateOperators?: {
    numRowsTotal?: unknown;
    numRowsUpdated?: unknown;
    numRowsRemoved?: unknown;
    numRowsDroppedByWatermark?: unknown;
    memoryUsedBytes?: unknown;
  }[];
}

/** `query.lastProgress` seen through ProgressView (fails if there is none). */
export function lastProgress(q: StreamingQuery): ProgressView {
  const p = q.lastProgress as unknown as ProgressView | null | undefined;
  if (!p) throw new Error("query.lastProgress is empty: no batch has run");
  return p;
}

/** `query.recentProgress` seen through ProgressView. */
export function recentProgress(q: StreamingQuery): ProgressView[] {
  return [...(q.recentProgress as unknown as ProgressView[])];
}
