import { F64List, IntList } from "../../util/typedLists";
import type { Expr } from "../../expressions/Expression";
import { dataTypeOf } from "../../expressions/typeOf";
import { isNumericStorage } from "../../expressions/types";
import { decodeValuePart, valuePartWidth, type NumericStateFormat, type NumericValuePart } from "../../state/NumericStateFormat";
import type { NumericStateTable } from "../../state/NumericStateTable";
import type { ColumnarBatch, ColumnVector } from "../ColumnarBatch";
import type { AggregationLayout } from "../aggregation/AggregationLayout";
import type { AggregateFunction, GroupAccumulator } from "../aggregation/aggregateFunctions";
import type { ExecContext, OutputMode } from "../PhysicalOperator";
import { aggregateValueParts, mergeInto } from "./numericAggregationState";
import type { SessionGroups } from "./sessionGroups";
import { aggregateColumn, numberKeyColumn, windowColumn } from "./numericStateColumns";

/*
 * Layout in a NumericStateTable. Key: the group key's parts, then the session start. A
 * session's value: [end, next session's entry id, has next, buffers…]: the sessions of a group
 * key form a list sorted by start. The list's head is a directory entry, the group key with
 * start DIRECTORY_START, whose first value slot is the first session's entry id. Links are
 * entry ids (stable while an entry lives, and never reused while an undo log may bring it back)
 * kept in values, so walking a list costs no probe and the table's undo log versions the lists.
 *
 * The table is partitioned by start (sessionStateFormat): the directories, whose start is
 * −∞, are a partition of their own, which a group key of integer ids (user ids) indexes
 * densely (NumericStateTable): a batch's directory lookups, one per group key, read one
 * array slot and the entry, not hash slots, null flags and the entry.
 */
const END = 0;
const NEXT = 1;
const HAS_NEXT = 2;
const BUFFERS = 3;
/** The start of a directory entry's key: no session starts at −∞ (a null event time makes no session). */
const DIRECTORY_START = -Infinity;
/** Sessions all fall in partition 0 (or −1 before 1970) of this width; directories in −∞. */
const START_PARTITION_WIDTH = 2 ** 52;

/**
 * The NumericStateFormat of a session-window aggregation with a fixed gap, or undefined when
 * a group key or a buffer is not a number.
 */
export function sessionStateFormat(
  groupingExpressions: readonly Expr[],
  functions: readonly AggregateFunction[],
  sessionIndex: number,
  dynamicGap: boolean,
): NumericStateFormat | undefined {
  if (dynamicGap) return undefined;
  if (!groupingExpressions.every((g, i) => i === sessionIndex || isNumericStorage(dataTypeOf(g)))) return undefined;
  const aggs = aggregateValueParts(functions);
  if (aggs === undefined) return undefined;
  const keys = [...groupingExpressions.filter((_, i) => i !== sessionIndex).map(() => "number" as const), "number" as const];
  return {
    keys,
    values: ["number", "number", "number", ...aggs],
    // Directories apart from sessions (see the layout above).
    partitionBy: { slot: keys.length - 1, width: START_PARTITION_WIDTH },
  };
}

/** Group keys (their directory entries) registered at the end of their first session. */
interface EndBucket {
  readonly ends: number[];
  readonly dirs: number[];
}

/** Width of an eviction bucket: a bucket is visited once the watermark reaches its start. */
const END_BUCKET_MS = 1000;

/** What a batch did (for the metrics) and the rows it emits. */
export interface NumericSessionResult {
  readonly total: number;
  readonly updated: number;
  readonly removed: number;
  readonly output: ColumnarBatch;
  /** performance.now() after the merge (before eviction). */
  readonly mergedAt: number;
}

/**
 * SessionWindowStateStoreSaveExec's batch over a NumericStateTable: the rules of its tuple
 * path (merge of stored and new sessions in (start, end) order, stored first on ties, folding
 * overlapping ones; eviction of sessions ending at or before the watermark, found through the
 * end of each key's first session), with sessions as table entries updated in place.
 */
