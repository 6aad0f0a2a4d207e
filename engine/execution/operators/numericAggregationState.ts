import type { Expr } from "../../expressions/Expression";
import { dataTypeOf } from "../../expressions/typeOf";
import { isNumericStorage, typeName, WINDOW_TYPE, type Value } from "../../expressions/types";
import { encodeKeyPart, keyPartWidth, keySlotOf, valuePartWidth, type NumericKeyPart, type NumericStateFormat, type NumericValuePart } from "../../state/NumericStateFormat";
import type { NumericStateTable } from "../../state/NumericStateTable";
import type { ColumnarBatch, ColumnVector } from "../ColumnarBatch";
import type { AggregationLayout } from "../aggregation/AggregationLayout";
import type { AggregateFunction, GroupAccumulator } from "../aggregation/aggregateFunctions";
import type { KeySpec, PartialAggregation } from "../aggregation/partialAggregate";
import type { PaneWindowSpec } from "../aggregation/paneAggregate";
import { windowStart } from "../../expressions/compile";
import { NumericKeyIndex } from "../aggregation/NumericKeyIndex";
import type { ExecContext, OutputMode } from "../PhysicalOperator";
import { IntList } from "../../util/typedLists";
import { ScratchSlot } from "../../util/scratch";
import { aggregateColumn, gatherRecords, numberKeyColumn, windowColumn } from "./numericStateColumns";
import { TypedWindowColumn } from "../TypedWindowColumn";

const WINDOW_NAME = typeName(WINDOW_TYPE);

/**
 * Working arrays of `executeDirect`'s key columns (a narrow source column copied into one),
 * read only within the call: shared by every query, since a fresh 1e5-row array costs a new
 * query about 200 page faults (2 ms on the dev VM).
 */
const directKeyScratch: ScratchSlot[] = [];

/**
 * The NumericStateFormat of a streaming aggregation, or undefined when a key or a buffer is
 * not a number: keys that are numbers, timestamps or windows; count, sum, min, max and avg
 * over numbers.
 */
export function aggregationStateFormat(groupingExpressions: readonly Expr[], functions: readonly AggregateFunction[], watermarkKey: number): NumericStateFormat | undefined {
  const keys: NumericKeyPart[] = [];
  for (const g of groupingExpressions) {
    const t = dataTypeOf(g);
    if (isNumericStorage(t)) keys.push("number");
    else if (typeName(t) === WINDOW_NAME) keys.push("window");
    else return undefined;
  }
  const values = aggregateValueParts(functions);
  if (values === undefined) return undefined;
  if (watermarkKey < 0) return { keys, values };
  // Partitioned by the event time compared with the watermark (a window's end): eviction drops whole partitions.
  const slot = keySlotOf({ keys, values }, watermarkKey) + (keys[watermarkKey] === "window" ? 1 : 0);
  return { keys, values, partitionBy: { slot, width: 1 } };
}

/** The NumericValueParts of aggregate buffers (count, sum/min/max over numbers, avg), or undefined when one is not a number. */
export function aggregateValueParts(functions: readonly AggregateFunction[]): NumericValuePart[] | undefined {
  const values: NumericValuePart[] = [];
  for (const f of functions) {
    if (f.name === "count") values.push("number");
    else if ((f.name === "sum" || f.name === "min" || f.name === "max") && isNumericStorage(f.resultType)) values.push("nullableNumber");
    else if (f.name === "avg") values.push("pair");
    else return undefined;
  }
  return values;
}

/** What a batch did to the state (for the operator's metrics) and the rows it emits. */
export interface NumericMergeResult {
  readonly updated: number;
  readonly removed: number;
  readonly dropped: number;
  readonly output: ColumnarBatch;
}

/**
 * StateStoreSaveExec's batch over a NumericStateTable: the same steps and answers as its
 * tuple path (late groups dropped by the late-events watermark, merge, emit by output mode,
 * eviction by the watermark), with the state's buffers updated in place and the emitted
 * rows read from the table as columns.
 */
