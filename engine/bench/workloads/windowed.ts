/**
 * Windowed count by key with an event-time watermark, append mode — shared by
 * workloads 2 (tumbling), 3 (sliding) and 7 (Yahoo Streaming Benchmark).
 *
 * SEMANTICS (every implementation, batch by batch over the same boundaries):
 * - A row at event time t belongs to every window [s, s + size) with s a multiple of
 *   `slide` and s ≤ t < s + size (Spark's window(); size is a multiple of slide here).
 * - Two watermarks, as in Spark 3.5 (see ../README.md, "Watermark semantics"):
 *   `wm` (eviction) is 0 before the first batch, and after each batch
 *   wm = max(wm, maxEventTime(batch) − delay), the max over the rows that reach the
 *   watermark operator (all rows; YSB: the "view" rows, since Spark pushes a filter that
 *   does not read the event time below EventTimeWatermark). `lateWm` (late events) is the
 *   eviction watermark of the PREVIOUS batch (Spark's eventTimeWatermarkForLateEvents;
 *   0 for the first two batches). The benchmark runs no no-data batch between data batches
 *   (data is always waiting), so "previous batch" is the previous data batch.
 * - A (row, window) pair is LATE and dropped when window.end ≤ lateWm — Spark's predicate at
 *   the stateful operator, which for a window key compares the window's END
 *   (WatermarkSupport.watermarkExpression on GetStructField(window, 1)). A row of a
 *   sliding window can so be dropped for its early windows and counted in later ones.
 * - After the batch's rows, windows with end ≤ wm are finalized: emitted once, then
 *   removed from state. After the flush batch, the end-of-stream no-data batch finalizes
 *   with the advanced watermark.
 * - The RESULT is the set of finalized rows (windowStart ms, group, count); the flush
 *   row's window never finalizes. Checksum fields: [windowStart, group, count].
 *
 * YSB variant: keep rows with value = 0 ("view"), inner-join key (ad_id) to the static
 * table (ad_id → campaign_id), group by campaign.
 */
import * as aq from "arquero";
import { Subject, filter, map, mergeMap, type Observable } from "rxjs";
import { F, type DataFrame } from "../../index";
import type { Checksum } from "../checksum";
import { rowsOf, type EventRow } from "../data";
import type { Impl, ImplName, RunContext, Runner } from "../types";
import { benchSession, engineRunner, windowStart } from "./engineRunner";
import { F64Buffer, IntCountMap, lookupMap, type Lookup } from "./typed";

export interface WindowedSpec {
  sizeMs: number;
  slideMs: number;
  /** null: no watermark (update mode, nothing finalizes: the state-growth demonstration). */
  delayMs: number | null;
  /** Yahoo Streaming Benchmark: filter value = 0, join key → campaign (the static table's attr). */
  ysb?: boolean;
}

/** Every implementation of the windowed count but DuckDB. */
export function windowedImpls(spec: WindowedSpec): Partial<Record<ImplName, Impl>> {
  return {
    engine: (ctx) => windowedEngine(ctx, spec),
    ceiling: (ctx) => new PaneCeiling(ctx, spec),
    idiomatic: (ctx) => new MapImpl(ctx, spec, false),
    rxjs: (ctx) => new MapImpl(ctx, spec, true),
    arquero: (ctx) => new ArqueroImpl(ctx, spec),
  };
}

function durationString(ms: number): string {
  return `${ms / 1000} seconds`;
}

// ---------------------------------------------------------------------------------------
// Engine (public API)

function windowedEngine(ctx: RunContext, spec: WindowedSpec): Promise<Runner> {
  return engineRunner(ctx, {
    outputMode: spec.delayMs === null ? "update" : "append",
    build(df: DataFrame) {
      // Filter, then the watermark, then the join: the order Spark's plan has after it pushes
      // the filter below EventTimeWatermark (the max event time is over the view rows).
      let d = spec.ysb ? df.filter(F.col("value").eq(0)) : df;
      if (spec.delayMs !== null) d = d.withWatermark("eventTime", durationString(spec.delayMs));
      let groupCol = "key";
      if (spec.ysb) {
        const t = ctx.input.table;
        if (t === undefined) throw new Error("YSB needs the campaigns table");
        const rows: { key: number; campaign: number }[] = [];
        for (let i = 0; i < t.n; i++) rows.push({ key: t.key[i] as number, campaign: t.attr[i] as number });
        const campaigns = benchSession().createDataFrame(rows, { key: "int", campaign: "int" });
        d = d.join(campaigns, "key", "inner");
        groupCol = "campaign";
      }
      const w = spec.slideMs === spec.sizeMs ? F.window(F.col("eventTime"), durationString(spec.sizeMs)) : F.window(F.col("eventTime"), durationString(spec.sizeMs), durationString(spec.slideMs));
      return d.groupBy(w, F.col(groupCol)).count();
    },
    add: (r, cs) => cs.add3(windowStart(r), (r.key ?? r.campaign) as number, r.count as number),
  });
}

