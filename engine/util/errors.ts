/**
 * The engine's error hierarchy, mirroring Spark's exception classes so that a
 * message read in the playground can be searched in Spark's documentation.
 *
 * Every error carries a stable `errorClass` (Spark's error-class names where
 * Spark has one, e.g. "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION") and
 * crosses the worker boundary as `{ name, message, stack }`.
 */

/** Base class of every error thrown by the engine. `errorClass` is stable across releases. */
export class SparkException extends Error {
  /** Spark's error class, e.g. "UNRESOLVED_COLUMN.WITH_SUGGESTION"; "INTERNAL_ERROR" when none applies. */
  readonly errorClass: string;

  /**
   * @param message the full human-readable message (Spark's wording)
   * @param errorClass a stable code; see the subclasses
   */
  constructor(message: string, errorClass = "INTERNAL_ERROR") {
    super(message);
    this.name = "SparkException";
    this.errorClass = errorClass;
  }
}

/**
 * A query is invalid: unknown column, type mismatch, or an operation that
 * Spark's UnsupportedOperationChecker rejects for streaming queries.
 * Thrown while a DataFrame is built or when `start()` analyses the query.
 */
export class AnalysisException extends SparkException {
  constructor(message: string, errorClass = "ANALYSIS_ERROR") {
    super(message, errorClass);
    this.name = "AnalysisException";
  }
}

/** A bad argument value: a malformed duration, a negative option, an unknown format. */
export class IllegalArgumentException extends SparkException {
  constructor(message: string, errorClass = "ILLEGAL_ARGUMENT") {
    super(message, errorClass);
    this.name = "IllegalArgumentException";
  }
}

/** An operation that is not available in this state (e.g. `start()` twice on a writer). */
export class IllegalStateException extends SparkException {
  constructor(message: string, errorClass = "ILLEGAL_STATE") {
    super(message, errorClass);
    this.name = "IllegalStateException";
  }
}

/** An operation the engine does not implement (yet), named in the message. */
export class UnsupportedOperationException extends SparkException {
  constructor(message: string, errorClass = "UNSUPPORTED_OPERATION") {
    super(message, errorClass);
    this.name = "UnsupportedOperationException";
  }
}

/**
 * A streaming query terminated with an error. `cause` is the original error;
 * the message follows Spark's "Query <name> [id = …, runId = …] terminated with exception: …".
 */
export class StreamingQueryException extends SparkException {
  /** The error that stopped the query. */
  override readonly cause: unknown;
  /** Query id (stable across restarts). */
  readonly queryId: string;
  /** Run id of the failed run. */
  readonly runId: string;

  constructor(message: string, cause: unknown, queryId: string, runId: string) {
    super(message, cause instanceof SparkException ? cause.errorClass : "STREAM_FAILED");
    this.name = "StreamingQueryException";
    this.cause = cause;
    this.queryId = queryId;
    this.runId = runId;
  }
}

/** Plain-data form of an error, as it crosses the worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  errorClass?: string;
}

/** Converts any thrown value to `{ name, message, stack, errorClass }`. Never throws. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof SparkException) return { name: e.name, message: e.message, stack: e.stack, errorClass: e.errorClass };
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: "Error", message: String(e) };
}
