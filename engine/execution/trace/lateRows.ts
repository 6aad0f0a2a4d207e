import type { Attribute } from "../../expressions/Expression";
import { compileExpr, windowStart, type CompiledExpr } from "../../expressions/compile";
import { typeName, type StructValue, type Value } from "../../expressions/types";
import { getValue, type ColumnarBatch } from "../ColumnarBatch";
import { SessionWindowStateStoreSaveExec } from "../operators/SessionWindowStateStoreSaveExec";
import { emptyMetrics, StateStoreSaveExec } from "../operators/StateStoreSaveExec";
import { StreamingSymmetricHashJoinExec } from "../operators/StreamingSymmetricHashJoinExec";
import { TimeWindowExpandExec } from "../operators/TimeWindowExpandExec";
import { EventTimeWatermarkExec } from "../operators/EventTimeWatermarkExec";
import { collectOperators, isStateful, type ExecContext, type OutputMode, type PhysicalOperator, type StatefulOperator } from "../PhysicalOperator";

/**
 * What happened to a row at the stateful operator that reads it:
 * - `on-time`: its event time is after the watermark it met;
 * - `late-counted`: at or behind that watermark, yet counted, because a window it
 *   belongs to was still open (its end after the watermark);
 * - `dropped`: every window (or, without windows, the row itself) was at or behind
 *   the watermark: Spark drops it and counts it in `numRowsDroppedByWatermark`.
 */
export type LateRowStatus = "on-time" | "late-counted" | "dropped";

/** One window a row belongs to, and whether the row still joined it. */
export interface RowWindow {
  start: number;
  end: number;
  joined: boolean;
}

/** One row as the watermark view draws it. */
export interface LateRowPoint {
  eventTimeMs: number;
  status: LateRowStatus;
  /** The row's values, in `LateRowsBatch.columnSets[set]` order (timestamps as epoch ms). */
  values: Value[];
  /** Which input the row was read from (a stream-stream join has two). */
  set: number;
  /** Its windows (window rules only). */
  windows: RowWindow[];
  /** The late group it fell into, when dropped from some window: "key | window end" (aggregations whose key columns the row carries). */
  group: string | null;
}

/** How rows are judged, read from the plan. */
export type LatenessRule =
  | { kind: "window"; windowMs: number; slideMs: number; startMs: number }
  /** Session windows: a row's own session [t, t + gap) is late when it ends at or before the watermark. */
  | { kind: "session" }
  | { kind: "eventTime" }
  /** No stateful operator drops rows (complete mode, or no stateful operator): late rows are still counted. */
  | { kind: "none" };

/** Row counts of one batch, over every row (not the sample). */
export interface LateRowCounts {
  total: number;
  onTime: number;
  lateCounted: number;
  dropped: number;
}

/** What one micro-batch did with its rows' event times: the watermark view's data. */
export interface LateRowsBatch {
  batchId: number;
  /** The batch's processing time (its trigger's start), epoch ms. */
  batchTimestampMs: number;
  /** The batch's watermark (progress `eventTime.watermark`): windows ending at or before it are evicted. */
  watermarkMs: number;
  /** The watermark rows are judged by: the previous batch's (Spark ≥ 3.4's eventTimeWatermarkForLateEvents). */
  lateEventsWatermarkMs: number;
  /** The event time drawn (the first input's). */
  eventTimeColumn: string;
  /** The columns of the first input (`columnSets[0]`). */
  columns: Array<{ name: string; type: string }>;
  /** The columns of each input rows are read from. */
  columnSets: Array<Array<{ name: string; type: string }>>;
  rule: LatenessRule;
  outputMode: OutputMode;
  counts: LateRowCounts;
  /**
   * What Spark counts as `numRowsDroppedByWatermark`, worked out from the rows each stateful
   * operator read: for an aggregation, the distinct (key, window) groups rows missed (Spark counts
   * after partial aggregation); otherwise the dropped rows. Null when a key is not among the columns.
   */
  expectedDroppedByWatermark: number | null;
  /** The sum of the stateful operators' `numRowsDroppedByWatermark` in this batch. */
  numRowsDroppedByWatermark: number;
  /** Rows drawn, in arrival order: every late row up to the cap, and one in `onTimeSampleEvery` on-time rows. */
  points: LateRowPoint[];
  onTimeSampleEvery: number;
  /** Late rows not drawn (over the cap). */
  lateNotDrawn: number;
  /** Windows in this batch's output: emitted (append) or updated (update, complete). */
  outputWindows: Array<{ start: number; end: number }>;
}

