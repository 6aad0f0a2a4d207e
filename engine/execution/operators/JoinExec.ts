import { exists, references, type Attribute, type Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import { isNumericStorage, type Value } from "../../expressions/types";
import type { JoinType } from "../../plan/LogicalPlan";
import { exprString } from "../../plan/exprString";
import { ColumnBuilder, getValue, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { keyNormalizer } from "../aggregation/partialAggregate";
import { PhysicalOperator, type ExecContext } from "../PhysicalOperator";
import { FilterExec } from "./FilterExec";
import { LocalScanExec } from "./LocalScanExec";
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
  private readonly residual: CompiledExpr | null;
  private readonly pairAttrs: Attribute[];
  /** Whether the build (right) side is static data: its rows and hash table are kept for the whole run. */
  private readonly staticRight: boolean;
  private staticRightBatch: ColumnarBatch | null = null;
  private build: BuildTable | null = null;

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
    for (const c of splitConjuncts(condition)) {
      if (c.kind === "binary" && c.op === "=") {
        if (within(c.left, leftIds) && within(c.right, rightIds)) {
          this.leftKeys.push(compileExpr(c.left, left.output));
          this.rightKeys.push(compileExpr(c.right, right.output));
          continue;
        }
        if (within(c.left, rightIds) && within(c.right, leftIds)) {
          this.leftKeys.push(compileExpr(c.right, left.output));
          this.rightKeys.push(compileExpr(c.left, right.output));
          continue;
        }
      }
      rest.push(c);
    }
    this.pairAttrs = [...left.output, ...right.output];
    this.staticRight = isStaticDeterministic(right);
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
    const norm = keyNormalizer("string");
    const keyOf = (fns: ((i: number) => Value)[], i: number): Value | undefined => {
      if (fns.length === 1) {
        const v = (fns[0] as (i: number) => Value)(i);
        return v === null ? undefined : typeof v === "object" ? JSON.stringify(v) : norm(v);
      }
      const parts: Value[] = [];
      for (const f of fns) {
        const v = f(i);
        if (v === null) return undefined;
        parts.push(v);
      }
      return JSON.stringify(parts);
    };
    const lk = this.leftKeys.map((k) => k(l, ctx));
    // Build: right rows by key (all rows in one bucket for a join without equality keys),
    // once per build-side batch: a static side is hashed once per query run.
    let build = this.build;
    if (build === null || build.batch !== r) {
      const rk = this.rightKeys.map((k) => k(r, ctx));
      if (rk.length === 1) {
        // One key: a chain per key through `next` (rows in ascending order).
        const heads = new Map<Value, number>();
        const tails = new Map<Value, number>();
        const next = new Int32Array(r.numRows).fill(-1);
        for (let j = 0; j < r.numRows; j++) {
          const k = keyOf(rk, j);
          if (k === undefined) continue;
          const t = tails.get(k);
          if (t === undefined) heads.set(k, j);
          else next[t] = j;
          tails.set(k, j);
        }
        build = { batch: r, heads, next, buckets: null };
      } else {
        const table = new Map<Value, number[]>();
        for (let j = 0; j < r.numRows; j++) {
          const k = rk.length === 0 ? 0 : keyOf(rk, j);
          if (k === undefined) continue;
          let bucket = table.get(k);
          if (bucket === undefined) table.set(k, (bucket = []));
          bucket.push(j);
        }
        build = { batch: r, heads: null, next: null, buckets: table };
      }
      this.build = build;
    }
    const li: number[] = [];
    const ri: number[] = [];
    if (build.heads !== null && build.next !== null) {
      const heads = build.heads;
      const next = build.next;
      const lf = lk[0] as (i: number) => Value;
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
      const table = build.buckets as Map<Value, number[]>;
      for (let i = 0; i < l.numRows; i++) {
        const k = lk.length === 0 ? 0 : keyOf(lk, i);
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

  /** Rows (left[li[k]] ++ right[ri[k]]); index -1 gives nulls. */
  private gather(l: ColumnarBatch, r: ColumnarBatch | null, li: number[], ri: number[], attrs: readonly Attribute[]): ColumnarBatch {
    const n = li.length;
    const cols: ColumnVector[] = [];
    const add = (src: ColumnarBatch, idx: number[], offset: number, count: number) => {
      for (let c = 0; c < count; c++) {
        const col = src.columns[c] as ColumnVector;
        const dataType = attrs[offset + c]?.dataType ?? col.dataType;
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
