import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { childPath, normalizePath, pathNotFound, type FileStatus, type VirtualFileSystem } from "./VirtualFileSystem";

let tmpCounter = 0;

/**
 * The VirtualFileSystem over node:fs (Node only; exported from `engine/node.ts`, never from
 * the browser index). Relative paths resolve against `baseDir`. `writeText` writes a hidden
 * temporary file and renames it. Hidden files (".x") are left out of listings.
 *
 * @example const fs = new NodeFileSystem("/tmp/playground"); await fs.writeText("in/a.csv", "1,2\n");
 */
export class NodeFileSystem implements VirtualFileSystem {
  constructor(private readonly baseDir = process.cwd()) {}

  private abs(path: string): string {
    const p = normalizePath(path);
    return p.startsWith("/") ? p : join(this.baseDir, p);
  }

  listSync(dir: string): FileStatus[] {
    const d = this.abs(dir);
    if (!existsSync(d)) return [];
    const out: FileStatus[] = [];
    for (const name of readdirSync(d)) {
      if (name.startsWith(".")) continue;
      try {
        const s = statSync(join(d, name));
        out.push({ path: childPath(dir, name), size: s.isFile() ? s.size : 0, modificationTime: s.mtimeMs, isDir: s.isDirectory() });
      } catch {
        // removed between readdir and stat
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async list(dir: string): Promise<FileStatus[]> {
    let names: string[];
    try {
      names = await readdir(this.abs(dir));
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT" || (e as { code?: string }).code === "ENOTDIR") return [];
      throw e;
    }
    const out: FileStatus[] = [];
    for (const name of names) {
      if (name.startsWith(".")) continue;
      try {
        const s = await stat(join(this.abs(dir), name));
        out.push({ path: childPath(dir, name), size: s.isFile() ? s.size : 0, modificationTime: s.mtimeMs, isDir: s.isDirectory() });
      } catch {
        // removed between readdir and stat
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async stat(path: string): Promise<FileStatus | undefined> {
    try {
      const s = await stat(this.abs(path));
      return { path: normalizePath(path), size: s.isFile() ? s.size : 0, modificationTime: s.mtimeMs, isDir: s.isDirectory() };
    } catch {
      return undefined;
    }
  }

  readTextSync(path: string): string {
    try {
      return readFileSync(this.abs(path), "utf8");
    } catch {
      throw pathNotFound(path);
    }
  }

  async readText(path: string): Promise<string> {
    try {
      return await readFile(this.abs(path), "utf8");
    } catch {
      throw pathNotFound(path);
    }
  }

  async writeText(path: string, text: string, modificationTime?: number): Promise<void> {
    const target = this.abs(path);
    const dir = dirname(target);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${target.slice(dir.length + 1)}.${process.pid}-${++tmpCounter}.tmp`);
    await writeFile(tmp, text, "utf8");
    if (modificationTime !== undefined) await utimes(tmp, modificationTime / 1000, modificationTime / 1000);
    await rename(tmp, target);
  }

  async delete(path: string): Promise<void> {
    await rm(this.abs(path), { recursive: true, force: true });
  }
}
