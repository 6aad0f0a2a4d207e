import type { CompiledExpr, EvalContext } from "../../expressions/compile";
import { isNumericStorage, typeName, WINDOW_TYPE, type DataType, type StructValue, type Value } from "../../expressions/types";
import { denseGroupsOf } from "./denseGroups";
import { NumericKeyIndex } from "./NumericKeyIndex";
import type { ColumnarBatch } from "../ColumnarBatch";
import { ScratchSlot } from "../../util/scratch";
import type { AggregateFunction, GroupAccumulator } from "./aggregateFunctions";

/** A grouping key: its compiled expression and type. */
export interface KeySpec {
  readonly eval: CompiledExpr;
  readonly dataType: DataType;
  /**
   * The key's values as a null-free Float64Array, when that is cheap (a plain numeric column,
   * or a pane start computed in one loop into `into`, a working array of the batch's length
   * that the caller reuses batch after batch); null otherwise (then `eval` is used row by row).
   */
  readonly columnOf?: (batch: ColumnarBatch, ctx: EvalContext, into: () => Float64Array) => Float64Array | null;
  /** The values are multiples of this (a pane's length); lets dense grouping index them. Default 1. */
  readonly step?: number;
}

/** An aggregate call: its implementation and compiled argument (null for count(*)). */
export interface AggSpec {
  readonly fn: AggregateFunction;
  readonly arg: CompiledExpr | null;
}

/** The groups of one batch: key values per group, and one accumulator per aggregate. */
export interface PartialAggregation {
  readonly numGroups: number;
  /** keyValues[k][g]: value of key k for group g. */
  readonly keyValues: readonly ArrayLike<Value>[];
  readonly accumulators: readonly GroupAccumulator[];
}

const WINDOW_NAME = typeName(WINDOW_TYPE);

/**
 * A primitive stand-in for a key value, usable as a Map key: the window struct is
 * identified by its start (the end follows from the window size), other structs and
 * arrays by their JSON (rare keys), primitives as they are.
 */
export function keyNormalizer(t: DataType): (v: Value) => Value {
  if (typeof t === "string") return (v) => v;
  if (typeName(t) === WINDOW_NAME) return (v) => (v === null ? null : ((v as StructValue).start as number));
  return (v) => (v === null ? null : JSON.stringify(v));
}

type Level = Map<Value, Level | number>;

// Group ids and computed key columns live only within one call: kept for the next batch.
const gidScratch = new ScratchSlot();
const keyScratch: ScratchSlot[] = [];
const keyScratchOf = (k: number): ScratchSlot => (keyScratch[k] ??= new ScratchSlot());

/**
 * Hash aggregation of one batch. Groups are found through nested Maps keyed by
 * primitive key values (one level per key), so no string is built per row.
 * With no keys, there is exactly one group (even for an empty batch), as Spark's
 * global aggregation.
 */
