import type { IDBPDatabase } from "idb";
import type { CheckpointFile } from "../persistent/CheckpointFileManager";
import { PersistentCheckpointStore, type PersistentCheckpointOptions } from "../persistent/PersistentCheckpointStore";
import { acquireCheckpointLock, type CheckpointLockManager } from "./checkpointLock";
import { openCheckpointDb, type CheckpointDB } from "./checkpointDb";
import { IdbCheckpointFileManager } from "./IdbCheckpointFileManager";

export { acquireCheckpointLock } from "./checkpointLock";

/** Options of `openIdbCheckpointCatalog`. */
export interface IdbCheckpointCatalogOptions extends Pick<PersistentCheckpointOptions, "minDeltasForSnapshot" | "minVersionsToRetain"> {
  /** Database name (default "streaming-playground-checkpoints"). */
  readonly dbName?: string;
  /** The IndexedDB factory (default `globalThis.indexedDB`; tests pass fake-indexeddb's). */
  readonly indexedDB?: IDBFactory;
  /** The Web Locks manager (default `navigator.locks`, else in-process). */
  readonly locks?: CheckpointLockManager;
  /** Called when another tab took over a checkpoint this tab was running (stop that query). */
  readonly onLockLost?: (location: string) => void;
}

const isPreloaded = (path: string) => path === "metadata" || /^sources\/\d+\/0$/.test(path);

/**
 * Every checkpoint of the browser, in one IndexedDB database. Opening it reads the small
 * files `start()` needs synchronously (`metadata`, `sources/<i>/0`) for all locations, so
 * `storeFor(location)` is synchronous, as the session's checkpoint factory must be.
 *
 * A store takes the location's Web Lock when its query starts (`open()`), and releases it when
 * the query stops. A second tab's query fails with CHECKPOINT_LOCKED ("…in use by a query in
 * another tab…") unless `takeOver(location)` was called first (the user's explicit choice).
 *
 * @example (the worker)
 * const catalog = await openIdbCheckpointCatalog({ onLockLost: (loc) => stopQueriesOn(loc) });
 * const spark = SparkSession.builder().checkpointStores(catalog.factory).fileSystem(await IdbFileSystem.open()).getOrCreate();
 * // "Take over" button: catalog.takeOver("wordcount"); then start the query again.
 * // "Reset checkpoint" button: await catalog.reset("wordcount");
 */
export class IdbCheckpointCatalog {
  private readonly steal = new Set<string>();

  private constructor(
    private readonly db: IDBPDatabase<CheckpointDB>,
    private readonly cache: Map<string, Map<string, string>>,
    private readonly options: IdbCheckpointCatalogOptions,
  ) {}

  /** @internal use openIdbCheckpointCatalog */
  static async open(options: IdbCheckpointCatalogOptions = {}): Promise<IdbCheckpointCatalog> {
    const db = await openCheckpointDb(options.dbName, options.indexedDB);
    const cache = new Map<string, Map<string, string>>();
    // Keys first, then only the small preloaded files (state files can be large).
    const tx = db.transaction("files");
    const keys = (await tx.store.getAllKeys()).filter((k) => isPreloaded(k[1]));
    const records = await Promise.all(keys.map((k) => tx.store.get(k)));
    for (const rec of records) {
      if (rec === undefined) continue;
      let m = cache.get(rec.location);
      if (m === undefined) cache.set(rec.location, (m = new Map()));
      m.set(rec.path, rec.text);
    }
    return new IdbCheckpointCatalog(db, cache, options);
  }

