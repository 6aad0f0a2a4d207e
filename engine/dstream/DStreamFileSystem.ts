/**
 * The file listing `textFileStream` reads through. The browser build gives it
 * the virtual file system; Node uses `NodeDStreamFileSystem` (a separate file,
 * so browser bundles never import node:fs).
 */
export interface DStreamFileSystem {
  /**
   * The files directly inside `dir` (not subdirectories), with their
   * modification times in epoch ms. Rejects if the directory cannot be read;
   * a missing directory may resolve to [] or reject.
   */
  list(dir: string): Promise<{ path: string; modificationTime: number }[]>;
  /** The whole text of a file (UTF-8). Rejects if it cannot be read. */
  readText(path: string): Promise<string>;
}

/**
 * An in-memory DStreamFileSystem, for tests and demos: `writeFile` adds a file
 * with a chosen modification time.
 *
 * @example
 * const fs = new MemoryDStreamFileSystem();
 * fs.writeFile("in/a.txt", "hello\nworld", 1500);
 */
export class MemoryDStreamFileSystem implements DStreamFileSystem {
  private readonly files = new Map<string, { text: string; modificationTime: number }>();

  /** Creates or replaces `path` ("dir/name"). */
  writeFile(path: string, text: string, modificationTime: number): void {
    this.files.set(path, { text, modificationTime });
  }

  async list(dir: string): Promise<{ path: string; modificationTime: number }[]> {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    return [...this.files]
      .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes("/"))
      .map(([path, f]) => ({ path, modificationTime: f.modificationTime }));
  }

  async readText(path: string): Promise<string> {
    const f = this.files.get(path);
    if (!f) throw new Error(`File not found: ${path}`);
    return f.text;
  }
}
