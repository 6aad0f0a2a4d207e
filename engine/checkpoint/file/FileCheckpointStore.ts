import { joinPath } from "../persistent/CheckpointFileManager";
import { PersistentCheckpointStore, type PersistentCheckpointOptions } from "../persistent/PersistentCheckpointStore";
import { NodeCheckpointFileManager } from "./NodeCheckpointFileManager";

/**
 * Opens the checkpoint in directory `dir` (created on the first write), in Spark's layout,
 * so `ls` and `cat` read it like a Spark checkpoint (`offsets/0` starts with `v1`). Node only.
 * Reads `metadata` and `sources/*` synchronously (the query id is known at `start()`);
 * throws MALFORMED_LOG_FILE when they are damaged. Everything else is read on `open()`.
 *
 * @example
 * const spark = SparkSession.builder().checkpointStores((loc) => openFileCheckpointStore(loc)).getOrCreate();
 */
export function openFileCheckpointStore(dir: string, options: PersistentCheckpointOptions = {}): PersistentCheckpointStore {
  const fm = new NodeCheckpointFileManager(dir);
  const sources = new Map<number, string>();
  for (const name of fm.listSync("sources")) {
    if (!/^\d+$/.test(name)) continue;
    const text = fm.readSync(joinPath("sources", name, 0));
    if (text !== undefined) sources.set(Number(name), text);
  }
  return new PersistentCheckpointStore(fm, { metadata: fm.readSync("metadata"), sources }, options);
}

/**
 * The explicit "reset checkpoint": deletes the directory. The next start is a new query
 * (new id, batch 0). Never called implicitly, even for a damaged checkpoint.
 */
export async function resetFileCheckpoint(dir: string): Promise<void> {
  await new NodeCheckpointFileManager(dir).deleteAll();
}