/** Points per batch: the late ones first, then a sample of the on-time ones. */
const MAX_LATE_POINTS = 400;
const MAX_ON_TIME_POINTS = 100;
const MAX_OUTPUT_WINDOWS = 500;

/**
 * Where rows are judged: the input of one stateful operator (one side of a join), how
 * to read each row's event time there, and the operator's rule. Rows are read where
 * the operator reads them, so filters before it and operators chained before it count.
 */
interface Tap {
  readonly op: PhysicalOperator & StatefulOperator;
  readonly input: PhysicalOperator;
  readonly rule: LatenessRule;
  /** Each row's event time (ms), evaluated on the tapped batch; NaN for null. */
  readonly time: (batch: ColumnarBatch, ctx: ExecContext) => Float64Array;
  /** Aggregations: the key columns besides the window, by ordinal in the input (null: not all there). */
  readonly keyOrdinals: number[] | null;
  /** Spark counts late groups (aggregation) rather than late rows. */
  readonly countsGroups: boolean;
  /** The name of the event time, for the axis. */
  readonly timeName: string;
  /** Session windows: the ordinal of the session column in the input; -1 otherwise. */
  readonly sessionOrdinal: number;
  /** Whether another tap feeds this one (its rows are drawn from the first). */
  downstream: boolean;
}

interface Capture {
  batch: ColumnarBatch;
  times: Float64Array;
}

interface BatchCapture {
  batchId: number;
  batchTimestampMs: number;
  watermarkMs: number;
  lateEventsWatermarkMs: number;
  taps: (Capture | null)[];
  output: ColumnarBatch | null;
}

/**
 * Follows a running query's rows into its stateful operators, for the notebook's
 * watermark view: wraps `execute` of each stateful operator's input (keeping a
 * reference to the batch, no copy) and of the root, and works out, per batch and on
 * demand, which rows were on time, late but counted, or dropped — by the same rule
 * the operator applies, on the rows it read.
 */
export class LateRowTracer {
  private capture: BatchCapture | null = null;
  private readonly taps: Tap[];

  private constructor(
    taps: Tap[],
    root: PhysicalOperator,
    private readonly outputMode: OutputMode,
  ) {
    this.taps = taps;
    taps.forEach((tap, k) => {
      const execute = tap.input.execute.bind(tap.input);
      tap.input.execute = (ctx: ExecContext) => {
        const out = execute(ctx);
        const c = this.captureFor(ctx);
        c.taps[k] = { batch: out, times: tap.time(out, ctx) };
        return out;
      };
    });
    const executeRoot = root.execute.bind(root);
    root.execute = (ctx: ExecContext) => {
      const out = executeRoot(ctx);
      this.captureFor(ctx).output = out;
      return out;
    };
  }

  private captureFor(ctx: ExecContext): BatchCapture {
    if (this.capture === null || this.capture.batchId !== ctx.batchId) {
      this.capture = {
        batchId: ctx.batchId,
        batchTimestampMs: ctx.batchTimestampMs,
        watermarkMs: ctx.watermarkMs,
        lateEventsWatermarkMs: ctx.lateEventsWatermarkMs,
        taps: this.taps.map(() => null),
        output: null,
      };
    }
    return this.capture;
  }

  /** A tracer for a query with `withWatermark`, or null when it has none (the view does not apply). */
  static attach(root: PhysicalOperator, outputMode: OutputMode): LateRowTracer | null {
    const ops = collectOperators(root);
    const watermark = ops.find((o): o is EventTimeWatermarkExec => o instanceof EventTimeWatermarkExec);
    if (watermark === undefined) return null;
    const taps = tapsOf(ops, outputMode);
    if (taps.length === 0) taps.push(plainTap(watermark));
    for (const t of taps) t.downstream = taps.some((u) => u !== t && collectOperators(t.input).includes(u.op));
    return new LateRowTracer(taps, root, outputMode);
  }

  /** The rows of `batchId`, judged; null when that batch is not the last one captured. */
  batch(batchId: number): LateRowsBatch | null {
    const c = this.capture;
    if (c === null || c.batchId !== batchId) return null;
    return this.judge(c);
  }

