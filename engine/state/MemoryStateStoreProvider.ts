import { IllegalStateException } from "../util/errors";
import type { StateStore, StateStoreProvider } from "./StateStore";
import { TupleMap, type StateKey } from "./TupleMap";

const DELETED: unique symbol = Symbol("deleted");
type Old<V> = V | typeof DELETED;

/** Previous values of the keys a version wrote, in write order. */
interface UndoLog<V> {
  readonly keys: StateKey[];
  readonly olds: Old<V>[];
}

/**
 * An in-memory, versioned state store provider (Spark's HDFSBackedStateStoreProvider
 * without the files), built for speed: the state is one hash map (by key tuple) updated
 * in place; every write appends the key's previous value to an undo log (two arrays,
 * replayed newest-first, so repeated writes of a key restore its oldest value).
 * `get` is a single lookup, `abort` replays the undo log, `commit` keeps it, so the
 * last `retainVersions` versions can be rebuilt (a batch re-run after a restart).
 * One store may be updating at a time; opening another aborts it.
 */
export class MemoryStateStoreProvider<V> implements StateStoreProvider<V> {
  private readonly map = new TupleMap<V>();
  private latestVer = 0;
  /** undo[v] turns version v+1 back into version v. */
  private readonly undo = new Map<number, UndoLog<V>>();
  private open: MemoryStateStore<V> | null = null;

  /**
   * @param retainVersions undo logs kept: versions older than the latest that can be rebuilt.
   *   A restart needs at most one: it re-runs the last planned batch, whose state was
   *   committed (latest) or not (latest − 1); each log pins the previous values of every
   *   key its batch wrote or evicted, so more would only hold memory.
   */
  constructor(private readonly retainVersions = 1) {}

  getStore(version: number): Promise<StateStore<V>> {
    this.open?.abort();
    if (version > this.latestVer || version < 0) return Promise.reject(this.missing(version));
    for (let v = this.latestVer - 1; v >= version; v--) {
      if (!this.undo.has(v)) return Promise.reject(this.missing(version));
    }
    // Roll back to an older version (its later versions are then stale).
    for (let v = this.latestVer - 1; v >= version; v--) {
      this.rollBack(this.undo.get(v) as UndoLog<V>);
      this.undo.delete(v);
    }
    this.latestVer = version;
    const store = new MemoryStateStore<V>(version, this.map, this, { keys: [], olds: [] });
    this.open = store;
    return Promise.resolve(store);
  }

  latestVersion(): number {
    return this.latestVer;
  }

  private missing(version: number): IllegalStateException {
    return new IllegalStateException(
      `Error reading state store version ${version}: it does not exist (latest is ${this.latestVer}, older versions kept: ${this.retainVersions}).`,
      "CANNOT_LOAD_STATE_STORE",
    );
  }

  /** @internal restores the values recorded in an undo log. */
  rollBack(log: UndoLog<V>): void {
    for (let i = log.keys.length - 1; i >= 0; i--) {
      const k = log.keys[i] as StateKey;
      const old = log.olds[i] as Old<V>;
      if (old === DELETED) this.map.delete(k);
      else this.map.set(k, old);
    }
  }

  /** @internal a store committed version `from + 1` with this undo log. */
  committed(store: MemoryStateStore<V>, from: number, log: UndoLog<V>): number {
    if (this.open === store) this.open = null;
    this.undo.set(from, log);
    this.undo.delete(from - this.retainVersions);
    this.latestVer = from + 1;
    return this.latestVer;
  }

  /** @internal a store was aborted. */
  closed(store: MemoryStateStore<V>): void {
    if (this.open === store) this.open = null;
  }
}

class MemoryStateStore<V> implements StateStore<V> {
  private state: "updating" | "committed" | "aborted" = "updating";
  constructor(
    readonly version: number,
    private readonly map: TupleMap<V>,
    private readonly provider: MemoryStateStoreProvider<V>,
    private readonly log: UndoLog<V>,
  ) {}

  get hasCommitted(): boolean {
    return this.state === "committed";
  }
  get(key: StateKey): V | undefined {
    return this.map.get(key);
  }
  put(key: StateKey, value: V): void {
    this.checkUpdating();
    // One probe; the undo log keeps the stored key tuple (the caller's copy can die young).
    const old = this.map.set(key, value);
    this.log.keys.push(this.map.lastSetKey as StateKey);
    this.log.olds.push(old === undefined ? DELETED : old);
  }
  remove(key: StateKey): void {
    this.checkUpdating();
    const old = this.map.take(key);
    if (old === undefined) return;
    this.log.keys.push(key);
    this.log.olds.push(old);
  }
  entries(): IterableIterator<[StateKey, V]> {
    return this.map.entries();
  }
  numKeys(): number {
    return this.map.size;
  }
  commit(): Promise<number> {
    this.checkUpdating();
    this.state = "committed";
    return Promise.resolve(this.provider.committed(this, this.version, this.log));
  }
  abort(): void {
    if (this.state !== "updating") return;
    this.state = "aborted";
    this.provider.rollBack(this.log);
    this.provider.closed(this);
  }
  memoryUsedBytes(): number {
    // Estimated from a sample of entries: exact sizing would cost a pass over the whole state.
    let n = 0;
    let bytes = 0;
    for (const [k, v] of this.map.entries()) {
      bytes += 48 + estimateSize(k) + estimateSize(v);
      if (++n === 32) break;
    }
    return n === 0 ? 0 : Math.round((bytes / n) * this.map.size);
  }
  private checkUpdating(): void {
    if (this.state !== "updating") {
      throw new IllegalStateException(`Cannot update a state store that was already ${this.state}`, "STATE_STORE_NOT_UPDATING");
    }
  }
}

function estimateSize(v: unknown): number {
  if (v === null || v === undefined) return 8;
  switch (typeof v) {
    case "number":
    case "boolean":
      return 8;
    case "string":
      return 16 + 2 * v.length;
    case "object": {
      let s = 16;
      if (Array.isArray(v)) for (const x of v) s += estimateSize(x);
      else for (const k in v as Record<string, unknown>) s += 8 + estimateSize((v as Record<string, unknown>)[k]);
      return s;
    }
    default:
      return 8;
  }
}
