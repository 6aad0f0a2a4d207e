import type { ColumnarBatch } from "../execution/ColumnarBatch";
import type { StructType } from "../expressions/types";
import type { Clock } from "../util/clock";

/** A JSON value: offsets and checkpoint records are plain JSON so a store can persist them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** A source position (Spark's Offset): JSON-serialisable, compared by JSON text. */
export type Offset = JsonValue;

/** A value or a promise of it: sources backed by IndexedDB or sockets answer asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Spark's Source contract (V1 `Source` / V2 `MicroBatchStream`), as the micro-batch loop uses it:
 * 1. `latestOffset()` — the newest position available now (null: nothing ever arrived);
 * 2. `getBatch(start, end)` — the rows in (start, end], start null meaning "from the beginning";
 *    the same (start, end) must return the same rows (a batch re-run after restart);
 * 3. `commit(end)` — everything up to `end` is processed and may be discarded.
 */
export interface Source {
  /** Output schema; the column order of the batches. */
  readonly schema: StructType;
  /**
   * Newest available offset. `start` is the offset the next batch starts from (null before
   * the first batch), for sources that decide the batch size themselves (rate-micro-batch).
   */
  latestOffset(start: Offset | null): MaybePromise<Offset | null>;
  /** The offset before any data (Spark's initialOffset); null when absent means "nothing yet". */
  initialOffset?(): Offset;
  /** Rows in (start, end]. */
  getBatch(start: Offset | null, end: Offset): MaybePromise<ColumnarBatch>;
  /** Data up to `end` is committed. */
  commit(end: Offset): void;
  /** Releases resources (sockets, timers). */
  stop(): void;
  /** Spark's source description in progress reports, e.g. "RateStreamV2[rowsPerSecond=10, …]". */
  readonly description: string;
  /**
   * Trigger.AvailableNow: fix the offset to stop at. Sources without it are read up to the
   * `latestOffset()` seen when the query starts.
   */
  prepareForTriggerAvailableNow?(): void;
  /** Spark's SourceProgress.metrics (e.g. the file source's `numMalformedRecords`), read after each batch. */
  metrics?(): Record<string, string>;
  /**
   * Playground extension: what the source is waiting on, for `query.status.message`
   * while no data arrives (e.g. "Connecting to ws://127.0.0.1:9999 (attempt 3)").
   */
  waitingMessage?(): string | null;
  /**
   * Playground extension: takes one event typed in the watermark view ("make late data
   * happen"). The next batch reads it; it is part of the offsets, so a re-run batch reads
   * it again. Throws IllegalArgumentException when the event does not fit the source.
   */
  inject?(event: InjectedEvent): void;
}

/** An event the user adds by hand: its event time, key and value. */
export interface InjectedEvent {
  eventTimeMs: number;
  key: string | null;
  value: number | null;
}

/** What a source can read when the query creates it. */
export interface SourceContext {
  /** The session clock (ManualClock in tests). */
  readonly clock: Clock;
  /** Per-source metadata persisted in the checkpoint (e.g. the rate source's start time). */
  readonly metadata: {
    get(key: string): JsonValue | undefined;
    set(key: string, value: JsonValue): void;
  };
}

/**
 * A source as written in the plan (Spark's StreamingRelation's DataSource): format,
 * options and schema are known at analysis; `create` instantiates the live source
 * when a query starts (each run gets a fresh instance).
 */
export interface SourceDescriptor {
  readonly format: string;
  readonly schema: StructType;
  readonly options: Readonly<Record<string, string>>;
  /** Text for explain(). */
  readonly description: string;
  create(ctx: SourceContext): Source;
}

/** Compares offsets by value. */
export function offsetEquals(a: Offset | null | undefined, b: Offset | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