export class NumericAggregationState {
  /** Key slot holding the event time compared with the watermark (a window's end), or −1. */
  private readonly timeSlot: number;
  /** First value slot of each aggregate call. */
  private readonly valueOffsets: number[];
  private readonly scratch: Float64Array;
  private readonly scratchNulls: Uint8Array;

  constructor(
    private readonly format: NumericStateFormat,
    private readonly layout: AggregationLayout,
    watermarkKey: number,
  ) {
    let slot = 0;
    let timeSlot = -1;
    format.keys.forEach((p, i) => {
      if (i === watermarkKey) timeSlot = p === "window" ? slot + 1 : slot;
      slot += keyPartWidth(p);
    });
    this.timeSlot = timeSlot;
    this.scratch = new Float64Array(slot);
    this.scratchNulls = new Uint8Array(slot);
    let off = 0;
    this.valueOffsets = format.values.map((p) => {
      const o = off;
      off += valuePartWidth(p);
      return o;
    });
    const pane = layout.paneSpec;
    this.direct =
      pane !== null &&
      pane.windowMs === pane.slideMs &&
      pane.timeColumn !== undefined &&
      layout.keys.every((k) => k.columnOf !== undefined) &&
      layout.aggs.every((a) => a.fn.name === "count" && a.arg === null);
    this.panesApply =
      pane !== null &&
      pane.windowMs !== pane.slideMs &&
      layout.keys.every((k) => isNumericStorage(k.dataType)) &&
      format.values.every((p, j) => p === "number" && (layout.functions[j] as AggregateFunction).name === "count");
  }

  /** Whether a batch goes from its pane groups straight to the state (`executePanes`): a sliding window, numeric keys, only counts. */
  private readonly panesApply: boolean;

  /**
   * Whether a batch may go straight from rows to state entries (`executeDirect`): a tumbling
   * window over a time column, other keys that are plain columns, only count(*).
   */
  private readonly direct: boolean;
  /** Groups per input row in the last batch (NaN before the first: see `executeDirect`). */
  private groupsPerRow = NaN;
  /** New state entries per input row in the last batch that went straight to the state. */
  private insertsPerRow = 0;
  /** The entries a batch emits (kept for the next batch: see IntList). */
  private readonly emitted = new IntList();


