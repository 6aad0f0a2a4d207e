import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DStreamFileSystem } from "./DStreamFileSystem";

/**
 * DStreamFileSystem over node:fs (Node only; not exported from the browser
 * index). A missing directory lists as empty, so a stream can be started
 * before its directory exists.
 *
 * @example ssc.textFileStream("/tmp/in", new NodeDStreamFileSystem())
 */
export class NodeDStreamFileSystem implements DStreamFileSystem {
  async list(dir: string): Promise<{ path: string; modificationTime: number }[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return [];
      throw e;
    }
    const out: { path: string; modificationTime: number }[] = [];
    for (const name of names) {
      const path = join(dir, name);
      try {
        const s = await stat(path);
        if (s.isFile()) out.push({ path, modificationTime: s.mtimeMs });
      } catch {
        // removed between readdir and stat: not a new file
      }
    }
    return out;
  }

  readText(path: string): Promise<string> {
    return readFile(path, "utf8");
  }
}