  private judge(c: BatchCapture): LateRowsBatch {
    const lateWm = c.lateEventsWatermarkMs;
    const counts: LateRowCounts = { total: 0, onTime: 0, lateCounted: 0, dropped: 0 };
    let expected: number | null = 0;
    const late: Array<[number, number]> = [];
    const onTime: Array<[number, number]> = [];
    this.taps.forEach((tap, k) => {
      const cap = c.taps[k];
      if (cap === null || cap === undefined) return;
      const { batch, times } = cap;
      const drawn = !tap.downstream;
      const missed = new Set<string>();
      let droppedRows = 0;
      for (let i = 0; i < batch.numRows; i++) {
        const t = times[i] as number;
        if (Number.isNaN(t)) continue;
        const status = statusOf(tap.rule, t, lateWm, sessionEnd(tap, batch, i));
        if (status === "dropped") droppedRows++;
        if (tap.countsGroups && status !== "on-time" && tap.rule.kind === "window") {
          const key = keyOf(tap, batch, i);
          for (const w of windowsOf(tap.rule, t)) if (w.end <= lateWm) missed.add(`${key}|${w.end}`);
        } else if (tap.countsGroups && status === "dropped") missed.add(`${keyOf(tap, batch, i)}|${t}`);
        if (!drawn) continue;
        counts.total++;
        if (status === "on-time") {
          counts.onTime++;
          onTime.push([k, i]);
        } else {
          if (status === "dropped") counts.dropped++;
          else counts.lateCounted++;
          late.push([k, i]);
        }
      }
      if (expected !== null) {
        if (tap.countsGroups && tap.keyOrdinals === null && missed.size > 0) expected = null;
        else expected += tap.countsGroups ? missed.size : droppedRows;
      }
    });
    const every = Math.max(1, Math.ceil(onTime.length / MAX_ON_TIME_POINTS));
    const chosen = [...late.slice(0, MAX_LATE_POINTS), ...onTime.filter((_, j) => j % every === 0)];
    // In arrival order (by input, then row), so the chart spreads them as they came.
    chosen.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // The drawn input's rule and columns lead (a dedup before an aggregation, not the aggregation).
    const first = this.taps.find((t) => !t.downstream) ?? this.taps[0]!;
    return {
      batchId: c.batchId,
      batchTimestampMs: c.batchTimestampMs,
      watermarkMs: c.watermarkMs,
      lateEventsWatermarkMs: lateWm,
      eventTimeColumn: first.timeName,
      columns: columnsOf(first.input.output),
      columnSets: this.taps.map((t) => columnsOf(t.input.output)),
      rule: first.rule,
      outputMode: this.outputMode,
      counts,
      expectedDroppedByWatermark: expected,
      numRowsDroppedByWatermark: [...new Set(this.taps.map((t) => t.op))].reduce((s, op) => s + op.metrics.numRowsDroppedByWatermark, 0),
      points: chosen.map(([k, i]) => this.point(k, c.taps[k]!, i, lateWm)),
      onTimeSampleEvery: every,
      lateNotDrawn: Math.max(0, late.length - MAX_LATE_POINTS),
      outputWindows: c.output === null ? [] : windowsIn(c.output),
    };
  }

  private point(k: number, cap: Capture, i: number, lateWm: number): LateRowPoint {
    const tap = this.taps[k]!;
    const t = cap.times[i] as number;
    const status = statusOf(tap.rule, t, lateWm, sessionEnd(tap, cap.batch, i));
    const windows = tap.rule.kind === "window" ? windowsOf(tap.rule, t).map((w) => ({ ...w, joined: w.end > lateWm })) : [];
    let group: string | null = null;
    if (status !== "on-time" && tap.countsGroups && tap.keyOrdinals !== null) {
      const key = keyOf(tap, cap.batch, i);
      const missed = windows.filter((w) => !w.joined);
      if (missed.length > 0) group = missed.map((w) => `${key}|${w.end}`).join(" ");
      else if (status === "dropped") group = `${key}|${t}`;
    }
    return { eventTimeMs: t, status, values: cap.batch.columns.map((col) => getValue(col, i)), set: k, windows, group };
  }
}

function columnsOf(attrs: readonly Attribute[]): Array<{ name: string; type: string }> {
  return attrs.map((a) => ({ name: a.name, type: typeName(a.dataType) }));
}

function keyOf(tap: Tap, batch: ColumnarBatch, i: number): string {
  if (tap.keyOrdinals === null) return "?";
  return JSON.stringify(tap.keyOrdinals.map((o) => {
    const col = batch.columns[o];
    return col === undefined ? null : getValue(col, i);
  }));
}

