/**
 * The DuckDB implementations of every workload (Node only: @duckdb/node-api), one
 * in-memory database per run with `threads = 1`.
 *
 * Each micro-batch is appended to a table `b` (DataChunks of up to 2,048 rows, filled
 * straight from the shared typed arrays, through an Appender) — timed, it is DuckDB's
 * ingest — then the workload's SQL runs and the result columns
 * are read into JS (getColumns) — timed too, the result must exist on the JS side.
 * Statements are re-planned per batch (runAndReadAll with parameters) rather than kept
 * prepared: with @duckdb/node-api 1.5.6-r.1, a statement prepared before `b` had rows
 * returned no rows for `WHERE value < 500` in later batches (likely planned on the empty
 * table's statistics; not investigated further), while re-planning gives the right rows.
 * Streaming state lives in tables: stateful SQL is written the way one would write it
 * for DuckDB (partial aggregates appended per batch and finalized on the watermark;
 * gaps-and-islands with window functions for sessions; an anti join for dedup).
 * Semantics are the workloads' (see workloads/*.ts); watermarks are tracked the same way.
 */
import { DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import type { Checksum } from "./checksum";
import type { Impl, RunContext, Runner } from "./types";

const CHUNK = 2048;

/** The watermark bookkeeping every stateful workload shares (see workloads/windowed.ts). */
class Watermarks {
  wm = 0;
  lateWm = 0;
  constructor(private readonly delayMs: number) {}
  /** After the batch's rows and eviction: lateWm ← wm, wm ← max(wm, maxT − delay). */
  advance(maxT: number | null): void {
    this.lateWm = this.wm;
    if (maxT !== null && Number.isFinite(maxT)) this.wm = Math.max(this.wm, maxT - this.delayMs);
  }
}

abstract class DuckRunner implements Runner {
  protected conn!: DuckDBConnection;
  private instance!: DuckDBInstance;
  private appender!: DuckDBAppender;
  protected out: DuckDBValue[][][] = [];
  protected state = 0;

  constructor(protected readonly ctx: RunContext) {}

  /** Opens the database, creates the batch table and runs `setupSql`. */
  async open(setupSql: string[]): Promise<this> {
    this.instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    this.conn = await this.instance.connect();
    await this.conn.run("CREATE TABLE b (eventTime DOUBLE, key INTEGER, value INTEGER)");
    const t = this.ctx.input.table;
    if (t !== undefined) {
      await this.conn.run("CREATE TABLE dim (key INTEGER, attr INTEGER)");
      const a = await this.conn.createAppender("dim");
      for (let s = 0; s < t.n; s += CHUNK) {
        const e = Math.min(t.n, s + CHUNK);
        const chunk = DuckDBDataChunk.create([INTEGER, INTEGER], e - s);
        chunk.setColumnValues(0, t.key.subarray(s, e) as unknown as number[]);
        chunk.setColumnValues(1, t.attr.subarray(s, e) as unknown as number[]);
        a.appendDataChunk(chunk);
      }
      a.closeSync();
    }
    for (const sql of setupSql) await this.conn.run(sql);
    this.appender = await this.conn.createAppender("b");
    await this.prepare();
    return this;
  }

  protected abstract prepare(): Promise<void>;
  protected abstract process(end: number): Promise<void>;
  /** Adds output row i to the checksum (`cs.add3`/`add4`: no array per row). */
  protected abstract addRow(cs: Checksum, cols: DuckDBValue[][], i: number): void;

  /** Replaces table b's rows with rows [start, end). */
  private async ingest(start: number, end: number): Promise<void> {
    const { eventTime, key, value } = this.ctx.input.events;
    await this.conn.run("DELETE FROM b");
    for (let s = start; s < end; s += CHUNK) {
      const e = Math.min(end, s + CHUNK);
      const chunk = DuckDBDataChunk.create([DOUBLE, INTEGER, INTEGER], e - s);
      chunk.setColumnValues(0, eventTime.subarray(s, e) as unknown as number[]);
      chunk.setColumnValues(1, key.subarray(s, e) as unknown as number[]);
      chunk.setColumnValues(2, value.subarray(s, e) as unknown as number[]);
      this.appender.appendDataChunk(chunk);
    }
    this.appender.flushSync();
  }

  async batch(start: number, end: number): Promise<void> {
    await this.ingest(start, end);
    await this.process(end);
  }

  /** Runs a statement with double parameters ($1…) and keeps its columns as output. */
  protected async emit(sql: string, ...params: number[]): Promise<void> {
    const cols = await this.run(sql, params);
    if ((cols[0]?.length ?? 0) > 0) this.out.push(cols);
  }

  async drain(cs: Checksum): Promise<void> {
    for (const cols of this.out) {
      const n = cols[0]?.length ?? 0;
      for (let i = 0; i < n; i++) this.addRow(cs, cols, i);
    }
    this.out = [];
    this.state = await this.countState();
  }

  /** Runs a statement with double parameters ($1…) and returns its columns. */
  protected async run(sql: string, params: number[] = []): Promise<DuckDBValue[][]> {
    return (await this.conn.runAndReadAll(sql, params.length === 0 ? undefined : params)).getColumns();
  }

  protected countState(): Promise<number> {
    return Promise.resolve(0);
  }

  stateRows(): number {
    return this.state;
  }

  close(): void {
    this.appender.closeSync();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}


async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  const v = (await conn.runAndReadAll(sql)).getColumns()[0]?.[0];
  return v === null || v === undefined ? NaN : Number(v);
}

const num = (cols: DuckDBValue[][], c: number, i: number): number => Number(cols[c]?.[i]);

// ---------------------------------------------------------------------------------------

/** Stateless SELECTs (workloads 1 and 6). */
class StatelessDuck extends DuckRunner {
  private stmt!: string;
  constructor(
    ctx: RunContext,
    private readonly sql: string,
  ) {
    super(ctx);
  }
  protected async prepare(): Promise<void> {
    this.stmt = (this.sql);
  }
  protected async process(): Promise<void> {
    await this.emit(this.stmt);
  }
  private readonly row: number[] = [];
  protected addRow(cs: Checksum, cols: DuckDBValue[][], i: number): void {
    const row = this.row;
    row.length = cols.length;
    for (let c = 0; c < cols.length; c++) row[c] = num(cols, c, i);
    cs.add(row);
  }
}

/** Windowed counts (2, 3, 7): partial counts appended per batch, finalized by the watermark. */
class WindowedDuck extends DuckRunner {
  private readonly w: Watermarks;
  private insert!: string;
  private maxT!: string;
  private final!: string;
  private evict!: string;
  constructor(
    ctx: RunContext,
    private readonly spec: { sizeMs: number; slideMs: number; delayMs: number; ysb?: boolean },
  ) {
    super(ctx);
    this.w = new Watermarks(spec.delayMs);
  }
  protected async prepare(): Promise<void> {
    const { sizeMs, slideMs, ysb } = this.spec;
    const panes = sizeMs / slideMs;
    const source = ysb ? "(SELECT b.eventTime, dim.attr AS g FROM b JOIN dim USING (key) WHERE b.value = 0)" : "(SELECT eventTime, key AS g FROM b)";
    const expand =
      panes === 1
        ? `SELECT floor(eventTime / ${slideMs}) * ${slideMs} AS ws, g FROM ${source}`
        : `SELECT floor(eventTime / ${slideMs}) * ${slideMs} - j * ${slideMs} AS ws, g FROM ${source}, range(${panes}) r(j)`;
    this.insert = (`INSERT INTO s SELECT ws, g, count(*)::INTEGER FROM (${expand}) WHERE ws + ${sizeMs} > $1 GROUP BY ws, g`);
    this.maxT = (`SELECT max(eventTime) FROM b${ysb ? " WHERE value = 0" : ""}`);
    this.final = (`SELECT ws, g, sum(c)::INTEGER FROM s WHERE ws + ${sizeMs} <= $1 GROUP BY ws, g`);
    this.evict = (`DELETE FROM s WHERE ws + ${sizeMs} <= $1`);
  }
  protected async process(end: number): Promise<void> {
    await this.run(this.insert, [this.w.lateWm]);
    await this.finalize(this.w.wm);
    const m = (await this.run(this.maxT, []))[0]?.[0];
    this.w.advance(m === null || m === undefined ? null : Number(m));
    if (end === this.ctx.input.events.n) await this.finalize(this.w.wm);
  }
  private async finalize(wm: number): Promise<void> {
    await this.emit(this.final, wm);
    await this.run(this.evict, [wm]);
  }
  protected addRow(cs: Checksum, cols: DuckDBValue[][], i: number): void {
    cs.add3(num(cols, 0, i), num(cols, 1, i), num(cols, 2, i));
  }
  protected override countState(): Promise<number> {
    return scalar(this.conn, "SELECT count(*) FROM s");
  }
}

/** Session windows (4): re-merge the touched keys' open sessions with the batch's rows (gaps and islands). */
class SessionDuck extends DuckRunner {
  private readonly w = new Watermarks(10_000);
  private merge!: string;
  private final!: string;
  private evict!: string;
  private maxT!: string;
  protected async prepare(): Promise<void> {
    const gap = 30_000;
    this.merge = (`
      CREATE OR REPLACE TEMP TABLE merged AS
      WITH nb AS (SELECT key, eventTime AS s, eventTime + ${gap} AS e, 1 AS c FROM b WHERE eventTime + ${gap} > $1),
      iv AS (SELECT key, s, e, c FROM ss WHERE key IN (SELECT key FROM nb) UNION ALL SELECT key, s, e, c FROM nb),
      flagged AS (
        SELECT *, CASE WHEN s <= max(e) OVER (PARTITION BY key ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS fresh FROM iv),
      grouped AS (SELECT *, sum(fresh) OVER (PARTITION BY key ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS sid FROM flagged)
      SELECT key, min(s) AS s, max(e) AS e, sum(c)::INTEGER AS c FROM grouped GROUP BY key, sid`);
    this.final = ("SELECT key, s, e, c FROM ss WHERE e <= $1");
    this.evict = ("DELETE FROM ss WHERE e <= $1");
    this.maxT = ("SELECT max(eventTime) FROM b");
  }
  protected async process(end: number): Promise<void> {
    await this.run(this.merge, [this.w.lateWm]);
    await this.conn.run("DELETE FROM ss WHERE key IN (SELECT key FROM merged)");
    await this.conn.run("INSERT INTO ss SELECT * FROM merged");
    await this.finalize(this.w.wm);
    const m = (await this.run(this.maxT, []))[0]?.[0];
    this.w.advance(m === null || m === undefined ? null : Number(m));
    if (end === this.ctx.input.events.n) await this.finalize(this.w.wm);
  }
  private async finalize(wm: number): Promise<void> {
    await this.emit(this.final, wm);
    await this.run(this.evict, [wm]);
  }
  protected addRow(cs: Checksum, cols: DuckDBValue[][], i: number): void {
    cs.add4(num(cols, 0, i), num(cols, 1, i), num(cols, 2, i), num(cols, 3, i));
  }
  protected override countState(): Promise<number> {
    return scalar(this.conn, "SELECT count(*) FROM ss");
  }
}

/** dropDuplicates (5): anti join against the seen keys, DISTINCT ON within the batch. */
class DedupDuck extends DuckRunner {
  private readonly w = new Watermarks(10_000);
  private fresh!: string;
  private evict!: string;
  private maxT!: string;
  protected async prepare(): Promise<void> {
    this.fresh = (`
      CREATE OR REPLACE TEMP TABLE fresh AS
      SELECT DISTINCT ON (key, eventTime) eventTime, key, value FROM b
      WHERE eventTime > $1 AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.key = b.key AND seen.t = b.eventTime)`);
    this.evict = ("DELETE FROM seen WHERE t <= $1");
    this.maxT = ("SELECT max(eventTime) FROM b");
  }
  protected async process(end: number): Promise<void> {
    await this.run(this.fresh, [this.w.lateWm]);
    await this.conn.run("INSERT INTO seen SELECT key, eventTime FROM fresh");
    const cols = (await this.conn.runAndReadAll("SELECT eventTime, key, value FROM fresh")).getColumns();
    if ((cols[0]?.length ?? 0) > 0) this.out.push(cols);
    await this.run(this.evict, [this.w.wm]);
    const m = (await this.run(this.maxT, []))[0]?.[0];
    this.w.advance(m === null || m === undefined ? null : Number(m));    if (end === this.ctx.input.events.n) await this.run(this.evict, [this.w.wm]); // end-of-stream no-data batch
  }
  protected addRow(cs: Checksum, cols: DuckDBValue[][], i: number): void {
    cs.add3(num(cols, 0, i), num(cols, 1, i), num(cols, 2, i));
  }
  protected override countState(): Promise<number> {
    return scalar(this.conn, "SELECT count(*) FROM seen");
  }
}

/** DuckDB implementations by workload name. */
export const DUCKDB_IMPLS: Record<string, Impl> = {
  "1-stateless": (ctx) => new StatelessDuck(ctx, "SELECT eventTime, key, value * 2 + 1 AS v2 FROM b WHERE value < 500").open([]),
  "2-tumbling-1e3": (ctx) => new WindowedDuck(ctx, { sizeMs: 60_000, slideMs: 60_000, delayMs: 10_000 }).open(["CREATE TABLE s (ws DOUBLE, g INTEGER, c INTEGER)"]),
  "2-tumbling-1e5": (ctx) => new WindowedDuck(ctx, { sizeMs: 60_000, slideMs: 60_000, delayMs: 10_000 }).open(["CREATE TABLE s (ws DOUBLE, g INTEGER, c INTEGER)"]),
  "3-sliding": (ctx) => new WindowedDuck(ctx, { sizeMs: 300_000, slideMs: 60_000, delayMs: 10_000 }).open(["CREATE TABLE s (ws DOUBLE, g INTEGER, c INTEGER)"]),
  "4-session": (ctx) => new SessionDuck(ctx).open(["CREATE TABLE ss (key INTEGER, s DOUBLE, e DOUBLE, c INTEGER)"]),
  "5-dedup": (ctx) => new DedupDuck(ctx).open(["CREATE TABLE seen (key INTEGER, t DOUBLE)"]),
  "6-join-1e3": (ctx) => new StatelessDuck(ctx, "SELECT b.eventTime, b.key, b.value, dim.attr FROM b JOIN dim USING (key)").open([]),
  "6-join-1e6": (ctx) => new StatelessDuck(ctx, "SELECT b.eventTime, b.key, b.value, dim.attr FROM b JOIN dim USING (key)").open([]),
  "7-ysb": (ctx) => new WindowedDuck(ctx, { sizeMs: 10_000, slideMs: 10_000, delayMs: 10_000, ysb: true }).open(["CREATE TABLE s (ws DOUBLE, g INTEGER, c INTEGER)"]),
};
