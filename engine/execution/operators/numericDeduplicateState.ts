import type { Attribute } from "../../expressions/Expression";
import { isNumericStorage } from "../../expressions/types";
import type { NumericStateFormat } from "../../state/NumericStateFormat";
import type { NumericStateTable } from "../../state/NumericStateTable";
import type { ColumnarBatch, ColumnVector } from "../ColumnarBatch";
import { ScratchSlot } from "../../util/scratch";

/** Where a deduplication entry's expiry time is: a key slot (dropDuplicates) or the value (…WithinWatermark). */
export type DedupExpiry = { readonly keySlot: number } | { readonly value: true } | null;

/**
 * The NumericStateFormat of a deduplication over `keys`, or undefined when a key column
 * is not a number or a timestamp. `withExpiryValue`: the value is the key's expiry time.
 */
export function deduplicateStateFormat(keys: readonly Attribute[], withExpiryValue: boolean): NumericStateFormat | undefined {
  if (!keys.every((k) => isNumericStorage(k.dataType))) return undefined;
  const format: NumericStateFormat = { keys: keys.map(() => "number"), values: withExpiryValue ? ["nullableNumber"] : [] };
  // dropDuplicates with the event time among the keys: the state is partitioned by it, a
  // second per partition, so eviction drops whole seconds.
  const timeKey = withExpiryValue ? -1 : keys.findIndex((k) => k.eventTimeDelayMs !== undefined);
  return timeKey < 0 ? format : { ...format, partitionBy: { slot: timeKey, width: PARTITION_MS } };
}

/** Width of a partition of a deduplication's state (by event time). */
const PARTITION_MS = 1000;

/** What a batch did: rows kept (`sel[0..kept)`), counts for the metrics. */
export interface DedupBatchResult {
  readonly sel: Int32Array;
  readonly kept: number;
  readonly dropped: number;
  readonly duplicates: number;
}

/** Entries by expiry time, in buckets of this width (a bucket is visited once the watermark reaches its start). */
const BUCKET_MS = 1000;

interface Bucket {
  readonly times: number[];
  readonly entries: number[];
}

/**
 * The deduplication operators' batch over a NumericStateTable: the rules of
 * BaseStreamingDeduplicateExec (late rows dropped and counted, the first row of a key wins,
 * within the batch too; eviction through a time index) with keys probed from the columns,
 * no key tuple per row.
 */
export class NumericDeduplicateState {
  private index: Map<number, Bucket> | null = null;
  private readonly scratch: Float64Array;
  private readonly scratchNulls: Uint8Array;
  /** The rows kept (`execute`'s `sel`): valid until the next batch; the caller gathers from it at once. */
  private readonly selScratch = new ScratchSlot();

  constructor(
    private readonly keyOrdinals: readonly number[],
    private readonly partitioned: boolean,
    private readonly expiry: DedupExpiry,
    /** The state value of a new key from its row's event time (…WithinWatermark: expiry time), or null. */
    private readonly expiryValueOf: ((eventTime: number | null) => number | null) | null,
  ) {
    this.scratch = new Float64Array(keyOrdinals.length);
    this.scratchNulls = new Uint8Array(keyOrdinals.length);
  }

  private expiryOfEntry(table: NumericStateTable, e: number): number | null {
    const x = this.expiry;
    if (x === null) return null;
    if ("keySlot" in x) return table.keyNulls[e * table.kw + x.keySlot] === 1 ? null : (table.data[table.keyOffset(e) + x.keySlot] as number);
    const v = table.valueOffset(e);
    return table.data[v + 1] === 1 ? (table.data[v] as number) : null;
  }

  private indexOf(table: NumericStateTable): Map<number, Bucket> | null {
    // A state partitioned by the expiry time (the key's event time) is evicted by partition.
    if (this.partitioned) return null;
    if (this.index === null) {
      const index = new Map<number, Bucket>();
      this.index = index;
      table.forEachEntry((e) => {
        const t = this.expiryOfEntry(table, e);
        if (t !== null) addAt(index, t, e);
      });
    }
    return this.index;
  }