// ---------------------------------------------------------------------------------------
// Ceiling: pane-based counts in typed-array hash tables

/**
 * One IntCountMap per pane (slide interval); a window is the sum of its size/slide panes,
 * computed when it is finalized. A row whose last window has end ≤ lateWm is dropped;
 * otherwise it is counted in its pane, which only windows still open will read: windows
 * with end ≤ lateWm were emitted at the end of the previous batch.
 */
class PaneCeiling implements Runner {
  private readonly panes = new Map<number, IntCountMap>();
  private nextWindow = Infinity;
  private lastPaneSize = 0;
  private wm = 0;
  private lateWm = 0;
  private readonly campaigns: Lookup | null;
  private outStart = new F64Buffer();
  private outGroup = new F64Buffer();
  private outCount = new F64Buffer();

  constructor(
    private readonly ctx: RunContext,
    private readonly spec: WindowedSpec,
  ) {
    const t = ctx.input.table;
    this.campaigns = spec.ysb && t !== undefined ? lookupMap(t.key, t.attr) : null;
  }

  batch(start: number, end: number): void {
    const { eventTime, key, value, n } = this.ctx.input.events;
    const { sizeMs, slideMs, delayMs } = this.spec;
    const watermarked = delayMs !== null;
    const panesPerWindow = sizeMs / slideMs;
    // The first window index with end > lateWm; every window before it is already emitted.
    const firstOpen = watermarked ? Math.floor((this.lateWm - sizeMs) / slideMs) + 1 : -Infinity;
    const campaigns = this.campaigns;
    let maxT = -Infinity;
    let paneIdx = NaN;
    let pane: IntCountMap | undefined;
    let nextWindow = this.nextWindow;
    // Hot loop, inlined on purpose.
    for (let i = start; i < end; i++) {
      if (campaigns !== null && value[i] !== 0) continue;
      const t = eventTime[i] as number;
      if (t > maxT) maxT = t;
      const p = Math.floor(t / slideMs);
      if (p < firstOpen) continue; // every window of the row has end ≤ lateWm: late
      let g = key[i] as number;
      if (campaigns !== null) {
        g = campaigns.get(g);
        if (g < 0) continue;
      }
      if (p !== paneIdx) {
        paneIdx = p;
        pane = this.panes.get(p);
        if (pane === undefined) {
          // Sized like the previous pane: no rehashing while the table fills.
          pane = new IntCountMap(Math.max(1024, this.lastPaneSize));
          this.panes.set(p, pane);
        }
      }
      (pane as IntCountMap).add(g, 1);
      const w0 = Math.max(p - panesPerWindow + 1, firstOpen);
      if (w0 < nextWindow) nextWindow = w0;
    }
    this.nextWindow = nextWindow;
    if (!watermarked) return;
    this.evict(this.wm);
    this.lateWm = this.wm;
    if (maxT > -Infinity) this.wm = Math.max(this.wm, maxT - (delayMs as number));
    if (end === n) this.evict(this.wm);
  }

  private evict(wm: number): void {
    const { sizeMs, slideMs } = this.spec;
    const panesPerWindow = sizeMs / slideMs;
    while (this.nextWindow !== Infinity && this.nextWindow * slideMs + sizeMs <= wm) {
      const w = this.nextWindow;
      const s = w * slideMs;
      if (panesPerWindow === 1) {
        this.panes.get(w)?.forEach((g, c) => this.emit(s, g, c));
      } else {
        const sum = new IntCountMap(1024);
        for (let p = w; p < w + panesPerWindow; p++) this.panes.get(p)?.forEach((g, c) => sum.add(g, c));
        sum.forEach((g, c) => this.emit(s, g, c));
      }
      const done = this.panes.get(w);
      if (done !== undefined) this.lastPaneSize = Math.max(this.lastPaneSize, done.size);
      this.panes.delete(w);
      this.nextWindow = w + 1;
    }
  }

  private emit(s: number, g: number, c: number): void {
    this.outStart.push(s);
    this.outGroup.push(g);
    this.outCount.push(c);
  }

  drain(cs: Checksum): void {
    for (let i = 0; i < this.outStart.length; i++) cs.add3(this.outStart.data[i] as number, this.outGroup.data[i] as number, this.outCount.data[i] as number);
    this.outStart = new F64Buffer();
    this.outGroup = new F64Buffer();
    this.outCount = new F64Buffer();
  }