  /**
   * The batch from its rows, or undefined when it needs a partial aggregation first
   * (then call `execute`). Rows go straight to their state entries — one probe per row
   * instead of one into the batch's groups and one per group into the state — with the
   * same answers: late rows are counted by distinct late group (Spark counts groups after
   * its partial aggregation), updated groups in the order of their first row.
   */
  executeDirect(table: NumericStateTable, batch: ColumnarBatch, mode: OutputMode, wm: number, lateWm: number, ctx: ExecContext): NumericMergeResult | undefined {
    // Straight to the state only when a batch has many groups for its rows (Spark skips
    // partial aggregation on the same grounds): few groups aggregate faster in a small table first.
    if (!this.direct || this.groupsPerRow < 0.1) return undefined;
    const pane = this.layout.paneSpec as PaneWindowSpec;
    const timeCol = batch.columns[pane.timeColumn as number];
    if (timeCol === undefined || !(timeCol.values instanceof Float64Array) || timeCol.nulls !== null) return undefined;
    const times = timeCol.values;
    const others: Float64Array[] = [];
    for (let ki = 0; ki < this.layout.keys.length; ki++) {
      const k = this.layout.keys[ki] as KeySpec;
      const slot = (directKeyScratch[ki] ??= new ScratchSlot());
      // Plain columns here (a window key is not among them); `into` holds a narrow source column's values.
      const c = (k.columnOf as NonNullable<typeof k.columnOf>)(batch, ctx, () => slot.float64(batch.numRows));
      if (c === null) return undefined;
      others.push(c);
    }
    const n = batch.numRows;
    const windowMs = pane.windowMs;
    const offset = ((pane.startMs % windowMs) + windowMs) % windowMs;
    // The first batch has no last batch to go by: its first rows tell. A sample has more
    // distinct groups per row than its whole batch, hence the higher bar.
    if (this.groupsPerRow !== this.groupsPerRow) {
      const sampled = sampledGroupsPerRow(times, others, n, windowMs, offset);
      if (sampled < 0.8) return undefined;
      // The next batch reserves by it. Not this one: 2,048 sampled rows cannot tell 1e5 keys
      // from 1e7, and a first batch (a backlog) over a few thousand keys must not reserve an
      // entry a row (the table never shrinks); it grows by half, into a released table's
      // arrays when the pool has them.
      this.insertsPerRow = sampled;
    }
    const nk = this.format.keys.length;
    const wki = pane.windowKeyIndex;
    // Key slot of each non-window key, in the layout's order.
    const otherSlots: number[] = [];
    let windowSlot = 0;
    for (let c = 0, s = 0; c < nk; c++) {
      if (c === wki) windowSlot = s;
      else otherSlots.push(s);
      s += keyPartWidth(this.format.keys[c] as NumericKeyPart);
    }
    const no = others.length;
    const key = this.scratch;
    const nulls = this.scratchNulls;
    nulls.fill(0);
    const ts = this.timeSlot;
    const useWatermark = ts >= 0 && mode !== "complete";
    const stride = table.stride;
    const kw = table.kw;
    const na = this.format.values.length;
    const emitted = this.emitted;
    emitted.clear();
    // Update mode emits the updated groups; the others only count them.
    const listUpdated = mode === "update";
    let updated = 0;
    let late: NumericKeyIndex | null = null;
    // As many new groups as the last batch made per row: the table grows once, not by doubling.
    // At most double it: a huge batch after a small one would otherwise reserve for keys it repeats.
    table.reserve(Math.min(Math.ceil(n * this.insertsPerRow), Math.max(1024, table.size)));
    let inserts = 0;
    for (let i = 0; i < n; i++) {
      const v = times[i] as number;
      // The pane start as paneAggregate computes it (a division, checked; fmod when off).
      let p = Math.floor((v - offset) / windowMs) * windowMs + offset;
      if (!(p <= v && v < p + windowMs)) {
        const r = (v - offset) % windowMs;
        p = v - (r < 0 ? r + windowMs : r);
      }
      key[windowSlot] = p;
      key[windowSlot + 1] = p + windowMs;
      for (let o = 0; o < no; o++) key[otherSlots[o] as number] = (others[o] as Float64Array)[i] as number;
      const t = ts >= 0 ? (key[ts] as number) : NaN;
      if (useWatermark && t <= lateWm) {
        (late ??= new NumericKeyIndex(key.length, 64)).groupOf(key, nulls);
        continue;
      }
      const e = table.findOrInsertKey(key);
      if (table.inserted) inserts++;
      const first = table.inserted || table.willWrite(e);
      if (first) {
        updated++;
        if (listUpdated) emitted.push(e);
      }
      const vals = table.data;
      const base = e * stride + kw;
      for (let j = 0; j < na; j++) vals[base + j] = (vals[base + j] as number) + 1;
    }
    if (n > 0) {
      this.groupsPerRow = updated / n;
      this.insertsPerRow = inserts / n;
    }
    const removed = this.finish(table, useWatermark, emitted, mode, wm);
    return { updated, removed, dropped: late === null ? 0 : late.size, output: this.outputOf(table, emitted.view(), ctx) };
  }

