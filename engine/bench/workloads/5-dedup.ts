/**
 * Workload 5: dropDuplicates with a watermark (10% duplicates).
 *
 *   df.withWatermark("eventTime", "10 seconds").dropDuplicates(["key", "eventTime"])   // append
 *
 * SEMANTICS (Spark 3.5's StreamingDeduplicateExec), per batch, with the eviction
 * watermark wm (0 at first; after each batch wm = max(wm, max eventTime of the batch − 10 s))
 * and the late-events watermark lateWm (the previous batch's wm; see ./windowed.ts):
 * rows are taken in order; a row with eventTime ≤ lateWm is late and dropped; else if its
 * (key, eventTime) is in state it is a duplicate and dropped; else it is emitted and its
 * key stored. After the batch's rows, state keys with eventTime ≤ wm are evicted.
 * Result: the emitted rows (eventTime, key, value); duplicates are exact copies, so which
 * copy is emitted does not matter. Checksum fields: [eventTime, key, value].
 * Data: 10,000 rows/s, 1e6 keys; 10% of rows copy a row up to 150,000 rows (15 s) earlier,
 * so some copies cross batches and some are late.
 */
import * as aq from "arquero";
import { Subject, filter } from "rxjs";
import type { Checksum } from "../checksum";
import { generateEvents, rowsOf, type EventRow } from "../data";
import type { RunContext, Runner, Workload } from "../types";
import { engineRunner, ms } from "./engineRunner";
import { PairSet } from "./typed";

const DELAY_MS = 10_000;

/** Typed-array hash sets, one per second of event time; whole seconds ≤ wm are evicted. */
class Ceiling implements Runner {
  private readonly buckets = new Map<number, PairSet>();
  private minBucket = Infinity;
  private wm = 0;
  private lateWm = 0;
  private out: { t: Float64Array; k: Int32Array; v: Int32Array; n: number }[] = [];
  constructor(private readonly ctx: RunContext) {}
  batch(start: number, end: number): void {
    const { eventTime, key, value } = this.ctx.input.events;
    const wm = this.wm;
    const lateWm = this.lateWm;
    const len = end - start;
    const ot = new Float64Array(len);
    const ok = new Int32Array(len);
    const ov = new Int32Array(len);
    let n = 0;
    let maxT = -Infinity;
    let bIdx = NaN;
    let bucket: PairSet | undefined;
    for (let i = start; i < end; i++) {
      const t = eventTime[i] as number;
      if (t > maxT) maxT = t;
      if (t <= lateWm) continue;
      const b = Math.floor(t / 1000);
      if (b !== bIdx) {
        bIdx = b;
        bucket = this.buckets.get(b);
        if (bucket === undefined) {
          bucket = new PairSet(4096);
          this.buckets.set(b, bucket);
          if (b < this.minBucket) this.minBucket = b;
        }
      }
      const k = key[i] as number;
      if (!(bucket as PairSet).add(k, t)) continue;
      ot[n] = t;
      ok[n] = k;
      ov[n] = value[i] as number;
      n++;
    }
    this.out.push({ t: ot, k: ok, v: ov, n });
    this.evict(wm);
    this.lateWm = wm;
    if (maxT > -Infinity) this.wm = Math.max(wm, maxT - DELAY_MS);
    if (end === this.ctx.input.events.n) this.evict(this.wm); // the end-of-stream no-data batch
  }
  /** Evicts whole seconds ≤ wm (entries ≤ wm left in a partly-expired second never match: such rows are late). */
  private evict(wm: number): void {
    while (this.minBucket !== Infinity && this.minBucket * 1000 + 999 <= wm) {
      this.buckets.delete(this.minBucket);
      this.minBucket = this.buckets.size === 0 ? Infinity : this.minBucket + 1;
    }
  }
  drain(cs: Checksum): void {
    for (const o of this.out) for (let i = 0; i < o.n; i++) cs.add3(o.t[i] as number, o.k[i] as number, o.v[i] as number);
    this.out = [];
  }
  stateRows(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.size;
    return n;
  }
}

