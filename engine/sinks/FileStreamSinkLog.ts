import { childPath, type VirtualFileSystem } from "../fs/VirtualFileSystem";
import { malformedLogFile } from "../checkpoint/persistent/checkpointErrors";
import { validateVersion } from "../checkpoint/persistent/logFormats";

/** Spark's SinkFileStatus: one committed output file. */
export interface SinkFileStatus {
  readonly path: string;
  readonly size: number;
  readonly isDir: boolean;
  readonly modificationTime: number;
  readonly blockReplication: number;
  readonly blockSize: number;
  readonly action: "add" | "delete";
}

/** The metadata directory of a file sink's output (Spark's FileStreamSink.metadataDir). */
export const SPARK_METADATA = "_spark_metadata";

/**
 * Spark's FileStreamSinkLog (a CompactibleFileStreamLog): the list of committed output files
 * in `<path>/_spark_metadata/`, one entry per batch, with every `compactInterval`-th entry
 * (batch ids where (id + 1) % interval == 0) a `.compact` file holding all files so far.
 * Only files listed here are output: a file written by a batch that crashed before its log
 * entry is ignored by readers, and the re-run writes its own.
 *
 * `_spark_metadata/0`:
 * ```
 * v1
 * {"path":"/data/out/part-00000-5f1c….c000.json","size":42,"isDir":false,"modificationTime":1700000000000,"blockReplication":1,"blockSize":33554432,"action":"add"}
 * ```
 */
export class FileStreamSinkLog {
  constructor(
    private readonly fs: VirtualFileSystem,
    /** The sink's output directory. */
    readonly path: string,
    /** spark.sql.streaming.fileSink.log.compactInterval (Spark's default 10). */
    private readonly compactInterval = 10,
  ) {}

  private get dir(): string {
    return childPath(this.path, SPARK_METADATA);
  }

  private async ids(): Promise<{ id: number; compact: boolean }[]> {
    const out: { id: number; compact: boolean }[] = [];
    for (const f of await this.fs.list(this.dir)) {
      const name = f.path.slice(f.path.lastIndexOf("/") + 1);
      const m = /^(\d+)(\.compact)?$/.exec(name);
      if (m !== null) out.push({ id: Number(m[1]), compact: m[2] !== undefined });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Whether the directory has a sink log at all (then only logged files are data). */
  async exists(): Promise<boolean> {
    return (await this.ids()).length > 0;
  }

  /** The newest batch id logged, or -1. */
  async getLatestBatchId(): Promise<number> {
    const ids = await this.ids();
    return ids.length === 0 ? -1 : (ids[ids.length - 1] as { id: number }).id;
  }

  private async readEntry(id: number, compact: boolean): Promise<SinkFileStatus[]> {
    const path = childPath(this.dir, compact ? `${id}.compact` : String(id));
    const text = await this.fs.readText(path);
    const lines = text.split("\n");
    validateVersion(path, lines[0]);
    const out: SinkFileStatus[] = [];
    for (const line of lines.slice(1)) {
      if (line.trim() === "") continue;
      try {
        out.push(JSON.parse(line) as SinkFileStatus);
      } catch {
        throw malformedLogFile(path, "an entry is not valid JSON (the file is truncated)");
      }
    }
    return out;
  }

  /** Every committed file (Spark's allFiles): the newest compact file plus the entries after it, minus deletions. */
  async allFiles(): Promise<SinkFileStatus[]> {
    const ids = await this.ids();
    let start = 0;
    for (let i = ids.length - 1; i >= 0; i--) {
      if ((ids[i] as { compact: boolean }).compact) {
        start = i;
        break;
      }
    }
    const byPath = new Map<string, SinkFileStatus>();
    for (const e of ids.slice(start)) {
      for (const f of await this.readEntry(e.id, e.compact)) {
        if (f.action === "delete") byPath.delete(f.path);
        else byPath.set(f.path, f);
      }
    }
    return [...byPath.values()];
  }

  /**
   * Logs batch `batchId`'s files (Spark's add): a compact file at compaction batches. The
   * write is atomic (VirtualFileSystem.writeText); once it is visible the batch's output counts.
   */
  async add(batchId: number, files: readonly SinkFileStatus[]): Promise<void> {
    const compact = (batchId + 1) % this.compactInterval === 0;
    const entries = compact ? [...(await this.allFiles()), ...files] : files;
    const text = ["v1", ...entries.map((f) => JSON.stringify(f))].join("\n");
    await this.fs.writeText(childPath(this.dir, compact ? `${batchId}.compact` : String(batchId)), text);
  }
}
