import { IllegalArgumentException } from "../util/errors";

/** One entry of a directory listing (Spark's FileStatus, reduced). */
export interface FileStatus {
  /** Normalized "/"-separated path (as given to the file system: relative or absolute). */
  readonly path: string;
  /** Size in bytes (UTF-8) for files, 0 for directories. */
  readonly size: number;
  /** Last modification, epoch ms. */
  readonly modificationTime: number;
  readonly isDir: boolean;
}

/**
 * The playground's file system: where file sources read and file sinks write. In the
 * browser it is IndexedDB (`IdbFileSystem`, uploads and downloads go through it); in Node
 * the real one (`NodeFileSystem`, from `engine/node.ts`); `MemoryFileSystem` for tests.
 *
 * Contract: paths are "/"-separated; directories exist implicitly once a file is inside
 * them. `writeText` is atomic: readers see the old file or the whole new one. The sync
 * variants exist where the implementation keeps the data at hand (memory, Node, the
 * IndexedDB one after `open`): `load()` of a streaming source infers schemas with them.
 * Reads of a missing file reject with FILE_NOT_FOUND ("[PATH_NOT_FOUND] Path does not exist").
 */
export interface VirtualFileSystem {
  /** Entries directly inside `dir`; [] when it does not exist. */
  list(dir: string): Promise<FileStatus[]>;
  /** The status of `path`, or undefined. */
  stat(path: string): Promise<FileStatus | undefined>;
  /** The whole file as UTF-8 text. Rejects with PATH_NOT_FOUND. */
  readText(path: string): Promise<string>;
  /** Creates or replaces `path` atomically; `modificationTime` defaults to now. */
  writeText(path: string, text: string, modificationTime?: number): Promise<void>;
  /** Deletes a file, or a directory with everything inside it. Missing paths are ignored. */
  delete(path: string): Promise<void>;
  /** Synchronous listing, where available. */
  listSync?(dir: string): FileStatus[];
  /** Synchronous read, where available. */
  readTextSync?(path: string): string;
}

/** Normalizes a path: "/" separators, no "." segments, no trailing "/", "file://" dropped. */
export function normalizePath(path: string): string {
  let p = path.replace(/\\/g, "/");
  if (p.startsWith("file://")) p = p.slice("file://".length);
  const abs = p.startsWith("/");
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) throw new IllegalArgumentException(`Path escapes the root: ${path}`, "INVALID_PATH");
      parts.pop();
    } else parts.push(seg);
  }
  return (abs ? "/" : "") + parts.join("/");
}

/** `dir/name`, normalized. */
export function childPath(dir: string, name: string): string {
  return normalizePath(dir === "" ? name : `${dir}/${name}`);
}

/** The error of a missing path (Spark's PATH_NOT_FOUND). */
export function pathNotFound(path: string): IllegalArgumentException {
  return new IllegalArgumentException(`[PATH_NOT_FOUND] Path does not exist: ${path}.`, "PATH_NOT_FOUND");
}

/** UTF-8 byte length of a string. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
