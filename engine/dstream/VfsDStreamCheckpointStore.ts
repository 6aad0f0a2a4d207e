import type { VirtualFileSystem } from "../fs/VirtualFileSystem";
import type { DStreamCheckpointData, DStreamCheckpointStore } from "./DStreamCheckpointStore";

/** The file a DStream checkpoint directory holds. */
export const DSTREAM_CHECKPOINT_FILE = "dstream-checkpoint.json";

/**
 * DStream checkpoints on the virtual file system of "Checkpoints and files":
 * IndexedDB in the browser, a directory in Node. `ssc.checkpoint("cp/words")`
 * writes `cp/words/dstream-checkpoint.json` after every batch, atomically
 * (the file system's `writeText` shows the old or the new file, never half of
 * one), so `StreamingContext.getOrCreate` survives a reload or a crash.
 *
 * `load` rejects with a clear error when the file is there but not a DStream
 * checkpoint this version can read, rather than silently starting over.
 */
export class VfsDStreamCheckpointStore implements DStreamCheckpointStore {
  constructor(private readonly fs: VirtualFileSystem) {}

  save(dir: string, data: DStreamCheckpointData): Promise<void> {
    return this.fs.writeText(this.path(dir), JSON.stringify(data));
  }

  async load(dir: string): Promise<DStreamCheckpointData | undefined> {
    const path = this.path(dir);
    if ((await this.fs.stat(path)) === undefined) return undefined;
    const text = await this.fs.readText(path);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new Error(`The DStream checkpoint ${path} is damaged: it is not JSON. Delete the directory to start over.`);
    }
    if ((data as { version?: unknown }).version !== 1) {
      throw new Error(`The DStream checkpoint ${path} has version ${String((data as { version?: unknown }).version)}; this engine reads version 1.`);
    }
    return data as DStreamCheckpointData;
  }

  delete(dir: string): Promise<void> {
    return this.fs.delete(this.path(dir));
  }

  private path(dir: string): string {
    return `${dir.replace(/\/+$/, "")}/${DSTREAM_CHECKPOINT_FILE}`;
  }
}
