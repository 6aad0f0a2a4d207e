/**
 * Workload 4: session windows, 30-second gap, 1e5 users, 10-second watermark, append.
 *
 *   df.withWatermark("eventTime", "10 seconds")
 *     .groupBy(session_window("eventTime", "30 seconds"), "key").count()
 *
 * SEMANTICS, per batch, with the eviction watermark wm (0 at first; after each batch
 * wm = max(wm, max eventTime of the batch − 10 s)) and the late-events watermark lateWm
 * (the previous batch's wm, as in Spark 3.5; see ./windowed.ts):
 * 1. each row is the session [t, t + gap); it is LATE and dropped when t + gap ≤ lateWm
 *    (Spark filters the per-row session_window by its end before merging with state);
 * 2. the remaining rows merge with the key's open sessions: sessions that overlap or
 *    touch (start ≤ other.end and other.start ≤ end) become one [min start, max end)
 *    with the counts summed — so the result does not depend on row order;
 * 3. then sessions with end ≤ wm are finalized: emitted once and removed (Spark merges
 *    before it evicts, so a row may still extend a session whose end is ≤ wm);
 * 4. after the flush batch, the end-of-stream no-data batch finalizes with the advanced wm.
 * Result: finalized (key, sessionStart, sessionEnd, count). Checksum in that order.
 * Data: 6,667 rows/s (one row per user every 15 s on average), 5% out of order within the
 * delay, 0.1% later (10.001 s – 2 min).
 */
import * as aq from "arquero";
import { Subject, filter } from "rxjs";
import { F } from "../../index";
import type { Checksum } from "../checksum";
import { generateEvents, rowsOf, type EventRow } from "../data";
import type { RunContext, Runner, Workload } from "../types";
import { engineRunner, ms } from "./engineRunner";
import { F64Buffer, IntCountMap } from "./typed";

const GAP_MS = 30_000;
const DELAY_MS = 10_000;

// ---------------------------------------------------------------------------------------
// Ceiling: a pool of sessions in typed arrays, a linked list per key, and an eviction
// queue bucketed by end second (entries re-queued when a session grows; stale ones skipped).

class Ceiling implements Runner {
  private cap = 1 << 16;
  private start = new Float64Array(this.cap);
  private end = new Float64Array(this.cap);
  private count = new Int32Array(this.cap);
  private next = new Int32Array(this.cap);
  private keyOf = new Int32Array(this.cap);
  private alive = new Int32Array(this.cap);
  private free: number[] = [];
  private used = 0;
  private live = 0;
  /** key → head slot + 1 (0: none); IntCountMap.get gives −1 for absent keys. */
  private readonly heads = new IntCountMap(1 << 17);
  private readonly queue = new Map<number, number[]>();
  private minBucket = Infinity;
  private wm = 0;
  private lateWm = 0;
  private outK = new F64Buffer();
  private outS = new F64Buffer();
  private outE = new F64Buffer();
  private outC = new F64Buffer();

  constructor(private readonly ctx: RunContext) {}

  private head(k: number): number {
    const h = this.heads.get(k);
    return h <= 0 ? -1 : h - 1;
  }
  private setHead(k: number, slot: number): void {
    const h = this.heads.get(k);
    this.heads.add(k, slot + 1 - (h < 0 ? 0 : h));
  }
  private alloc(): number {
    if (this.free.length > 0) return this.free.pop() as number;
    if (this.used === this.cap) this.growPool();
    return this.used++;
  }
  private growPool(): void {
    const cap = this.cap * 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.start = f(this.start);
    this.end = f(this.end);
    this.count = i(this.count);
    this.next = i(this.next);
    this.keyOf = i(this.keyOf);
    this.alive = i(this.alive);
    this.cap = cap;
  }
  private enqueue(slot: number): void {
    const b = Math.floor((this.end[slot] as number) / 1000);
    let q = this.queue.get(b);
    if (q === undefined) {
      q = [];
      this.queue.set(b, q);
      if (b < this.minBucket) this.minBucket = b;
    }
    q.push(slot);
  }

