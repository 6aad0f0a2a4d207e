import {
  attrRef,
  mapChildren,
  newExprId,
  type Attribute,
  type Expr,
  type ExprOf,
} from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import { dataTypeOf } from "../../expressions/typeOf";
import { isNumericStorage, typeName, type DataType, type Value } from "../../expressions/types";
import { evalColumn, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { nullFreeNumbers } from "../TypedSourceColumn";
import type { ExecContext } from "../PhysicalOperator";
import { aggregateFunction, type AggBuffer, type AggregateFunction } from "./aggregateFunctions";
import { partialAggregate, type AggSpec, type KeySpec, type PartialAggregation } from "./partialAggregate";
import { paneAggregate, paneGroups, type PaneWindowSpec } from "./paneAggregate";
import type { EvalContext } from "../../expressions/compile";

/** A window grouping key to serve through panes (see paneAggregate). */
export interface PaneWindow {
  readonly timeExpr: Expr;
  readonly windowMs: number;
  readonly slideMs: number;
  readonly startMs: number;
  readonly windowAttrId: number;
}

/** Aggregates whose result does not depend on the order in which panes merge. */
export const PANE_SAFE_AGGREGATES: ReadonlySet<string> = new Set(["count", "sum", "avg", "min", "max", "count_distinct", "approx_count_distinct"]);

/**
 * How an Aggregate node's expressions map to the aggregation machinery:
 * grouping keys, the distinct aggregate calls, and the result projection that
 * computes `aggregateExpressions` from [keys…, aggregate results…].
 */
export class AggregationLayout {
  readonly keys: KeySpec[];
  readonly aggs: AggSpec[];
  readonly functions: AggregateFunction[];
  private readonly keyAttrs: Attribute[];
  private readonly aggAttrs: Attribute[];
  private readonly resultFns: CompiledExpr[];
  /** For each result column, the ordinal of the key/aggregate column it passes through unchanged, or −1. */
  private readonly resultOrdinals: number[];

  /** The window grouping key served through panes, if any. */
  readonly paneSpec: PaneWindowSpec | null;

  /**
   * @param input the attributes of the aggregate's input (with `pane`: the input of the
   *   window expansion, which the pane path replaces)
   * @param pane serve the window grouping key `pane.windowAttrId` through panes
   */
  constructor(
    readonly groupingExpressions: readonly Expr[],
    readonly aggregateExpressions: readonly Expr[],
    input: readonly Attribute[],
    readonly output: readonly Attribute[],
    pane: PaneWindow | null = null,
  ) {
    const windowKeyIndex = pane === null ? -1 : groupingExpressions.findIndex((g) => g.kind === "attr" && g.id === pane.windowAttrId);
    this.paneSpec =
      pane === null
        ? null
        : {
            time: compileExpr(pane.timeExpr, input),
            timeColumn: numericColumnOrdinal(pane.timeExpr, input),
            windowMs: pane.windowMs,
            slideMs: pane.slideMs,
            startMs: pane.startMs,
            windowKeyIndex,
          };
    this.keys = groupingExpressions
      .filter((_, i) => i !== windowKeyIndex)
      .map((g): KeySpec => {
        const ordinal = numericColumnOrdinal(g, input);
        return {
          eval: compileExpr(g, input),
          dataType: dataTypeOf(g),
          columnOf:
            ordinal === undefined
              ? undefined
              : (b, _ctx, into) => nullFreeNumbers(b.columns[ordinal], into),
        };
      });
    this.keyAttrs = groupingExpressions.map((g, i) => ({ id: newExprId(), name: `_key${i}`, dataType: dataTypeOf(g), nullable: true }));
    const calls = new Map<string, { call: ExprOf<"agg">; attr: Attribute }>();
    const groupKeys = groupingExpressions.map((g) => JSON.stringify(g));
    const rewritten = aggregateExpressions.map((e) =>
      transformDown(e, (n) => {
        const gi = groupKeys.indexOf(JSON.stringify(n));
        if (gi >= 0) return attrRef(this.keyAttrs[gi] as Attribute);
        if (n.kind === "agg") {
          const key = JSON.stringify(n);
          let entry = calls.get(key);
          if (entry === undefined) {
            entry = { call: n, attr: { id: newExprId(), name: `_agg${calls.size}`, dataType: dataTypeOf(n), nullable: true } };
            calls.set(key, entry);
          }
          return attrRef(entry.attr);
        }
        return undefined;
      }),
    );
    const entries = [...calls.values()];
    this.aggAttrs = entries.map((e) => e.attr);
    this.functions = entries.map(({ call }) => {
      const arg = call.args[0];
      const star = arg === undefined || arg.kind === "star";
      const rsdArg = call.args[1];
      const rsd = rsdArg?.kind === "literal" && typeof rsdArg.value === "number" ? rsdArg.value : 0.05;
      return aggregateFunction(call.fn, star ? "long" : dataTypeOf(arg as Expr), dataTypeOf(call), {
        star,
        ignoreNulls: call.ignoreNulls === true,
        rsd,
      });
    });
    this.aggs = entries.map(({ call }, j) => {
      if (call.fn === "count_distinct" && call.args.length > 1) {
        // count(DISTINCT a, b): distinct tuples, skipping rows where any column is null.
        const anyNull = call.args
          .map((a): Expr => ({ kind: "isNull", child: a, negated: false }))
          .reduce((a, b) => ({ kind: "binary", op: "or", left: a, right: b }));
        const tuple: Expr = {
          kind: "caseWhen",
          branches: [[anyNull, { kind: "literal", value: null, dataType: "null" }]],
          otherwise: { kind: "call", fn: "struct", args: call.args },
        };
        return { fn: this.functions[j] as AggregateFunction, arg: compileExpr(tuple, input) };
      }
      const arg = call.args[0];
      const star = arg === undefined || arg.kind === "star";
      return { fn: this.functions[j] as AggregateFunction, arg: star ? null : compileExpr(arg as Expr, input) };
    });
    const resultInput = [...this.keyAttrs, ...this.aggAttrs];
    this.resultFns = rewritten.map((e) => compileExpr(e, resultInput));
    // A result that is a key or an aggregate as it is (the usual `window, key, count`) reuses
    // its column instead of copying it value by value.
    this.resultOrdinals = rewritten.map((e, i) => {
      const inner = e.kind === "alias" ? e.child : e;
      if (inner.kind !== "attr") return -1;
      const at = resultInput.findIndex((a) => a.id === inner.id);
      return at >= 0 && typeName(resultInput[at]!.dataType) === typeName(this.output[i]!.dataType) ? at : -1;
    });
  }

  /** Partial aggregation of one batch (through panes when the layout has a pane window). */
  aggregate(batch: ColumnarBatch, ctx: EvalContext): PartialAggregation {
    const r =
      this.paneSpec !== null
        ? paneAggregate(batch, ctx, this.paneSpec, this.keys, this.aggs, this.lastGroups, this.windowCache)
        : partialAggregate(batch, ctx, this.keys, this.aggs, this.lastGroups);
    // The next batch's hash tables are sized from this one's group count.
    this.lastGroups = Math.max(512, Math.ceil(r.numGroups * 1.25));
    return r;
  }

  /** The batch's (pane, keys) groups of a pane window layout (see `paneGroups`). */
  aggregatePanes(batch: ColumnarBatch, ctx: EvalContext): PartialAggregation {
    const r = paneGroups(batch, ctx, this.paneSpec as PaneWindowSpec, this.keys, this.aggs, this.lastGroups);
    this.lastGroups = Math.max(512, Math.ceil(r.numGroups * 1.25));
    return r;
  }

  private lastGroups = 512;
  /** Window objects by start, shared across batches (immutable values). */
  private readonly windowCache = new Map<number, Value>();

  /** Builds the output batch from groups: key tuples and buffers (one per aggregate call). */
  buildOutput(groups: readonly { k: readonly Value[]; b: readonly AggBuffer[] }[], ctx: ExecContext): ColumnarBatch {
    return this.buildOutputColumns(
      groups.map((g) => g.k),
      groups.map((g) => g.b),
      ctx,
    );
  }

  /** Builds the output batch from groups given as parallel arrays: key tuples and buffers. */
  buildOutputColumns(keys: readonly (readonly Value[])[], bufs: readonly (readonly AggBuffer[])[], ctx: ExecContext): ColumnarBatch {
    const n = keys.length;
    const cols: ColumnVector[] = [];
    for (let k = 0; k < this.keyAttrs.length; k++) {
      const dt = this.keyAttrs[k]!.dataType;
      if (isNumericStorage(dt)) cols.push(evalColumn((i) => (keys[i] as readonly Value[])[k] ?? null, n, dt));
      else {
        const values: Value[] = new Array(n);
        for (let i = 0; i < n; i++) values[i] = (keys[i] as readonly Value[])[k] ?? null;
        cols.push({ dataType: dt, length: n, values, nulls: null });
      }
    }
    for (let j = 0; j < this.aggAttrs.length; j++) {
      const fn = this.functions[j]!;
      cols.push(evalColumn((i) => fn.result((bufs[i] as readonly AggBuffer[])[j] ?? null), n, this.aggAttrs[j]!.dataType));
    }
    const inter: ColumnarBatch = { numRows: n, columns: cols };
    const out = this.resultFns.map((f, i) => evalColumn(f(inter, ctx), n, this.output[i]!.dataType));
    return { numRows: n, columns: out };
  }

  /**
   * Builds the output batch from the grouping keys given as columns (one per grouping
   * expression, in order, `n` rows each) and the buffers of each group (`bufs[i][j]`: group
   * i, aggregate call j): no key tuple per group.
   */
  buildOutputFromKeyColumns(keyCols: readonly ColumnVector[], bufs: readonly (readonly AggBuffer[])[], ctx: ExecContext): ColumnarBatch {
    const n = bufs.length;
    const aggCols: ColumnVector[] = [];
    for (let j = 0; j < this.aggAttrs.length; j++) {
      const fn = this.functions[j]!;
      aggCols.push(evalColumn((i) => fn.result((bufs[i] as readonly AggBuffer[])[j] ?? null), n, this.aggAttrs[j]!.dataType));
    }
    return this.buildOutputFromColumns(keyCols, aggCols, n, ctx);
  }

  /** The type of aggregate call j's result column. */
  aggResultType(j: number): DataType {
    return this.aggAttrs[j]!.dataType;
  }

  /**
   * Builds the output batch from the grouping keys and the aggregate results, both as
   * columns (`n` rows; one key column per grouping expression, one result column per call).
   */
  buildOutputFromColumns(keyCols: readonly ColumnVector[], aggCols: readonly ColumnVector[], n: number, ctx: ExecContext): ColumnarBatch {
    const inter: ColumnarBatch = { numRows: n, columns: [...keyCols, ...aggCols] };
    const out = this.resultFns.map((f, i) => {
      const at = this.resultOrdinals[i] as number;
      return at >= 0 ? (inter.columns[at] as ColumnVector) : evalColumn(f(inter, ctx), n, this.output[i]!.dataType);
    });
    return { numRows: n, columns: out };
  }

}

/** The input ordinal of `e` when it is a plain numeric (or timestamp) column, else undefined. */
function numericColumnOrdinal(e: Expr, input: readonly Attribute[]): number | undefined {
  if (e.kind !== "attr") return undefined;
  if (e.dataType !== "long" && e.dataType !== "int" && e.dataType !== "double" && e.dataType !== "timestamp") return undefined;
  const i = input.findIndex((a) => a.id === e.id);
  return i >= 0 ? i : undefined;
}

/** Top-down rewrite that stops descending where `rule` returns a replacement. */
function transformDown(e: Expr, rule: (e: Expr) => Expr | undefined): Expr {
  const r = rule(e);
  if (r !== undefined) return r;
  return mapChildren(e, (c) => transformDown(c, rule));
}
