import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { storageUnavailable } from "../persistent/checkpointErrors";

/**
 * The checkpoint database (idb's typed schema). Version 1: one object store `files`,
 * key path `["location", "path"]`, records `{ location, path, text }`.
 */
export interface CheckpointDB extends DBSchema {
  files: {
    key: [string, string];
    value: { location: string; path: string; text: string };
  };
}

/** The default database name. */
export const CHECKPOINT_DB_NAME = "streaming-playground-checkpoints";

/**
 * Opens (and creates or upgrades) an IndexedDB database. Rejects with
 * CHECKPOINT_STORAGE_UNAVAILABLE when IndexedDB is missing, the open fails, or another tab
 * blocks the upgrade (openDB would otherwise hang: we reject on `blocked`). When a newer
 * version is opened elsewhere (`blocking`), this connection closes itself.
 */
export function openDatabase<S extends DBSchema>(
  name: string,
  version: number,
  upgrade: (db: IDBPDatabase<S>) => void,
  factory?: IDBFactory,
): Promise<IDBPDatabase<S>> {
  const idb = factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (idb === undefined) return Promise.reject(storageUnavailable(name, "IndexedDB is not available in this environment (private mode or an old browser)"));
  // idb's openDB uses the global indexedDB; a given factory (tests) is installed for the call.
  // Only then: in a browser the global is a getter-only property, and assigning it throws.
  const g = globalThis as { indexedDB?: IDBFactory };
  const saved = g.indexedDB;
  const swap = idb !== saved;
  if (swap) g.indexedDB = idb;
  return new Promise<IDBPDatabase<S>>((resolve, reject) => {
    let db: IDBPDatabase<S> | null = null;
    openDB<S>(name, version, {
      upgrade: (d) => upgrade(d),
      blocked: () => reject(storageUnavailable(name, "the database upgrade is blocked by another tab of the playground; close it and reload")),
      blocking: () => db?.close(),
    }).then(
      (d) => {
        db = d;
        resolve(d);
      },
      (e: unknown) => reject(storageUnavailable(name, `IndexedDB failed to open: ${(e as Error).message ?? String(e)}`, e)),
    );
    if (swap) g.indexedDB = saved;
  });
}

/** Opens the checkpoint database. */
export function openCheckpointDb(name = CHECKPOINT_DB_NAME, factory?: IDBFactory): Promise<IDBPDatabase<CheckpointDB>> {
  return openDatabase<CheckpointDB>(name, 1, (db) => {
    if (!db.objectStoreNames.contains("files")) db.createObjectStore("files", { keyPath: ["location", "path"] });
  }, factory);
}