export class NumericSessionState {
  private readonly nOther: number;
  private readonly parts: readonly NumericValuePart[];
  private readonly offs: readonly number[];
  private readonly scratch: Float64Array;
  private readonly nulls: Uint8Array;
  private endIndex: Map<number, EndBucket> | null = null;
  /** The store version `endIndex` and `total` are valid for. */
  private indexVersion = -1;
  private total = 0;
  private readonly stored = new IntList();
  private readonly resStart = new F64List();
  private readonly resEnd = new F64List();
  private readonly resEntry = new IntList();
  private readonly absorbed = new IntList();
  private readonly emitted = new IntList();

  constructor(
    format: NumericStateFormat,
    private readonly layout: AggregationLayout,
    private readonly sessionIndex: number,
  ) {
    this.nOther = format.keys.length - 1;
    this.parts = format.values.slice(BUFFERS);
    let off = BUFFERS;
    this.offs = this.parts.map((p) => {
      const o = off;
      off += valuePartWidth(p);
      return o;
    });
    this.scratch = new Float64Array(this.nOther + 1);
    this.nulls = new Uint8Array(this.nOther + 1);
  }

  /** Points the scratch key at group key k of the batch (start left as it is). */
  private setGroupKey(keyVals: readonly ArrayLike<number | null>[], k: number): void {
    for (let o = 0; o < this.nOther; o++) {
      const v = (keyVals[o] as ArrayLike<number | null>)[k] ?? null;
      this.scratch[o] = v ?? 0;
      this.nulls[o] = v === null ? 1 : 0;
    }
  }

  /** The entry of the scratch group key with start `start` (null: its directory), or −1. */
  private find(table: NumericStateTable, start: number | null): number {
    const s = this.nOther;
    this.scratch[s] = start ?? DIRECTORY_START;
    this.nulls[s] = 0;
    return table.find(this.scratch, this.nulls, table.hashOf(this.scratch, this.nulls));
  }

  private insert(table: NumericStateTable, start: number | null): number {
    const s = this.nOther;
    this.scratch[s] = start ?? DIRECTORY_START;
    this.nulls[s] = 0;
    return table.insert(this.scratch, this.nulls, table.hashOf(this.scratch, this.nulls));
  }

  /** The sessions of directory `d` (entry ids, by start). */
  private sessionsOf(table: NumericStateTable, d: number, out: IntList): void {
    out.clear();
    if (d < 0) return;
    const data = table.data;
    let e = data[table.valueOffset(d)] as number;
    for (;;) {
      out.push(e);
      const v = table.valueOffset(e);
      if (data[v + HAS_NEXT] !== 1) break;
      e = data[v + NEXT] as number;
    }
  }

  private isDirectory(table: NumericStateTable, e: number): boolean {
    return table.alive[e] === 1 && table.data[table.keyOffset(e) + this.nOther] === DIRECTORY_START;
  }

  /** The end index and session total for `version`, rebuilt from the table when stale (a restart, an aborted batch). */
  private indexFor(table: NumericStateTable, version: number): Map<number, EndBucket> {
    if (this.endIndex !== null && this.indexVersion === version) return this.endIndex;
    const index = new Map<number, EndBucket>();
    let total = 0;
    const list = new IntList();
    table.forEachEntry((e) => {
      if (!this.isDirectory(table, e)) {
        total++;
        return;
      }
      this.sessionsOf(table, e, list);
      const first = list.length > 0 ? list.data[0] : undefined;
      if (first !== undefined) registerEnd(index, table.data[table.valueOffset(first) + END] as number, e);
    });
    this.endIndex = index;
    this.total = total;
    return index;
  }

