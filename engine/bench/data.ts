/**
 * Seeded, columnar benchmark data shared by every implementation (engine, ceiling,
 * idiomatic JS, RxJS, Arquero, DuckDB). Browser-safe: no Node imports.
 *
 * A stream is three parallel columns — `eventTime` (Float64Array, epoch ms, integral),
 * `key` and `value` (Int32Array) — followed by ONE flush row (see `generateEvents`).
 * The same seed gives the same bytes on every run and in every environment.
 */

import { mulberry32 } from "../util/prng";

/** mulberry32, shared with the engine (the events source). */
export { mulberry32 };

/** A uniform integer in [lo, hi] from `rnd`. */
export function randInt(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

/** The columnar event stream every implementation reads. `n` counts the flush row. */
export interface EventColumns {
  /** Rows including the final flush row. */
  readonly n: number;
  /** Event time, epoch milliseconds (integral values). */
  readonly eventTime: Float64Array;
  readonly key: Int32Array;
  readonly value: Int32Array;
}

/** A row object, as the row-oriented implementations (idiomatic, RxJS) take it. */
export interface EventRow {
  eventTime: number;
  key: number;
  value: number;
}

/** How to generate a stream. Times are generated in arrival order; disorder subtracts a delay. */
export interface EventOptions {
  /** Data rows (the flush row comes on top). */
  rows: number;
  seed: number;
  /** Keys are uniform in [0, keys). */
  keys: number;
  /** Values are uniform in [0, valueRange). */
  valueRange: number;
  /** Arrival rate in event-time: row i arrives at startMs + floor(i * 1000 / rowsPerSecond). */
  rowsPerSecond: number;
  /** Default 1_700_000_040_000 (a whole minute, so windows align on round numbers). */
  startMs?: number;
  /** Out-of-order rows within the watermark delay: `fraction` of rows get eventTime = arrival − U[1, maxDelayMs]. */
  disorder?: { fraction: number; maxDelayMs: number };
  /** Rows later than the delay: eventTime = arrival − U[minDelayMs, maxDelayMs]. */
  late?: { fraction: number; minDelayMs: number; maxDelayMs: number };
  /** `fraction` of rows are exact copies (eventTime, key, value) of a row up to `maxLagRows` earlier. */
  duplicates?: { fraction: number; maxLagRows: number };
  /** The flush row's eventTime is max eventTime + flushGapMs (default one hour). */
  flushGapMs?: number;
}

/** Default start of event time: 2023-11-14T22:14:00Z, a multiple of one minute. */
export const START_MS = 1_700_000_040_000;

/**
 * Generates a stream. The last row is the FLUSH ROW (key 0, value 0, eventTime an hour
 * after everything else): every implementation processes it as its own final
 * micro-batch, so the watermark passes every window/session/dedup key of the data and
 * all finalized results are emitted (end of stream = one final watermark advance).
 * Where the flush row itself would appear in a result (stateless workloads, dedup) it
 * appears for every implementation alike.
 */
export function generateEvents(o: EventOptions): EventColumns {
  const rnd = mulberry32(o.seed);
  const n = o.rows + 1;
  const eventTime = new Float64Array(n);
  const key = new Int32Array(n);
  const value = new Int32Array(n);
  const start = o.startMs ?? START_MS;
  const msPerRow = 1000 / o.rowsPerSecond;
  let maxT = -Infinity;
  for (let i = 0; i < o.rows; i++) {
    if (o.duplicates !== undefined && i > 0 && rnd() < o.duplicates.fraction) {
      const j = Math.max(0, i - randInt(rnd, 1, o.duplicates.maxLagRows));
      eventTime[i] = eventTime[j] as number;
      key[i] = key[j] as number;
      value[i] = value[j] as number;
      continue;
    }
    let t = start + Math.floor(i * msPerRow);
    const r = rnd();
    if (o.late !== undefined && r < o.late.fraction) t -= randInt(rnd, o.late.minDelayMs, o.late.maxDelayMs);
    else if (o.disorder !== undefined && r < (o.late?.fraction ?? 0) + o.disorder.fraction) t -= randInt(rnd, 1, o.disorder.maxDelayMs);
    eventTime[i] = t;
    key[i] = Math.floor(rnd() * o.keys);
    value[i] = Math.floor(rnd() * o.valueRange);
    if (t > maxT) maxT = t;
  }
  eventTime[o.rows] = (o.rows === 0 ? start : maxT) + (o.flushGapMs ?? 3_600_000);
  return { n, eventTime, key, value };
}

/**
 * Micro-batch boundaries: [0, b), [b, 2b) … over the data rows, then the flush row alone.
 * Every implementation processes exactly these batches (watermark semantics depend on them).
 */
export function batchBounds(n: number, batchSize: number): number[] {
  const bounds = [0];
  const dataRows = n - 1;
  for (let s = batchSize; s < dataRows; s += batchSize) bounds.push(s);
  if (dataRows > 0) bounds.push(dataRows);
  bounds.push(n);
  return bounds;
}

/** Rows [start, end) as row objects (staging for row-oriented implementations; untimed). */
export function rowsOf(d: EventColumns, start: number, end: number): EventRow[] {
  const out: EventRow[] = new Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = { eventTime: d.eventTime[i] as number, key: d.key[i] as number, value: d.value[i] as number };
  return out;
}

/** A static (dimension) table: `key` → `attr`, both Int32, keys unique. */
export interface StaticTable {
  readonly n: number;
  readonly key: Int32Array;
  readonly attr: Int32Array;
}

/**
 * A static table of `n` rows: keys 0..n−1 in a shuffled order, attr = a seeded
 * value in [0, attrRange). Deterministic per seed.
 */
export function generateTable(n: number, attrRange: number, seed: number): StaticTable {
  const rnd = mulberry32(seed);
  const key = new Int32Array(n);
  const attr = new Int32Array(n);
  for (let i = 0; i < n; i++) key[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = key[i] as number;
    key[i] = key[j] as number;
    key[j] = t;
  }
  for (let i = 0; i < n; i++) attr[i] = Math.floor(rnd() * attrRange);
  return { n, key, attr };
}