  stateRows(): number {
    let n = 0;
    for (const p of this.panes.values()) n += p.size;
    return n;
  }
}

// ---------------------------------------------------------------------------------------
// Idiomatic JS (row objects, nested Maps) and RxJS (the same state behind a Subject pipeline)

interface WindowRef {
  start: number;
  group: number;
}

/** Result row of the row-oriented implementations. */
interface WindowCount {
  windowStart: number;
  group: number;
  count: number;
}

class MapImpl implements Runner {
  /** windowStart → (group → count) */
  private readonly state = new Map<number, Map<number, number>>();
  private wm = 0;
  private lateWm = 0;
  private maxT = -Infinity;
  private rows: EventRow[] = [];
  private out: WindowCount[] = [];
  private readonly campaigns = new Map<number, number>();
  private readonly subject: Subject<EventRow> | null = null;

  constructor(
    private readonly ctx: RunContext,
    private readonly spec: WindowedSpec,
    rx: boolean,
  ) {
    const t = ctx.input.table;
    if (spec.ysb && t !== undefined) for (let i = 0; i < t.n; i++) this.campaigns.set(t.key[i] as number, t.attr[i] as number);
    if (rx) {
      this.subject = new Subject<EventRow>();
      this.pipeline(this.subject).subscribe((w) => this.count(w.start, w.group));
    }
  }

  /** The RxJS pipeline: filter → watermark tracking → join → window assignment → late filter. */
  private pipeline(rows$: Observable<EventRow>): Observable<WindowRef> {
    const { sizeMs, slideMs, ysb } = this.spec;
    let r$ = rows$;
    if (ysb) r$ = r$.pipe(filter((r) => r.value === 0));
    const tracked$ = r$.pipe(
      map((r) => {
        if (r.eventTime > this.maxT) this.maxT = r.eventTime;
        return r;
      }),
    );
    const grouped$ = ysb
      ? tracked$.pipe(
          filter((r) => this.campaigns.has(r.key)),
          map((r) => ({ eventTime: r.eventTime, group: this.campaigns.get(r.key) as number })),
        )
      : tracked$.pipe(map((r) => ({ eventTime: r.eventTime, group: r.key })));
    const windows$ =
      sizeMs === slideMs
        ? grouped$.pipe(map((r) => ({ start: Math.floor(r.eventTime / slideMs) * slideMs, group: r.group })))
        : grouped$.pipe(
            mergeMap((r) => {
              const ws: WindowRef[] = [];
              for (let s = Math.floor(r.eventTime / slideMs) * slideMs; s > r.eventTime - sizeMs; s -= slideMs) ws.push({ start: s, group: r.group });
              return ws;
            }),
          );
    return windows$.pipe(filter((w) => this.spec.delayMs === null || w.start + sizeMs > this.lateWm));
  }

  private count(start: number, group: number): void {
    let m = this.state.get(start);
    if (m === undefined) {
      m = new Map();
      this.state.set(start, m);
    }
    m.set(group, (m.get(group) ?? 0) + 1);
  }

  stage(start: number, end: number): void {
    this.rows = rowsOf(this.ctx.input.events, start, end);
  }

  batch(_start: number, end: number): void {
    const { sizeMs, slideMs, delayMs, ysb } = this.spec;
    const watermarked = delayMs !== null;
    this.maxT = -Infinity;
    if (this.subject !== null) {
      for (const r of this.rows) this.subject.next(r);
    } else {
      for (const r of this.rows) {
        if (ysb && r.value !== 0) continue;
        if (r.eventTime > this.maxT) this.maxT = r.eventTime;
        const group = ysb ? this.campaigns.get(r.key) : r.key;
        if (group === undefined) continue;
        for (let s = Math.floor(r.eventTime / slideMs) * slideMs; s > r.eventTime - sizeMs; s -= slideMs) {
          if (watermarked && s + sizeMs <= this.lateWm) break; // earlier windows end earlier still
          this.count(s, group);
        }
      }
    }
    if (!watermarked) return;
    this.evict(this.wm);
    this.lateWm = this.wm;
    if (this.maxT > -Infinity) this.wm = Math.max(this.wm, this.maxT - (delayMs as number));
    if (end === this.ctx.input.events.n) this.evict(this.wm);
  }

  private evict(wm: number): void {
    const size = this.spec.sizeMs;
    for (const [start, groups] of this.state) {
      if (start + size > wm) continue;
      for (const [group, count] of groups) this.out.push({ windowStart: start, group, count });
      this.state.delete(start);
    }
  }