  batch(from: number, to: number): void {
    const { eventTime, key, n } = this.ctx.input.events;
    const wm = this.wm;
    const lateWm = this.lateWm;
    // Grow the pool up front so the arrays below stay the live ones during the loop.
    while (this.used + (to - from) > this.cap) this.growPool();
    const start = this.start;
    const end = this.end;
    const count = this.count;
    const next = this.next;
    let maxT = -Infinity;
    for (let i = from; i < to; i++) {
      const t = eventTime[i] as number;
      if (t > maxT) maxT = t;
      const e = t + GAP_MS;
      if (e <= lateWm) continue;
      const k = key[i] as number;
      // Merge every session of k that overlaps/touches [t, e) into the first one found.
      let s = t;
      let en = e;
      let c = 1;
      let keep = -1;
      let prev = -1;
      let cur = this.head(k);
      while (cur >= 0) {
        const nx = next[cur] as number;
        if ((start[cur] as number) <= en && s <= (end[cur] as number)) {
          if ((start[cur] as number) < s) s = start[cur] as number;
          if ((end[cur] as number) > en) en = end[cur] as number;
          c += count[cur] as number;
          if (keep < 0) {
            keep = cur;
            prev = cur;
          } else {
            // unlink cur
            next[prev] = nx;
            this.alive[cur] = 0;
            this.free.push(cur);
            this.live--;
          }
        } else prev = cur;
        cur = nx;
      }
      let requeue = false;
      if (keep >= 0) requeue = Math.floor((end[keep] as number) / 1000) !== Math.floor(en / 1000);
      else {
        requeue = true;
        keep = this.alloc();
        this.keyOf[keep] = k;
        this.alive[keep] = 1;
        next[keep] = this.head(k);
        this.setHead(k, keep);
        this.live++;
      }
      start[keep] = s;
      end[keep] = en;
      count[keep] = c;
      if (requeue) this.enqueue(keep);
    }
    this.evict(wm);
    this.lateWm = wm;
    if (maxT > -Infinity) this.wm = Math.max(wm, maxT - DELAY_MS);
    if (to === n) this.evict(this.wm);
  }

  private evict(wm: number): void {
    while (this.minBucket !== Infinity && this.minBucket * 1000 <= wm) {
      const b = this.minBucket;
      const q = this.queue.get(b);
      const keepInBucket: number[] = [];
      if (q !== undefined) {
        for (const slot of q) {
          if (this.alive[slot] !== 1) continue;
          const e = this.end[slot] as number;
          if (Math.floor(e / 1000) !== b) continue; // stale: the session grew and was re-queued
          if (e > wm) {
            keepInBucket.push(slot);
            continue;
          }
          this.emitAndRemove(slot);
        }
      }
      if (keepInBucket.length > 0) {
        this.queue.set(b, keepInBucket);
        break;
      }
      this.queue.delete(b);
      this.minBucket = this.queue.size === 0 ? Infinity : b + 1;
    }
  }

  private emitAndRemove(slot: number): void {
    const k = this.keyOf[slot] as number;
    this.outK.push(k);
    this.outS.push(this.start[slot] as number);
    this.outE.push(this.end[slot] as number);
    this.outC.push(this.count[slot] as number);
    let prev = -1;
    let cur = this.head(k);
    while (cur >= 0 && cur !== slot) {
      prev = cur;
      cur = this.next[cur] as number;
    }
    if (prev < 0) this.setHead(k, this.next[slot] as number);
    else this.next[prev] = this.next[slot] as number;
    this.alive[slot] = 0;
    this.free.push(slot);
    this.live--;
  }

  drain(cs: Checksum): void {
    for (let i = 0; i < this.outK.length; i++) cs.add4(this.outK.data[i] as number, this.outS.data[i] as number, this.outE.data[i] as number, this.outC.data[i] as number);
    this.outK = new F64Buffer();
    this.outS = new F64Buffer();
    this.outE = new F64Buffer();
    this.outC = new F64Buffer();
  }

  stateRows(): number {
    return this.live;
  }
}

// ---------------------------------------------------------------------------------------
// Idiomatic JS and RxJS: Map<key, Session[]>, evicted by scanning.

interface Session {
  start: number;
  end: number;
  count: number;
}
interface SessionRow extends Session {
  key: number;
}

/** Merges the session `s` into `list` (in place): every overlapping/touching session joins it. */
function mergeSession(list: Session[], s: Session): Session[] {
  let merged = s;
  const rest: Session[] = [];
  for (const o of list) {
    if (o.start <= merged.end && merged.start <= o.end) {
      merged = { start: Math.min(o.start, merged.start), end: Math.max(o.end, merged.end), count: o.count + merged.count };
    } else rest.push(o);
  }
  rest.push(merged);
  return rest;
}

