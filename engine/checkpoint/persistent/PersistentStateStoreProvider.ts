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
 */
export class PersistentStateStoreProvider<V> implements StateStoreProvider<V> {
  private map = new TupleMap<V>();
  private loadedVersion = -1;
  private latestVer = 0;
  private lastSnapshotVersion = 0;
  private open: PersistentStateStore<V> | null = null;
  private staged: { version: number; files: CheckpointFile[] }[] = [];
  private inited = false;

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
    this.latestVer = Math.max(0, ...deltas, ...snapshots);
    this.lastSnapshotVersion = Math.max(0, ...snapshots);
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
    if (!this.inited) {
      await this.init();
      this.inited = true;
    }
    // Files staged for versions after the one requested belong to a batch that did not commit.
    this.staged = this.staged.filter((s) => s.version <= version);
    if (version !== this.loadedVersion) {
      this.map = await this.load(version);
      this.loadedVersion = version;
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
    const map = new TupleMap<V>();
    if (version === 0) return map;
    const { snapshots } = await this.listVersions();
    const base = Math.max(0, ...snapshots.filter((s) => s <= version));
    if (base > 0) this.apply(map, await this.readFile(base, "snapshot"), joinPath(this.dir, `${base}.snapshot`));
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

  /** @internal a store committed version `from + 1`; stages its delta (and maybe a snapshot). */
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
      const snap = ["v1"];
      this.map.forEach((v, k) => snap.push(JSON.stringify({ k, v })));
      snap.push(JSON.stringify({ end: snap.length - 1 }));
      files.push({ path: joinPath(this.dir, `${version}.snapshot`), text: snap.join("\n") });
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
   * Spark's doMaintenance cleanup: deletes files no longer needed to rebuild any of the last
   * `minVersionsToRetain` versions (everything older than the newest snapshot at or before
   * the oldest version kept).
   */
  async purge(): Promise<void> {
    const oldestKept = this.latestVer - this.conf.minVersionsToRetain + 1;
    if (oldestKept <= 1) return;
    const { deltas, snapshots } = await this.listVersions();
    const base = Math.max(0, ...snapshots.filter((s) => s <= oldestKept));
    if (base === 0) return;
    const doomed = [
      ...deltas.filter((v) => v <= base).map((v) => joinPath(this.dir, `${v}.delta`)),
      ...snapshots.filter((v) => v < base).map((v) => joinPath(this.dir, `${v}.snapshot`)),
    ];
    if (doomed.length > 0) await this.fm.delete(doomed);
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
    const map = this.provider.current;
    if (!this.undo.has(key)) {
      const old = map.get(key);
      this.undo.set(key, old === undefined ? DELETED : old);
    }
    map.set(key, value);
  }
  remove(key: StateKey): void {
    this.check();
    const map = this.provider.current;
    const old = map.get(key);
    if (old === undefined) return;
    if (!this.undo.has(key)) this.undo.set(key, old);
    map.delete(key);
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
