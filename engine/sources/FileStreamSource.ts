import { batchFromRows, type ColumnarBatch } from "../execution/ColumnarBatch";
import type { StructType, Value } from "../expressions/types";
import type { FileFormat } from "../formats/FileFormat";
import { normalizePath, type VirtualFileSystem } from "../fs/VirtualFileSystem";
import { boolOption, durationOption, getOption, longOption } from "./options";
import { listDataFiles } from "./FileListing";
import type { JsonValue, Offset, Source, SourceContext, SourceDescriptor } from "./Source";

/** Spark's FileEntry: a file the source has taken, and the log offset (batch of files) it belongs to. */
interface FileEntry {
  readonly path: string;
  readonly timestamp: number;
  readonly batchId: number;
}

/** Options of the file source (Spark's FileStreamOptions). */
export interface FileStreamOptions {
  readonly maxFilesPerTrigger: number | null;
  readonly latestFirst: boolean;
  readonly maxFileAgeMs: number;
}

/** Reads maxFilesPerTrigger (positive), latestFirst, maxFileAge (default "7d"), as Spark validates them. */
export function fileStreamOptions(opts: Readonly<Record<string, string>>): FileStreamOptions {
  return {
    maxFilesPerTrigger: getOption(opts, "maxFilesPerTrigger") === undefined ? null : longOption(opts, "maxFilesPerTrigger", 1, "positive"),
    latestFirst: boolOption(opts, "latestFirst", false),
    maxFileAgeMs: durationOption(opts, "maxFileAge", 7 * 24 * 3600 * 1000),
  };
}

/**
 * Spark's FileStreamSource over the VirtualFileSystem: each trigger lists the directory,
 * takes the files it has not seen (oldest modification time first, or newest with
 * latestFirst; at most maxFilesPerTrigger), gives them the next log offset and returns
 * `{"logOffset":N}`. `getBatch` reads the files of log offsets (start, end].
 *
 * Exactly once across restarts: the seen-file map is source metadata, written to the
 * checkpoint (`sources/<i>/0`) together with — and before — the offsets that refer to it,
 * so a re-run batch reads the same files and a committed file is never taken again. Spark
 * keeps it as one log file per log offset; we keep one JSON document:
 * ```
 * v1
 * {"files":[{"path":"in/a.json","timestamp":1700000000000,"batchId":0}]}
 * ```
 * maxFileAge: files older than the newest seen file minus maxFileAge are ignored (not when
 * latestFirst and maxFilesPerTrigger are both set, as Spark). Malformed records are counted
 * (`metrics().numMalformedRecords`); FAILFAST fails the batch.
 */
export class FileStreamSource implements Source {
  private readonly seen = new Map<string, FileEntry>();
  private maxLogOffset = -1;
  private latestTimestamp = 0;
  private malformed = 0;

  constructor(
    private readonly fs: VirtualFileSystem,
    private readonly path: string,
    private readonly format: FileFormat,
    readonly schema: StructType,
    private readonly options: Readonly<Record<string, string>>,
    private readonly ctx: SourceContext,
  ) {
    const saved = ctx.metadata.get("files");
    if (Array.isArray(saved)) {
      for (const e of saved as unknown as FileEntry[]) {
        this.seen.set(e.path, e);
        this.maxLogOffset = Math.max(this.maxLogOffset, e.batchId);
        this.latestTimestamp = Math.max(this.latestTimestamp, e.timestamp);
      }
    }
  }

  private availableNowPending = false;
  /** Under Trigger.AvailableNow, the files that were there when the query started. */
  private availableNowFiles: Set<string> | null = null;

  get description(): string {
    return `FileStreamSource[${normalizePath(this.path)}]`;
  }

  /** Malformed records seen by this run. */
  metrics(): Record<string, string> {
    return { numMalformedRecords: String(this.malformed) };
  }

  /**
   * Trigger.AvailableNow: only the files present now are read (in batches of
   * maxFilesPerTrigger), as Spark's FileStreamSource; files added later wait for the next run.
   */
  prepareForTriggerAvailableNow(): void {
    this.availableNowPending = true;
  }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const o = fileStreamOptions(this.options);
    if (this.availableNowPending) {
      this.availableNowPending = false;
      this.availableNowFiles = new Set((await listDataFiles(this.fs, this.path)).map((f) => f.path));
    }
    const startLog = logOffsetOf(start);
    // Files already grouped for a batch that has not run yet: offer that group first, so
    // maxFilesPerTrigger holds however often the loop asks.
    if (o.maxFilesPerTrigger !== null && this.maxLogOffset > startLog) return { logOffset: startLog + 1 };
    const ageLimit = o.latestFirst && o.maxFilesPerTrigger !== null ? -Infinity : this.latestTimestamp - o.maxFileAgeMs;
    const allowed = this.availableNowFiles;
    let fresh = (await listDataFiles(this.fs, this.path)).filter(
      (f) => !this.seen.has(f.path) && f.modificationTime >= ageLimit && (allowed === null || allowed.has(f.path)),
    );
    fresh.sort((a, b) => a.modificationTime - b.modificationTime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (o.latestFirst) fresh.reverse();
    if (o.maxFilesPerTrigger !== null) fresh = fresh.slice(0, o.maxFilesPerTrigger);
    if (fresh.length > 0) {
      const batchId = ++this.maxLogOffset;
      for (const f of fresh) {
        this.seen.set(f.path, { path: f.path, timestamp: f.modificationTime, batchId });
        this.latestTimestamp = Math.max(this.latestTimestamp, f.modificationTime);
      }
      this.ctx.metadata.set("files", [...this.seen.values()].map((e) => ({ ...e })) as unknown as JsonValue);
    }
    return this.maxLogOffset < 0 ? null : { logOffset: this.maxLogOffset };
  }

  async getBatch(start: Offset | null, end: Offset): Promise<ColumnarBatch> {
    const s = logOffsetOf(start);
    const e = logOffsetOf(end);
    const files = [...this.seen.values()]
      .filter((f) => f.batchId > s && f.batchId <= e)
      .sort((a, b) => a.batchId - b.batchId || a.timestamp - b.timestamp || (a.path < b.path ? -1 : 1));
    const rows: Value[][] = [];
    for (const f of files) {
      const text = await this.fs.readText(f.path);
      for (const r of this.format.parse(text, this.schema, this.options, () => this.malformed++)) rows.push(r);
    }
    return batchFromRows(
      this.schema.fields.map((f) => f.dataType),
      rows,
    );
  }

  commit(_end: Offset): void {}

  stop(): void {}
}

function logOffsetOf(o: Offset | null): number {
  if (o === null) return -1;
  if (typeof o === "object" && !Array.isArray(o) && typeof o.logOffset === "number") return o.logOffset;
  if (typeof o === "number") return o;
  return -1;
}

/** The plan's descriptor of a file source (`spark.readStream.format("json").load(path)`). */
export function fileStreamSourceDescriptor(
  fs: VirtualFileSystem,
  path: string,
  format: FileFormat,
  schema: StructType,
  options: Readonly<Record<string, string>>,
): SourceDescriptor {
  fileStreamOptions(options); // validate at load(), as Spark
  return {
    format: format.name,
    schema,
    options,
    description: `FileStreamSource[${normalizePath(path)}]`,
    create: (ctx) => new FileStreamSource(fs, path, format, schema, options, ctx),
  };
}
