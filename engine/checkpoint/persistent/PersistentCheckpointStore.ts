import type { JsonValue } from "../../sources/Source";
import type { StateStoreProvider } from "../../state/StateStore";
import type { CheckpointStore, CommitMetadata, OffsetSeq, QueryMetadata, StatefulOperatorInfo } from "../CheckpointStore";
import { joinPath, type CheckpointFile, type CheckpointFileManager } from "./CheckpointFileManager";
import { batchIdGap, checkpointLocked, malformedLogFile } from "./checkpointErrors";
import {
  batchIdsOf,
  parseCommit,
  parseOffsetSeq,
  parseQueryMetadata,
  parseSourceMetadata,
  serializeCommit,
  serializeOffsetSeq,
  serializeQueryMetadata,
  serializeSourceMetadata,
} from "./logFormats";
import { PersistentStateStoreProvider, serializeSnapshotInSlices, type StagedSnapshot, type StateStoreConf } from "./PersistentStateStoreProvider";
import { checkStateSchemas } from "./stateSchema";

/** Options of a persistent checkpoint store. */
export interface PersistentCheckpointOptions extends Partial<StateStoreConf> {
  /**
   * Called by `open()` before anything is read: acquires exclusive ownership (a Web Lock in
   * the browser) and resolves to its release function; rejects (CHECKPOINT_LOCKED) when
   * another owner holds it.
   */
  readonly acquire?: () => Promise<() => void>;
}

/** The small files read synchronously at `start()`: `metadata` and `sources/<i>/0`. */
export interface PreloadedCheckpoint {
  readonly metadata?: string;
  readonly sources: ReadonlyMap<number, string>;
}

/** Reads the preloaded files of a checkpoint through its file manager. */
export async function preloadCheckpoint(fm: CheckpointFileManager): Promise<PreloadedCheckpoint> {
  const metadata = await fm.read("metadata");
  const sources = new Map<number, string>();
  for (const name of await fm.list("sources")) {
    if (!/^\d+$/.test(name)) continue;
    const text = await fm.read(joinPath("sources", name, 0));
    if (text !== undefined) sources.set(Number(name), text);
  }
  return { metadata, sources };
}

/**
 * A CheckpointStore persisted through a CheckpointFileManager in Spark's layout:
 * ```
 * metadata              {"id":"…"}                      query id, kept across restarts
 * offsets/<N>           v1 + OffsetSeqMetadata + offsets written before batch N runs (the WAL)
 * commits/<N>           v1 + {"nextBatchWatermarkMs":…}  written after batch N ran
 * sources/<i>/0         v1 + source metadata             e.g. the rate source's start time
 * state/<op>/0/<v>.delta, <v>.snapshot                   state versions (PersistentStateStoreProvider)
 * state/<op>/_metadata/metadata, state/<op>/0/_metadata/schema   operator name; key/value schemas
 * ```
 * Write order per batch: `sources/*` (when changed) and `offsets/N` in one write before the
 * batch; then the state deltas and `commits/N` in one write (one IndexedDB transaction; in
 * Node, state files first, then the commit: a crash in between re-runs the batch, which
 * rewrites the same state version). A snapshot (every minDeltasForSnapshot versions) goes into
 * that write when the state is small; a large one (≥ 25,000 keys) is serialized in slices and
 * written after it, in the background, as Spark's maintenance task does, so no batch waits for
 * it; a failure is reported by the next commit, purges count only snapshots already written,
 * and `close()` waits for it before releasing the checkpoint. Entries older than
 * `minBatchesToRetain` batches are purged.
 *
 * Failures: `open()` rejects with CHECKPOINT_BATCH_GAP for a missing batch between two
 * existing ones; reads reject with MALFORMED_LOG_FILE / INVALID_LOG_VERSION.* for a damaged
 * entry; state loads with CANNOT_LOAD_STATE_STORE.*; `checkStatefulOperators` with
 * STATE_STORE_*_SCHEMA_NOT_COMPATIBLE or STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA.
 */
export class PersistentCheckpointStore implements CheckpointStore {
  private metadata: QueryMetadata | undefined;
  private readonly sources = new Map<number, Map<string, JsonValue>>();
  private readonly writtenSources = new Map<number, string>();
  private readonly providers = new Map<number, PersistentStateStoreProvider<unknown>>();
  private offsetIds: number[] = [];
  private commitIds: number[] = [];
  private pending: Promise<void> = Promise.resolve();
  /** Background writes of large state snapshots (Spark's maintenance task), in order. */
  private maintenance: Promise<void> = Promise.resolve();
  /** The first failure of a background snapshot write, reported by the next commit. */
  private maintenanceError: unknown = null;
  private opened: Promise<void> | null = null;
  private release: (() => void) | null = null;
  private lost = false;
  private conf: StateStoreConf;
  private schemaCheck = true;

