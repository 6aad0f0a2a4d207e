import { childPath, normalizePath, pathNotFound, utf8Length, type FileStatus, type VirtualFileSystem } from "./VirtualFileSystem";

/**
 * A VirtualFileSystem in memory: the default of a session without one, and the base of
 * the IndexedDB file system's cache.
 *
 * @example
 * const fs = new MemoryFileSystem();
 * await fs.writeText("in/a.json", '{"x":1}\n', 1000);
 */
export class MemoryFileSystem implements VirtualFileSystem {
  /** Files by normalized path. */
  protected readonly files = new Map<string, { text: string; size: number; modificationTime: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  listSync(dir: string): FileStatus[] {
    const d = normalizePath(dir);
    const prefix = d === "" ? "" : `${d}/`;
    const out = new Map<string, FileStatus>();
    for (const [p, f] of this.files) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) out.set(p, { path: p, size: f.size, modificationTime: f.modificationTime, isDir: false });
      else {
        const sub = childPath(d, rest.slice(0, slash));
        const prev = out.get(sub);
        out.set(sub, { path: sub, size: 0, modificationTime: Math.max(prev?.modificationTime ?? 0, f.modificationTime), isDir: true });
      }
    }
    return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  list(dir: string): Promise<FileStatus[]> {
    return Promise.resolve(this.listSync(dir));
  }
  stat(path: string): Promise<FileStatus | undefined> {
    const p = normalizePath(path);
    const f = this.files.get(p);
    if (f !== undefined) return Promise.resolve({ path: p, size: f.size, modificationTime: f.modificationTime, isDir: false });
    const inside = this.listSync(p);
    return Promise.resolve(inside.length > 0 ? { path: p, size: 0, modificationTime: 0, isDir: true } : undefined);
  }
  readTextSync(path: string): string {
    const f = this.files.get(normalizePath(path));
    if (f === undefined) throw pathNotFound(path);
    return f.text;
  }
  readText(path: string): Promise<string> {
    try {
      return Promise.resolve(this.readTextSync(path));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  writeText(path: string, text: string, modificationTime?: number): Promise<void> {
    this.files.set(normalizePath(path), { text, size: utf8Length(text), modificationTime: modificationTime ?? this.now() });
    return Promise.resolve();
  }
  delete(path: string): Promise<void> {
    const p = normalizePath(path);
    this.files.delete(p);
    for (const k of [...this.files.keys()]) if (k.startsWith(`${p}/`)) this.files.delete(k);
    return Promise.resolve();
  }
}
