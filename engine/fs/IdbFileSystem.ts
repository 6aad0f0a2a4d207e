import type { DBSchema, IDBPDatabase } from "idb";
import { openDatabase } from "../checkpoint/idb/checkpointDb";
import { storageUnavailable } from "../checkpoint/persistent/checkpointErrors";
import { MemoryFileSystem } from "./MemoryFileSystem";
import { normalizePath, utf8Length } from "./VirtualFileSystem";

interface FilesDB extends DBSchema {
  files: { key: string; value: { path: string; text: string; size: number; modificationTime: number } };
}

/** The default database of the browser's virtual file system. */
export const FILES_DB_NAME = "streaming-playground-files";

/**
 * The browser's VirtualFileSystem: files in IndexedDB (object store `files`, key = path),
 * with every file also kept in memory after `open()` so reads (and schema inference at
 * `load()`) are synchronous. Writes go to IndexedDB first (one transaction, strict
 * durability), then to memory: a failed write (quota) rejects with
 * CHECKPOINT_STORAGE_UNAVAILABLE and changes nothing.
 *
 * Uploads: `await fs.writeText("in/people.csv", await file.text())`; downloads:
 * `await fs.readText("out/part-….json")` (list with `fs.list("out")`).
 */
export class IdbFileSystem extends MemoryFileSystem {
  private constructor(private readonly db: IDBPDatabase<FilesDB>) {
    super();
  }

  /** Opens (creating) the file system database and loads it. Rejects with CHECKPOINT_STORAGE_UNAVAILABLE. */
  static async open(options: { dbName?: string; indexedDB?: IDBFactory } = {}): Promise<IdbFileSystem> {
    const db = await openDatabase<FilesDB>(options.dbName ?? FILES_DB_NAME, 1, (d) => {
      if (!d.objectStoreNames.contains("files")) d.createObjectStore("files", { keyPath: "path" });
    }, options.indexedDB);
    const fs = new IdbFileSystem(db);
    for (const rec of await db.getAll("files")) fs.files.set(rec.path, { text: rec.text, size: rec.size, modificationTime: rec.modificationTime });
    return fs;
  }

  override async writeText(path: string, text: string, modificationTime?: number): Promise<void> {
    const rec = { path: normalizePath(path), text, size: utf8Length(text), modificationTime: modificationTime ?? Date.now() };
    const tx = this.db.transaction("files", "readwrite", { durability: "strict" });
    try {
      await Promise.all([tx.store.put(rec), tx.done]);
    } catch (e) {
      try {
        tx.abort();
      } catch {
        /* already aborted */
      }
      tx.done.catch(() => undefined);
      throw storageUnavailable(path, `${(e as { name?: string }).name ?? "Error"}: ${(e as Error).message ?? String(e)}`, e);
    }
    await super.writeText(rec.path, text, rec.modificationTime);
  }

  override async delete(path: string): Promise<void> {
    const p = normalizePath(path);
    const tx = this.db.transaction("files", "readwrite");
    await Promise.all([tx.store.delete(p), tx.store.delete(IDBKeyRange.bound(`${p}/`, `${p}/\uffff`)), tx.done]);
    await super.delete(p);
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}
