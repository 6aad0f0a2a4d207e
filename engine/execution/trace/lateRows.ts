import type { Attribute } from "../../expressions/Expression";
import { windowStart } from "../../expressions/compile";
import { typeName, type StructValue, type Value } from "../../expressions/types";
import { getValue, type ColumnarBatch } from "../ColumnarBatch";
import { EventTimeWatermarkExec } from "../operators/EventTimeWatermarkExec";
import { SessionWindowAssignExec } from "../operators/SessionWindowAssignExec";
import { SessionWindowStateStoreSaveExec } from "../operators/SessionWindowStateStoreSaveExec";
import { StateStoreSaveExec } from "../operators/StateStoreSaveExec";
import { TimeWindowExpandExec } from "../operators/TimeWindowExpandExec";
import { collectOperators, isStateful, type ExecContext, type OutputMode, type PhysicalOperator } from "../PhysicalOperator";

/**
 * What happened to a row at the stateful operator after `withWatermark`:
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
  /** The row's values, in `LateRowsBatch.columns` order (timestamps as epoch ms). */
  values: Value[];
  /** Its windows (window rules only). */
  windows: RowWindow[];
  /** The late group it fell into, when dropped from some window: "key | window end" (aggregations whose key columns the row carries). */
  group: string | null;
}

/** How rows are judged, read from the plan. */
export type LatenessRule =
  | { kind: "window"; windowMs: number; slideMs: number; startMs: number }
  | { kind: "session"; gapMs: number }
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
  eventTimeColumn: string;
  columns: Array<{ name: string; type: string }>;
  rule: LatenessRule;
  outputMode: OutputMode;
  counts: LateRowCounts;
  /**
   * What Spark counts as `numRowsDroppedByWatermark`, worked out from the rows: for an
   * aggregation, the distinct (key, window) groups rows missed (Spark counts after partial
   * aggregation); otherwise the dropped rows. Null when the key is not among the row's columns.
   */
  expectedDroppedByWatermark: number | null;
  /** The sum of the stateful operators' `numRowsDroppedByWatermark` in this batch. */
  numRowsDroppedByWatermark: number;
  /** Rows drawn; every late row up to the cap, and one in `onTimeSampleEvery` on-time rows. */
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

interface Capture {
  batchId: number;
  batchTimestampMs: number;
  watermarkMs: number;
  lateEventsWatermarkMs: number;
  input: ColumnarBatch;
  output: ColumnarBatch | null;
}

/**
 * Follows a running query's rows through `withWatermark` and its stateful operator,
 * for the notebook's watermark view: wraps the watermark operator's and the root's
 * `execute` (keeping a reference to their batches, no copy) and works out, per
 * batch and on demand, which rows were on time, late but counted, or dropped, by
 * the same rule the stateful operator applies.
 */
export class LateRowTracer {
  private capture: Capture | null = null;
  private readonly eventTimeOrdinal: number;
  private readonly keyOrdinals: number[] | null;
  readonly rule: LatenessRule;
  private readonly attrs: readonly Attribute[];
  private readonly statefulOps: ReturnType<typeof statefulOf>;

  private constructor(
    watermark: EventTimeWatermarkExec,
    root: PhysicalOperator,
    private readonly outputMode: OutputMode,
  ) {
    this.attrs = watermark.output;
    this.eventTimeOrdinal = this.attrs.findIndex((a) => a.id === watermark.eventTime.id);
    const { rule, keyAttrIds } = ruleOf(root, watermark, outputMode);
    this.rule = rule;
    this.statefulOps = statefulOf(root);
    // The aggregation's key columns, read from the row when the row carries them all.
    const ords = keyAttrIds?.map((id) => this.attrs.findIndex((a) => a.id === id)) ?? null;
    this.keyOrdinals = ords !== null && ords.every((o) => o >= 0) ? ords : null;
    const execute = watermark.execute.bind(watermark);
    watermark.execute = (ctx: ExecContext) => {
      const out = execute(ctx);
      this.capture = {
        batchId: ctx.batchId,
        batchTimestampMs: ctx.batchTimestampMs,
        watermarkMs: ctx.watermarkMs,
        lateEventsWatermarkMs: ctx.lateEventsWatermarkMs,
        input: out,
        output: null,
      };
      return out;
    };
    const executeRoot = root.execute.bind(root);
    root.execute = (ctx: ExecContext) => {
      const out = executeRoot(ctx);
      if (this.capture !== null && this.capture.batchId === ctx.batchId) this.capture.output = out;
      return out;
    };
  }

