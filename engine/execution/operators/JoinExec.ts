import { exists, references, type Attribute, type Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import { isNumericStorage, type Value } from "../../expressions/types";
import type { JoinType } from "../../plan/LogicalPlan";
import { exprString } from "../../plan/exprString";
import { ColumnBuilder, getValue, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { nullFreeNumbers, TypedSourceColumn, type NarrowNumberArray } from "../TypedSourceColumn";
import { ScratchSlot } from "../../util/scratch";
import { keyNormalizer } from "../aggregation/partialAggregate";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";
import { FilterExec } from "./FilterExec";
import { LocalScanExec } from "./LocalScanExec";

const normalizeKey = keyNormalizer("string");

/**
 * Row `i`'s equi-join key: the single key value (normalized), or the JSON of several;
 * undefined when any part is null, since null never matches in an equi-join.
 */
function joinKey(fns: readonly ((i: number) => Value)[], i: number): Value | undefined {
  if (fns.length === 1) {
    const v = (fns[0] as (i: number) => Value)(i);
    return v === null ? undefined : typeof v === "object" ? JSON.stringify(v) : normalizeKey(v);
  }
  const parts: Value[] = [];
  for (const f of fns) {
    const v = f(i);
    if (v === null) return undefined;
    parts.push(v);
  }
  return JSON.stringify(parts);
}
import { ProjectExec } from "./ProjectExec";

/**
 * Whether `op` always returns the same rows: local (static) data under deterministic
 * projections and filters (no `current_timestamp`, which reads the batch time).
 */
function isStaticDeterministic(op: PhysicalOperator): boolean {
  const nowFree = (e: Expr) => !exists(e, (x) => x.kind === "call" && x.fn === "current_timestamp");
  if (op instanceof LocalScanExec) return true;
  if (op instanceof ProjectExec) return op.projectList.every(nowFree) && isStaticDeterministic(op.child);
  if (op instanceof FilterExec) return nowFree(op.condition) && isStaticDeterministic(op.child);
  return false;
}

/** The build side's hash table: rows by key (single numeric keys: first row + next-row chains, no array per key). */
interface BuildTable {
  /** The build-side batch the table was built from. */
  readonly batch: ColumnarBatch;
  /** key → first row index (numeric single key) or → row indices. */
  readonly heads: Map<Value, number> | null;
  readonly next: Int32Array | null;
  readonly buckets: Map<Value, number[]> | null;
  /** Single numeric key without NaN: a typed-array table instead of `heads`. */
  readonly numeric: NumericHeads | null;
  /** The build side laid out by key, for an inner join on unique dense integer keys (see `ByKey`). */
  readonly byKey: ByKey | null;
}

/**
 * A static build side whose keys are unique integers in a small range (a table's ids),
 * its rows rearranged so that key k's row is row `k − lo`: an inner join's probe then
 * checks a bit and gathers straight from these columns, one random read a build column
 * instead of two (the key's row in `direct`, then the row's value). A hand-written
 * lookup from id to attribute reads once too.
 */
interface ByKey {
  readonly batch: ColumnarBatch;
  readonly lo: number;
  /** Bit k − lo set when key k is present (a 1e6-id table: 125 kB, against 4 MB of row ids). */
  readonly present: Uint32Array;
}

/**
 * Open addressing over float64 keys → first build row (chains continue through `next`).
 * Exported for its tests.
 */
export class NumericHeads {
  readonly mask: number;
  readonly keys: Float64Array;
  readonly heads: Int32Array;
  private tails: Int32Array | null;
  /** Whether some key has several build rows (else probes need not follow `next`). */
  duplicates = false;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap);
    this.heads = new Int32Array(cap).fill(-1);
    this.tails = new Int32Array(cap);
  }

  static hash(v: number): number {
    let h = Math.imul((v >>> 0) ^ 0x811c9dc5, 0x01000193);
    h = Math.imul(h ^ (Math.floor(v / 4294967296) | 0), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    return h ^ (h >>> 13);
  }

  /** Adds build row `j` with key `v`, linking it after the key's previous row. */
  add(v: number, j: number, next: Int32Array): void {
    let s = NumericHeads.hash(v) & this.mask;
    while (this.heads[s] !== -1 && this.keys[s] !== v) s = (s + 1) & this.mask;
    const tails = this.tails as Int32Array;
    if (this.heads[s] === -1) {
      this.keys[s] = v;
      this.heads[s] = j;
    } else {
      next[tails[s] as number] = j;
      this.duplicates = true;
    }
    tails[s] = j;
  }

  /**
   * Integer keys in a range at most 4 times their number (a static table's ids, 0…n): the
   * first row at `direct[key − lo]`, one array read a probe instead of two at a hashed slot.
   */
  private direct: Int32Array | null = null;
  private lo = 0;

  /** Drops the build-only bookkeeping; indexes integer keys in a small range directly. */
  done(): void {
    this.tails = null;
    const { keys, heads } = this;
    let lo = Infinity;
    let hi = -Infinity;
    let count = 0;
    for (let s = 0; s < heads.length; s++) {
      if (heads[s] === -1) continue;
      const v = keys[s] as number;
      if (!Number.isInteger(v)) return;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      count++;
    }
    const range = hi - lo + 1;
    if (count === 0 || range > Math.max(1024, 4 * count) || range > 1 << 24) return;
    const direct = new Int32Array(range).fill(-1);
    for (let s = 0; s < heads.length; s++) if (heads[s] !== -1) direct[(keys[s] as number) - lo] = heads[s] as number;
    this.direct = direct;
    this.lo = lo;
  }

  /** The direct index (`direct[key − lo]`: the key's first row, −1 when absent), or null when keys are hashed. */
  directIndex(): { readonly direct: Int32Array; readonly lo: number } | null {
    return this.direct === null ? null : { direct: this.direct, lo: this.lo };
  }

  /** The first build row with key `v`, or -1. */
  first(v: number): number {
    const direct = this.direct;
    if (direct !== null) {
      const d = directOffset(v, this.lo, direct.length);
      return d < 0 ? -1 : (direct[d] as number);
    }
    const keys = this.keys;
    const heads = this.heads;
    const mask = this.mask;
    let s = NumericHeads.hash(v) & mask;
    for (;;) {
      const h = heads[s] as number;
      if (h === -1 || keys[s] === v) return h;
      s = (s + 1) & mask;
    }
  }
}

/**
 * Key `v`'s offset in a direct index over the integer keys lo … lo + length − 1, or −1.
 * Only an integer equals an integer key, and for one v − lo is exact (a fraction's could
 * round onto a key: 1e-17 − (−1) is 1). −0 finds 0, as === does (its offset is −0).
 */
function directOffset(v: number, lo: number, length: number): number {
  if (Math.floor(v) !== v) return -1;
  const d = v - lo;
  return d >= 0 && d < length ? d : -1;
}

/** `gatherFloat64WithMisses` from a narrow typed array (a separate loop keeps both monomorphic). */
function gatherNarrowWithMisses(from: NarrowNumberArray, idx: Int32Array, n: number): { length: number; values: Float64Array; nulls: Uint8Array | null } {
  const values = new Float64Array(n);
  let nulls: Uint8Array | null = null;
  for (let k = 0; k < n; k++) {
    const i = idx[k] as number;
    if (i < 0) (nulls ??= new Uint8Array(n))[k] = 1;
    else values[k] = from[i] as number;
  }
  return { length: n, values, nulls };
}

/** `from[idx[k]]` for k < n, null where `idx[k]` is -1 (an outer join's missing side). Hot loop. */
function gatherFloat64WithMisses(from: Float64Array, idx: Int32Array, n: number): { length: number; values: Float64Array; nulls: Uint8Array | null } {
  const values = new Float64Array(n);
  let nulls: Uint8Array | null = null;
  for (let k = 0; k < n; k++) {
    const i = idx[k] as number;
    if (i < 0) (nulls ??= new Uint8Array(n))[k] = 1;
    else values[k] = from[i] as number;
  }
  return { length: n, values, nulls };
}

/** Splits `a AND b AND c` into its conjuncts. */
export function splitConjuncts(e: Expr | null): Expr[] {
  if (e === null) return [];
  if (e.kind === "binary" && e.op === "and") return [...splitConjuncts(e.left), ...splitConjuncts(e.right)];
  return [e];
}

/**
 * A stateless hash join (stream-static joins, static joins): equality conjuncts
 * between the two sides become hash keys (the right side is the build side), the
 * other conjuncts a residual filter over each candidate pair. Outer joins pad the
 * unmatched rows with nulls; semi/anti joins return left rows with / without a match.
 */
export class JoinExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly leftKeys: CompiledExpr[] = [];
  private readonly rightKeys: CompiledExpr[] = [];
  /** Ordinal of the single left key when it is a numeric column, else -1. */
  private readonly leftKeyOrdinal: number;
  private readonly residual: CompiledExpr | null;
  private readonly pairAttrs: Attribute[];
  /** Whether the build (right) side is static data: its rows and hash table are kept for the whole run. */
  private readonly staticRight: boolean;
  private staticRightBatch: ColumnarBatch | null = null;
  private build: BuildTable | null = null;
  /** A narrow source key column's values, probed and dropped. */
  private readonly keyScratch = new ScratchSlot();
  /** The (left, right) row pairs of an inner numeric-key probe, gathered from and dropped. */
  private readonly pairScratch = [new ScratchSlot(), new ScratchSlot()] as const;

  constructor(
    readonly joinType: JoinType,
    readonly condition: Expr | null,
    readonly output: readonly Attribute[],
    readonly left: PhysicalOperator,
    readonly right: PhysicalOperator,
  ) {
    super();
    this.children = [left, right];
    const leftIds = new Set(left.output.map((a) => a.id));
    const rightIds = new Set(right.output.map((a) => a.id));
    const within = (e: Expr, ids: Set<number>) => [...references(e)].every((id) => ids.has(id));
    const rest: Expr[] = [];
    const leftKeyExprs: Expr[] = [];
    const rightKeyExprs: Expr[] = [];
    for (const c of splitConjuncts(condition)) {
      if (c.kind === "binary" && c.op === "=") {
        if (within(c.left, leftIds) && within(c.right, rightIds)) {
          this.leftKeys.push(compileExpr(c.left, left.output));
          leftKeyExprs.push(c.left);
          rightKeyExprs.push(c.right);
          this.rightKeys.push(compileExpr(c.right, right.output));
          continue;
        }
        if (within(c.left, rightIds) && within(c.right, leftIds)) {
          this.leftKeys.push(compileExpr(c.right, left.output));
          leftKeyExprs.push(c.right);
          rightKeyExprs.push(c.left);
          this.rightKeys.push(compileExpr(c.left, right.output));
          continue;
        }
      }
      rest.push(c);
    }
    this.pairAttrs = [...left.output, ...right.output];
    // A single equality key that is a plain numeric left column: probed from its typed array.
    const lkExpr = leftKeyExprs.length === 1 ? (leftKeyExprs[0] as Expr) : null;
    this.leftKeyOrdinal =
      lkExpr !== null && lkExpr.kind === "attr" && (lkExpr.dataType === "long" || lkExpr.dataType === "int" || lkExpr.dataType === "double" || lkExpr.dataType === "timestamp")
        ? left.output.findIndex((a) => a.id === lkExpr.id)
        : -1;
    const nowFree = (e: Expr) => !exists(e, (x) => x.kind === "call" && x.fn === "current_timestamp");
    this.staticRight = isStaticDeterministic(right) && rightKeyExprs.every(nowFree);
    this.residual =
      rest.length === 0
        ? null
        : compileExpr(
            rest.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b })),
            this.pairAttrs,
          );
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const l = this.left.execute(ctx);
    let r: ColumnarBatch;
    if (this.staticRight) r = this.staticRightBatch ??= this.right.execute(ctx);
    else r = this.right.execute(ctx);
    // Compiled only when a path below reads keys row by row: compiling reads (and so converts) a source's narrow key column.
    let lkCompiled: ((i: number) => Value)[] | null = null;
    const leftKeyFns = (): ((i: number) => Value)[] => (lkCompiled ??= this.leftKeys.map((k) => k(l, ctx)));
    // Build: right rows by key, once per build-side batch: a static side is hashed once per
    // query run (at `prepare`, or at the first batch).
    if (this.build === null || this.build.batch !== r) this.build = this.buildTable(r, ctx);
    const built = this.build as BuildTable;
    const li: number[] = [];
    const ri: number[] = [];
    // A source's narrow key column is probed from a working copy.
    const kv =
      built.numeric !== null && built.next !== null && this.leftKeyOrdinal >= 0
        ? nullFreeNumbers(l.columns[this.leftKeyOrdinal], () => this.keyScratch.float64(l.numRows))
        : null;
    if (built.byKey !== null && kv !== null) {
      // Unique dense keys, inner join: a key's row is its offset, present if its bit is set.
      const { batch, lo, present } = built.byKey;
      const range = batch.numRows;
      const tli = this.pairScratch[0].int32(Math.max(16, l.numRows));
      const tri = this.pairScratch[1].int32(tli.length);
      let tn = 0;
      for (let i = 0; i < l.numRows; i++) {
        const d = directOffset(kv[i] as number, lo, range);
        if (d >= 0 && ((present[d >>> 5] as number) & (1 << (d & 31))) !== 0) {
          tli[tn] = i;
          tri[tn] = d;
          tn++;
        }
      }
      return this.gather(l, batch, tli.subarray(0, tn), tri.subarray(0, tn), this.output);
    }
    if (built.numeric !== null && built.next !== null && kv !== null) {
      // Probe straight from the left key's typed array (no call per row).
      const table = built.numeric;
      const next = built.next;
      // The pairs are only gathered from: working arrays kept for the next batch.
      let tli = this.pairScratch[0].int32(Math.max(16, l.numRows));
      let tri = this.pairScratch[1].int32(tli.length);
      let tn = 0;
      const follow = table.duplicates;
      for (let i = 0; i < l.numRows; i++) {
        let j = table.first(kv[i] as number);
        while (j >= 0) {
          if (tn === tli.length) {
            const gl = new Int32Array(tn * 2);
            gl.set(tli);
            tli = gl;
            const gr = new Int32Array(tn * 2);
            gr.set(tri);
            tri = gr;
          }
          tli[tn] = i;
          tri[tn] = j;
          tn++;
          j = follow ? (next[j] as number) : -1;
        }
      }
      // An inner join without a residual condition: the pairs are the result.
      if (this.joinType === "inner" && this.residual === null) return this.gather(l, r, tli.subarray(0, tn), tri.subarray(0, tn), this.output);
      for (let k = 0; k < tn; k++) {
        li.push(tli[k] as number);
        ri.push(tri[k] as number);
      }
    } else if (built.numeric !== null && built.next !== null) {
      const table = built.numeric;
      const next = built.next;
      const lf = leftKeyFns()[0] as (i: number) => Value;
      for (let i = 0; i < l.numRows; i++) {
        const v = lf(i);
        if (typeof v !== "number") continue; // null, or a non-number never equal to a numeric key
        let j = table.first(v);
        while (j >= 0) {
          li.push(i);
          ri.push(j);
          j = next[j] as number;
        }
      }
    } else if (built.heads !== null && built.next !== null) {
      const heads = built.heads;
      const next = built.next;
      const lf = leftKeyFns()[0] as (i: number) => Value;
      for (let i = 0; i < l.numRows; i++) {
        const v = lf(i);
        if (v === null) continue;
        let j = heads.get(typeof v === "object" ? JSON.stringify(v) : v);
        while (j !== undefined && j >= 0) {
          li.push(i);
          ri.push(j);
          j = next[j] as number;
        }
      }
    } else {
      const table = built.buckets as Map<Value, number[]>;
      const lk = leftKeyFns();
      for (let i = 0; i < l.numRows; i++) {
        const k = lk.length === 0 ? 0 : joinKey(lk, i);
        if (k === undefined) continue;
        const bucket = table.get(k);
        if (bucket === undefined) continue;
        for (const j of bucket) {
          li.push(i);
          ri.push(j);
        }
      }
    }
    let pl = li;
    let pr = ri;
    if (this.residual !== null && li.length > 0) {
      const pairs = this.gather(l, r, li, ri, this.pairAttrs);
      const pred = this.residual(pairs, ctx);
      pl = [];
      pr = [];
      for (let k = 0; k < li.length; k++) {
        if (pred(k) === true) {
          pl.push(li[k] as number);
          pr.push(ri[k] as number);
        }
      }
    }
    const t = this.joinType;
    if (t === "left_semi" || t === "left_anti") {
      const matched = new Uint8Array(l.numRows);
      for (const i of pl) matched[i] = 1;
      const keep: number[] = [];
      for (let i = 0; i < l.numRows; i++) if ((matched[i] === 1) === (t === "left_semi")) keep.push(i);
      return this.gather(l, null, keep, [], this.left.output);
    }
    if (t === "left_outer" || t === "full_outer") {
      const matched = new Uint8Array(l.numRows);
      for (const i of pl) matched[i] = 1;
      for (let i = 0; i < l.numRows; i++) {
        if (matched[i] === 0) {
          pl.push(i);
          pr.push(-1);
        }
      }
    }
    if (t === "right_outer" || t === "full_outer") {
      const matched = new Uint8Array(r.numRows);
      for (const j of pr) if (j >= 0) matched[j] = 1;
      for (let j = 0; j < r.numRows; j++) {
        if (matched[j] === 0) {
          pl.push(-1);
          pr.push(j);
        }
      }
    }
    return this.gather(l, r, pl, pr, this.output);
  }

  /** Runs a static build side once and hashes it, before the first batch. */
  override prepare(): void {
    if (!this.staticRight || this.build !== null) return;
    const ctx: ExecContext = {
      batchId: -1,
      watermarkMs: 0,
      lateEventsWatermarkMs: 0,
      outputMode: "append",
      sourceData: [],
      stateStores: new Map(),
      batchTimestampMs: 0,
    };
    const r = (this.staticRightBatch ??= this.right.execute(ctx));
    this.build = this.buildTable(r, ctx);
  }

  /** The hash table of build-side batch `r` (all rows in one bucket for a join without equality keys). */
  private buildTable(r: ColumnarBatch, ctx: ExecContext): BuildTable {
    let build: BuildTable | null = null;
    const rk = this.rightKeys.map((k) => k(r, ctx));
    let numeric: NumericHeads | null = null;
    if (rk.length === 1) {
      // A numeric key (no NaN, which only a Map matches to itself): typed arrays.
      const f = rk[0] as (i: number) => Value;
      numeric = new NumericHeads(r.numRows);
      const next = new Int32Array(r.numRows).fill(-1);
      for (let j = 0; j < r.numRows; j++) {
        const v = f(j);
        if (v === null) continue;
        if (typeof v !== "number" || Number.isNaN(v)) {
          numeric = null;
          break;
        }
        numeric.add(v, j, next);
      }
      numeric?.done();
      if (numeric !== null) build = { batch: r, heads: null, next, buckets: null, numeric, byKey: this.byKeyOf(r, numeric) };
    }
    if (numeric !== null) {
      // built above
    } else if (rk.length === 1) {
      // One key: a chain per key through `next` (rows in ascending order).
      const heads = new Map<Value, number>();
      const tails = new Map<Value, number>();
      const next = new Int32Array(r.numRows).fill(-1);
      for (let j = 0; j < r.numRows; j++) {
        const k = joinKey(rk, j);
        if (k === undefined) continue;
        const t = tails.get(k);
        if (t === undefined) heads.set(k, j);
        else next[t] = j;
        tails.set(k, j);
      }
      build = { batch: r, heads, next, buckets: null, numeric: null, byKey: null };
    } else {
      const table = new Map<Value, number[]>();
      for (let j = 0; j < r.numRows; j++) {
        const k = rk.length === 0 ? 0 : joinKey(rk, j);
        if (k === undefined) continue;
        let bucket = table.get(k);
        if (bucket === undefined) table.set(k, (bucket = []));
        bucket.push(j);
      }
      build = { batch: r, heads: null, next: null, buckets: table, numeric: null, byKey: null };
    }
    return build as BuildTable;
  }

  /**
   * The static build side by key (`ByKey`) for an inner join without a residual condition
   * whose keys are unique and indexed directly; null otherwise (other join types read build
   * rows by their own index: unmatched rows, residual pairs).
   */
  private byKeyOf(r: ColumnarBatch, numeric: NumericHeads): ByKey | null {
    const index = numeric.directIndex();
    if (!this.staticRight || this.joinType !== "inner" || this.residual !== null || numeric.duplicates || index === null) return null;
    const { direct, lo } = index;
    const present = new Uint32Array((direct.length + 31) >>> 5);
    for (let d = 0; d < direct.length; d++) if ((direct[d] as number) >= 0) present[d >>> 5] = (present[d >>> 5] as number) | (1 << (d & 31));
    // Row k − lo is key k's row; absent keys' rows are nulls, never gathered.
    const batch = this.gather({ numRows: 0, columns: [] }, r, direct, direct, this.right.output);
    return { batch, lo, present };
  }

  /** Rows (left[li[k]] ++ right[ri[k]]); index -1 gives nulls. */
  private gather(l: ColumnarBatch, r: ColumnarBatch | null, li: ArrayLike<number>, ri: ArrayLike<number>, attrs: readonly Attribute[]): ColumnarBatch {
    const n = li.length;
    const cols: ColumnVector[] = [];
    const add = (src: ColumnarBatch, idx: ArrayLike<number>, offset: number, count: number) => {
      for (let c = 0; c < count; c++) {
        const col = src.columns[c] as ColumnVector;
        const dataType = attrs[offset + c]?.dataType ?? col.dataType;
        if (col instanceof TypedSourceColumn && isNumericStorage(dataType) && idx instanceof Int32Array) {
          // A source's narrow column: gathered from the source, never converted whole.
          cols.push({ dataType, ...gatherNarrowWithMisses(col.source, idx, n) });
          continue;
        }
        if (col.values instanceof Float64Array && isNumericStorage(dataType) && col.nulls === null && idx instanceof Int32Array) {
          // The usual case (typed indices, a column without nulls): a monomorphic loop.
          cols.push({ dataType, ...gatherFloat64WithMisses(col.values, idx, n) });
          continue;
        }
        if (col.values instanceof Float64Array && isNumericStorage(dataType)) {
          // Numeric columns: a typed-array gather.
          const from = col.values;
          const srcNulls = col.nulls;
          const values = new Float64Array(n);
          let nulls: Uint8Array | null = null;
          for (let k = 0; k < n; k++) {
            const i = idx[k] as number;
            if (i < 0 || (srcNulls !== null && srcNulls[i] === 1)) (nulls ??= new Uint8Array(n))[k] = 1;
            else values[k] = from[i] as number;
          }
          cols.push({ dataType, length: n, values, nulls });
          continue;
        }
        const b = new ColumnBuilder(dataType, n);
        for (let k = 0; k < n; k++) {
          const i = idx[k] as number;
          b.append(i < 0 ? null : getValue(col, i));
        }
        cols.push(b.build());
      }
    };
    add(l, li, 0, l.columns.length);
    if (r !== null) add(r, ri, l.columns.length, r.columns.length);
    return { numRows: n, columns: cols };
  }

  describe(): string {
    return `BroadcastHashJoin ${this.joinType}${this.condition ? `, ${exprString(this.condition)}` : ""}`;
  }
}
