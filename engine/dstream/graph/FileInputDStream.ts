import type { DStreamFileSystem } from "../DStreamFileSystem";
import type { RDD } from "../RDD";
import type { StreamInputInfo } from "../scheduler/StreamingListener";
import type { DStreamGraph } from "./DStreamGraph";
import { InputDStream } from "./InputDStream";

/**
 * Spark's FileInputDStream as used by `textFileStream` (newFilesOnly = true):
 * each batch reads the files of `dir` whose modification time is in
 * (threshold, batchTime], not read before, and whose name does not start with
 * "." — one RDD partition per file, one element per line. The threshold is the
 * later of the stream's creation time and batchTime − the remember window
 * (`spark.streaming.fileStream.minRememberDuration`, default 60 s, rounded up
 * to the batch duration). Files must appear atomically (write elsewhere, then move).
 */
export class FileInputDStream extends InputDStream<string> {
  private readonly initialModTimeIgnoreThreshold: number;
  /** Files selected by recent batches: path → batch time. */
  private readonly recentlySelectedFiles = new Map<string, number>();
  private readonly batchFiles = new Map<number, { path: string; lines: string[] }[]>();
  private readonly durationToRememberMs: number;

  constructor(
    graph: DStreamGraph,
    readonly directory: string,
    private readonly fs: DStreamFileSystem,
  ) {
    super(graph);
    this.initialModTimeIgnoreThreshold = graph.sc.clock.getTimeMillis();
    const minRemember = Number(graph.sc.getConf().get("spark.streaming.fileStream.minRememberDuration", "60000")) || 60_000;
    const batch = graph.batchDurationMs;
    this.durationToRememberMs = batch * Math.ceil(minRemember / batch);
  }

  override async prepare(time: number): Promise<void> {
    const threshold = Math.max(this.initialModTimeIgnoreThreshold, time - this.durationToRememberMs);
    for (const [p, t] of this.recentlySelectedFiles) if (t < threshold) this.recentlySelectedFiles.delete(p);
    const listing = await this.fs.list(this.directory);
    const fresh = listing
      .filter((f) => {
        const name = f.path.slice(f.path.lastIndexOf("/") + 1);
        return (
          !name.startsWith(".") &&
          f.modificationTime > threshold &&
          f.modificationTime <= time &&
          !this.recentlySelectedFiles.has(f.path)
        );
      })
      .sort((a, b) => a.modificationTime - b.modificationTime || (a.path < b.path ? -1 : 1));
    const files: { path: string; lines: string[] }[] = [];
    for (const f of fresh) {
      const text = await this.fs.readText(f.path);
      const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
      if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      files.push({ path: f.path, lines });
      this.recentlySelectedFiles.set(f.path, time);
    }
    this.batchFiles.set(time, files);
  }

  override compute(time: number): RDD<string> {
    const files = this.batchFiles.get(time) ?? [];
    return this.sc.union(files.map((f) => this.sc.parallelize(f.lines, 1)));
  }

  override inputInfo(time: number): StreamInputInfo {
    const info = super.inputInfo(time);
    const files = this.batchFiles.get(time) ?? [];
    this.batchFiles.delete(time);
    return { ...info, description: files.length === 0 ? "" : `files: ${files.map((f) => f.path).join(", ")}` };
  }
}
