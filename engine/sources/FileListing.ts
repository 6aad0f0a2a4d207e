import { FileStreamSinkLog } from "../sinks/FileStreamSinkLog";
import { normalizePath, type FileStatus, type VirtualFileSystem } from "../fs/VirtualFileSystem";

/** Spark's hidden-file rule (InMemoryFileIndex): names starting with "_" or "." are not data. */
export function isDataFileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return !name.startsWith("_") && !name.startsWith(".");
}

/**
 * The data files of `path` (a file or a directory, not recursive): when the directory holds
 * a file sink's `_spark_metadata` log, only the files it lists (Spark's MetadataLogFileIndex:
 * uncommitted files of a crashed batch are not read); otherwise every non-hidden file.
 */
export async function listDataFiles(fs: VirtualFileSystem, path: string): Promise<FileStatus[]> {
  const p = normalizePath(path);
  const st = await fs.stat(p);
  if (st !== undefined && !st.isDir) return [st];
  const log = new FileStreamSinkLog(fs, p);
  if (await log.exists()) {
    return (await log.allFiles()).map((f) => ({ path: normalizePath(f.path), size: f.size, modificationTime: f.modificationTime, isDir: false }));
  }
  return (await fs.list(p)).filter((f) => !f.isDir && isDataFileName(f.path));
}

/** Synchronous listing for schema inference at `load()` (no sink log support: files as listed). */
export function listDataFilesSync(fs: VirtualFileSystem, path: string): FileStatus[] | undefined {
  if (fs.listSync === undefined) return undefined;
  return fs.listSync(normalizePath(path)).filter((f) => !f.isDir && isDataFileName(f.path));
}