  drain(cs: Checksum): void {
    for (const r of this.out) cs.add3(r.windowStart, r.group, r.count);
    this.out = [];
  }

  stateRows(): number {
    let n = 0;
    for (const m of this.state.values()) n += m.size;
    return n;
  }

  close(): void {
    this.subject?.complete();
  }
}

// ---------------------------------------------------------------------------------------
// Arquero per micro-batch

/**
 * Arquero does each batch's relational work (filter, join, window expansion, late filter,
 * partial count per (window, group)); the partial counts are merged into a Map, the
 * state store (Arquero tables are immutable: re-aggregating the whole state per batch
 * would be O(state) per batch, a straw man).
 */
class ArqueroImpl implements Runner {
  private readonly state = new Map<number, Map<number, number>>();
  private wm = 0;
  private lateWm = 0;
  private table: aq.ColumnTable | null = null;
  private readonly campaigns: aq.ColumnTable | null;
  private out: aq.ColumnTable[] = [];

  constructor(
    private readonly ctx: RunContext,
    private readonly spec: WindowedSpec,
  ) {
    const t = ctx.input.table;
    this.campaigns = spec.ysb && t !== undefined ? aq.table({ key: t.key, group: t.attr }) : null;
  }

  stage(start: number, end: number): void {
    const e = this.ctx.input.events;
    this.table = aq.table({ eventTime: e.eventTime.subarray(start, end), key: e.key.subarray(start, end), value: e.value.subarray(start, end) });
  }

  batch(_start: number, end: number): void {
    const { sizeMs, slideMs, delayMs, ysb } = this.spec;
    const watermarked = delayMs !== null;
    let t = this.table as aq.ColumnTable;
    if (ysb) t = t.filter((d: { value: number }) => d.value === 0);
    const maxT = t.numRows() > 0 ? (t.rollup({ m: aq.op.max("eventTime") }).get("m", 0) as number) : -Infinity;
    t = this.campaigns !== null ? t.join(this.campaigns, "key") : t.derive({ group: (d: { key: number }) => d.key });
    const expanded: aq.ColumnTable[] = [];
    for (let j = 0; j < sizeMs / slideMs; j++) {
      expanded.push(
        t
          .params({ j, slideMs })
          .derive({ ws: (d: { eventTime: number }, $: { j: number; slideMs: number }) => aq.op.floor(d.eventTime / $.slideMs) * $.slideMs - $.j * $.slideMs }),
      );
    }
    let w = expanded.length === 1 ? (expanded[0] as aq.ColumnTable) : (expanded[0] as aq.ColumnTable).concat(...expanded.slice(1));
    if (watermarked) w = w.params({ wm: this.lateWm, sizeMs }).filter((d: { ws: number }, $: { wm: number; sizeMs: number }) => d.ws + $.sizeMs > $.wm);
    const partial = w.groupby("ws", "group").count({ as: "count" });
    const ws = partial.array("ws") as ArrayLike<number>;
    const gs = partial.array("group") as ArrayLike<number>;
    const cs = partial.array("count") as ArrayLike<number>;
    for (let i = 0; i < ws.length; i++) {
      const s = ws[i] as number;
      let m = this.state.get(s);
      if (m === undefined) {
        m = new Map();
        this.state.set(s, m);
      }
      const g = gs[i] as number;
      m.set(g, (m.get(g) ?? 0) + (cs[i] as number));
    }
    if (!watermarked) return;
    this.evict(this.wm);
    this.lateWm = this.wm;
    if (maxT > -Infinity) this.wm = Math.max(this.wm, maxT - (delayMs as number));
    if (end === this.ctx.input.events.n) this.evict(this.wm);
  }

  private evict(wm: number): void {
    const size = this.spec.sizeMs;
    const starts: number[] = [];
    const groups: number[] = [];
    const counts: number[] = [];
    for (const [start, m] of this.state) {
      if (start + size > wm) continue;
      for (const [g, c] of m) {
        starts.push(start);
        groups.push(g);
        counts.push(c);
      }
      this.state.delete(start);
    }
    if (starts.length > 0) this.out.push(aq.table({ windowStart: starts, group: groups, count: counts }));
  }

  drain(cs: Checksum): void {
    for (const t of this.out) {
      const a = t.array("windowStart") as ArrayLike<number>;
      const b = t.array("group") as ArrayLike<number>;
      const c = t.array("count") as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) cs.add3(a[i] as number, b[i] as number, c[i] as number);
    }
    this.out = [];
  }

  stateRows(): number {
    let n = 0;
    for (const m of this.state.values()) n += m.size;
    return n;
  }
}
