/**
 * Spark's CheckpointFileManager, reduced to what a checkpoint needs: text files under a
 * checkpoint root, addressed by relative paths such as `offsets/3` or `state/0/0/4.delta`.
 *
 * Contract:
 * - `write(files)` makes every file visible completely or not at all (no torn file ever
 *   becomes readable). Files become visible in array order; a backend that can (IndexedDB)
 *   makes the whole array visible at once, in one transaction. The Node backend writes each
 *   file to a temporary name and renames it (Spark's `createAtomic`), in order, so a crash
 *   leaves a prefix of the array.
 * - Reads of a file that does not exist resolve to `undefined`, never reject.
 * - Every method rejects with the backend's error (quota, permission) and then has changed
 *   nothing beyond the files already renamed (Node) or nothing at all (IndexedDB).
 *
 * Implementations: `checkpoint/file/NodeCheckpointFileManager` (a real directory),
 * `checkpoint/idb/IdbCheckpointFileManager` (IndexedDB), `MemoryCheckpointFileManager` (tests).
 */
export interface CheckpointFileManager {
  /** Where the checkpoint lives (a directory path or an IndexedDB location name). */
  readonly root: string;
  /** The text of `path`, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /** Names (not paths) of the entries directly inside `dir` ("" = the root), files and directories. */
  list(dir: string): Promise<string[]>;
  /** Writes files atomically, in order (see the class contract). */
  write(files: readonly CheckpointFile[]): Promise<void>;
  /** Deletes files; missing ones are ignored. */
  delete(paths: readonly string[]): Promise<void>;
  /** Deletes the whole checkpoint (the explicit "reset checkpoint"). */
  deleteAll(): Promise<void>;
}

/** One file to write: a relative path and its full text. */
export interface CheckpointFile {
  readonly path: string;
  readonly text: string;
}

/** Joins path segments with "/" (checkpoint paths are always "/"-separated). */
export function joinPath(...parts: (string | number)[]): string {
  return parts
    .map(String)
    .filter((p) => p !== "")
    .join("/");
}

/**
 * A CheckpointFileManager in memory (tests, and the base of fault injection).
 * @example const fm = new MemoryCheckpointFileManager("cp"); await fm.write([{ path: "metadata", text: "{}" }]);
 */
export class MemoryCheckpointFileManager implements CheckpointFileManager {
  /** The files by relative path. */
  readonly files = new Map<string, string>();
  constructor(readonly root: string) {}
  read(path: string): Promise<string | undefined> {
    return Promise.resolve(this.files.get(path));
  }
  list(dir: string): Promise<string[]> {
    const prefix = dir === "" ? "" : `${dir}/`;
    const names = new Set<string>();
    for (const p of this.files.keys()) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split("/")[0] as string);
    }
    return Promise.resolve([...names]);
  }
  write(files: readonly CheckpointFile[]): Promise<void> {
    for (const f of files) this.files.set(f.path, f.text);
    return Promise.resolve();
  }
  delete(paths: readonly string[]): Promise<void> {
    for (const p of paths) this.files.delete(p);
    return Promise.resolve();
  }
  deleteAll(): Promise<void> {
    this.files.clear();
    return Promise.resolve();
  }
}