  /** The batch from its partial aggregation (`rowsIn`: the batch's input rows). */
  execute(table: NumericStateTable, partial: PartialAggregation, rowsIn: number, mode: OutputMode, wm: number, lateWm: number, ctx: ExecContext): NumericMergeResult {
    if (partial.numGroups > 0) this.groupsPerRow = partial.numGroups / Math.max(1, rowsIn);
    const fns = this.layout.functions;
    const accs = partial.accumulators;
    const na = accs.length;
    const parts = this.format.values;
    const offs = this.valueOffsets;
    const keyParts = this.format.keys;
    const keyCols = partial.keyValues;
    const nk = keyCols.length;
    const key = this.scratch;
    const nulls = this.scratchNulls;
    const ts = this.timeSlot;
    const useWatermark = ts >= 0 && mode !== "complete";
    const emitted = this.emitted;
    emitted.clear();
    let dropped = 0;
    let updated = 0;
    // Count-only aggregations (the common case) skip the per-part dispatch.
    const countOnly = parts.every((p, j) => p === "number" && (fns[j] as AggregateFunction).name === "count");
    // An empty table (the first batch) is about to take every group: grow it once.
    if (table.size === 0) table.reserve(partial.numGroups);
    let inserts = 0;
    for (let g = 0; g < partial.numGroups; g++) {
      let s = 0;
      for (let c = 0; c < nk; c++) {
        const p = keyParts[c] as NumericKeyPart;
        encodeKeyPart(p, (keyCols[c] as readonly Value[])[g] ?? null, key, nulls, s);
        s += keyPartWidth(p);
      }
      const t = ts >= 0 && nulls[ts] === 0 ? (key[ts] as number) : null;
      if (useWatermark && t !== null && t <= lateWm) {
        dropped++;
        continue;
      }
      const h = table.hashOf(key, nulls);
      let e = table.find(key, nulls, h);
      if (e < 0) {
        e = table.insert(key, nulls, h);
        inserts++;
      } else table.willWrite(e);
      const vals = table.data;
      const base = table.valueOffset(e);
      if (countOnly) {
        for (let j = 0; j < na; j++) vals[base + j] = (vals[base + j] as number) + ((accs[j] as GroupAccumulator).buffer(g) as number);
      } else {
        for (let j = 0; j < na; j++) mergeInto(vals, base + (offs[j] as number), parts[j] as NumericValuePart, fns[j] as AggregateFunction, (accs[j] as GroupAccumulator).buffer(g));
      }
      updated++;
      if (mode === "update") emitted.push(e);
    }
    if (rowsIn > 0) this.insertsPerRow = inserts / rowsIn;
    const removed = this.finish(table, useWatermark, emitted, mode, wm);
    return { updated, removed, dropped, output: this.outputOf(table, emitted.view(), ctx) };
  }

  /**
   * A sliding window's batch through `executePanes`, or undefined when the layout has no
   * sliding pane window over numeric keys or an aggregate is not a count.
   */
  executePanesOf(table: NumericStateTable, batch: ColumnarBatch, mode: OutputMode, wm: number, lateWm: number, ctx: ExecContext): NumericMergeResult | undefined {
    const spec = this.layout.paneSpec;
    if (!this.panesApply || spec === null) return undefined;
    return this.executePanes(table, this.layout.aggregatePanes(batch, ctx), spec, mode, wm, lateWm, ctx);
  }

