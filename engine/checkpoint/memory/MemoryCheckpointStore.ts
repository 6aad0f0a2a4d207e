import type { JsonValue } from "../../sources/Source";
import { MemoryStateStoreProvider } from "../../state/MemoryStateStoreProvider";
import type { NumericStateFormat } from "../../state/NumericStateFormat";
import { NumericStateStoreProvider } from "../../state/NumericStateStoreProvider";
import type { StateStoreProvider } from "../../state/StateStore";
import type { CheckpointStore, CommitMetadata, OffsetSeq, QueryMetadata } from "../CheckpointStore";

/**
 * An in-process checkpoint: survives `query.stop()` + `start()` (and a new session in
 * the same process), not a page reload. Records are deep-copied with structuredClone,
 * so a later persistent store sees exactly what this one keeps.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private metadata: QueryMetadata | undefined;
  private readonly offsets = new Map<number, OffsetSeq>();
  private readonly commits = new Map<number, CommitMetadata>();
  private readonly sources = new Map<number, Map<string, JsonValue>>();
  private readonly providers = new Map<number, StateStoreProvider<unknown>>();

  /** Queries running on this checkpoint: from `attach` (at start) to `close` (at termination). */
  private users = 0;
  /** Whether the checkpoint was deleted (its state's memory is released once no query runs on it). */
  private deleted = false;

  constructor(readonly location: string) {}

  /** @internal a query starts on this checkpoint. */
  attach(): void {
    this.users++;
  }

  /** A query on this checkpoint terminated. */
  close(): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.deleted && this.users === 0) this.releaseState();
    return Promise.resolve();
  }

  /** @internal the checkpoint was deleted: nothing can restart from it. */
  markDeleted(): void {
    this.deleted = true;
    if (this.users === 0) this.releaseState();
  }

  /** The state's typed arrays go to other queries' tables (a new query's table then grows into touched memory). */
  private releaseState(): void {
    for (const p of this.providers.values()) if (p instanceof NumericStateStoreProvider) p.release();
    this.providers.clear();
  }

  getMetadata(): QueryMetadata | undefined {
    return this.metadata;
  }
  putMetadata(m: QueryMetadata): void {
    this.metadata = structuredClone(m);
  }
  getOffsets(batchId: number): Promise<OffsetSeq | undefined> {
    const o = this.offsets.get(batchId);
    return Promise.resolve(o === undefined ? undefined : structuredClone(o));
  }
  putOffsets(batchId: number, seq: OffsetSeq): Promise<void> {
    this.offsets.set(batchId, structuredClone(seq));
    return Promise.resolve();
  }
  latestOffsetsBatchId(): Promise<number> {
    return Promise.resolve(this.offsets.size === 0 ? -1 : Math.max(...this.offsets.keys()));
  }
  getCommit(batchId: number): Promise<CommitMetadata | undefined> {
    return Promise.resolve(this.commits.get(batchId));
  }
  putCommit(batchId: number, c: CommitMetadata): Promise<void> {
    this.commits.set(batchId, { ...c });
    return Promise.resolve();
  }
  latestCommittedBatchId(): Promise<number> {
    return Promise.resolve(this.commits.size === 0 ? -1 : Math.max(...this.commits.keys()));
  }
  sourceMetadata(sourceIndex: number): Map<string, JsonValue> {
    let m = this.sources.get(sourceIndex);
    if (m === undefined) {
      m = new Map();
      this.sources.set(sourceIndex, m);
    }
    return m;
  }
  stateStoreProvider<V>(operatorId: number, format?: NumericStateFormat): StateStoreProvider<V> {
    let p = this.providers.get(operatorId);
    if (p === undefined) {
      p = format === undefined ? new MemoryStateStoreProvider<unknown>() : new NumericStateStoreProvider<unknown>(format);
      this.providers.set(operatorId, p);
    }
    return p as StateStoreProvider<V>;
  }
}

const registry = new Map<string, MemoryCheckpointStore>();

/**
 * The in-process checkpoint for `location`, created on first use (like a directory).
 * @example const store = memoryCheckpointStore("wordcount");
 */
export function memoryCheckpointStore(location: string): MemoryCheckpointStore {
  let s = registry.get(location);
  if (s === undefined) {
    s = new MemoryCheckpointStore(location);
    registry.set(location, s);
  }
  return s;
}

/** Forgets an in-process checkpoint (the playground's "reset checkpoint" action). */
export function deleteMemoryCheckpoint(location: string): boolean {
  const s = registry.get(location);
  s?.markDeleted();
  return registry.delete(location);
}
