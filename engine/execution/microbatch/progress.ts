/**
 * Spark's StreamingQueryProgress and friends, with Spark's JSON field names.
 * Times in `eventTime` and `timestamp` are ISO-8601 UTC strings, as Spark prints them.
 */

/** Progress of one stateful operator in one batch (Spark's StateOperatorProgress). */
export interface StateOperatorProgress {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  allUpdatesTimeMs: number;
  numRowsRemoved: number;
  allRemovalsTimeMs: number;
  commitTimeMs: number;
  memoryUsedBytes: number;
  numRowsDroppedByWatermark: number;
  numShufflePartitions: number;
  numStateStoreInstances: number;
  customMetrics: Record<string, number>;
}

/** Progress of one source in one batch (Spark's SourceProgress). */
export interface SourceProgress {
  description: string;
  startOffset: unknown;
  endOffset: unknown;
  latestOffset: unknown;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  metrics: Record<string, string>;
}

/** The sink's progress (Spark's SinkProgress). */
export interface SinkProgress {
  description: string;
  numOutputRows: number;
  metrics: Record<string, string>;
}

/** One micro-batch's progress (Spark's StreamingQueryProgress). */
export interface StreamingQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  /** Trigger start, ISO-8601. */
  timestamp: string;
  batchId: number;
  batchDuration: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  /** Phases: latestOffset, walCommit, getBatch, queryPlanning, addBatch, commitOffsets, triggerExecution. */
  durationMs: Record<string, number>;
  /** min / max / avg event time of the batch and the watermark it used, ISO-8601 (empty without watermark). */
  eventTime: { min?: string; max?: string; avg?: string; watermark?: string };
  stateOperators: StateOperatorProgress[];
  sources: SourceProgress[];
  sink: SinkProgress;
  observedMetrics: Record<string, unknown>;
}

/** Spark's StreamingQueryStatus. */
export interface StreamingQueryStatus {
  message: string;
  isDataAvailable: boolean;
  isTriggerActive: boolean;
}
