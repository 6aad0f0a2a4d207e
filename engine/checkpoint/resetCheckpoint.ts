import { deleteMemoryCheckpoint } from "./memory/MemoryCheckpointStore";
import { resetIdbCheckpoint, type IdbCheckpointCatalog } from "./idb/IdbCheckpointCatalog";

/**
 * The user's explicit "reset checkpoint" (never done implicitly, not even for a damaged
 * checkpoint): forgets the in-process checkpoint of `location` and deletes the IndexedDB one
 * (through `catalog` when the worker has one open, so its cache stays right; else by opening
 * the database). The next start with this checkpointLocation is a new query (new id, batch 0).
 * In Node, delete a directory checkpoint with `resetFileCheckpoint(dir)` from engine/node.ts.
 * Rejects with CHECKPOINT_STORAGE_UNAVAILABLE when IndexedDB exists but cannot be opened.
 *
 * @example await resetCheckpoint("wordcount", catalog);
 */
export async function resetCheckpoint(location: string, catalog?: IdbCheckpointCatalog): Promise<void> {
  deleteMemoryCheckpoint(location);
  if (catalog !== undefined) await catalog.reset(location);
  else if ((globalThis as { indexedDB?: IDBFactory }).indexedDB !== undefined) await resetIdbCheckpoint(location);
}
