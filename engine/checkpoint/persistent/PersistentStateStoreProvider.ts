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
 *
 * Cost of a commit (issue 9; figures in engine/bench/checkpoint/README.md): a batch that changed
 * k of N keys serializes and writes k lines, O(k), never O(N). A snapshot needs every key's line:
 * formatting N entries as JSON costs ~0.5–1 µs each (the numbers' decimal text dominates: 55 ms
 * in Node, 120 ms in Chromium for 1e5 keys), so the provider keeps each committed key's line (the
 * text its delta wrote, or read from a file on load) and a snapshot is only the join of those
 * lines: a few ms for 1e5 keys. Lines are valid as long as values are never mutated in place,
 * which the StateStore contract already requires (a mutated value would be missing from the delta).
 * The directory listing is read once (`init`); later purges use the versions this provider wrote.
 */
export class PersistentStateStoreProvider<V> implements StateStoreProvider<V> {
  private map = new TupleMap<V>();
  /** Each key's line (`{"k":…,"v":…}`) as of `loadedVersion`'s committed state: a snapshot joins them. */
  private lines = new TupleMap<string>();
  private loadedVersion = -1;
  private latestVer = 0;
  private lastSnapshotVersion = 0;
  private open: PersistentStateStore<V> | null = null;
  private staged: { version: number; files: CheckpointFile[] }[] = [];
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
    if (version !== this.loadedVersion) {
      const { map, lines } = await this.load(version);
      this.map = map;
      this.lines = lines;
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

  private async load(version: number): Promise<{ map: TupleMap<V>; lines: TupleMap<string> }> {
    if (version === 0) return { map: new TupleMap<V>(), lines: new TupleMap<string>() };
    const { snapshots } = await this.listVersions();
    const base = maxOf(snapshots.filter((s) => s <= version));
    const snapshot = base > 0 ? await this.readFile(base, "snapshot") : "";
    // Sized from the snapshot's entry count (its last line): 1e5 keys load ~30% faster without rehashing.
    const expected = Number(/\{"end":(\d+)\}\s*$/.exec(snapshot.slice(-40))?.[1] ?? 8);
    const map = new TupleMap<V>(expected);
    const lines = new TupleMap<string>(expected);
    if (base > 0) this.apply(map, lines, snapshot, joinPath(this.dir, `${base}.snapshot`));
    for (let v = base + 1; v <= version; v++) this.apply(map, lines, await this.readFile(v, "delta"), joinPath(this.dir, `${v}.delta`));
    return { map, lines };
  }

  private async readFile(version: number, kind: "delta" | "snapshot"): Promise<string> {
    const path = joinPath(this.dir, `${version}.${kind}`);
    const text = await this.fm.read(path);
    if (text === undefined) throw stateDeltaMissing(path, version);
    return text;
  }

  private apply(map: TupleMap<V>, lineCache: TupleMap<string>, text: string, path: string): void {
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
      if (rec.r === 1) {
        map.delete(key);
        lineCache.delete(key);
      } else {
        map.set(key, rec.v as V);
        // The line as written is the key's line for a later snapshot (any field order reads back the same).
        lineCache.set(map.lastSetKey as StateKey, line);
      }
    }
    throw stateFileCorrupt(path, "the end marker is missing (the file is truncated)");
  }

  /**
   * @internal a store committed version `from + 1`; stages its delta (and maybe a snapshot).
   * O(changed keys), plus, for a snapshot version, one join over the cached lines of every key.
   */
  committed(store: PersistentStateStore<V>, from: number, changed: TupleMap<Old<V>>): number {
    if (this.open === store) this.open = null;
    const version = from + 1;
    const lines = ["v1"];
    const cache = this.lines;
    changed.forEach((_old, k) => {
      const v = this.map.get(k);
      if (v === undefined) {
        lines.push(JSON.stringify({ k, r: 1 }));
        cache.delete(k);
      } else {
        const line = JSON.stringify({ k, v });
        lines.push(line);
        cache.set(k, line);
      }
    });
    lines.push(JSON.stringify({ end: lines.length - 1 }));
    const files: CheckpointFile[] = [{ path: joinPath(this.dir, `${version}.delta`), text: lines.join("\n") }];
    if (version - this.lastSnapshotVersion >= this.conf.minDeltasForSnapshot) {
      files.push({ path: joinPath(this.dir, `${version}.snapshot`), text: this.snapshotText() });
      this.lastSnapshotVersion = version;
    }
    this.staged.push({ version, files });
    this.loadedVersion = version;
    this.latestVer = version;
    return version;
  }

  /** The snapshot file of the loaded version: every key's cached line, then the entry count. */
  private snapshotText(): string {
    const n = this.lines.size;
    const out = new Array<string>(n + 2);
    out[0] = "v1";
    let i = 1;
    this.lines.forEach((line) => {
      out[i++] = line;
    });
    out[n + 1] = `{"end":${n}}`;
    return out.join("\n");
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

  /** The checkpoint store wrote these files (taken from `takeStagedFiles`): later purges may count on them. */
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
      // The entry, plus its cached line for snapshots (about the same text once more).
      bytes += 96 + JSON.stringify(k).length * 3 + JSON.stringify(v ?? null).length * 3;
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