  /**
   * Deduplicates `input`. `eventTimes(i)` is row i's event time (null when it has none or
   * there is no event-time column).
   */
  execute(table: NumericStateTable, input: ColumnarBatch, eventTimes: (i: number) => number | null, lateWm: number): DedupBatchResult {
    const n = input.numRows;
    const index = this.expiry === null ? null : this.indexOf(table);
    const cols = this.keyOrdinals.map((o) => input.columns[o] as ColumnVector);
    const nk = cols.length;
    const values = cols.map((c) => c.values as Float64Array);
    const nullCols = cols.map((c) => c.nulls);
    const key = this.scratch;
    const nulls = this.scratchNulls;
    const sel = this.selScratch.int32(n);
    let kept = 0;
    let dropped = 0;
    let duplicates = 0;
    let bucketId = NaN;
    let bucket: Bucket | undefined;
    for (let i = 0; i < n; i++) {
      const et = eventTimes(i);
      if (et !== null && et <= lateWm) {
        dropped++;
        continue;
      }
      let anyNull = false;
      for (let c = 0; c < nk; c++) {
        const nc = nullCols[c];
        if (nc !== null && nc !== undefined && nc[i] === 1) {
          key[c] = 0;
          nulls[c] = 1;
          anyNull = true;
        } else {
          key[c] = (values[c] as Float64Array)[i] as number;
          nulls[c] = 0;
        }
      }
      const h = table.hashOf(key, nulls);
      let e: number;
      if (!anyNull) {
        // One probe finds the key or inserts it.
        e = table.findOrInsertNoNulls(key, h);
        if (!table.inserted) {
          duplicates++;
          continue;
        }
      } else {
        if (table.find(key, nulls, h) >= 0) {
          duplicates++;
          continue;
        }
        e = table.insert(key, nulls, h);
      }
      let t: number | null = null;
      if (this.expiryValueOf !== null) {
        t = this.expiryValueOf(et);
        if (t !== null) {
          const v = table.valueOffset(e);
          table.data[v] = t;
          table.data[v + 1] = 1;
        }
      } else if (this.expiry !== null && "keySlot" in this.expiry) {
        t = nulls[this.expiry.keySlot] === 1 ? null : (key[this.expiry.keySlot] as number);
      }
      if (index !== null && t !== null) {
        const b = Math.floor(t / BUCKET_MS);
        if (b !== bucketId || bucket === undefined) {
          bucketId = b;
          bucket = index.get(b);
          if (bucket === undefined) index.set(b, (bucket = { times: [], entries: [] }));
        }
        bucket.times.push(t);
        bucket.entries.push(e);
      }
      sel[kept++] = i;
    }
    return { sel, kept, dropped, duplicates };
  }

  /** Evicts entries whose expiry time is ≤ `wm`; returns how many. */
  evict(table: NumericStateTable, wm: number): number {
    // Partitioned by the expiry time (the key's event time).
    if (this.partitioned) return table.removeUpTo(wm);
    const index = this.index;
    if (index === null) return 0;
    const wmBucket = Math.floor(wm / BUCKET_MS);
    const again: Bucket = { times: [], entries: [] };
    let removed = 0;
    for (const [b, bucket] of index) {
      if (b > wmBucket) continue;
      index.delete(b);
      for (let j = 0; j < bucket.entries.length; j++) {
        const t = bucket.times[j] as number;
        const e = bucket.entries[j] as number;
        if (t > wm) {
          again.times.push(t);
          again.entries.push(e);
        } else if (table.alive[e] === 1 && this.expiryOfEntry(table, e) === t) {
          table.remove(e);
          removed++;
        }
      }
    }
    for (let j = 0; j < again.entries.length; j++) addAt(index, again.times[j] as number, again.entries[j] as number);
    return removed;
  }
}

function addAt(index: Map<number, Bucket>, t: number, e: number): void {
  const b = Math.floor(t / BUCKET_MS);
  let bucket = index.get(b);
  if (bucket === undefined) index.set(b, (bucket = { times: [], entries: [] }));
  bucket.times.push(t);
  bucket.entries.push(e);
}