  execute(table: NumericStateTable, version: number, groups: SessionGroups, mode: OutputMode, wm: number, ctx: ExecContext): NumericSessionResult {
    const index = this.indexFor(table, version);
    const { gap, numKeys, offsets, order, groupStarts, keyVals } = groups;
    const accs = groups.accumulators;
    const fns = this.layout.functions;
    const parts = this.parts;
    const offs = this.offs;
    const na = parts.length;
    // Lists reused key after key and batch after batch (a JS array emptied with `length = 0`
    // drops its storage, and 1e5 keys a batch refilled them from scratch).
    const { stored, resStart, resEnd, resEntry, absorbed } = this;
    // The merged sessions of one key: start, end, entry (−1: new; buffers in `pool` at its index × bw).
    const bw = table.vw - BUFFERS;
    let pool = new Float64Array(Math.max(1, bw) * 16);
    let updated = 0;
    let touchedBefore = 0;
    for (let k = 0; k < numKeys; k++) {
      this.setGroupKey(keyVals, k);
      const d = this.find(table, null);
      this.sessionsOf(table, d, stored);
      touchedBefore += stored.length;
      const storedFirstEnd = stored.length > 0 ? (table.data[table.valueOffset(stored.data[0] as number) + END] as number) : NaN;
      resStart.clear();
      resEnd.clear();
      resEntry.clear();
      absorbed.clear();
      // The session being built: from a stored entry (merged in place) or from the batch (in `pool`).
      let curEntry = -1;
      let curStart = NaN;
      let curEnd = NaN;
      let curPool = -1;
      let i = 0;
      let x = offsets[k] as number;
      const xEnd = offsets[k + 1] as number;
      while (i < stored.length || x < xEnd) {
        // The next session in (start, end) order, stored first on ties (as the tuple path).
        let sStart: number;
        let sEnd: number;
        let sEntry = -1;
        let g = -1;
        const o = i < stored.length ? (stored.data[i] as number) : -1;
        const oStart = o >= 0 ? (table.data[table.keyOffset(o) + this.nOther] as number) : NaN;
        const oEnd = o >= 0 ? (table.data[table.valueOffset(o) + END] as number) : NaN;
        if (x >= xEnd || (o >= 0 && (oStart < (groupStarts[order[x] as number] as number) || (oStart === groupStarts[order[x] as number] && oEnd <= (groupStarts[order[x] as number] as number) + gap)))) {
          sStart = oStart;
          sEnd = oEnd;
          sEntry = o;
          i++;
        } else {
          g = order[x] as number;
          sStart = groupStarts[g] as number;
          sEnd = sStart + gap;
          x++;
        }
        if (curStart === curStart && sStart <= curEnd) {
          // Fold s into the current session: its buffers merge after the current ones.
          curEnd = Math.max(curEnd, sEnd);
          const into = curEntry >= 0 ? table.data : pool;
          const base = curEntry >= 0 ? table.valueOffset(curEntry) : curPool * bw - BUFFERS;
          for (let j = 0; j < na; j++) {
            const b = sEntry >= 0 ? decodeValuePart(parts[j] as NumericValuePart, table.data, table.valueOffset(sEntry) + (offs[j] as number)) : (accs[j] as GroupAccumulator).buffer(g);
            mergeInto(into, base + (offs[j] as number), parts[j] as NumericValuePart, fns[j] as AggregateFunction, b);
          }
          if (sEntry >= 0) absorbed.push(sEntry);
          continue;
        }
        if (curStart === curStart) {
          resStart.push(curStart);
          resEnd.push(curEnd);
          resEntry.push(curEntry >= 0 ? curEntry : -1 - curPool);
        }
        curStart = sStart;
        curEnd = sEnd;
        if (sEntry >= 0) {
          curEntry = sEntry;
          curPool = -1;
          table.willWrite(sEntry);
        } else {
          curEntry = -1;
          curPool = resStart.length;
          if ((curPool + 1) * bw > pool.length) {
            // Positions count the stored sessions too: one new session may land far past the end.
            const grown = new Float64Array(Math.max(pool.length * 2, (curPool + 1) * bw));
            grown.set(pool);
            pool = grown;
          }
          pool.fill(0, curPool * bw, curPool * bw + bw);
          for (let j = 0; j < na; j++) mergeInto(pool, curPool * bw + (offs[j] as number) - BUFFERS, parts[j] as NumericValuePart, fns[j] as AggregateFunction, (accs[j] as GroupAccumulator).buffer(g));
        }
      }
      if (curStart === curStart) {
        resStart.push(curStart);
        resEnd.push(curEnd);
        resEntry.push(curEntry >= 0 ? curEntry : -1 - curPool);
      }
      // Absorbed sessions go first: a new session may take the start of one of them.
      for (let a = 0; a < absorbed.length; a++) table.remove(absorbed.data[a] as number);
      const n = resStart.length;
      const entries = resEntry.data;
      for (let r = 0; r < n; r++) {
        let e = entries[r] as number;
        if (e < 0) {
          const at = (-1 - e) * bw;
          e = this.insert(table, resStart.data[r] as number);
          table.data.set(pool.subarray(at, at + bw), table.valueOffset(e) + BUFFERS);
          entries[r] = e;
        }
      }
      let dir = d;
      if (dir < 0) dir = this.insert(table, null);
      else table.willWrite(dir);
      const data = table.data;
      for (let r = 0; r < n; r++) {
        const v = table.valueOffset(entries[r] as number);
        data[v + END] = resEnd.data[r] as number;
        data[v + HAS_NEXT] = r + 1 < n ? 1 : 0;
        data[v + NEXT] = r + 1 < n ? (entries[r + 1] as number) : 0;
      }
      data[table.valueOffset(dir)] = entries[0] as number;
      updated += n;
      if (storedFirstEnd !== resEnd.data[0]) registerEnd(index, resEnd.data[0] as number, dir);
    }
    const mergedAt = performance.now();
    this.total += updated - touchedBefore;
    const emitted = this.emitted;
    emitted.clear();
    let removed = 0;
    if (mode === "complete") {
      table.forEachEntry((e) => {
        if (!this.isDirectory(table, e)) emitted.push(e);
      });
    } else {
      removed = this.evict(table, index, wm, emitted, stored);
      this.total -= removed;
    }
    this.indexVersion = version + 1;
    return { total: this.total, updated, removed, output: this.outputOf(table, emitted.view(), ctx), mergedAt };
  }

