/**
 * Workload 6: stream-static inner join against a 1e3-row and a 1e6-row table.
 *
 *   df.join(table, "key", "inner").select("eventTime", "key", "value", "attr")   // append
 *
 * The table has keys 0..n−1 (shuffled) and attr uniform in [0, 1000); stream keys are
 * uniform in [0, 2n), so about half the rows match. Result: every joined row; checksum
 * fields [eventTime, key, value, attr]. Building the lookup structure from the table is
 * setup (untimed) for the hand-written peers, as a long-running job would keep it; the
 * engine, Arquero and DuckDB do whatever their public API does per batch.
 */
import * as aq from "arquero";
import { Subject, filter, map } from "rxjs";
import { F } from "../../index";
import type { Checksum } from "../checksum";
import { generateEvents, generateTable, rowsOf, type EventRow } from "../data";
import type { RunContext, Runner, Workload } from "../types";
import { benchSession, engineRunner, ms } from "./engineRunner";
import { lookupMap, type Lookup } from "./typed";

interface OutRow {
  eventTime: number;
  key: number;
  value: number;
  attr: number;
}

class Ceiling implements Runner {
  private readonly lookup: Lookup;
  private out: { t: Float64Array; k: Int32Array; v: Int32Array; a: Int32Array; n: number }[] = [];
  constructor(private readonly ctx: RunContext) {
    const t = ctx.input.table;
    if (t === undefined) throw new Error("join needs a table");
    this.lookup = lookupMap(t.key, t.attr);
  }
  batch(start: number, end: number): void {
    const { eventTime, key, value } = this.ctx.input.events;
    const lookup = this.lookup;
    const len = end - start;
    const t = new Float64Array(len);
    const k = new Int32Array(len);
    const v = new Int32Array(len);
    const a = new Int32Array(len);
    let n = 0;
    for (let i = start; i < end; i++) {
      const kk = key[i] as number;
      const at = lookup.get(kk);
      if (at < 0) continue;
      t[n] = eventTime[i] as number;
      k[n] = kk;
      v[n] = value[i] as number;
      a[n] = at;
      n++;
    }
    this.out.push({ t, k, v, a, n });
  }
  drain(cs: Checksum): void {
    for (const o of this.out) for (let i = 0; i < o.n; i++) cs.add4(o.t[i] as number, o.k[i] as number, o.v[i] as number, o.a[i] as number);
    this.out = [];
  }
  stateRows(): number {
    return 0;
  }
}

class RowImpl implements Runner {
  private readonly table = new Map<number, number>();
  private rows: EventRow[] = [];
  private out: OutRow[] = [];
  private readonly subject: Subject<EventRow> | null = null;
  constructor(
    private readonly ctx: RunContext,
    rx: boolean,
  ) {
    const t = ctx.input.table;
    if (t === undefined) throw new Error("join needs a table");
    for (let i = 0; i < t.n; i++) this.table.set(t.key[i] as number, t.attr[i] as number);
    if (rx) {
      this.subject = new Subject<EventRow>();
      this.subject
        .pipe(
          filter((r) => this.table.has(r.key)),
          map((r): OutRow => ({ ...r, attr: this.table.get(r.key) as number })),
        )
        .subscribe((o) => this.out.push(o));
    }
  }
  stage(start: number, end: number): void {
    this.rows = rowsOf(this.ctx.input.events, start, end);
  }
  batch(): void {
    if (this.subject !== null) {
      for (const r of this.rows) this.subject.next(r);
      return;
    }
    for (const r of this.rows) {
      const attr = this.table.get(r.key);
      if (attr !== undefined) this.out.push({ ...r, attr });
    }
  }
  drain(cs: Checksum): void {
    for (const o of this.out) cs.add4(o.eventTime, o.key, o.value, o.attr);
    this.out = [];
  }
  stateRows(): number {
    return 0;
  }
  close(): void {
    this.subject?.complete();
  }
}

class ArqueroImpl implements Runner {
  private batchTable: aq.ColumnTable | null = null;
  private readonly table: aq.ColumnTable;
  private out: aq.ColumnTable[] = [];
  constructor(private readonly ctx: RunContext) {
    const t = ctx.input.table;
    if (t === undefined) throw new Error("join needs a table");
    this.table = aq.table({ key: t.key, attr: t.attr });
  }
  stage(start: number, end: number): void {
    const e = this.ctx.input.events;
    this.batchTable = aq.table({ eventTime: e.eventTime.subarray(start, end), key: e.key.subarray(start, end), value: e.value.subarray(start, end) });
  }
  batch(): void {
    this.out.push((this.batchTable as aq.ColumnTable).join(this.table, "key"));
  }
  drain(cs: Checksum): void {
    for (const t of this.out) {
      const a = t.array("eventTime") as ArrayLike<number>;
      const b = t.array("key") as ArrayLike<number>;
      const c = t.array("value") as ArrayLike<number>;
      const d = t.array("attr") as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) cs.add4(a[i] as number, b[i] as number, c[i] as number, d[i] as number);
    }
    this.out = [];
  }
  stateRows(): number {
    return 0;
  }
}

function join(tableRows: number, label: string): Workload {
  return {
    name: `6-join-${label}`,
    title: `stream-static join, ${label}-row table`,
    target: 0.3,
    makeInput: (rows, seed, scale) => {
      const n = scale?.tableRows ?? tableRows;
      return {
        events: generateEvents({ rows, seed, keys: 2 * n, valueRange: 1000, rowsPerSecond: scale?.rowsPerSecond ?? 10_000 }),
        table: generateTable(n, 1000, seed + 1),
      };
    },
    impls: {
      engine: (ctx) =>
        engineRunner(ctx, {
          outputMode: "append",
          build: (df) => {
            const t = ctx.input.table;
            if (t === undefined) throw new Error("join needs a table");
            const rows: { key: number; attr: number }[] = new Array(t.n);
            for (let i = 0; i < t.n; i++) rows[i] = { key: t.key[i] as number, attr: t.attr[i] as number };
            const static_ = benchSession().createDataFrame(rows, { key: "int", attr: "int" });
            return df.join(static_, "key", "inner").select(F.col("eventTime"), F.col("key"), F.col("value"), F.col("attr"));
          },
          add: (r, cs) => cs.add4(ms(r.eventTime), r.key as number, r.value as number, r.attr as number),
        }),
      ceiling: (ctx) => new Ceiling(ctx),
      idiomatic: (ctx) => new RowImpl(ctx, false),
      rxjs: (ctx) => new RowImpl(ctx, true),
      arquero: (ctx) => new ArqueroImpl(ctx),
    },
  };
}

export const join1e3 = join(1_000, "1e3");
export const join1e6 = join(1_000_000, "1e6");
