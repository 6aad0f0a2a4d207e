import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { Notebook } from "./model";

interface NotebookDB extends DBSchema {
  notebooks: { key: string; value: Notebook; indexes: { byUpdatedAt: number } };
}

/** A stored notebook's entry in the list. */
export interface NotebookSummary {
  id: string;
  title: string;
  updatedAt: number;
  cellCount: number;
}

/** Thrown when IndexedDB cannot be used: unavailable, blocked by another tab, or full. */
export class NotebookStorageError extends Error {
  override name = "NotebookStorageError";
}

const DB_NAME = "streaming-playground-notebooks";
const DB_VERSION = 1;

/**
 * Notebooks in IndexedDB (one database, one object store, keyed by notebook
 * id). Every method rejects with NotebookStorageError in words a person can
 * act on: IndexedDB unavailable (private mode), an upgrade blocked by another
 * tab, or the storage quota full.
 */
export class NotebookStore {
  private constructor(private readonly db: IDBPDatabase<NotebookDB>) {}

  /** Opens (and creates) the database. Rejects, rather than hanging, when another tab blocks the upgrade. */
  static async open(): Promise<NotebookStore> {
    if (typeof indexedDB === "undefined") throw new NotebookStorageError("IndexedDB is not available in this browser (private mode?), so notebooks cannot be saved.");
    let rejectBlocked: (e: Error) => void = () => undefined;
    const blocked = new Promise<never>((_, reject) => (rejectBlocked = reject));
    const opening = openDB<NotebookDB>(DB_NAME, DB_VERSION, {
      upgrade(db) {
        const store = db.createObjectStore("notebooks", { keyPath: "id" });
        store.createIndex("byUpdatedAt", "updatedAt");
      },
      // openDB does not reject while another tab blocks it: turn that into an error.
      blocked: () => rejectBlocked(new NotebookStorageError("Another tab of the playground holds an older version of the notebook store open: close it and reload.")),
      blocking() {
        // A newer version in another tab wants to upgrade: let it.
        void opening.then((db) => db.close());
      },
    });
    try {
      return new NotebookStore(await Promise.race([opening, blocked]));
    } catch (e) {
      throw e instanceof NotebookStorageError ? e : new NotebookStorageError(`Could not open the notebook store: ${describe(e)}`);
    }
  }

  /** Saves (creates or replaces) a notebook. */
  async save(nb: Notebook): Promise<void> {
    await this.write(() => this.db.put("notebooks", nb));
  }

  /** The notebook with this id, or undefined. */
  get(id: string): Promise<Notebook | undefined> {
    return this.db.get("notebooks", id);
  }

  /** Every stored notebook, most recently edited first. */
  async list(): Promise<NotebookSummary[]> {
    const all = await this.db.getAllFromIndex("notebooks", "byUpdatedAt");
    return all.reverse().map((nb) => ({ id: nb.id, title: nb.title, updatedAt: nb.updatedAt, cellCount: nb.cells.length }));
  }

  async delete(id: string): Promise<void> {
    await this.write(() => this.db.delete("notebooks", id));
  }

  close(): void {
    this.db.close();
  }

  private async write(op: () => Promise<unknown>): Promise<void> {
    try {
      await op();
    } catch (e) {
      if (e instanceof DOMException && e.name === "QuotaExceededError") {
        throw new NotebookStorageError("The browser's storage for this site is full: the notebook was not saved. Delete old notebooks or export this one.");
      }
      throw new NotebookStorageError(`The notebook was not saved: ${describe(e)}`);
    }
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
