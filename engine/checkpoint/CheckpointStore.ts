import type { JsonValue, Offset } from "../sources/Source";
import type { StructField } from "../expressions/types";
import type { NumericStateFormat } from "../state/NumericStateFormat";
import type { StateStoreProvider } from "../state/StateStore";

/**
 * Spark's OffsetSeq: the write-ahead record of a planned batch, written before the
 * batch runs. Spark stores it as the file `offsets/<batchId>`:
 *
 * ```
 * v1
 * {"batchWatermarkMs":15000,"batchTimestampMs":1700000000000,"conf":{"spark.sql.streaming.multipleWatermarkPolicy":"min"}}
 * 3
 * {"offset":41,"timestamp":1000}
 * ```
 * (one line per source, in plan order; `-` for a source with no offset yet).
 */
export interface OffsetSeq {
  readonly offsets: readonly (Offset | null)[];
  readonly metadata: {
    readonly batchWatermarkMs: number;
    readonly batchTimestampMs: number;
    readonly conf: Readonly<Record<string, string>>;
  };
}

/** Spark's CommitMetadata (`commits/<batchId>`): `v1\n{"nextBatchWatermarkMs":15000}`. */
export interface CommitMetadata {
  readonly nextBatchWatermarkMs: number;
}

/** The query's metadata file (`metadata`): `{"id":"<uuid>"}`, the id kept across restarts. */
export interface QueryMetadata {
  readonly id: string;
}

/**
 * Where a query's progress survives a restart: the offset log (WAL), the commit
 * log, the query metadata, per-source metadata and the state stores.
 * Implementations: checkpoint/memory (in-process), later IndexedDB / files.
 * Every method may be asynchronous; callers await them.
 */
export interface CheckpointStore {
  /** The checkpointLocation this store serves. */
  readonly location: string;
  /**
   * Query metadata, or undefined for a new checkpoint. Synchronous, because `start()` returns
   * the query (with its id) at once: persistent stores load it when opened.
   */
  getMetadata(): QueryMetadata | undefined;
  /** Writes the query metadata (first start only); the store may persist it asynchronously. */
  putMetadata(m: QueryMetadata): void;
  /** The offsets of batch `batchId`, if planned. */
  getOffsets(batchId: number): Promise<OffsetSeq | undefined>;
  /** Writes the offsets of a batch before it runs (overwrites a re-planned uncommitted batch). */
  putOffsets(batchId: number, seq: OffsetSeq): Promise<void>;
  /** Highest batch id with offsets, or -1. */
  latestOffsetsBatchId(): Promise<number>;
  /** Commit record of `batchId`, if committed. */
  getCommit(batchId: number): Promise<CommitMetadata | undefined>;
  /** Marks `batchId` committed. */
  putCommit(batchId: number, c: CommitMetadata): Promise<void>;
  /** Highest committed batch id, or -1. */
  latestCommittedBatchId(): Promise<number>;
  /** Metadata of source number `sourceIndex` (plan order), e.g. the rate source's start time. */
  sourceMetadata(sourceIndex: number): Map<string, JsonValue>;
  /**
   * The state store provider of stateful operator `operatorId`. `format`, when the operator
   * gives one, says its keys and values are all numbers: a store may then keep them in typed
   * arrays (NumericStateStoreProvider); it must still serve the plain contract.
   */
  stateStoreProvider<V>(operatorId: number, format?: NumericStateFormat): StateStoreProvider<V>;
  /**
   * Optional: called once when a run starts, before any read. Persistent stores acquire
   * ownership (a Web Lock in the browser) and validate their logs here; rejects with a named
   * error (CHECKPOINT_LOCKED, CHECKPOINT_BATCH_GAP, MALFORMED_LOG_FILE, …).
   */
  open?(): Promise<void>;
  /**
   * Optional: receives the session's conf entries when a query starts, before `open()`
   * (spark.sql.streaming.minBatchesToRetain, spark.sql.streaming.stateStore.minDeltasForSnapshot).
   */
  configure?(conf: Readonly<Record<string, string>>): void;
  /** Optional: called when the run terminates; releases ownership. Never rejects. */
  close?(): Promise<void>;
  /**
   * Optional: checks the query's stateful operators against the checkpoint's records
   * (Spark's state schema check); rejects with STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE,
   * STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE or STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA.
   */
  checkStatefulOperators?(ops: readonly StatefulOperatorInfo[]): Promise<void>;
}

/** A stateful operator as the checkpoint records it: id, Spark's name, key and value schemas. */
export interface StatefulOperatorInfo {
  readonly operatorId: number;
  readonly operatorName: string;
  readonly keySchema: readonly StructField[];
  readonly valueSchema: readonly StructField[];
}