  /** A tracer for a query with `withWatermark`, or null when it has none (the view does not apply). */
  static attach(root: PhysicalOperator, outputMode: OutputMode): LateRowTracer | null {
    const wm = collectOperators(root).find((o): o is EventTimeWatermarkExec => o instanceof EventTimeWatermarkExec);
    return wm === undefined ? null : new LateRowTracer(wm, root, outputMode);
  }

  /** The rows of `batchId`, judged; null when that batch is not the last one captured (a no-data batch reads no rows). */
  batch(batchId: number): LateRowsBatch | null {
    const c = this.capture;
    if (c === null || c.batchId !== batchId) return null;
    return this.judge(c);
  }

  private judge(c: Capture): LateRowsBatch {
    const { input } = c;
    const lateWm = c.lateEventsWatermarkMs;
    const rule = this.rule;
    const counts: LateRowCounts = { total: 0, onTime: 0, lateCounted: 0, dropped: 0 };
    const missedGroups = new Set<string>();
    const late: number[] = [];
    const onTime: number[] = [];
    const timeCol = input.columns[this.eventTimeOrdinal];
    const n = input.numRows;
    for (let i = 0; i < n; i++) {
      const t = timeCol === undefined ? null : timeOf(getValue(timeCol, i));
      if (t === null) continue;
      counts.total++;
      const status = statusOf(rule, t, lateWm);
      if (status === "on-time") {
        counts.onTime++;
        onTime.push(i);
        continue;
      }
      if (status === "dropped") counts.dropped++;
      else counts.lateCounted++;
      late.push(i);
      if (rule.kind === "window") {
        const key = this.keyOf(input, i);
        for (const w of windowsOf(rule, t)) if (w.end <= lateWm) missedGroups.add(`${key}|${w.end}`);
      } else if (status === "dropped") {
        missedGroups.add(rule.kind === "eventTime" && this.keyOrdinals !== null && this.isAggregation() ? `${this.keyOf(input, i)}|${t}` : `row ${i}`);
      }
    }
    const every = Math.max(1, Math.ceil(onTime.length / MAX_ON_TIME_POINTS));
    const drawn = [...late.slice(0, MAX_LATE_POINTS), ...onTime.filter((_, j) => j % every === 0)];
    const points = drawn.map((i) => this.point(input, i, lateWm));
    return {
      batchId: c.batchId,
      batchTimestampMs: c.batchTimestampMs,
      watermarkMs: c.watermarkMs,
      lateEventsWatermarkMs: lateWm,
      eventTimeColumn: this.attrs[this.eventTimeOrdinal]?.name ?? "",
      columns: this.attrs.map((a) => ({ name: a.name, type: typeName(a.dataType) })),
      rule,
      outputMode: this.outputMode,
      counts,
      expectedDroppedByWatermark: rule.kind === "none" ? 0 : this.isAggregation() && this.keyOrdinals === null ? null : missedGroups.size,
      numRowsDroppedByWatermark: this.statefulOps.reduce((s, op) => s + op.metrics.numRowsDroppedByWatermark, 0),
      points,
      onTimeSampleEvery: every,
      lateNotDrawn: Math.max(0, late.length - MAX_LATE_POINTS),
      outputWindows: c.output === null ? [] : windowsIn(c.output),
    };
  }

  private isAggregation(): boolean {
    return this.statefulOps.some((op) => op instanceof StateStoreSaveExec);
  }

  private keyOf(input: ColumnarBatch, i: number): string {
    if (this.keyOrdinals === null) return "?";
    return JSON.stringify(this.keyOrdinals.map((o) => {
      const col = input.columns[o];
      return col === undefined ? null : getValue(col, i);
    }));
  }