  /**
   * Every file of a checkpoint, as Spark lays them out (`metadata`, `offsets/N`,
   * `commits/N`, `sources/<i>/0`, `state/<op>/0/<v>.delta`…), sorted by path, each
   * text cut to `maxChars` (state files can be large): for the checkpoint inspector.
   */
  async files(location: string, maxChars = 4000): Promise<Array<{ path: string; text: string; size: number }>> {
    // Keys first: a large state file (a snapshot of 1e5 keys is megabytes) whose size is known
    // is listed without reading it again, so an open inspector does not reread the state every batch.
    // One read-only transaction for the keys and every read (not one per file): the listing
    // is read after every batch, and a checkpoint soon holds hundreds of files.
    const tx = this.db.transaction("files");
    const keys = await tx.store.getAllKeys(IDBKeyRange.bound([location, ""], [location, "\uffff"]));
    const out: Array<{ path: string; text: string; size: number }> = [];
    const reads: Promise<void>[] = [];
    for (const key of keys) {
      const path = key[1];
      const known = this.sizes.get(`${location}\u0000${path}`);
      if (known !== undefined && known > LARGE_FILE_CHARS) {
        out.push({ path, size: known, text: `(${known.toLocaleString("en-US")} characters: too large to show here)` });
        continue;
      }
      reads.push(
        tx.store.get(key).then((rec) => {
          if (rec === undefined) return;
          this.sizes.set(`${location}\u0000${path}`, rec.text.length);
          out.push({ path, size: rec.text.length, text: rec.text.length > maxChars ? `${rec.text.slice(0, maxChars)}\n… (${rec.text.length - maxChars} more characters)` : rec.text });
        }),
      );
    }
    await Promise.all(reads);
    await tx.done;
    return out.sort((a, b) => naturalCompare(a.path, b.path));
  }

  /** Sizes (characters) of files this catalog wrote or read, by `location \0 path`. */
  private readonly sizes = new Map<string, number>();

  /** Locations that have a checkpoint. */
  locations(): string[] {
    return [...this.cache.keys()].sort();
  }

  /** The checkpoint factory for `SparkSession.builder().checkpointStores(...)`. */
  readonly factory = (location: string): PersistentCheckpointStore => this.storeFor(location);

  /** A store for `location` (synchronous). Its query takes the Web Lock when it starts. */
  storeFor(location: string): PersistentCheckpointStore {
    const files = this.cache.get(location) ?? new Map<string, string>();
    const sources = new Map<number, string>();
    for (const [p, t] of files) {
      const m = /^sources\/(\d+)\/0$/.exec(p);
      if (m !== null) sources.set(Number(m[1]), t);
    }
    const fm = new IdbCheckpointFileManager(this.db, location, (loc, written) => this.remember(loc, written));
    const store: PersistentCheckpointStore = new PersistentCheckpointStore(fm, { metadata: files.get("metadata"), sources }, {
      minDeltasForSnapshot: this.options.minDeltasForSnapshot,
      minVersionsToRetain: this.options.minVersionsToRetain,
      acquire: () => {
        const steal = this.steal.delete(location);
        const onLost = () => {
          store.markLost();
          this.options.onLockLost?.(location);
        };
        return acquireCheckpointLock(location, { steal, locks: this.options.locks, onLost });
      },
    });
    return store;
  }

  /** The user's explicit "take over": the next query started on `location` takes its lock from the other tab. */
  takeOver(location: string): void {
    this.steal.add(location);
  }

  /** The explicit "reset checkpoint": deletes every file of `location` (the next start is a new query). */
  async reset(location: string): Promise<void> {
    await new IdbCheckpointFileManager(this.db, location).deleteAll();
    this.cache.delete(location);
  }

  /** Closes the database connection. */
  close(): void {
    this.db.close();
  }

  private remember(location: string, files: readonly CheckpointFile[]): void {
    for (const f of files) {
      this.sizes.set(`${location}\u0000${f.path}`, f.text.length);
      if (!isPreloaded(f.path)) continue;
      let m = this.cache.get(location);
      if (m === undefined) this.cache.set(location, (m = new Map()));
      m.set(f.path, f.text);
    }
  }
}

/** Files larger than this (characters) are listed by size only once their size is known. */
const LARGE_FILE_CHARS = 256 * 1024;

/**
 * Opens the browser's checkpoint catalog (IndexedDB through idb). Rejects with
 * CHECKPOINT_STORAGE_UNAVAILABLE when IndexedDB is missing or blocked by another tab's upgrade.
 */
export function openIdbCheckpointCatalog(options: IdbCheckpointCatalogOptions = {}): Promise<IdbCheckpointCatalog> {
  return IdbCheckpointCatalog.open(options);
}

/** Deletes the IndexedDB checkpoint `location` (the explicit "reset checkpoint"). */
export async function resetIdbCheckpoint(location: string, options: IdbCheckpointCatalogOptions = {}): Promise<void> {
  const catalog = await openIdbCheckpointCatalog(options);
  try {
    await catalog.reset(location);
  } finally {
    catalog.close();
  }
}

/** "offsets/10" after "offsets/9": numbers compare as numbers. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
