import type { Attribute, Expr } from "../../expressions/Expression";
import { compileExpr, type CompiledExpr } from "../../expressions/compile";
import type { IntervalValue, Value } from "../../expressions/types";
import { exprString } from "../../plan/exprString";
import { durationToMs } from "../../util/durations";
import { gatherRows, type ColumnarBatch } from "../ColumnarBatch";
import { attrString, PhysicalOperator, type ExecContext } from "../PhysicalOperator";
import { ScratchSlot } from "../../util/scratch";
import { TypedWindowColumn } from "../TypedWindowColumn";

const MS_PER_DAY = 86_400_000;

/** A per-row gap value in ms: an interval, a duration string, or null (unusable). */
function gapToMs(v: Value, cache: Map<string, number | null>): number | null {
  if (v === null) return null;
  if (typeof v === "string") {
    let ms = cache.get(v);
    if (ms === undefined) {
      try {
        ms = durationToMs(v);
      } catch {
        ms = null;
      }
      cache.set(v, ms);
    }
    return ms;
  }
  if (typeof v === "object" && !Array.isArray(v) && typeof (v as IntervalValue).microseconds === "number") {
    const i = v as IntervalValue;
    return i.microseconds / 1000 + i.days * MS_PER_DAY + i.months * 31 * MS_PER_DAY;
  }
  return null;
}

/**
 * Spark's SessionWindowing projection: appends the `session_window` struct
 * `{ start: t, end: t + gap }` to each row. Rows with a null (or not finite) time, or a per-row gap that is
 * null or ≤ 0, are dropped (Spark filters them out). Merging sessions is the aggregation's job
 * (SessionWindowStateStoreSaveExec / HashAggregateExec).
 */
export class SessionWindowAssignExec extends PhysicalOperator {
  readonly children: readonly PhysicalOperator[];
  private readonly timeFn: CompiledExpr;
  private readonly gapFn: CompiledExpr | null;
  private readonly gapCache = new Map<string, number | null>();
  /** The rows kept: gathered from, never kept. */
  private readonly selScratch = new ScratchSlot();

  constructor(
    readonly timeExpr: Expr,
    readonly gapMs: number,
    readonly gapExpr: Expr | null,
    readonly sessionAttr: Attribute,
    readonly output: readonly Attribute[],
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.timeFn = compileExpr(timeExpr, child.output);
    this.gapFn = gapExpr === null ? null : compileExpr(gapExpr, child.output);
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const input = this.child.execute(ctx);
    const time = this.timeFn(input, ctx);
    const gap = this.gapFn === null ? null : this.gapFn(input, ctx);
    const n = input.numRows;
    const sel = this.selScratch.int32(n);
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const t = time(i);
      // A time that is not finite has no session either (Spark's timestamps are finite; the
      // numeric session state keys its directories with start −∞).
      if (typeof t !== "number" || !Number.isFinite(t)) continue;
      const g = gap === null ? this.gapMs : gapToMs(gap(i), this.gapCache);
      if (g === null || !(g > 0)) continue;
      sel[kept] = i;
      starts[kept] = t;
      ends[kept++] = t + g;
    }
    // Every row kept (the usual case): the input's columns as they are.
    const base = kept === n ? input : gatherRows(input, sel, kept);
    const sessions = new TypedWindowColumn(this.sessionAttr.dataType, kept, kept === n ? starts : starts.slice(0, kept), kept === n ? ends : ends.slice(0, kept));
    return { numRows: kept, columns: [...base.columns, sessions] };
  }

  describe(): string {
    const gap = this.gapExpr === null ? `${this.gapMs * 1000}` : exprString(this.gapExpr);
    return `Project [session_window(${exprString(this.timeExpr)}, ${gap}) AS ${attrString(this.sessionAttr)}]`;
  }
}
