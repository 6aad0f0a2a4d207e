/**
 * Workload 1: stateless filter + projection.
 *
 *   df.filter(col("value") < 500).select("eventTime", "key", (col("value") * 2 + 1).as("v2"))   // append
 *
 * Result: every output row (eventTime ms, key, v2), the flush row included if it passes
 * (its value is 0, so it does). Checksum fields: [eventTime, key, v2]. About half the rows
 * pass. Data: 10,000 rows/s, 1e3 keys, values uniform in [0, 1000).
 */
import * as aq from "arquero";
import { Subject, filter, map } from "rxjs";
import { F } from "../../index";
import type { Checksum } from "../checksum";
import { generateEvents, rowsOf, type EventRow } from "../data";
import type { RunContext, Runner, Workload } from "../types";
import { engineRunner, ms } from "./engineRunner";

const LIMIT = 500;

interface OutRow {
  eventTime: number;
  key: number;
  v2: number;
}

/** Tight loop over the columns into typed output columns (one allocation per batch). */
class Ceiling implements Runner {
  private out: { t: Float64Array; k: Int32Array; v: Int32Array; n: number }[] = [];
  constructor(private readonly ctx: RunContext) {}
  batch(start: number, end: number): void {
    const { eventTime, key, value } = this.ctx.input.events;
    const len = end - start;
    const t = new Float64Array(len);
    const k = new Int32Array(len);
    const v = new Int32Array(len);
    let n = 0;
    for (let i = start; i < end; i++) {
      const x = value[i] as number;
      if (x < LIMIT) {
        t[n] = eventTime[i] as number;
        k[n] = key[i] as number;
        v[n] = x * 2 + 1;
        n++;
      }
    }
    this.out.push({ t, k, v, n });
  }
  drain(cs: Checksum): void {
    for (const o of this.out) for (let i = 0; i < o.n; i++) cs.add3(o.t[i] as number, o.k[i] as number, o.v[i] as number);
    this.out = [];
  }
  stateRows(): number {
    return 0;
  }
}

/** Row objects, Array.filter/map (or an RxJS Subject pipeline). */
class RowImpl implements Runner {
  private rows: EventRow[] = [];
  private out: OutRow[] = [];
  private readonly subject: Subject<EventRow> | null = null;
  constructor(
    private readonly ctx: RunContext,
    rx: boolean,
  ) {
    if (rx) {
      this.subject = new Subject<EventRow>();
      this.subject
        .pipe(
          filter((r) => r.value < LIMIT),
          map((r): OutRow => ({ eventTime: r.eventTime, key: r.key, v2: r.value * 2 + 1 })),
        )
        .subscribe((o) => this.out.push(o));
    }
  }
  stage(start: number, end: number): void {
    this.rows = rowsOf(this.ctx.input.events, start, end);
  }
  batch(): void {
    if (this.subject !== null) for (const r of this.rows) this.subject.next(r);
    else for (const o of this.rows.filter((r) => r.value < LIMIT).map((r): OutRow => ({ eventTime: r.eventTime, key: r.key, v2: r.value * 2 + 1 }))) this.out.push(o);
  }
  drain(cs: Checksum): void {
    for (const o of this.out) cs.add3(o.eventTime, o.key, o.v2);
    this.out = [];
  }
  stateRows(): number {
    return 0;
  }
  close(): void {
    this.subject?.complete();
  }
}

/** Arquero: filter + derive + select per batch, reified (materialized) like the others' output. */
class ArqueroImpl implements Runner {
  private table: aq.ColumnTable | null = null;
  private out: aq.ColumnTable[] = [];
  constructor(private readonly ctx: RunContext) {}
  stage(start: number, end: number): void {
    const e = this.ctx.input.events;
    this.table = aq.table({ eventTime: e.eventTime.subarray(start, end), key: e.key.subarray(start, end), value: e.value.subarray(start, end) });
  }
  batch(): void {
    const t = (this.table as aq.ColumnTable)
      .params({ LIMIT })
      .filter((d: { value: number }, $: { LIMIT: number }) => d.value < $.LIMIT)
      .derive({ v2: (d: { value: number }) => d.value * 2 + 1 })
      .select("eventTime", "key", "v2")
      .reify();
    this.out.push(t);
  }
  drain(cs: Checksum): void {
    for (const t of this.out) {
      const a = t.array("eventTime") as ArrayLike<number>;
      const b = t.array("key") as ArrayLike<number>;
      const c = t.array("v2") as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) cs.add3(a[i] as number, b[i] as number, c[i] as number);
    }
    this.out = [];
  }
  stateRows(): number {
    return 0;
  }
}

export const stateless: Workload = {
  name: "1-stateless",
  title: "stateless filter + projection",
  target: 0.5,
  makeInput: (rows, seed, scale) => ({
    events: generateEvents({ rows, seed, keys: scale?.keys ?? 1_000, valueRange: 1000, rowsPerSecond: scale?.rowsPerSecond ?? 10_000 }),
  }),
  impls: {
    engine: (ctx) =>
      engineRunner(ctx, {
        outputMode: "append",
        build: (df) => df.filter(F.col("value").lt(LIMIT)).select(F.col("eventTime"), F.col("key"), F.col("value").multiply(2).plus(1).as("v2")),
        add: (r, cs) => cs.add3(ms(r.eventTime), r.key as number, r.v2 as number),
      }),
    ceiling: (ctx) => new Ceiling(ctx),
    idiomatic: (ctx) => new RowImpl(ctx, false),
    rxjs: (ctx) => new RowImpl(ctx, true),
    arquero: (ctx) => new ArqueroImpl(ctx),
  },
};