  /**
   * A sliding window's batch from its pane groups (`paneGroups`), when every aggregate is a
   * count: each pane's count goes straight into the state entries of the windows it lies in,
   * without first building the batch's (window, keys) groups. The same answers as `execute`
   * over paneAggregate's windows: entries updated and emitted in the order paneAggregate
   * numbers its windows, a late (window, keys) group counted once however many panes fed it.
   * Only for layouts where `panesApply` holds (every aggregate a count).
   */
  private executePanes(table: NumericStateTable, panes: PartialAggregation, spec: PaneWindowSpec, mode: OutputMode, wm: number, lateWm: number, ctx: ExecContext): NumericMergeResult {
    const keyParts = this.format.keys;
    const nk = keyParts.length;
    const wki = spec.windowKeyIndex;
    // Slot of each key part; the pane groups hold the window's pane at 0, the other keys after it.
    const slots = keyParts.map((_, c) => keySlotOf(this.format, c));
    const ws = slots[wki] as number;
    const { windowMs, slideMs, startMs } = spec;
    const maxOverlap = Math.ceil(windowMs / slideMs);
    const paneStarts = panes.keyValues[0] as ArrayLike<Value>;
    const accs = panes.accumulators;
    const na = accs.length;
    const key = this.scratch;
    const nulls = this.scratchNulls;
    const ts = this.timeSlot;
    const useWatermark = ts >= 0 && mode !== "complete";
    const emitted = this.emitted;
    emitted.clear();
    const listUpdated = mode === "update";
    let updated = 0;
    let late: NumericKeyIndex | null = null;
    for (let g = 0; g < panes.numGroups; g++) {
      const p = paneStarts[g] as number | null;
      if (p === null) continue; // null event time: no window (Spark drops the row)
      for (let c = 0, o = 1; c < nk; c++) {
        if (c === wki) continue;
        encodeKeyPart(keyParts[c] as NumericKeyPart, (panes.keyValues[o++] as ArrayLike<Value>)[g] ?? null, key, nulls, slots[c] as number);
      }
      nulls[ws] = nulls[ws + 1] = 0;
      let noNulls = true;
      for (let k = 0; k < nulls.length; k++) if (nulls[k] === 1) noNulls = false;
      const last = windowStart(p, slideMs, startMs);
      for (let k = 0; k < maxOverlap; k++) {
        const start = last - k * slideMs;
        if (!(start <= p && p < start + windowMs)) continue;
        key[ws] = start;
        key[ws + 1] = start + windowMs;
        if (useWatermark && nulls[ts] === 0 && (key[ts] as number) <= lateWm) {
          (late ??= new NumericKeyIndex(key.length, 64)).groupOf(key, nulls);
          continue;
        }
        let e: number;
        let first: boolean;
        if (noNulls) {
          // One probe finds or inserts.
          e = table.findOrInsertKey(key);
          first = table.inserted || table.willWrite(e);
        } else {
          const h = table.hashOf(key, nulls);
          e = table.find(key, nulls, h);
          if (e < 0) {
            e = table.insert(key, nulls, h);
            first = true;
          } else first = table.willWrite(e);
        }
        if (first) {
          updated++;
          if (listUpdated) emitted.push(e);
        }
        const vals = table.data;
        const base = table.valueOffset(e);
        for (let j = 0; j < na; j++) vals[base + j] = (vals[base + j] as number) + ((accs[j] as GroupAccumulator).buffer(g) as number);
      }
    }
    const removed = this.finish(table, useWatermark, emitted, mode, wm);
    return { updated, removed, dropped: late === null ? 0 : late.size, output: this.outputOf(table, emitted.view(), ctx) };
  }

  /** After the merge: complete mode emits every entry; otherwise expired entries are evicted (and emitted in append mode). Returns how many were evicted. */
  private finish(table: NumericStateTable, evicts: boolean, emitted: IntList, mode: OutputMode, wm: number): number {
    let removed = 0;
    if (mode === "complete") {
      for (const e of table.liveEntries()) emitted.push(e);
    } else if (evicts) {
      // The state is partitioned by the watermarked event time (NumericStateFormat.partitionBy).
      removed = table.removeUpTo(wm, mode === "append" ? emitted : undefined);
    }
    return removed;
  }