/** A session row's end (its own session, before merging); NaN for other rules. */
function sessionEnd(tap: Tap, batch: ColumnarBatch, i: number): number {
  if (tap.rule.kind !== "session") return NaN;
  const col = batch.columns[tap.sessionOrdinal];
  const v = col === undefined ? null : (getValue(col, i) as StructValue | null);
  return v === null ? NaN : (v.end as number);
}

/** Epoch ms of an event-time value (a timestamp, or a window's end). */
function timeOf(v: Value): number {
  if (v === null) return NaN;
  if (typeof v === "number") return v;
  if (typeof v === "object" && !Array.isArray(v) && "end" in v) return (v as StructValue).end as number;
  return NaN;
}

/** The windows [start, end) containing t, oldest first. */
export function windowsOf(rule: { windowMs: number; slideMs: number; startMs: number }, t: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const last = windowStart(t, rule.slideMs, rule.startMs);
  for (let k = Math.ceil(rule.windowMs / rule.slideMs) - 1; k >= 0; k--) {
    const s = last - k * rule.slideMs;
    if (s <= t && t < s + rule.windowMs) out.push({ start: s, end: s + rule.windowMs });
  }
  return out;
}

/**
 * The stateful operator's rule for one row with event time t, against the late-events
 * watermark; `sessionEndMs` is the row's own session end (session rule only).
 */
export function statusOf(rule: LatenessRule, t: number, lateWm: number, sessionEndMs = NaN): LateRowStatus {
  switch (rule.kind) {
    case "none":
      return t > lateWm ? "on-time" : "late-counted";
    case "eventTime":
      return t > lateWm ? "on-time" : "dropped";
    case "session":
      if (sessionEndMs <= lateWm) return "dropped";
      return t > lateWm ? "on-time" : "late-counted";
    case "window":
      if (t > lateWm) return "on-time";
      return windowsOf(rule, t).some((w) => w.end > lateWm) ? "late-counted" : "dropped";
  }
}

/** Distinct windows (struct columns with start and end) among a batch's rows. */
function windowsIn(batch: ColumnarBatch): Array<{ start: number; end: number }> {
  const out = new Map<string, { start: number; end: number }>();
  for (const col of batch.columns) {
    for (let i = 0; i < batch.numRows && out.size < MAX_OUTPUT_WINDOWS; i++) {
      const v = getValue(col, i);
      if (v === null || typeof v !== "object" || Array.isArray(v) || !("start" in v) || !("end" in v)) break;
      const s = (v as StructValue).start as number;
      const e = (v as StructValue).end as number;
      out.set(`${s}-${e}`, { start: s, end: e });
    }
  }
  return [...out.values()];
}

/** Event times read from a column of the batch. */
function columnTime(ordinal: number): (batch: ColumnarBatch) => Float64Array {
  return (batch) => {
    const out = new Float64Array(batch.numRows);
    const col = batch.columns[ordinal];
    for (let i = 0; i < batch.numRows; i++) out[i] = col === undefined ? NaN : timeOf(getValue(col, i));
    return out;
  };
}

/** Event times from an expression (a window's time column), evaluated as the operator does. */
function exprTime(fn: CompiledExpr): (batch: ColumnarBatch, ctx: ExecContext) => Float64Array {
  return (batch, ctx) => {
    const at = fn(batch, ctx);
    const out = new Float64Array(batch.numRows);
    for (let i = 0; i < batch.numRows; i++) out[i] = timeOf(at(i));
    return out;
  };
}

/** The first column carrying watermark metadata (what dedup and joins judge by), or -1. */
const watermarkOrdinal = (attrs: readonly Attribute[]) => attrs.findIndex((a) => a.eventTimeDelayMs !== undefined);

/** A tap on the watermark operator itself, for a query whose watermark no stateful operator reads. */
function plainTap(watermark: EventTimeWatermarkExec): Tap {
  const ord = watermark.output.findIndex((a) => a.id === watermark.eventTime.id);
  return {
    op: { operatorId: -1, operatorName: "none", shouldRunAnotherBatch: () => false, metrics: emptyMetrics() } as unknown as PhysicalOperator & StatefulOperator,
    input: watermark,
    rule: { kind: "none" },
    time: columnTime(ord),
    keyOrdinals: null,
    countsGroups: false,
    timeName: watermark.eventTime.name,
    sessionOrdinal: -1,
    downstream: false,
  };
}


