import type { Attribute } from "../../expressions/Expression";
import type { StructValue, Value } from "../../expressions/types";
import { sameFormat, type NumericStateFormat } from "../../state/NumericStateFormat";
import { NumericStateStore } from "../../state/NumericStateStoreProvider";
import type { StateKey, StateStore } from "../../state/StateStore";
import { IllegalStateException } from "../../util/errors";
import { getValue, selectRows, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import {
  batchStateMetrics,
  attrString,
  PhysicalOperator,
  type ExecContext,
  type OutputMode,
  type StateOperatorMetrics,
  type StatefulOperator,
} from "../PhysicalOperator";
import { emptyMetrics } from "./StateStoreSaveExec";
import { deduplicateStateFormat, NumericDeduplicateState, type DedupExpiry } from "./numericDeduplicateState";

/** Event time (ms) of a value of an event-time column: the value itself, or a window's `end`. */
export function eventTimeOfValue(v: Value): number | null {
  if (v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "object" && !Array.isArray(v)) {
    const end = (v as StructValue).end;
    return typeof end === "number" ? end : null;
  }
  return null;
}

/** Keys expiring within one bucket of `EXPIRY_BUCKET_MS`: `keys[e]` expires at `times[e]`. */
interface ExpiryBucket {
  readonly times: number[];
  readonly keys: StateKey[];
}

/** Width of an eviction bucket: a bucket is visited once the watermark reaches its start. */
const EXPIRY_BUCKET_MS = 1000;

/** The values of a numeric column without nulls, or null. */
function plainNumbers(c: ColumnVector): Float64Array | null {
  return c.values instanceof Float64Array && c.nulls === null ? c.values : null;
}

/** The state value of StreamingDeduplicateExec: an empty row (shared: state values are immutable). */
const EMPTY_ROW: Value = [];

/**
 * Shared body of Spark's two streaming deduplication operators: late rows (event time ≤
 * the late-events watermark) are dropped and counted, the first row of each key wins
 * (within the batch too), eviction visits only expired keys through a time index.
 */
export abstract class BaseStreamingDeduplicateExec extends PhysicalOperator implements StatefulOperator {
  readonly children: readonly PhysicalOperator[];
  readonly operatorName: string = "dedupe";
  metrics: StateOperatorMetrics = emptyMetrics();
  /** Ordinals of the key columns in the child's output. */
  protected readonly keyOrdinals: number[];
  /** Ordinal of the child's event-time column (watermark metadata), or -1. */
  protected readonly eventTimeOrdinal: number;
  protected lastWatermarkMs: number | undefined;
  /**
   * State keys by the time at which they expire, in buckets of `EXPIRY_BUCKET_MS` (so a row
   * costs no Map operation of its own: rows arrive roughly in time order, and the last
   * bucket is kept at hand); built from the store at the first batch of a run. Entries of an
   * aborted batch may linger: eviction re-checks the store.
   */
  private timeIndex: Map<number, ExpiryBucket> | null = null;
  private lastBucketId = NaN;
  private lastBucket: ExpiryBucket | null = null;
  /** Rows dropped as duplicates by the last batch (Spark's custom metric numDroppedDuplicateRows). */
  numDroppedDuplicateRows = 0;
  /** Set when every key column is a number: the store may then keep the keys in typed arrays. */
  readonly stateFormat: NumericStateFormat | undefined;
  private numeric: NumericDeduplicateState | null = null;

  constructor(
    readonly operatorId: number,
    readonly keys: readonly Attribute[],
    readonly child: PhysicalOperator,
  ) {
    super();
    this.children = [child];
    this.keyOrdinals = keys.map((k) => child.output.findIndex((a) => a.id === k.id));
    if (this.keyOrdinals.some((i) => i < 0)) throw new IllegalStateException("Deduplication key not found in its input", "INTERNAL_ERROR");
    this.eventTimeOrdinal = child.output.findIndex((a) => a.eventTimeDelayMs !== undefined);
    this.stateFormat = deduplicateStateFormat(keys, this.storesExpiry);
  }

  /** Whether the state value is the key's expiry time (else an empty row). */
  protected get storesExpiry(): boolean {
    return false;
  }

  /** The numeric path's view of `expiryOf`. */
  protected abstract numericExpiry(): DedupExpiry;

  get output(): readonly Attribute[] {
    return this.child.output;
  }

  customMetrics(): Record<string, number> {
    return { numDroppedDuplicateRows: this.numDroppedDuplicateRows };
  }

  /** The state value stored for a new key seen in `row` of `input`. */
  protected abstract valueFor(input: ColumnarBatch, row: number): Value;
  /** The time at which a state entry expires (evicted once ≤ the watermark), or null for never. */
  protected abstract expiryOf(key: StateKey, value: Value): number | null;
  /** Whether this operator evicts state at all. */
  protected abstract get evicts(): boolean;

  shouldRunAnotherBatch(newWatermarkMs: number, _outputMode: OutputMode): boolean {
    return this.evicts && this.lastWatermarkMs !== undefined && newWatermarkMs > this.lastWatermarkMs;
  }

  private indexOf(store: StateStore<Value>): Map<number, ExpiryBucket> {
    if (this.timeIndex === null) {
      const index = new Map<number, ExpiryBucket>();
      this.timeIndex = index;
      this.lastBucket = null;
      this.lastBucketId = NaN;
      for (const [k, v] of store.entries()) this.addToIndex(index, k, v);
    }
    return this.timeIndex;
  }

  private addToIndex(index: Map<number, ExpiryBucket>, k: StateKey, v: Value): void {
    const t = this.expiryOf(k, v);
    if (t !== null) this.addAt(index, t, k);
  }

  private addAt(index: Map<number, ExpiryBucket>, t: number, k: StateKey): void {
    const b = Math.floor(t / EXPIRY_BUCKET_MS);
    let bucket = this.lastBucket;
    if (b !== this.lastBucketId || bucket === null) {
      bucket = index.get(b) ?? null;
      if (bucket === null) index.set(b, (bucket = { times: [], keys: [] }));
      this.lastBucket = bucket;
      this.lastBucketId = b;
    }
    bucket.times.push(t);
    bucket.keys.push(k);
  }

  execute(ctx: ExecContext): ColumnarBatch {
    const store = ctx.stateStores.get(this.operatorId) as StateStore<Value> | undefined;
    if (store === undefined) throw new IllegalStateException(`State store of operator ${this.operatorId} is not loaded`, "INTERNAL_ERROR");
    const input = this.child.execute(ctx);
    const t0 = performance.now();
    this.lastWatermarkMs = ctx.watermarkMs;
    const index = this.evicts ? this.indexOf(store) : null;
    const lateWm = ctx.lateEventsWatermarkMs;
    const timeCol = this.eventTimeOrdinal >= 0 ? (input.columns[this.eventTimeOrdinal] as ColumnVector) : null;
    // Event times straight from the Float64Array when the column is a plain timestamp column.
    const times = timeCol !== null && timeCol.values instanceof Float64Array && timeCol.nulls === null ? timeCol.values : null;
    const keyCols = this.keyOrdinals.map((o) => input.columns[o] as ColumnVector);
    const nk = keyCols.length;
    // Two null-free numeric key columns (the usual (key, eventTime)): read as numbers.
    const c0 = nk === 2 ? plainNumbers(keyCols[0] as ColumnVector) : null;
    const c1 = nk === 2 ? plainNumbers(keyCols[1] as ColumnVector) : null;
    const pair = c0 !== null && c1 !== null;
    if (store instanceof NumericStateStore && this.stateFormat !== undefined && sameFormat(store.format, this.stateFormat) && keyCols.every((c) => c.values instanceof Float64Array)) {
      return this.executeNumeric(store, input, times, timeCol, lateWm, ctx.watermarkMs, t0);
    }
    const sel = new Int32Array(input.numRows);
    let kept = 0;
    let dropped = 0;
    let duplicates = 0;
    for (let i = 0; i < input.numRows; i++) {
      if (times !== null) {
        if ((times[i] as number) <= lateWm) {
          dropped++;
          continue;
        }
      } else if (timeCol !== null) {
        const t = eventTimeOfValue(getValue(timeCol, i));
        if (t !== null && t <= lateWm) {
          dropped++;
          continue;
        }
      }
      let k: Value[];
      if (pair) k = [(c0 as Float64Array)[i] as number, (c1 as Float64Array)[i] as number];
      else {
        k = new Array(nk);
        for (let c = 0; c < nk; c++) k[c] = getValue(keyCols[c] as ColumnVector, i);
      }
      if (store.get(k) !== undefined) {
        duplicates++;
        continue;
      }
      const v = this.valueFor(input, i);
      store.put(k, v);
      if (index !== null) this.addToIndex(index, k, v);
      sel[kept++] = i;
    }
    const t1 = performance.now();
    let removed = 0;
    if (index !== null) {
      const wm = ctx.watermarkMs;
      const wmBucket = Math.floor(wm / EXPIRY_BUCKET_MS);
      const again: ExpiryBucket = { times: [], keys: [] };
      for (const [b, bucket] of index) {
        if (b > wmBucket) continue;
        index.delete(b);
        const { times: ts, keys } = bucket;
        for (let e = 0; e < keys.length; e++) {
          const k = keys[e] as StateKey;
          if ((ts[e] as number) > wm) {
            again.times.push(ts[e] as number);
            again.keys.push(k);
            continue;
          }
          // One probe: `remove` of an absent key (already evicted) changes nothing.
          const before = store.numKeys();
          store.remove(k);
          if (store.numKeys() < before) removed++;
        }
      }
      this.lastBucket = null;
      this.lastBucketId = NaN;
      for (let e = 0; e < again.keys.length; e++) this.addAt(index, again.times[e] as number, again.keys[e] as StateKey);
    }
    const t2 = performance.now();
    this.numDroppedDuplicateRows = duplicates;
    this.metrics = batchStateMetrics({ total: store.numKeys(), updated: kept, removed, dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, t1, t2);
    return selectRows(input, sel, kept);
  }

  private executeNumeric(
    store: NumericStateStore<Value>,
    input: ColumnarBatch,
    times: Float64Array | null,
    timeCol: ColumnVector | null,
    lateWm: number,
    wm: number,
    t0: number,
  ): ColumnarBatch {
    this.numeric ??= new NumericDeduplicateState(this.keyOrdinals, store.format.partitionBy !== undefined, this.evicts ? this.numericExpiry() : null, this.storesExpiry ? (t) => this.expiryFromEventTime(t) : null);
    const table = store.table;
    const eventTimes =
      times !== null
        ? (i: number) => times[i] as number
        : timeCol !== null
          ? (i: number) => eventTimeOfValue(getValue(timeCol, i))
          : () => null;
    const r = this.numeric.execute(table, input, eventTimes, lateWm);
    const t1 = performance.now();
    const removed = this.evicts ? this.numeric.evict(table, wm) : 0;
    const t2 = performance.now();
    this.numDroppedDuplicateRows = r.duplicates;
    this.metrics = batchStateMetrics({ total: store.numKeys(), updated: r.kept, removed, dropped: r.dropped, memoryUsedBytes: store.memoryUsedBytes() }, t0, t1, t2);
    return selectRows(input, r.sel, r.kept);
  }

  /** …WithinWatermark: the expiry time stored for a key first seen at `eventTime`. */
  protected expiryFromEventTime(_eventTime: number | null): number | null {
    return null;
  }
}

/**
 * Spark's StreamingDeduplicateExec (dropDuplicates on a streaming DataFrame): keeps the
 * first row of each key. Without a watermark the state is kept forever; with one, rows
 * whose event time is ≤ the late-events watermark are dropped, and a key whose event-time
 * column (one of the keys) is ≤ the watermark is evicted. When the event-time column is
 * not one of the keys, state is never evicted (as in Spark).
 */
export class StreamingDeduplicateExec extends BaseStreamingDeduplicateExec {
  /** Position of the event-time column among the keys, or -1. */
  private readonly keyTimeIndex: number;

  constructor(operatorId: number, keys: readonly Attribute[], child: PhysicalOperator) {
    super(operatorId, keys, child);
    this.keyTimeIndex = keys.findIndex((k) => k.eventTimeDelayMs !== undefined);
  }

  protected valueFor(): Value {
    // Spark stores an empty row: the key alone says "seen".
    return EMPTY_ROW;
  }

  protected expiryOf(key: StateKey): number | null {
    return this.keyTimeIndex < 0 ? null : eventTimeOfValue(key[this.keyTimeIndex] ?? null);
  }

  protected get evicts(): boolean {
    return this.keyTimeIndex >= 0;
  }

  protected numericExpiry(): DedupExpiry {
    return this.keyTimeIndex < 0 ? null : { keySlot: this.keyTimeIndex };
  }

  describe(): string {
    return `StreamingDeduplicate [${this.keys.map(attrString).join(", ")}], operatorId = ${this.operatorId}`;
  }
}
