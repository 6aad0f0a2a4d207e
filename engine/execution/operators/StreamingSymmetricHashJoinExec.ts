import { references, type Attribute, type Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import type { Value } from "../../expressions/types";
import type { JoinType } from "../../plan/LogicalPlan";
import { exprString } from "../../plan/exprString";
import { extractEquiJoinKeys, joinKeyOrdinalForWatermark, stateValueWatermark } from "../../plan/streamingJoinHelper";
import type { StateKey, StateStore } from "../../state/StateStore";
import { TupleMap } from "../../state/TupleMap";
import { IllegalStateException } from "../../util/errors";
import { batchFromRows, batchToRows, ColumnBuilder, gatherRows, getValue, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import {
  batchStateMetrics,
  PhysicalOperator,
  type ExecContext,
  type OutputMode,
  type StateOperatorMetrics,
  type StatefulOperator,
} from "../PhysicalOperator";
import { emptyMetrics } from "./StateStoreSaveExec";
import { eventTimeOfValue } from "./StreamingDeduplicateExec";

/** One buffered input row and whether it has joined yet (Spark's state format v2 `matched`). */
export type JoinStateEntry = readonly [row: readonly Value[], matched: boolean];

const LEFT = 0;
const RIGHT = 1;
type Side = typeof LEFT | typeof RIGHT;

/**
 * Spark's StreamingSymmetricHashJoinExec: a stream-stream join that buffers the rows of both
 * sides in state. The state store key is `[side, ...joinKeyValues]` (side 0 = left, 1 = right),
 * the value the list of buffered rows of that key with their `matched` flag.
 *
 * Per batch, as Spark: the left input joins the right state and is added to the left state,
 * then the right input joins the left state (now holding this batch's left rows too) and is
 * added to the right state. Rows at or below the late-events watermark (by their side's
 * event-time column) are dropped and counted. A row that the state watermark would remove
 * at once is not buffered (an outer side's unmatched row is emitted null-padded instead).
 * Then the state of each side is cleaned with the eviction watermark: by the join key that
 * carries a watermark (window equi-join), or by the state value watermark derived from the
 * time-range condition (StreamingJoinHelper); outer joins emit the unmatched evicted rows
 * padded with nulls. Left semi joins emit each left row once, on its first match.
 */
export class StreamingSymmetricHashJoinExec extends PhysicalOperator implements StatefulOperator {
  readonly children: readonly PhysicalOperator[];
  readonly operatorName = "symmetricHashJoin";
  metrics: StateOperatorMetrics = emptyMetrics();
  private readonly keyFns: [CompiledExpr[], CompiledExpr[]];
  private readonly residual: CompiledExpr | null;
  private readonly preJoinFilters: [CompiledExpr | null, CompiledExpr | null];
  private readonly pairTypes: Attribute[];
  private readonly keyOrdinal: number;
  /** Ordinal of each side's event-time column in its output, or -1. */
  private readonly timeOrdinals: [number, number];
  private lastWatermarkMs: number | undefined;
  private lastEvictionWatermarkMs: number | undefined;
  private rowCount: number | null = null;

  constructor(
    readonly operatorId: number,
    readonly joinType: JoinType,
    readonly condition: Expr | null,
    readonly output: readonly Attribute[],
    readonly left: PhysicalOperator,
    readonly right: PhysicalOperator,
  ) {
    super();
    this.children = [left, right];
    const { leftKeys, rightKeys, rest } = extractEquiJoinKeys(condition, left.output, right.output);
    this.keyFns = [leftKeys.map((k) => compileExpr(k, left.output)), rightKeys.map((k) => compileExpr(k, right.output))];
    this.pairTypes = [...left.output, ...right.output];
    // Spark's JoinConditionSplitPredicates: conjuncts over one side only filter that side's
    // rows before the join (a failing row is never buffered; an outer side's comes out
    // null-padded at once); the rest is evaluated on each candidate pair.
    const conj = (es: Expr[]): Expr | null => (es.length === 0 ? null : es.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b })));
    const ids = (attrs: readonly Attribute[]) => new Set(attrs.map((a) => a.id));
    const [leftIds, rightIds] = [ids(left.output), ids(right.output)];
    const only = (e: Expr, s: Set<number>) => [...references(e)].every((id) => s.has(id)) && references(e).size > 0;
    const leftOnly = rest.filter((e) => only(e, leftIds));
    const rightOnly = rest.filter((e) => !leftOnly.includes(e) && only(e, rightIds));
    const both = conj(rest.filter((e) => !leftOnly.includes(e) && !rightOnly.includes(e)));
    const lo = conj(leftOnly);
    const ro = conj(rightOnly);
    this.preJoinFilters = [lo === null ? null : compileExpr(lo, left.output), ro === null ? null : compileExpr(ro, right.output)];
    this.residual = both === null ? null : compileExpr(both, this.pairTypes);
    this.keyOrdinal = joinKeyOrdinalForWatermark(leftKeys, rightKeys);
    this.timeOrdinals = [
      left.output.findIndex((a) => a.eventTimeDelayMs !== undefined),
      right.output.findIndex((a) => a.eventTimeDelayMs !== undefined),
    ];
    this.cleansState = this.keyOrdinal >= 0 || this.valueWatermark(LEFT, 0) !== null || this.valueWatermark(RIGHT, 0) !== null;
  }

  /** Whether state is ever cleaned (a watermark in the join keys or a usable range condition). */
  private readonly cleansState: boolean;

  private valueWatermark(side: Side, wm: number): number | null {
    const [s, o] = side === LEFT ? [this.left.output, this.right.output] : [this.right.output, this.left.output];
    return stateValueWatermark(s, o, this.condition, wm);
  }

  shouldRunAnotherBatch(newWatermarkMs: number, _outputMode: OutputMode): boolean {
    return this.cleansState && this.lastWatermarkMs !== undefined && newWatermarkMs > this.lastWatermarkMs;
  }

  private isOuter(side: Side): boolean {
    const t = this.joinType;
    return t === "full_outer" || (side === LEFT ? t === "left_outer" : t === "right_outer");
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const store = ctx.stateStores.get(this.operatorId) as StateStore<JoinStateEntry[]> | undefined;
    if (store === undefined) throw new IllegalStateException(`State store of operator ${this.operatorId} is not loaded`, "INTERNAL_ERROR");
    const inputs: [ColumnarBatch, ColumnarBatch] = [this.left.execute(ctx), this.right.execute(ctx)];
    const t0 = performance.now();
    this.lastWatermarkMs = ctx.watermarkMs;
    if (this.rowCount === null) {
      let n = 0;
      for (const [, v] of store.entries()) n += v.length;
      this.rowCount = n;
    }
    const wm = ctx.watermarkMs;
    // Predicates that say a row would be removed from state at once (Spark's state watermark predicates).
    const valueWm: [number | null, number | null] = [this.valueWatermark(LEFT, wm), this.valueWatermark(RIGHT, wm)];
    const expiredKey = (key: readonly Value[]): boolean => {
      if (this.keyOrdinal < 0) return false;
      const t = eventTimeOfValue(key[this.keyOrdinal] ?? null);
      return t !== null && t <= wm;
    };
    const expiredValue = (side: Side, row: readonly Value[]): boolean => {
      const vwm = valueWm[side];
      const ord = this.timeOrdinals[side];
      if (vwm === null || ord < 0) return false;
      const t = eventTimeOfValue(row[ord] ?? null);
      return t !== null && t <= vwm;
    };
    // Copy-on-write lists of the keys this batch changes (state values are immutable):
    // reads see them first, then the store.
    const working = new TupleMap<JoinStateEntry[]>();
    const readList = (key: StateKey): readonly JoinStateEntry[] | undefined => working.get(key) ?? store.get(key);
    const writable = (key: StateKey): JoinStateEntry[] => {
      let l = working.get(key);
      if (l === undefined) {
        l = [...(store.get(key) ?? [])];
        working.set(key, l);
      }
      return l;
    };
    const out: Value[][] = [];
    const semi = this.joinType === "left_semi";
    const nullsOf = (n: number): Value[] => new Array<Value>(n).fill(null);
    const nLeft = this.left.output.length;
    const nRight = this.right.output.length;
    let dropped = 0;
    let added = 0;

    for (const side of [LEFT, RIGHT] as const) {
      const other: Side = side === LEFT ? RIGHT : LEFT;
      const input = inputs[side];
      const rows = batchToRows(input);
      const keyCols = this.keyFns[side].map((f) => f(input, ctx));
      const timeOrd = this.timeOrdinals[side];
      const timeCol = timeOrd >= 0 ? (input.columns[timeOrd] as ColumnVector) : null;
      const preFilterFn = this.preJoinFilters[side];
      const preFilter = preFilterFn === null ? null : preFilterFn(input, ctx);
      const live: number[] = [];
      const keys: (Value[] | null)[] = [];
      // Candidate pairs: (row of this side, state list of the other side, entry index).
      const candRow: number[] = [];
      const candList: (readonly JoinStateEntry[])[] = [];
      const candKey: StateKey[] = [];
      const candEntry: number[] = [];
      for (let i = 0; i < input.numRows; i++) {
        if (timeCol !== null) {
          const t = eventTimeOfValue(getValue(timeCol, i));
          if (t !== null && t <= ctx.lateEventsWatermarkMs) {
            dropped++;
            continue;
          }
        }
        if (preFilter !== null && preFilter(i) !== true) {
          // Can never match: not buffered; an outer side's row is final now.
          if (this.isOuter(side)) {
            const row = rows[i] as Value[];
            out.push(side === LEFT ? [...row, ...nullsOf(nRight)] : [...nullsOf(nLeft), ...row]);
          }
          continue;
        }
        live.push(i);
        const k: Value[] = [];
        let hasNull = false;
        for (const f of keyCols) {
          const v = f(i);
          if (v === null) hasNull = true;
          k.push(v);
        }
        keys[i] = k;
        if (hasNull) continue;
        const otherKey: StateKey = [other, ...k];
        const list = readList(otherKey);
        if (list === undefined) continue;
        for (let e = 0; e < list.length; e++) {
          // Left semi: a left row joins at most once.
          if (semi && side === RIGHT && (list[e] as JoinStateEntry)[1]) continue;
          candRow.push(i);
          candList.push(list);
          candKey.push(otherKey);
          candEntry.push(e);
        }
      }
      let accept: ((c: number) => boolean) | null = null;
      if (this.residual !== null && candRow.length > 0) {
        // The candidate pairs as a batch, column by column: this side's columns gathered from
        // the input (typed arrays), the other side's from the buffered rows.
        const n = candRow.length;
        const thisCols = gatherRows(input, candRow).columns;
        const otherAttrs = side === LEFT ? this.right.output : this.left.output;
        const otherCols = otherAttrs.map((a, col) => {
          const b = new ColumnBuilder(a.dataType, n);
          for (let c = 0; c < n; c++) b.append(((candList[c] as readonly JoinStateEntry[])[candEntry[c] as number] as JoinStateEntry)[0][col] ?? null);
          return b.build();
        });
        const pairs: ColumnarBatch = { numRows: n, columns: side === LEFT ? [...thisCols, ...otherCols] : [...otherCols, ...thisCols] };
        const pred = this.residual(pairs, ctx);
        accept = (c) => pred(c) === true;
      }
      const matched = new Uint8Array(input.numRows);
      for (let c = 0; c < candRow.length; c++) {
        if (accept !== null && !accept(c)) continue;
        const i = candRow[c] as number;
        const key = candKey[c] as StateKey;
        const e = candEntry[c] as number;
        // The current entry (an earlier pair of this batch may have marked it matched).
        const entry = (readList(key) as readonly JoinStateEntry[])[e] as JoinStateEntry;
        const thisRow = rows[i] as Value[];
        if (semi) {
          if (side === LEFT) {
            if (matched[i] === 0) out.push(thisRow);
          } else if (!entry[1]) {
            out.push([...entry[0]]);
          }
        } else {
          out.push(side === LEFT ? [...thisRow, ...entry[0]] : [...entry[0], ...thisRow]);
        }
        matched[i] = 1;
        if (!entry[1]) writable(key)[e] = [entry[0], true];
      }
      for (const i of live) {
        const row = rows[i] as Value[];
        const k = keys[i] as Value[];
        const isMatched = matched[i] === 1;
        const keep = !expiredKey(k) && !expiredValue(side, row) && !(semi && side === LEFT && isMatched);
        if (keep) {
          writable([side, ...k]).push([row, isMatched]);
          added++;
        } else if (!isMatched && this.isOuter(side)) {
          out.push(side === LEFT ? [...row, ...nullsOf(nRight)] : [...nullsOf(nLeft), ...row]);
        }
      }
    }
    working.forEach((list, key) => store.put(key, list));
    this.rowCount += added;
    const t1 = performance.now();

    // State cleanup by the eviction watermark, each side by its own predicate.
    let removed = 0;
    if (this.cleansState && (this.lastEvictionWatermarkMs === undefined || wm > this.lastEvictionWatermarkMs)) {
      this.lastEvictionWatermarkMs = wm;
      const updates: [StateKey, JoinStateEntry[]][] = [];
      for (const [key, list] of store.entries()) {
        const side = key[0] as Side;
        const k = key.slice(1);
        const keyGone = expiredKey(k);
        const keepList = keyGone ? [] : list.filter((e) => !expiredValue(side, e[0]));
        if (keepList.length === list.length) continue;
        updates.push([key, keepList]);
        if (this.isOuter(side)) {
          const kept = new Set(keepList);
          for (const e of list) {
            if (e[1] || kept.has(e)) continue;
            out.push(side === LEFT ? [...e[0], ...nullsOf(nRight)] : [...nullsOf(nLeft), ...e[0]]);
          }
        }
        removed += list.length - keepList.length;
      }
      for (const [key, keepList] of updates) {
        if (keepList.length === 0) store.remove(key);
        else store.put(key, keepList);
      }
      this.rowCount -= removed;
    }
    const t2 = performance.now();
    this.metrics = batchStateMetrics({ total: this.rowCount, updated: added, removed, dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, t1, t2);
    return batchFromRows(
      this.output.map((a) => a.dataType),
      out,
    );
  }

  describe(): string {
    return `StreamingSymmetricHashJoin ${this.joinType}${this.condition ? `, ${exprString(this.condition)}` : ""}, operatorId = ${this.operatorId}`;
  }
}
