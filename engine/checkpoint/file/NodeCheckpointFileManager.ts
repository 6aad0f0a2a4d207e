import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CheckpointFile, CheckpointFileManager } from "../persistent/CheckpointFileManager";

let tmpCounter = 0;

/**
 * A checkpoint in a real directory (Node only: never imported by the browser bundle).
 * Spark's FileSystemBasedCheckpointFileManager.createAtomic: each file is written to a
 * hidden temporary name (`.<name>.<pid>-<n>.tmp`) and renamed into place, so a reader (or a
 * restart after SIGKILL) sees either the old file or the whole new one, never a torn one.
 * Files of one `write()` are renamed in array order.
 *
 * @example const fm = new NodeCheckpointFileManager("/tmp/cp/wordcount");
 */
export class NodeCheckpointFileManager implements CheckpointFileManager {
  constructor(readonly root: string) {}

  private abs(path: string): string {
    return path === "" ? this.root : join(this.root, ...path.split("/"));
  }

  async read(path: string): Promise<string | undefined> {
    try {
      return await readFile(this.abs(path), "utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT" || (e as { code?: string }).code === "EISDIR") return undefined;
      throw e;
    }
  }

  /** Synchronous read (the small files `start()` needs at once). */
  readSync(path: string): string | undefined {
    const p = this.abs(path);
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  }

  /** Synchronous listing (see readSync). */
  listSync(dir: string): string[] {
    const p = this.abs(dir);
    return existsSync(p) ? readdirSync(p).filter((n) => !n.startsWith(".")) : [];
  }

  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(this.abs(dir))).filter((n) => !n.startsWith("."));
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return [];
      throw e;
    }
  }

  async write(files: readonly CheckpointFile[]): Promise<void> {
    for (const f of files) {
      const target = this.abs(f.path);
      const dir = dirname(target);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${target.slice(dir.length + 1)}.${process.pid}-${++tmpCounter}.tmp`);
      await writeFile(tmp, f.text, "utf8");
      await rename(tmp, target);
    }
  }

  async delete(paths: readonly string[]): Promise<void> {
    for (const p of paths) await rm(this.abs(p), { force: true });
  }

  async deleteAll(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
