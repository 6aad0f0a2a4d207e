import type { IDBPDatabase } from "idb";
import type { CheckpointFile, CheckpointFileManager } from "../persistent/CheckpointFileManager";
import { storageUnavailable } from "../persistent/checkpointErrors";
import type { CheckpointDB } from "./checkpointDb";

/**
 * A checkpoint in IndexedDB: one record per checkpoint file in the object store `files`,
 * keyed by `[location, path]` (`["wordcount", "offsets/0"]`), with the same text as the
 * Node layout. `write()` puts every file in **one** readwrite transaction with
 * `durability: "strict"`: the state deltas and the commit entry of a batch become durable
 * together or not at all. Nothing but IndexedDB requests is awaited inside a transaction
 * (texts are serialized before it opens).
 *
 * Failures: QuotaExceededError and other transaction errors reject with
 * CHECKPOINT_STORAGE_UNAVAILABLE; the aborted transaction wrote nothing.
 */
export class IdbCheckpointFileManager implements CheckpointFileManager {
  constructor(
    private readonly db: IDBPDatabase<CheckpointDB>,
    readonly root: string,
    /** Called after a successful write (the catalog keeps `metadata` and `sources/*` at hand). */
    private readonly onWritten: (location: string, files: readonly CheckpointFile[]) => void = () => undefined,
  ) {}

  async read(path: string): Promise<string | undefined> {
    const rec = await this.db.get("files", [this.root, path]);
    return rec?.text;
  }

  async list(dir: string): Promise<string[]> {
    const prefix = dir === "" ? "" : `${dir}/`;
    const keys = await this.db.getAllKeys("files", IDBKeyRange.bound([this.root, prefix], [this.root, `${prefix}\uffff`]));
    const names = new Set<string>();
    for (const k of keys) names.add((k[1] as string).slice(prefix.length).split("/")[0] as string);
    return [...names];
  }

  async write(files: readonly CheckpointFile[]): Promise<void> {
    const records = files.map((f) => ({ location: this.root, path: f.path, text: f.text }));
    const tx = this.db.transaction("files", "readwrite", { durability: "strict" });
    try {
      const puts: Promise<unknown>[] = [];
      for (const r of records) {
        const put = tx.store.put(r);
        put.catch(() => undefined); // an abort rejects every request; the transaction's error is the one reported
        puts.push(put);
      }
      await Promise.all([...puts, tx.done]);
    } catch (e) {
      // A request that throws synchronously leaves the transaction active: abort it, or the
      // earlier puts of this batch would commit without the rest.
      try {
        tx.abort();
      } catch {
        /* already aborted by the failed request */
      }
      tx.done.catch(() => undefined);
      const name = (e as { name?: string }).name ?? "Error";
      const detail = name === "QuotaExceededError" ? "the browser's storage quota is full (free space or allow persistent storage)" : `${name}: ${(e as Error).message ?? String(e)}`;
      throw storageUnavailable(this.root, detail, e);
    }
    this.onWritten(this.root, files);
  }

  async delete(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    const tx = this.db.transaction("files", "readwrite");
    await Promise.all([...paths.map((p) => tx.store.delete([this.root, p])), tx.done]);
  }

  async deleteAll(): Promise<void> {
    const tx = this.db.transaction("files", "readwrite", { durability: "strict" });
    await Promise.all([tx.store.delete(IDBKeyRange.bound([this.root, ""], [this.root, "\uffff"])), tx.done]);
  }
}
