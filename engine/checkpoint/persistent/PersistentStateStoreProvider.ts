import { IllegalStateException } from "../../util/errors";
import type { StateStore, StateStoreProvider } from "../../state/StateStore";
import { TupleMap, type StateKey } from "../../state/TupleMap";
import type { JsonValue } from "../../sources/Source";
import { joinPath, type CheckpointFile, type CheckpointFileManager } from "./CheckpointFileManager";
import { stateDeltaMissing, stateFileCorrupt, unsupportedLogVersion } from "./checkpointErrors";

const DELETED: unique symbol = Symbol("deleted");
type Old<V> = V | typeof DELETED;

/** Tuning of a persisted provider (Spark's SQLConf names). */
export interface StateStoreConf {
  /** spark.sql.streaming.stateStore.minDeltasForSnapshot (Spark's default 10). */
  readonly minDeltasForSnapshot: number;
  /** spark.sql.streaming.minBatchesToRetain (Spark's default 100): versions kept recoverable. */
  readonly minVersionsToRetain: number;
  /**
   * Snapshots of states with at least this many keys (default 25,000: ~0.7 MB of text) are
   * serialized and written after their commit, in the background (Spark's maintenance task),
   * not in the batch's commit. Smaller ones go into the commit's write.
   */
  readonly backgroundSnapshotMinKeys?: number;
}

/** The default of `StateStoreConf.backgroundSnapshotMinKeys`. */
export const BACKGROUND_SNAPSHOT_MIN_KEYS = 25_000;

/** A snapshot staged for a background write: the entries of its version, serialized when it is written. */
export interface StagedSnapshot {
  readonly path: string;
  readonly keys: readonly StateKey[];
  readonly values: readonly unknown[];
}

/**
 * Spark's HDFSBackedStateStoreProvider over a CheckpointFileManager: one directory per
 * operator and partition (`state/<operatorId>/0/`), a delta file per committed version
 * and a snapshot every `minDeltasForSnapshot` versions. Spark writes these files in a binary
 * row format; ours are JSON lines, ending with an entry count so a truncated file is caught:
 *
 * `state/0/0/3.delta` (the changes that made version 3):
 * ```
 * v1
 * {"k":["cat"],"v":[2]}
 * {"k":["dog"],"r":1}
 * {"end":2}
 * ```
 * `state/0/0/10.snapshot` has the same shape with every key of version 10 and no removals.
 *
 * Version v is the state after batch v-1 committed. `getStore(v)` reuses the in-memory map
 * when it holds v (the common case), else rebuilds v from the newest snapshot ≤ v plus the
 * deltas after it, and rejects with CANNOT_LOAD_STATE_STORE.* when a file is missing or damaged.
 * A store's `commit()` does not write: it *stages* its files, and the checkpoint store writes
 * them together with the commit log entry (one IndexedDB transaction; in Node, before it).
 *
 * Cost of a commit (issue 9; figures in engine/bench/checkpoint/README.md): a batch that changed
 * k of N keys serializes and writes k lines, O(k), never O(N). A snapshot is O(N) (1e5 keys:
 * ~2.7 MB; 50–120 ms to format as JSON, then the write): for states of at least
 * `backgroundSnapshotMinKeys` keys, the commit only captures the entries (references, ~2 ms for
 * 1e5 keys; values are immutable, so they stay those of this version) and the checkpoint store
 * serializes them in slices between batches and writes the snapshot in its own write, after the
 * commit, as Spark's maintenance task does. The directory is listed once (`init`); later purges
 * use the versions written since.
 */
export class PersistentStateStoreProvider<V> implements StateStoreProvider<V> {
  private map = new TupleMap<V>();
  private loadedVersion = -1;
  private latestVer = 0;
  private lastSnapshotVersion = 0;
  private open: PersistentStateStore<V> | null = null;
  private staged: { version: number; files: CheckpointFile[] }[] = [];
  /** Large snapshots of committed-but-unwritten versions, written after their commit (see `takeStagedSnapshots`). */
  private stagedSnapshots: { version: number; snapshot: StagedSnapshot }[] = [];
  private inited = false;
  /** Versions of the delta and snapshot files on disk: listed once by `init`, then kept up to date by `written`/`purge`. */
  private readonly deltasOnDisk = new Set<number>();
  private readonly snapshotsOnDisk = new Set<number>();

