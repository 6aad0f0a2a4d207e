/**
 * Listener types, shaped like Spark's `StreamingListener`
 * (org.apache.spark.streaming.scheduler): events are objects wrapping a
 * `batchInfo` or a `receiverInfo`, and times are epoch milliseconds.
 */

/** One received block: the unit receivers store data in (Spark's StreamBlockId "input-<streamId>-<uniqueId>"). */
export interface BlockInfo {
  /** The input stream that received it. */
  streamId: number;
  /** Spark's block name, e.g. "input-0-1700000000000". */
  blockId: string;
  /** Records (lines) in the block. */
  numRecords: number;
}

/** Input of one stream in one batch (Spark's StreamInputInfo). */
export interface StreamInputInfo {
  /** The input stream's id. */
  inputStreamId: number;
  /** Records this stream contributed to the batch. */
  numRecords: number;
  /** The blocks (receiver streams) that made this stream's RDD; empty for other inputs. */
  blocks: BlockInfo[];
  /** Free-form description, e.g. the files a textFileStream read. */
  description?: string;
}

/** One output operation (pprint, foreachRDD) of a batch (Spark's OutputOperationInfo). */
export interface OutputOperationInfo {
  batchTime: number;
  /** Index of the output operation in registration order. */
  id: number;
  /** e.g. "pprint", "foreachRDD". */
  name: string;
  startTime?: number;
  endTime?: number;
  /** The error message when the operation failed. */
  failureReason?: string;
}

/** Information about one batch (Spark's BatchInfo), passed to listeners. */
export interface BatchInfo {
  /** The batch time, epoch ms (the "Time: … ms" of pprint). */
  batchTime: number;
  /** Input per stream id. */
  streamIdToInputInfo: Record<number, StreamInputInfo>;
  /** When the batch's jobs were generated. */
  submissionTime: number;
  /** When the first job started. */
  processingStartTime?: number;
  /** When the last job ended. */
  processingEndTime?: number;
  /** Total records of all input streams in this batch. */
  numRecords: number;
  /** processingStartTime − submissionTime. */
  schedulingDelay?: number;
  /** processingEndTime − processingStartTime. */
  processingDelay?: number;
  /** processingEndTime − submissionTime. */
  totalDelay?: number;
  /** All blocks that made the batch's receiver RDDs, in order. */
  blocks: BlockInfo[];
  /** The output operations, by id. */
  outputOperationInfos: OutputOperationInfo[];
}

/** State of a receiver (Spark's ReceiverInfo), plus the socket connection state. */
export interface ReceiverInfo {
  streamId: number;
  /** e.g. "SocketReceiver". */
  name: string;
  active: boolean;
  /** Always "localhost" here. */
  location: string;
  lastErrorMessage: string;
  lastError: string;
  /** Epoch ms of the last error, −1 if none. */
  lastErrorTime: number;
  /** For socket receivers: "connecting" | "open" | "retrying" | "closed". */
  connectionState?: string;
}

/** Listener of a StreamingContext; every method is optional. Exceptions thrown by a listener are ignored. */
export interface StreamingListener {
  onStreamingStarted?(event: { time: number }): void;
  onReceiverStarted?(event: { receiverInfo: ReceiverInfo }): void;
  onReceiverError?(event: { receiverInfo: ReceiverInfo }): void;
  onReceiverStopped?(event: { receiverInfo: ReceiverInfo }): void;
  onBatchSubmitted?(event: { batchInfo: BatchInfo }): void;
  onBatchStarted?(event: { batchInfo: BatchInfo }): void;
  onBatchCompleted?(event: { batchInfo: BatchInfo }): void;
  onOutputOperationStarted?(event: { outputOperationInfo: OutputOperationInfo }): void;
  onOutputOperationCompleted?(event: { outputOperationInfo: OutputOperationInfo }): void;
}

/** Calls `method` on every listener, ignoring listener failures. */
export function postToAll<M extends keyof StreamingListener>(
  listeners: readonly StreamingListener[],
  method: M,
  event: Parameters<NonNullable<StreamingListener[M]>>[0],
): void {
  for (const l of listeners) {
    const f = l[method] as ((e: typeof event) => void) | undefined;
    if (!f) continue;
    try {
      f.call(l, event);
    } catch {
      // A listener's failure must not stop the stream (Spark's listener bus logs and goes on).
    }
  }
}
