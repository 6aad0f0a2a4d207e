import { IllegalStateException, SparkException } from "../../util/errors";

/**
 * Named errors of damaged checkpoints and incompatible restarts. Error classes and
 * wording follow Spark's error-conditions.json where Spark has one; a damaged checkpoint
 * never silently restarts from zero: the user resets it explicitly (`resetCheckpoint`).
 */

/** `INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION`: an entry written by a newer format ("v99"). */
export function unsupportedLogVersion(path: string, version: number, maxSupported: number): SparkException {
  return new IllegalStateException(
    `[INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION] UnsupportedLogVersion. The maximum supported log version is v${maxSupported}, but encountered v${version}. The log file was produced by a newer version of Spark and cannot be read by this version. You need to upgrade. (file: ${path})`,
    "INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION",
  );
}

/** `MALFORMED_LOG_FILE`: a truncated or garbled entry (no version header, bad JSON, missing lines). */
export function malformedLogFile(path: string, detail: string): SparkException {
  return new IllegalStateException(
    `[MALFORMED_LOG_FILE] Log file was malformed: failed to read correct log version from ${path}: ${detail}. The checkpoint is damaged; reset the checkpoint explicitly to start over.`,
    "MALFORMED_LOG_FILE",
  );
}

/** `CHECKPOINT_BATCH_GAP`: a batch id missing between two existing ones (Spark's "Gap in batch ids"). */
export function batchIdGap(log: string, missing: number, ids: readonly number[]): SparkException {
  return new IllegalStateException(
    `[CHECKPOINT_BATCH_GAP] Cannot read the ${log} log: batch ${missing} is missing between batches ${ids[0]} and ${ids[ids.length - 1]} (found ${ids.join(", ")}). The checkpoint is damaged; reset the checkpoint explicitly to start over.`,
    "CHECKPOINT_BATCH_GAP",
  );
}

/** `CANNOT_LOAD_STATE_STORE.CANNOT_READ_DELTA_FILE_NOT_EXISTS`: a state version that should exist does not. */
export function stateDeltaMissing(path: string, version: number): SparkException {
  return new IllegalStateException(
    `[CANNOT_LOAD_STATE_STORE.CANNOT_READ_DELTA_FILE_NOT_EXISTS] An error occurred during loading state. Failed to read delta file ${path} of HDFSStateStoreProvider: ${path} does not exist (state version ${version}).`,
    "CANNOT_LOAD_STATE_STORE.CANNOT_READ_DELTA_FILE_NOT_EXISTS",
  );
}

/** `CANNOT_LOAD_STATE_STORE.UNCATEGORIZED`: a state file that exists but cannot be parsed. */
export function stateFileCorrupt(path: string, detail: string): SparkException {
  return new IllegalStateException(
    `[CANNOT_LOAD_STATE_STORE.UNCATEGORIZED] An error occurred during loading state. Cannot read state file ${path}: ${detail}.`,
    "CANNOT_LOAD_STATE_STORE.UNCATEGORIZED",
  );
}

const FORCE =
  "If you want to force running the query without schema validation, please set spark.sql.streaming.stateStore.stateSchemaCheck to false. However, please note that running the query with incompatible schema could cause non-deterministic behavior.";

/** `STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE`: the grouping keys changed. */
export function keySchemaNotCompatible(existing: string, provided: string): SparkException {
  return new IllegalStateException(
    `[STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE] Provided key schema does not match existing state key schema. Please check number and type of fields. Existing key_schema=${existing} and new key_schema=${provided}. ${FORCE}`,
    "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE",
  );
}

/** `STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE`: the aggregates changed. */
export function valueSchemaNotCompatible(existing: string, provided: string): SparkException {
  return new IllegalStateException(
    `[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE] Provided value schema does not match existing state value schema. Please check number and type of fields. Existing value_schema=${existing} and new value_schema=${provided}. ${FORCE}`,
    "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE",
  );
}

/** `STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA`: a stateful operator was added, removed or changed. */
export function statefulOperatorsChanged(inMetadata: readonly string[], inQuery: readonly string[]): SparkException {
  return new IllegalStateException(
    `[STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA] Streaming stateful operator name does not match with the operator in state metadata. This likely to happen when user adds/removes/changes stateful operator of existing streaming query. Stateful operators in the metadata: [${inMetadata.join(", ")}]; Stateful operators in current batch: [${inQuery.join(", ")}].`,
    "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA",
  );
}

/** `CHECKPOINT_LOCKED`: another tab (or process) owns this checkpoint. */
export function checkpointLocked(location: string): SparkException {
  return new IllegalStateException(
    `[CHECKPOINT_LOCKED] The checkpoint "${location}" is in use by a query in another tab. Stop it there, or take over explicitly (the other tab's query then stops).`,
    "CHECKPOINT_LOCKED",
  );
}

/** `CHECKPOINT_STORAGE_UNAVAILABLE`: IndexedDB missing, blocked, or out of quota. */
export function storageUnavailable(location: string, detail: string, cause?: unknown): SparkException {
  const e = new IllegalStateException(
    `[CHECKPOINT_STORAGE_UNAVAILABLE] Cannot write the checkpoint "${location}": ${detail}. No part of the batch was written.`,
    "CHECKPOINT_STORAGE_UNAVAILABLE",
  );
  if (cause !== undefined) Object.defineProperty(e, "cause", { value: cause });
  return e;
}