  /**
   * @param fm the checkpoint's files
   * @param dir this store's directory, e.g. `state/0/0`
   */
  constructor(
    private readonly fm: CheckpointFileManager,
    readonly dir: string,
    /** @internal replaced when the session conf arrives */
    public conf: StateStoreConf,
  ) {}

  /** Reads the directory listing (the newest version on disk). Call once before use. */
  async init(): Promise<void> {
    const { deltas, snapshots } = await this.listVersions();
    this.latestVer = maxOf(deltas, snapshots);
    this.lastSnapshotVersion = maxOf(snapshots);
    this.deltasOnDisk.clear();
    this.snapshotsOnDisk.clear();
    for (const v of deltas) this.deltasOnDisk.add(v);
    for (const v of snapshots) this.snapshotsOnDisk.add(v);
    this.inited = true;
  }

  private async listVersions(): Promise<{ deltas: number[]; snapshots: number[] }> {
    const names = await this.fm.list(this.dir);
    const deltas: number[] = [];
    const snapshots: number[] = [];
    for (const n of names) {
      const m = /^(\d+)\.(delta|snapshot)$/.exec(n);
      if (m === null) continue;
      (m[2] === "delta" ? deltas : snapshots).push(Number(m[1]));
    }
    return { deltas, snapshots };
  }

  latestVersion(): number {
    return this.latestVer;
  }

  async getStore(version: number): Promise<StateStore<V>> {
    this.open?.abort();
    if (!this.inited) await this.init();
    // Files staged for versions after the one requested belong to a batch that did not commit.
    this.staged = this.staged.filter((s) => s.version <= version);
    this.stagedSnapshots = this.stagedSnapshots.filter((s) => s.version <= version);
    if (version !== this.loadedVersion) {
      this.map = await this.load(version);
      this.loadedVersion = version;
      // A snapshot staged by a batch that never committed was not written: count from the files.
      this.lastSnapshotVersion = maxOf([...this.snapshotsOnDisk].filter((v) => v <= version));
    }
    const store = new PersistentStateStore<V>(version, this);
    this.open = store;
    return store;
  }

  /** @internal the map of the loaded version. */
  get current(): TupleMap<V> {
    return this.map;
  }

  private async load(version: number): Promise<TupleMap<V>> {
    if (version === 0) return new TupleMap<V>();
    const { snapshots } = await this.listVersions();
    const base = maxOf(snapshots.filter((s) => s <= version));
    const snapshot = base > 0 ? await this.readFile(base, "snapshot") : "";
    // Sized from the snapshot's entry count (its last line): 1e5 keys load ~30% faster without rehashing.
    const expected = Number(/\{"end":(\d+)\}\s*$/.exec(snapshot.slice(-40))?.[1] ?? 8);
    const map = new TupleMap<V>(expected);
    if (base > 0) this.apply(map, snapshot, joinPath(this.dir, `${base}.snapshot`));
    for (let v = base + 1; v <= version; v++) this.apply(map, await this.readFile(v, "delta"), joinPath(this.dir, `${v}.delta`));
    return map;
  }

  private async readFile(version: number, kind: "delta" | "snapshot"): Promise<string> {
    const path = joinPath(this.dir, `${version}.${kind}`);
    const text = await this.fm.read(path);
    if (text === undefined) throw stateDeltaMissing(path, version);
    return text;
  }

