import { batchToRows } from "../execution/ColumnarBatch";
import type { StructField } from "../expressions/types";
import type { FileFormat } from "../formats/FileFormat";
import { childPath, normalizePath, utf8Length, type VirtualFileSystem } from "../fs/VirtualFileSystem";
import { FileStreamSinkLog } from "./FileStreamSinkLog";
import type { Sink, SinkBatch } from "./Sink";

function uuid(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

/**
 * Spark's FileStreamSink (json, csv, text) with ManifestFileCommitProtocol: each batch
 * writes its rows to a new part file (`part-00000-<uuid>.c000.json`), then logs the file
 * in `_spark_metadata/<batchId>` (FileStreamSinkLog). A batch whose id is already logged
 * is skipped ("Skipping already committed batch"), so a batch re-run after a crash adds no
 * rows; a part file written before a crash but never logged is not output (readers list
 * only logged files). An empty batch logs an empty entry and writes no file.
 */
export class FileStreamSink implements Sink {
  readonly format: string;
  private readonly log: FileStreamSinkLog;

  constructor(
    private readonly fs: VirtualFileSystem,
    private readonly path: string,
    private readonly fileFormat: FileFormat,
    private readonly options: Readonly<Record<string, string>>,
    compactInterval = 10,
  ) {
    this.format = fileFormat.name;
    this.log = new FileStreamSinkLog(fs, path, compactInterval);
  }

  get description(): string {
    return `FileSink[${normalizePath(this.path)}]`;
  }

  async addBatch(batch: SinkBatch): Promise<void> {
    if (batch.batchId <= (await this.log.getLatestBatchId())) return; // Spark: "Skipping already committed batch"
    const fields: StructField[] = batch.attrs.map((a) => ({ name: a.name, dataType: a.dataType, nullable: a.nullable }));
    const files = [];
    if (batch.data.numRows > 0) {
      const text = this.fileFormat.write(fields, batchToRows(batch.data), this.options);
      const file = childPath(this.path, `part-00000-${uuid()}.c000${this.fileFormat.extension}`);
      await this.fs.writeText(file, text);
      const st = await this.fs.stat(file);
      files.push({
        path: file,
        size: utf8Length(text),
        isDir: false,
        modificationTime: st?.modificationTime ?? Date.now(),
        blockReplication: 1,
        blockSize: 33554432,
        action: "add" as const,
      });
    }
    await this.log.add(batch.batchId, files);
  }
}