/** The taps of every stateful operator that reads a watermarked column, each with its own rule. */
function tapsOf(ops: readonly PhysicalOperator[], outputMode: OutputMode): Tap[] {
  const taps: Tap[] = [];
  for (const op of ops) {
    if (!isStateful(op)) continue;
    if (op instanceof StateStoreSaveExec) {
      const tap = aggregationTap(op, ops, outputMode);
      if (tap !== null) taps.push(tap);
    } else if (op instanceof SessionWindowStateStoreSaveExec) {
      const input = op.children[0]!;
      const ord = input.output.findIndex((a) => a.eventTimeDelayMs !== undefined && typeof a.dataType !== "string");
      if (ord < 0) continue;
      const name = input.output[ord]!.name;
      // The session's start is the row's event time; the engine drops late sessions in append mode.
      const time = (batch: ColumnarBatch) => {
        const out = new Float64Array(batch.numRows);
        const col = batch.columns[ord];
        for (let i = 0; i < batch.numRows; i++) {
          const v = col === undefined ? null : (getValue(col, i) as StructValue | null);
          out[i] = v === null ? NaN : (v.start as number);
        }
        return out;
      };
      taps.push({ op, input, rule: outputMode === "append" ? { kind: "session" } : { kind: "none" }, time, keyOrdinals: null, countsGroups: false, timeName: `${name}.start`, sessionOrdinal: ord, downstream: false });
    } else if (op instanceof StreamingSymmetricHashJoinExec) {
      for (const input of op.children) {
        const ord = watermarkOrdinal(input.output);
        if (ord < 0) continue;
        taps.push({ op, input, rule: { kind: "eventTime" }, time: columnTime(ord), keyOrdinals: null, countsGroups: false, timeName: input.output[ord]!.name, sessionOrdinal: -1, downstream: false });
      }
    } else {
      // Deduplication (with or within a watermark): rows at or behind the watermark are dropped, one by one.
      const input = op.children[0];
      if (input === undefined) continue;
      const ord = watermarkOrdinal(input.output);
      if (ord < 0) continue;
      taps.push({ op, input, rule: { kind: "eventTime" }, time: columnTime(ord), keyOrdinals: null, countsGroups: false, timeName: input.output[ord]!.name, sessionOrdinal: -1, downstream: false });
    }
  }
  return taps;
}

/** An aggregation's tap: the rows before the window is assigned, judged by window end (or event time). */
function aggregationTap(op: StateStoreSaveExec, ops: readonly PhysicalOperator[], outputMode: OutputMode): Tap | null {
  const wkIndex = op.groupingExpressions.findIndex((g) => g.kind === "attr" && g.eventTimeDelayMs !== undefined);
  const wk = op.groupingExpressions[wkIndex];
  if (wk === undefined || wk.kind !== "attr") return null;
  const others = op.groupingExpressions.filter((_, i) => i !== wkIndex);
  const keyAttrIds = others.every((g) => g.kind === "attr") ? others.map((g) => (g as Attribute).id) : null;
  const keysIn = (input: PhysicalOperator) => {
    const ords = keyAttrIds?.map((id) => input.output.findIndex((a) => a.id === id)) ?? null;
    return ords !== null && ords.every((o) => o >= 0) ? ords : null;
  };
  const judged = outputMode !== "complete";
  const expand = ops.find((o): o is TimeWindowExpandExec => o instanceof TimeWindowExpandExec && o.windowAttr.id === wk.id);
  const spec = op.pane !== null && op.pane.windowAttrId === wk.id ? { ...op.pane, input: op.children[0]! } : expand !== undefined ? { ...expand, input: expand.child } : null;
  if (spec !== null) {
    const input = spec.input;
    return {
      op,
      input,
      rule: judged ? { kind: "window", windowMs: spec.windowMs, slideMs: spec.slideMs, startMs: spec.startMs } : { kind: "none" },
      time: exprTime(compileExpr(spec.timeExpr, input.output)),
      keyOrdinals: keysIn(input),
      countsGroups: true,
      timeName: spec.timeExpr.kind === "attr" ? spec.timeExpr.name : "event time",
      sessionOrdinal: -1,
      downstream: false,
    };
  }
  const input = op.children[0]!;
  const ord = input.output.findIndex((a) => a.id === wk.id);
  if (ord < 0) return null;
  return {
    op,
    input,
    rule: judged ? { kind: "eventTime" } : { kind: "none" },
    time: columnTime(ord),
    keyOrdinals: keysIn(input),
    countsGroups: true,
    timeName: wk.name,
    sessionOrdinal: -1,
    downstream: false,
  };
}