  private apply(map: TupleMap<V>, text: string, path: string): void {
    const lines = text.split("\n");
    const head = /^v(\d+)$/.exec(lines[0] ?? "");
    if (head === null) throw stateFileCorrupt(path, "no version header");
    if (Number(head[1]) > 1) throw unsupportedLogVersion(path, Number(head[1]), 1);
    let count = 0;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line === "") continue;
      let rec: { k?: JsonValue[]; v?: JsonValue; r?: number; end?: number };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        throw stateFileCorrupt(path, `line ${i + 1} is not valid JSON (the file is truncated)`);
      }
      if (rec.end !== undefined) {
        if (rec.end !== count) throw stateFileCorrupt(path, `expected ${rec.end} entries, found ${count}`);
        return;
      }
      count++;
      const key = rec.k as StateKey;
      if (rec.r === 1) map.delete(key);
      else map.set(key, rec.v as V);
    }
    throw stateFileCorrupt(path, "the end marker is missing (the file is truncated)");
  }

  /**
   * @internal a store committed version `from + 1`; stages its delta (and maybe a snapshot).
   * O(changed keys); a snapshot version adds O(keys): serialized here when small, captured
   * (entry references only) for a background write when large.
   */
  committed(store: PersistentStateStore<V>, from: number, changed: TupleMap<Old<V>>): number {
    if (this.open === store) this.open = null;
    const version = from + 1;
    const lines = ["v1"];
    changed.forEach((_old, k) => {
      const v = this.map.get(k);
      lines.push(v === undefined ? JSON.stringify({ k, r: 1 }) : JSON.stringify({ k, v }));
    });
    lines.push(JSON.stringify({ end: lines.length - 1 }));
    const files: CheckpointFile[] = [{ path: joinPath(this.dir, `${version}.delta`), text: lines.join("\n") }];
    if (version - this.lastSnapshotVersion >= this.conf.minDeltasForSnapshot) {
      const path = joinPath(this.dir, `${version}.snapshot`);
      // The entries of this version (references: keys and values are never mutated).
      const keys: StateKey[] = [];
      const values: V[] = [];
      this.map.forEach((v, k) => {
        keys.push(k);
        values.push(v);
      });
      if (keys.length >= (this.conf.backgroundSnapshotMinKeys ?? BACKGROUND_SNAPSHOT_MIN_KEYS)) {
        this.stagedSnapshots.push({ version, snapshot: { path, keys, values } });
      } else {
        files.push({ path, text: snapshotText(keys, values) });
      }
      this.lastSnapshotVersion = version;
    }
    this.staged.push({ version, files });
    this.loadedVersion = version;
    this.latestVer = version;
    return version;
  }

  /** @internal rolls back an aborted store's changes. */
  rolledBack(store: PersistentStateStore<V>, undo: TupleMap<Old<V>>): void {
    undo.forEach((old, k) => {
      if (old === DELETED) this.map.delete(k);
      else this.map.set(k, old);
    });
    if (this.open === store) this.open = null;
  }

  /** The staged files of committed-but-unwritten versions; clears the list. */
  takeStagedFiles(): CheckpointFile[] {
    const files = this.staged.flatMap((s) => s.files);
    this.staged = [];
    return files;
  }

  /**
   * The large snapshots staged by committed versions; clears the list. The checkpoint store
   * writes them only after the write that made their version's delta and commit entry durable:
   * a snapshot never exists for a version that was not committed.
   */
  takeStagedSnapshots(): StagedSnapshot[] {
    const snapshots = this.stagedSnapshots.map((s) => s.snapshot);
    this.stagedSnapshots = [];
    return snapshots;
  }

  /** The checkpoint store wrote these files (staged deltas and snapshots): later purges may count on them. */
  written(files: readonly CheckpointFile[]): void {
    const prefix = `${this.dir}/`;
    for (const f of files) {
      if (!f.path.startsWith(prefix)) continue;
      const m = /^(\d+)\.(delta|snapshot)$/.exec(f.path.slice(prefix.length));
      if (m !== null) (m[2] === "delta" ? this.deltasOnDisk : this.snapshotsOnDisk).add(Number(m[1]));
    }
  }

  /**
   * Spark's doMaintenance cleanup: deletes files no longer needed to rebuild any of the last
   * `minVersionsToRetain` versions (everything older than the newest snapshot at or before
   * the oldest version kept).
   */
  async purge(): Promise<void> {
    const oldestKept = this.latestVer - this.conf.minVersionsToRetain + 1;
    if (oldestKept <= 1) return;
    if (!this.inited) await this.init();
    // The versions on disk are known (listed once, then tracked): no listing per batch.
    const deltas = [...this.deltasOnDisk];
    const snapshots = [...this.snapshotsOnDisk];
    const base = maxOf(snapshots.filter((s) => s <= oldestKept));
    if (base === 0) return;
    const doomedDeltas = deltas.filter((v) => v <= base);
    const doomedSnapshots = snapshots.filter((v) => v < base);
    if (doomedDeltas.length + doomedSnapshots.length === 0) return;
    await this.fm.delete([
      ...doomedDeltas.map((v) => joinPath(this.dir, `${v}.delta`)),
      ...doomedSnapshots.map((v) => joinPath(this.dir, `${v}.snapshot`)),
    ]);
    for (const v of doomedDeltas) this.deltasOnDisk.delete(v);
    for (const v of doomedSnapshots) this.snapshotsOnDisk.delete(v);
  }
}