  /** Evicts (and lists in `emitted`) the sessions ending at or before `wm`. Returns how many. */
  private evict(table: NumericStateTable, index: Map<number, EndBucket>, wm: number, emitted: IntList, list: IntList): number {
    const again: EndBucket = { ends: [], dirs: [] };
    const wmBucket = Math.floor(wm / END_BUCKET_MS);
    let removed = 0;
    for (const [b, bucket] of index) {
      if (b > wmBucket) continue;
      index.delete(b);
      for (let r = 0; r < bucket.ends.length; r++) {
        const end = bucket.ends[r] as number;
        const d = bucket.dirs[r] as number;
        if (end > wm) {
          again.ends.push(end);
          again.dirs.push(d);
          continue;
        }
        // A stale registration (its key gone, its id reused) finds no closed session, or the
        // closed sessions of another key: evicting those is right as well.
        if (!this.isDirectory(table, d)) continue;
        this.sessionsOf(table, d, list);
        // Sessions are disjoint and sorted: the closed ones are a prefix. A stale registration finds none.
        let closed = 0;
        const ids = list.data;
        while (closed < list.length && (table.data[table.valueOffset(ids[closed] as number) + END] as number) <= wm) closed++;
        if (closed === 0) continue;
        for (let c = 0; c < closed; c++) {
          emitted.push(ids[c] as number);
          table.remove(ids[c] as number);
        }
        removed += closed;
        if (closed === list.length) table.remove(d);
        else {
          const first = ids[closed] as number;
          table.willWrite(d);
          table.data[table.valueOffset(d)] = first;
          again.ends.push(table.data[table.valueOffset(first) + END] as number);
          again.dirs.push(d);
        }
      }
    }
    for (let r = 0; r < again.ends.length; r++) registerEnd(index, again.ends[r] as number, again.dirs[r] as number);
    return removed;
  }

  /** The output rows of session entries `es` (removed ones stay readable in their batch). */
  private outputOf(table: NumericStateTable, es: ArrayLike<number>, ctx: ExecContext): ColumnarBatch {
    const nOther = this.nOther;
    const keyCols: ColumnVector[] = [];
    const exprs = this.layout.groupingExpressions;
    for (let c = 0, o = 0; c < exprs.length; c++) {
      const dataType = dataTypeOf(exprs[c] as Expr);
      keyCols.push(
        c === this.sessionIndex
          ? windowColumn(table, es, nOther, table.kw + END, -1, dataType)
          : numberKeyColumn(table, es, o++, dataType),
      );
    }
    const aggCols = this.parts.map((p, j) =>
      aggregateColumn(table, es, this.offs[j] as number, p, this.layout.functions[j] as AggregateFunction, this.layout.aggResultType(j)),
    );
    return this.layout.buildOutputFromColumns(keyCols, aggCols, es.length, ctx);
  }
}

function registerEnd(index: Map<number, EndBucket>, end: number, dir: number): void {
  const b = Math.floor(end / END_BUCKET_MS);
  let bucket = index.get(b);
  if (bucket === undefined) index.set(b, (bucket = { ends: [], dirs: [] }));
  bucket.ends.push(end);
  bucket.dirs.push(dir);
}