  constructor(
    readonly fm: CheckpointFileManager,
    preloaded: PreloadedCheckpoint,
    private readonly options: PersistentCheckpointOptions = {},
  ) {
    this.conf = {
      minDeltasForSnapshot: options.minDeltasForSnapshot ?? 10,
      minVersionsToRetain: options.minVersionsToRetain ?? 100,
      backgroundSnapshotMinKeys: options.backgroundSnapshotMinKeys,
    };
    if (preloaded.metadata !== undefined) this.metadata = parseQueryMetadata("metadata", preloaded.metadata);
    for (const [i, text] of preloaded.sources) {
      this.sources.set(i, parseSourceMetadata(joinPath("sources", i, 0), text));
      this.writtenSources.set(i, text);
    }
  }

  /** Reads spark.sql.streaming.minBatchesToRetain and …stateStore.minDeltasForSnapshot (options given to the constructor win). */
  configure(conf: Readonly<Record<string, string>>): void {
    const num = (k: string, dflt: number) => {
      const v = Number(conf[k]);
      return Number.isInteger(v) && v > 0 ? v : dflt;
    };
    this.conf = {
      minDeltasForSnapshot: this.options.minDeltasForSnapshot ?? num("spark.sql.streaming.stateStore.minDeltasForSnapshot", 10),
      minVersionsToRetain: this.options.minVersionsToRetain ?? num("spark.sql.streaming.minBatchesToRetain", 100),
      backgroundSnapshotMinKeys: this.options.backgroundSnapshotMinKeys,
    };
    for (const p of this.providers.values()) p.conf = this.conf;
    this.schemaCheck = (conf["spark.sql.streaming.stateStore.stateSchemaCheck"] ?? "true").toLowerCase() !== "false";
  }

  get location(): string {
    return this.fm.root;
  }

  /** Acquires ownership, lists the logs and checks that batch ids have no gaps. Idempotent. */
  open(): Promise<void> {
    this.opened ??= this.doOpen();
    return this.opened;
  }

  private async doOpen(): Promise<void> {
    if (this.options.acquire) this.release = await this.options.acquire();
    await this.pending;
    this.offsetIds = batchIdsOf(await this.fm.list("offsets"));
    this.commitIds = batchIdsOf(await this.fm.list("commits"));
    checkContiguous("offset", this.offsetIds);
    checkContiguous("commit", this.commitIds);
    const lo = this.offsetIds[this.offsetIds.length - 1] ?? -1;
    const lc = this.commitIds[this.commitIds.length - 1] ?? -1;
    if (lc > lo) throw malformedLogFile(joinPath("commits", lc), `batch ${lc} is committed but its offsets (offsets/${lc}) are missing`);
    if (lo >= 0 && lc < lo - 1 && !(lc === -1 && this.offsetIds[0] === lo)) {
      throw batchIdGap("commit", lc + 1, [...this.commitIds, lo]);
    }
  }

  /**
   * Ownership was taken by another tab (an explicit take-over): every later write rejects
   * with CHECKPOINT_LOCKED, so this run can never write over the new owner's batches.
   */
  markLost(): void {
    this.lost = true;
  }

  private checkOwner(): void {
    if (this.lost) throw checkpointLocked(this.location);
  }

  /** Waits for a snapshot being written in the background, then releases ownership (the query stopped). Never rejects. */
  async close(): Promise<void> {
    // Ownership is released only after the last write of this run: a later owner never races it.
    await this.maintenance;
    this.release?.();
    this.release = null;
    await this.pending.catch(() => undefined);
  }

  getMetadata(): QueryMetadata | undefined {
    return this.metadata;
  }

  putMetadata(m: QueryMetadata): void {
    this.metadata = { id: m.id };
    const text = serializeQueryMetadata(m);
    this.pending = this.pending.then(() => this.fm.write([{ path: "metadata", text }]));
  }

  async getOffsets(batchId: number): Promise<OffsetSeq | undefined> {
    const path = joinPath("offsets", batchId);
    const text = await this.fm.read(path);
    return text === undefined ? undefined : parseOffsetSeq(path, text);
  }

  async putOffsets(batchId: number, seq: OffsetSeq): Promise<void> {
    await this.open();
    await this.pending;
    this.checkOwner();
    const files: CheckpointFile[] = [];
    for (const [i, m] of this.sources) {
      if (m.size === 0) continue;
      const text = serializeSourceMetadata(m);
      if (this.writtenSources.get(i) !== text) files.push({ path: joinPath("sources", i, 0), text });
    }
    files.push({ path: joinPath("offsets", batchId), text: serializeOffsetSeq(seq) });
    await this.fm.write(files);
    for (const f of files) {
      const m = /^sources\/(\d+)\/0$/.exec(f.path);
      if (m !== null) this.writtenSources.set(Number(m[1]), f.text);
    }
    if (!this.offsetIds.includes(batchId)) this.offsetIds.push(batchId);
  }