class PersistentStateStore<V> implements StateStore<V> {
  private state: "updating" | "committed" | "aborted" = "updating";
  private readonly undo = new TupleMap<Old<V>>();
  constructor(
    readonly version: number,
    private readonly provider: PersistentStateStoreProvider<V>,
  ) {}
  get hasCommitted(): boolean {
    return this.state === "committed";
  }
  get(key: StateKey): V | undefined {
    return this.provider.current.get(key);
  }
  put(key: StateKey, value: V): void {
    this.check();
    // One probe of the state (set returns the previous value), one of the undo log.
    const old = this.provider.current.set(key, value);
    if (!this.undo.has(key)) this.undo.set(key, old === undefined ? DELETED : old);
  }
  remove(key: StateKey): void {
    this.check();
    const old = this.provider.current.take(key);
    if (old === undefined) return;
    if (!this.undo.has(key)) this.undo.set(key, old);
  }
  entries(): IterableIterator<[StateKey, V]> {
    return this.provider.current.entries();
  }
  numKeys(): number {
    return this.provider.current.size;
  }
  commit(): Promise<number> {
    this.check();
    this.state = "committed";
    return Promise.resolve(this.provider.committed(this, this.version, this.undo));
  }
  abort(): void {
    if (this.state !== "updating") return;
    this.state = "aborted";
    this.provider.rolledBack(this, this.undo);
  }
  memoryUsedBytes(): number {
    let n = 0;
    let bytes = 0;
    for (const [k, v] of this.provider.current.entries()) {
      bytes += 48 + JSON.stringify(k).length * 2 + JSON.stringify(v ?? null).length * 2;
      if (++n === 32) break;
    }
    return n === 0 ? 0 : Math.round((bytes / n) * this.provider.current.size);
  }
  private check(): void {
    if (this.state !== "updating") {
      throw new IllegalStateException(`Cannot update a state store that was already ${this.state}`, "STATE_STORE_NOT_UPDATING");
    }
  }
}

/** The largest number of the lists, or 0 (no spread: a listing can hold many versions). */
function maxOf(...lists: readonly number[][]): number {
  let m = 0;
  for (const l of lists) for (const x of l) if (x > m) m = x;
  return m;
}

/** A snapshot file: every entry as a `{"k":…,"v":…}` line, then the entry count. */
function snapshotText(keys: readonly StateKey[], values: readonly unknown[]): string {
  const out = ["v1"];
  for (let i = 0; i < keys.length; i++) out.push(JSON.stringify({ k: keys[i], v: values[i] }));
  out.push(`{"end":${keys.length}}`);
  return out.join("\n");
}

/**
 * The text of a staged snapshot, serialized in slices of `entriesPerSlice` entries with a
 * macrotask between them, so that batches run meanwhile (formatting 1e5 entries takes
 * 25–120 ms). Resolves to undefined when `cancelled()` turns true between slices.
 */
export async function serializeSnapshotInSlices(
  s: StagedSnapshot,
  cancelled: () => boolean = () => false,
  entriesPerSlice = 5_000,
): Promise<string | undefined> {
  const out = ["v1"];
  const n = s.keys.length;
  for (let start = 0; start < n; start += entriesPerSlice) {
    if (start > 0) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      if (cancelled()) return undefined;
    }
    const end = Math.min(n, start + entriesPerSlice);
    for (let i = start; i < end; i++) out.push(JSON.stringify({ k: s.keys[i], v: s.values[i] }));
  }
  out.push(`{"end":${n}}`);
  return out.join("\n");
}