class RowImpl implements Runner {
  private readonly sessions = new Map<number, Session[]>();
  private wm = 0;
  private lateWm = 0;
  private maxT = -Infinity;
  private rows: EventRow[] = [];
  private out: SessionRow[] = [];
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
            return r.eventTime + GAP_MS > this.lateWm;
          }),
        )
        .subscribe((r) => this.add(r.key, { start: r.eventTime, end: r.eventTime + GAP_MS, count: 1 }));
    }
  }
  /** Adds a session (a row, or a batch-local session) to the key's sessions. */
  add(key: number, s: Session): void {
    this.sessions.set(key, mergeSession(this.sessions.get(key) ?? [], s));
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
        if (r.eventTime + GAP_MS > this.lateWm) this.add(r.key, { start: r.eventTime, end: r.eventTime + GAP_MS, count: 1 });
      }
    this.endBatch(this.maxT, end === this.ctx.input.events.n);
  }
  /** Evicts with wm, advances wm; on the last batch evicts again. */
  endBatch(maxT: number, last: boolean): void {
    this.evict(this.wm);
    this.lateWm = this.wm;
    if (maxT > -Infinity) this.wm = Math.max(this.wm, maxT - DELAY_MS);
    if (last) this.evict(this.wm);
  }
  /** The late-events watermark of the next batch. */
  get lateWatermark(): number {
    return this.lateWm;
  }
  private evict(wm: number): void {
    for (const [key, list] of this.sessions) {
      if (list.every((s) => s.end > wm)) continue;
      const open = list.filter((s) => s.end > wm);
      for (const s of list) if (s.end <= wm) this.out.push({ key, ...s });
      if (open.length === 0) this.sessions.delete(key);
      else this.sessions.set(key, open);
    }
  }
  drain(cs: Checksum): void {
    for (const s of this.out) cs.add4(s.key, s.start, s.end, s.count);
    this.out = [];
  }
  stateRows(): number {
    let n = 0;
    for (const l of this.sessions.values()) n += l.length;
    return n;
  }
  close(): void {
    this.subject?.complete();
  }
}

// ---------------------------------------------------------------------------------------
// Arquero per batch: late filter, then batch-local sessions with window functions
// (gaps and islands: lag over (key, eventTime)), merged into the same Map state.

class ArqueroImpl implements Runner {
  private readonly state: RowImpl;
  private table: aq.ColumnTable | null = null;
  constructor(private readonly ctx: RunContext) {
    this.state = new RowImpl(ctx, false);
  }
  stage(start: number, end: number): void {
    const e = this.ctx.input.events;
    this.table = aq.table({ eventTime: e.eventTime.subarray(start, end), key: e.key.subarray(start, end) });
  }
  batch(_start: number, end: number): void {
    const t0 = this.table as aq.ColumnTable;
    const maxT = t0.numRows() > 0 ? (t0.rollup({ m: aq.op.max("eventTime") }).get("m", 0) as number) : -Infinity;
    const sessions = t0
      .params({ wm: this.state.lateWatermark, gap: GAP_MS })
      .filter((d: { eventTime: number }, $: { wm: number; gap: number }) => d.eventTime + $.gap > $.wm)
      .groupby("key")
      .orderby("eventTime")
      .derive({ fresh: (d: { eventTime: number }, $: { gap: number }) => (d.eventTime > aq.op.lag(d.eventTime, 1, -Infinity) + $.gap ? 1 : 0) })
      .derive({ sid: aq.rolling((d: { fresh: number }) => aq.op.sum(d.fresh), [-Infinity, 0]) })
      .groupby("key", "sid")
      .rollup({ start: aq.op.min("eventTime"), last: aq.op.max("eventTime"), count: aq.op.count() });
    const ks = sessions.array("key") as ArrayLike<number>;
    const ss = sessions.array("start") as ArrayLike<number>;
    const ls = sessions.array("last") as ArrayLike<number>;
    const cs = sessions.array("count") as ArrayLike<number>;
    for (let i = 0; i < ks.length; i++) this.state.add(ks[i] as number, { start: ss[i] as number, end: (ls[i] as number) + GAP_MS, count: cs[i] as number });
    this.state.endBatch(maxT, end === this.ctx.input.events.n);
  }
  drain(cs: Checksum): void {
    this.state.drain(cs);
  }
  stateRows(): number {
    return this.state.stateRows();
  }
}

export const session: Workload = {
  name: "4-session",
  title: "session windows (30 s gap, 1e5 users), 10 s watermark",
  target: 0.3,
  makeInput: (rows, seed, scale) => ({
    events: generateEvents({
      rows,
      seed,
      keys: scale?.keys ?? 100_000,
      valueRange: 1000,
      rowsPerSecond: scale?.rowsPerSecond ?? 6_667,
      disorder: { fraction: 0.05, maxDelayMs: 10_000 },
      late: { fraction: 0.001, minDelayMs: 10_001, maxDelayMs: 120_000 },
    }),
  }),
  impls: {
    engine: (ctx) =>
      engineRunner(ctx, {
        outputMode: "append",
        build: (df) => df.withWatermark("eventTime", "10 seconds").groupBy(F.sessionWindow(F.col("eventTime"), "30 seconds"), F.col("key")).count(),
        add: (r, cs) => {
          const w = r.session_window as { start: unknown; end: unknown };
          cs.add4(r.key as number, ms(w.start), ms(w.end), r.count as number);
        },
      }),
    ceiling: (ctx) => new Ceiling(ctx),
    idiomatic: (ctx) => new RowImpl(ctx, false),
    rxjs: (ctx) => new RowImpl(ctx, true),
    arquero: (ctx) => new ArqueroImpl(ctx),
  },
};
