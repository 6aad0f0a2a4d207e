import { MemoryFileSystem } from "../fs/MemoryFileSystem";
import { normalizePath, type FileStatus, type VirtualFileSystem } from "../fs/VirtualFileSystem";

/**
 * A copy-on-write view of a file system for the notebook export: reads see the
 * notebook's files, writes (a cell's `spark.fileSystem.writeText`) and deletes stay in
 * memory, so exporting never changes the user's files.
 */
export class OverlayFileSystem implements VirtualFileSystem {
  private readonly upper = new MemoryFileSystem(() => 0);
  private readonly deleted = new Set<string>();

  constructor(private readonly base: VirtualFileSystem) {}

  private hidden(path: string): boolean {
    const p = normalizePath(path);
    for (const d of this.deleted) if (p === d || p.startsWith(d + "/")) return true;
    return false;
  }

  private merge(upper: FileStatus[], lower: FileStatus[]): FileStatus[] {
    const byPath = new Map<string, FileStatus>();
    for (const f of lower) if (!this.hidden(f.path)) byPath.set(f.path, f);
    for (const f of upper) byPath.set(f.path, f);
    return [...byPath.values()];
  }

  async list(dir: string): Promise<FileStatus[]> {
    return this.merge(await this.upper.list(dir), this.hidden(dir) ? [] : await this.base.list(dir));
  }
  async stat(path: string): Promise<FileStatus | undefined> {
    return (await this.upper.stat(path)) ?? (this.hidden(path) ? undefined : await this.base.stat(path));
  }
  async readText(path: string): Promise<string> {
    if ((await this.upper.stat(path)) !== undefined || this.hidden(path)) return this.upper.readText(path);
    return this.base.readText(path);
  }
  writeText(path: string, text: string, modificationTime?: number): Promise<void> {
    this.deleted.delete(normalizePath(path));
    return this.upper.writeText(path, text, modificationTime);
  }
  async delete(path: string): Promise<void> {
    this.deleted.add(normalizePath(path));
    await this.upper.delete(path);
  }
  listSync(dir: string): FileStatus[] {
    const lower = this.hidden(dir) || this.base.listSync === undefined ? [] : this.base.listSync(dir);
    return this.merge(this.upper.listSync(dir), lower);
  }
  readTextSync(path: string): string {
    try {
      return this.upper.readTextSync(path);
    } catch (e) {
      if (this.hidden(path) || this.base.readTextSync === undefined) throw e;
      return this.base.readTextSync(path);
    }
  }
}
