/**
 * DStream checkpoints: what `ssc.checkpoint(dir)` saves after every batch and
 * `StreamingContext.getOrCreate(dir, createFn)` restores.
 *
 * Spark serializes the whole DStream graph, closures included; JavaScript
 * closures cannot be serialized, so here `createFn` builds the graph again
 * (the same code builds the same graph: streams are matched by creation
 * order and class) and the checkpoint restores the data: the zero time, the
 * batch that was last completed, the batch times still pending, and the state
 * RDD of every `updateStateByKey` stream.
 *
 * Stored format (one record per directory), e.g.:
 * ```json
 * { "version": 1, "checkpointTime": 3000, "zeroTime": 0, "batchDurationMs": 1000,
 *   "pendingTimes": [], "states": [{ "streamId": 4, "kind": "StateDStream", "time": 3000,
 *   "partitions": [[["a", 3]], [["b", 1]]] }] }
 * ```
 */

/** One checkpointed state RDD. */
export interface DStreamStateCheckpoint {
  /** The stream's position in the graph (creation order). */
  streamId: number;
  /** The stream's class, checked on restore. */
  kind: string;
  /** The batch time of the RDD. */
  time: number;
  /** The RDD's partitions (values must be structured-cloneable / JSON-friendly to survive a real store). */
  partitions: unknown[][];
}

/** A DStream checkpoint (see the module comment for an example). */
export interface DStreamCheckpointData {
  version: 1;
  /** The last completed batch. */
  checkpointTime: number;
  zeroTime: number;
  batchDurationMs: number;
  /** Batches generated but not completed when the checkpoint was written. */
  pendingTimes: number[];
  states: DStreamStateCheckpoint[];
}

/**
 * Where DStream checkpoints live, by directory. Another issue provides an
 * IndexedDB store; the in-memory one below serves tests and one process.
 * Both methods may be async; `load` resolves to undefined when there is none.
 */
export interface DStreamCheckpointStore {
  save(dir: string, data: DStreamCheckpointData): void | Promise<void>;
  load(dir: string): DStreamCheckpointData | undefined | Promise<DStreamCheckpointData | undefined>;
  /** Removes the checkpoint of `dir` (optional). */
  delete?(dir: string): void | Promise<void>;
}

/** An in-memory DStreamCheckpointStore (copies on save and load, so later mutation does not leak in). */
export class MemoryDStreamCheckpointStore implements DStreamCheckpointStore {
  private readonly data = new Map<string, DStreamCheckpointData>();
  save(dir: string, data: DStreamCheckpointData): void {
    this.data.set(dir, structuredClone(data));
  }
  load(dir: string): DStreamCheckpointData | undefined {
    const d = this.data.get(dir);
    return d ? structuredClone(d) : undefined;
  }
  delete(dir: string): void {
    this.data.delete(dir);
  }
}

/** The process-wide default store used when a StreamingContext is given none. */
export const defaultDStreamCheckpointStore: DStreamCheckpointStore = new MemoryDStreamCheckpointStore();