  /**
   * `outputOf` for keys without nulls and values that are plain numbers (counts): every column
   * gathered in one pass over the entries' records (gatherRecords).
   */
  private outputOfRecords(table: NumericStateTable, es: ArrayLike<number>, ctx: ExecContext): ColumnarBatch {
    const kw = table.kw;
    const offsets: number[] = [];
    for (let k = 0; k < kw; k++) offsets.push(k);
    for (const o of this.valueOffsets) offsets.push(kw + o);
    const cols = gatherRecords(table, es, offsets);
    const n = es.length;
    const keyCols: ColumnVector[] = [];
    let s = 0;
    this.format.keys.forEach((p, c) => {
      const dataType = dataTypeOf(this.layout.groupingExpressions[c] as Expr);
      const values = cols[s] as Float64Array;
      keyCols.push(p === "window" ? new TypedWindowColumn(dataType, n, values, cols[s + 1] as Float64Array) : { dataType, length: n, values, nulls: null });
      s += keyPartWidth(p);
    });
    const aggCols: ColumnVector[] = this.valueOffsets.map((_, j) => ({ dataType: this.layout.aggResultType(j), length: n, values: cols[kw + j] as Float64Array, nulls: null }));
    return this.layout.buildOutputFromColumns(keyCols, aggCols, n, ctx);
  }

  /** The output rows of entries `es` (a removed entry's data stays readable in its batch). */
  private outputOf(table: NumericStateTable, es: ArrayLike<number>, ctx: ExecContext): ColumnarBatch {
    if (!table.hasNullKeys && this.format.values.every((p) => p === "number")) return this.outputOfRecords(table, es, ctx);
    const keyCols: ColumnVector[] = [];
    let s = 0;
    this.format.keys.forEach((p, c) => {
      const dataType = dataTypeOf(this.layout.groupingExpressions[c] as Expr);
      const at = s;
      keyCols.push(
        p === "window"
          ? windowColumn(table, es, at, at + 1, at, dataType)
          : numberKeyColumn(table, es, at, dataType),
      );
      s += keyPartWidth(p);
    });
    const aggCols = this.format.values.map((p, j) =>
      aggregateColumn(table, es, this.valueOffsets[j] as number, p, this.layout.functions[j] as AggregateFunction, this.layout.aggResultType(j)),
    );
    return this.layout.buildOutputFromColumns(keyCols, aggCols, es.length, ctx);
  }
}

/** Rows of a first batch sampled to choose how it is aggregated. */
const SAMPLE_ROWS = 2048;

/** Distinct (window, keys) groups per row among a batch's first rows (tumbling windows of `windowMs` from `offset`). */
export function sampledGroupsPerRow(times: Float64Array, others: readonly Float64Array[], n: number, windowMs: number, offset: number): number {
  const m = Math.min(n, SAMPLE_ROWS);
  if (m === 0) return 0;
  const no = others.length;
  const key = new Float64Array(no + 1);
  const nulls = new Uint8Array(no + 1);
  const groups = new NumericKeyIndex(no + 1, m);
  for (let i = 0; i < m; i++) {
    // Rows of one window share floor((t − offset) / size): the window itself is not needed to tell groups apart.
    key[0] = Math.floor(((times[i] as number) - offset) / windowMs);
    for (let o = 0; o < no; o++) key[o + 1] = (others[o] as Float64Array)[i] as number;
    groups.groupOf(key, nulls);
  }
  return groups.size / m;
}

/** Merges a batch's buffer `b` into the stored part at `at`, as `fn.mergeBuffers` would. */
export function mergeInto(vals: Float64Array, at: number, p: NumericValuePart, fn: AggregateFunction, b: Value): void {
  switch (p) {
    case "number":
      vals[at] = (vals[at] as number) + (b as number);
      return;
    case "nullableNumber":
      if (b === null) return;
      if (vals[at + 1] === 1) vals[at] = fn.mergeBuffers(vals[at] as number, b) as number;
      else {
        vals[at] = b as number;
        vals[at + 1] = 1;
      }
      return;
    case "pair": {
      const pb = b as readonly number[];
      vals[at] = (vals[at] as number) + (pb[0] as number);
      vals[at + 1] = (vals[at + 1] as number) + (pb[1] as number);
      return;
    }
  }
}