export function partialAggregate(
  batch: ColumnarBatch,
  ctx: EvalContext,
  keys: readonly KeySpec[],
  aggs: readonly AggSpec[],
  expectedGroups = 512,
): PartialAggregation {
  const n = batch.numRows;
  const norms = keys.map((k) => keyNormalizer(k.dataType));
  const argFns = aggs.map((a) => (a.arg === null ? null : a.arg(batch, ctx)));
  const accs = aggs.map((a) => a.fn.newAccumulator());
  const keyValues: Value[][] = keys.map(() => []);
  let numGroups = 0;
  const nk = keys.length;
  const na = aggs.length;

  if (nk === 0) {
    numGroups = 1;
    for (let j = 0; j < na; j++) {
      const acc = accs[j] as GroupAccumulator;
      const f = argFns[j];
      // Hot loop: one aggregate at a time over the whole column.
      if (f === null || f === undefined) for (let i = 0; i < n; i++) acc.update(0, null);
      else for (let i = 0; i < n; i++) acc.update(0, f(i));
      if (n === 0) acc.merge(0, aggs[j]!.fn.empty());
    }
    return { numGroups, keyValues, accumulators: accs };
  }

  const gids = gidScratch.int32(n);
  if (keys.every((k) => isNumericStorage(k.dataType))) {
    // Hot loop: numeric keys go through a typed-array hash table. Keys are evaluated
    // column by column first (tight monomorphic loops), then grouped in one pass.
    const cols: Float64Array[] = new Array(nk);
    const nullCols: (Uint8Array | null)[] = new Array(nk);
    for (let k = 0; k < nk; k++) {
      const scratch = keyScratchOf(k);
      const direct = keys[k]!.columnOf?.(batch, ctx, () => scratch.float64(n)) ?? null;
      if (direct !== null) {
        cols[k] = direct;
        nullCols[k] = null;
        continue;
      }
      const f = keys[k]!.eval(batch, ctx);
      const col = scratch.float64(n);
      let nulls: Uint8Array | null = null;
      for (let i = 0; i < n; i++) {
        const v = f(i);
        if (v === null) {
          (nulls ??= new Uint8Array(n))[i] = 1;
          col[i] = 0;
        } else col[i] = v as number;
      }
      cols[k] = col;
      nullCols[k] = nulls;
    }
    const dense = nullCols.every((c) => c === null) ? denseGroupsOf(cols, keys.map((k) => k.step ?? 1), n, gids) : null;
    if (dense !== null) {
      updateAll(accs, argFns, gids, n);
      return { numGroups: dense.numGroups, keyValues: dense.keyValues, accumulators: accs };
    }
    const index = new NumericKeyIndex(nk, Math.min(expectedGroups, n));
    index.groupsOf(cols, nullCols, n, gids);
    updateAll(accs, argFns, gids, n);
    return { numGroups: index.size, keyValues: index.keyValues, accumulators: accs };
  }
  // Compiled only here: a key read through `columnOf` above must not convert its column again.
  const keyFns = keys.map((k) => k.eval(batch, ctx));
  const root: Level = new Map();
  for (let i = 0; i < n; i++) {
    let level = root;
    for (let k = 0; k < nk - 1; k++) {
      const p = norms[k]!(keyFns[k]!(i));
      let next = level.get(p) as Level | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(p, next);
      }
      level = next;
    }
    const lastV = keyFns[nk - 1]!(i);
    const p = norms[nk - 1]!(lastV);
    let g = level.get(p) as number | undefined;
    if (g === undefined) {
      g = numGroups++;
      level.set(p, g);
      for (let k = 0; k < nk - 1; k++) keyValues[k]!.push(keyFns[k]!(i));
      keyValues[nk - 1]!.push(lastV);
    }
    gids[i] = g;
  }
  updateAll(accs, argFns, gids, n);
  return { numGroups, keyValues, accumulators: accs };
}

/** Feeds rows whose groups are known (`gids`, found by the caller) to the accumulators of `aggs`. */
export function updateByGroup(batch: ColumnarBatch, ctx: EvalContext, aggs: readonly AggSpec[], accs: readonly GroupAccumulator[], gids: Int32Array, n: number): void {
  updateAll(
    accs,
    aggs.map((a) => (a.arg === null ? null : a.arg(batch, ctx))),
    gids,
    n,
  );
}

/** Feeds every row to every accumulator, one aggregate at a time (column-wise). */
function updateAll(accs: readonly GroupAccumulator[], argFns: readonly (((i: number) => Value) | null)[], gids: Int32Array, n: number): void {
  for (let j = 0; j < accs.length; j++) {
    const acc = accs[j] as GroupAccumulator;
    const f = argFns[j];
    if ((f === null || f === undefined) && acc.countRows !== undefined) acc.countRows(gids, n);
    else if (f === null || f === undefined) for (let i = 0; i < n; i++) acc.update(gids[i] as number, null);
    else for (let i = 0; i < n; i++) acc.update(gids[i] as number, f(i));
  }
}