  private point(input: ColumnarBatch, i: number, lateWm: number): LateRowPoint {
    const values = input.columns.map((col) => getValue(col, i));
    const t = timeOf(values[this.eventTimeOrdinal] ?? null) as number;
    const status = statusOf(this.rule, t, lateWm);
    const windows = this.rule.kind === "window" ? windowsOf(this.rule, t).map((w) => ({ ...w, joined: w.end > lateWm })) : [];
    let group: string | null = null;
    if (status !== "on-time" && this.keyOrdinals !== null) {
      const missed = windows.filter((w) => !w.joined);
      if (missed.length > 0) group = missed.map((w) => `${this.keyOf(input, i)}|${w.end}`).join(" ");
      else if (status === "dropped") group = `${this.keyOf(input, i)}|${t}`;
    }
    return { eventTimeMs: t, status, values, windows, group };
  }
}

function statefulOf(root: PhysicalOperator) {
  return collectOperators(root).filter(isStateful);
}

/** Epoch ms of an event-time value (a timestamp, or a window's end). */
function timeOf(v: Value): number | null {
  if (v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "object" && !Array.isArray(v) && "end" in v) return (v as StructValue).end as number;
  return null;
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

/** The stateful operator's rule for one row with event time t, against the late-events watermark. */
export function statusOf(rule: LatenessRule, t: number, lateWm: number): LateRowStatus {
  if (t > lateWm) return "on-time";
  switch (rule.kind) {
    case "none":
      return "late-counted";
    case "eventTime":
      return "dropped";
    case "session":
      return t + rule.gapMs <= lateWm ? "dropped" : "late-counted";
    case "window":
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

/** The rule of the first stateful operator that judges rows by this watermark's column. */
function ruleOf(
  root: PhysicalOperator,
  watermark: EventTimeWatermarkExec,
  outputMode: OutputMode,
): { rule: LatenessRule; keyAttrIds: number[] | null } {
  const ops = collectOperators(root);
  const stateful = ops.filter(isStateful);
  if (stateful.length === 0) return { rule: { kind: "none" }, keyAttrIds: null };
  const agg = stateful.find((o): o is StateStoreSaveExec => o instanceof StateStoreSaveExec);
  if (agg !== undefined) {
    if (outputMode === "complete") return { rule: { kind: "none" }, keyAttrIds: null };
    const wkIndex = agg.groupingExpressions.findIndex((g) => g.kind === "attr" && g.eventTimeDelayMs !== undefined);
    const wk = agg.groupingExpressions[wkIndex];
    const others = agg.groupingExpressions.filter((_, i) => i !== wkIndex);
    const keyAttrIds = others.every((g) => g.kind === "attr") ? others.map((g) => (g as Attribute).id) : null;
    if (wk === undefined || wk.kind !== "attr") return { rule: { kind: "none" }, keyAttrIds };
    if (wk.id === watermark.eventTime.id) return { rule: { kind: "eventTime" }, keyAttrIds };
    const spec =
      agg.pane !== null && agg.pane.windowAttrId === wk.id
        ? agg.pane
        : ops.find((o): o is TimeWindowExpandExec => o instanceof TimeWindowExpandExec && o.windowAttr.id === wk.id);
    if (spec !== undefined) return { rule: { kind: "window", windowMs: spec.windowMs, slideMs: spec.slideMs, startMs: spec.startMs }, keyAttrIds };
    return { rule: { kind: "none" }, keyAttrIds };
  }
  if (stateful.some((o) => o instanceof SessionWindowStateStoreSaveExec)) {
    const assign = ops.find((o): o is SessionWindowAssignExec => o instanceof SessionWindowAssignExec);
    // A per-row gap (gapExpr) is judged by the row's own gap only at the operator; the static gap is exact.
    if (assign !== undefined && assign.gapExpr === null) return { rule: { kind: "session", gapMs: assign.gapMs }, keyAttrIds: null };
    return { rule: { kind: "eventTime" }, keyAttrIds: null };
  }
  // Deduplication and stream-stream joins drop the rows at or behind the watermark themselves.
  return { rule: { kind: "eventTime" }, keyAttrIds: null };
}