/** Row objects; state eventTime → Set of keys (evicted by scanning the times). RxJS: the same behind a Subject. */
class RowImpl implements Runner {
  private readonly seen = new Map<number, Set<number>>();
  private wm = 0;
  private lateWm = 0;
  private maxT = -Infinity;
  private rows: EventRow[] = [];
  private out: EventRow[] = [];
  private readonly subject: Subject<EventRow> | null = null;
  constructor(
    private readonly ctx: RunContext,
    rx: boolean,
  ) {
    if (rx) {
      this.subject = new Subject<EventRow>();
      this.subject
        .pipe(
          filter((r) => {
            if (r.eventTime > this.maxT) this.maxT = r.eventTime;
            return r.eventTime > this.lateWm;
          }),
          filter((r) => this.firstSeen(r)),
        )
        .subscribe((r) => this.out.push(r));
    }
  }
  private firstSeen(r: EventRow): boolean {
    let keys = this.seen.get(r.eventTime);
    if (keys === undefined) {
      keys = new Set();
      this.seen.set(r.eventTime, keys);
    } else if (keys.has(r.key)) return false;
    keys.add(r.key);
    return true;
  }
  stage(start: number, end: number): void {
    this.rows = rowsOf(this.ctx.input.events, start, end);
  }
  batch(_start: number, end: number): void {
    this.maxT = -Infinity;
    if (this.subject !== null) for (const r of this.rows) this.subject.next(r);
    else
      for (const r of this.rows) {
        if (r.eventTime > this.maxT) this.maxT = r.eventTime;
        if (r.eventTime > this.lateWm && this.firstSeen(r)) this.out.push(r);
      }
    this.evict(this.wm);
    this.lateWm = this.wm;
    if (this.maxT > -Infinity) this.wm = Math.max(this.wm, this.maxT - DELAY_MS);
    if (end === this.ctx.input.events.n) this.evict(this.wm); // the end-of-stream no-data batch
  }
  private evict(wm: number): void {
    for (const t of this.seen.keys()) if (t <= wm) this.seen.delete(t);
  }
  drain(cs: Checksum): void {
    for (const r of this.out) cs.add3(r.eventTime, r.key, r.value);
    this.out = [];
  }
  stateRows(): number {
    let n = 0;
    for (const s of this.seen.values()) n += s.size;
    return n;
  }
  close(): void {
    this.subject?.complete();
  }
}

/** Arquero per batch: late filter + dedupe within the batch + filter against the state (a Map of Sets). */
class ArqueroImpl implements Runner {
  private readonly seen = new Map<number, Set<number>>();
  private wm = 0;
  private lateWm = 0;
  private table: aq.ColumnTable | null = null;
  private out: aq.ColumnTable[] = [];
  constructor(private readonly ctx: RunContext) {}
  stage(start: number, end: number): void {
    const e = this.ctx.input.events;
    this.table = aq.table({ eventTime: e.eventTime.subarray(start, end), key: e.key.subarray(start, end), value: e.value.subarray(start, end) });
  }
  batch(_start: number, end: number): void {
    const t0 = this.table as aq.ColumnTable;
    const maxT = t0.numRows() > 0 ? (t0.rollup({ m: aq.op.max("eventTime") }).get("m", 0) as number) : -Infinity;
    const seen = this.seen;
    const fresh = aq.escape((d: { eventTime: number; key: number }) => seen.get(d.eventTime)?.has(d.key) !== true);
    const t = t0
      .params({ wm: this.lateWm })
      .filter((d: { eventTime: number }, $: { wm: number }) => d.eventTime > $.wm)
      .dedupe("key", "eventTime")
      .filter(fresh)
      .reify();
    const ts = t.array("eventTime") as ArrayLike<number>;
    const ks = t.array("key") as ArrayLike<number>;
    for (let i = 0; i < ts.length; i++) {
      let s = seen.get(ts[i] as number);
      if (s === undefined) {
        s = new Set();
        seen.set(ts[i] as number, s);
      }
      s.add(ks[i] as number);
    }
    this.out.push(t);
    for (const x of seen.keys()) if (x <= this.wm) seen.delete(x);
    this.lateWm = this.wm;
    if (maxT > -Infinity) this.wm = Math.max(this.wm, maxT - DELAY_MS);
    if (end === this.ctx.input.events.n) for (const x of seen.keys()) if (x <= this.wm) seen.delete(x); // end-of-stream no-data batch
  }
  drain(cs: Checksum): void {
    for (const t of this.out) {
      const a = t.array("eventTime") as ArrayLike<number>;
      const b = t.array("key") as ArrayLike<number>;
      const c = t.array("value") as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) cs.add3(a[i] as number, b[i] as number, c[i] as number);
    }
    this.out = [];
  }
  stateRows(): number {
    let n = 0;
    for (const s of this.seen.values()) n += s.size;
    return n;
  }
}

export const dedup: Workload = {
  name: "5-dedup",
  title: "dropDuplicates(key, eventTime) with a 10 s watermark, 10% duplicates",
  target: 0.3,
  makeInput: (rows, seed, scale) => ({
    events: generateEvents({
      rows,
      seed,
      keys: scale?.keys ?? 1_000_000,
      valueRange: 1000,
      rowsPerSecond: scale?.rowsPerSecond ?? 10_000,
      duplicates: { fraction: 0.1, maxLagRows: Math.round(15 * (scale?.rowsPerSecond ?? 10_000)) },
    }),
  }),
  impls: {
    engine: (ctx) =>
      engineRunner(ctx, {
        outputMode: "append",
        build: (df) => df.withWatermark("eventTime", "10 seconds").dropDuplicates(["key", "eventTime"]),
        add: (r, cs) => cs.add3(ms(r.eventTime), r.key as number, r.value as number),
      }),
    ceiling: (ctx) => new Ceiling(ctx),
    idiomatic: (ctx) => new RowImpl(ctx, false),
    rxjs: (ctx) => new RowImpl(ctx, true),
    arquero: (ctx) => new ArqueroImpl(ctx),
  },
};