  async latestOffsetsBatchId(): Promise<number> {
    await this.open();
    return this.offsetIds[this.offsetIds.length - 1] ?? -1;
  }

  async getCommit(batchId: number): Promise<CommitMetadata | undefined> {
    const path = joinPath("commits", batchId);
    const text = await this.fm.read(path);
    return text === undefined ? undefined : parseCommit(path, text);
  }

  async putCommit(batchId: number, c: CommitMetadata): Promise<void> {
    await this.open();
    this.checkOwner();
    const files: CheckpointFile[] = [];
    for (const p of this.providers.values()) files.push(...p.takeStagedFiles());
    files.push({ path: joinPath("commits", batchId), text: serializeCommit(c) });
    await this.fm.write(files);
    for (const p of this.providers.values()) p.written(files);
    if (!this.commitIds.includes(batchId)) this.commitIds.push(batchId);
    // Large snapshots: serialized and written in the background; purges count only written ones.
    const snapshots: StagedSnapshot[] = [];
    for (const p of this.providers.values()) snapshots.push(...p.takeStagedSnapshots());
    if (snapshots.length > 0) this.maintenance = this.maintenance.then(() => this.writeSnapshots(snapshots));
    if (this.maintenanceError !== null) {
      const e = this.maintenanceError;
      this.maintenanceError = null;
      throw e;
    }
    await this.purge(batchId + 1 - this.conf.minVersionsToRetain);
  }

  /**
   * Spark's maintenance: serializes large snapshots in slices between batches, then writes them
   * in their own write, after the commit that made their version durable, so no batch waits for
   * a whole snapshot (1e5 keys: ~2.7 MB). Never rejects: a failure is kept for the next commit
   * to report; the deltas alone still rebuild every version.
   */
  private async writeSnapshots(snapshots: readonly StagedSnapshot[]): Promise<void> {
    // A macrotask first: the batch that committed finishes (and reports its progress).
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    try {
      const files: CheckpointFile[] = [];
      for (const s of snapshots) {
        const text = await serializeSnapshotInSlices(s, () => this.lost);
        if (text === undefined || this.lost) return;
        files.push({ path: s.path, text });
      }
      await this.fm.write(files);
      for (const p of this.providers.values()) p.written(files);
    } catch (e) {
      this.maintenanceError ??= e;
    }
  }

  /** Spark's offsetLog.purge / commitLog.purge: deletes entries of batches below `threshold`. */
  private async purge(threshold: number): Promise<void> {
    const doomed = [
      ...this.offsetIds.filter((id) => id < threshold).map((id) => joinPath("offsets", id)),
      ...this.commitIds.filter((id) => id < threshold).map((id) => joinPath("commits", id)),
    ];
    if (doomed.length > 0) {
      await this.fm.delete(doomed);
      this.offsetIds = this.offsetIds.filter((id) => id >= threshold);
      this.commitIds = this.commitIds.filter((id) => id >= threshold);
    }
    for (const p of this.providers.values()) await p.purge();
  }

  async latestCommittedBatchId(): Promise<number> {
    await this.open();
    return this.commitIds[this.commitIds.length - 1] ?? -1;
  }

  sourceMetadata(sourceIndex: number): Map<string, JsonValue> {
    let m = this.sources.get(sourceIndex);
    if (m === undefined) {
      m = new Map();
      this.sources.set(sourceIndex, m);
    }
    return m;
  }

  stateStoreProvider<V>(operatorId: number): StateStoreProvider<V> {
    let p = this.providers.get(operatorId);
    if (p === undefined) {
      p = new PersistentStateStoreProvider<unknown>(this.fm, joinPath("state", operatorId, 0), this.conf);
      this.providers.set(operatorId, p);
    }
    return p as StateStoreProvider<V>;
  }

  /**
   * Checks the query's stateful operators against the checkpoint's (Spark's
   * StateSchemaCompatibilityChecker and operator metadata); records them on first use.
   */
  async checkStatefulOperators(ops: readonly StatefulOperatorInfo[]): Promise<void> {
    await this.open();
    await checkStateSchemas(this.fm, ops, this.commitIds.length > 0 || this.offsetIds.length > 0, this.schemaCheck);
  }
}

function checkContiguous(log: string, ids: readonly number[]): void {
  for (let i = 1; i < ids.length; i++) {
    if ((ids[i] as number) !== (ids[i - 1] as number) + 1) throw batchIdGap(log, (ids[i - 1] as number) + 1, ids);
  }
}
