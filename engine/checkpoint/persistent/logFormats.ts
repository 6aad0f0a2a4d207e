import type { JsonValue, Offset } from "../../sources/Source";
import type { CommitMetadata, OffsetSeq, QueryMetadata } from "../CheckpointStore";
import { malformedLogFile, unsupportedLogVersion } from "./checkpointErrors";

/**
 * The text formats of a checkpoint's logs, exactly as Spark writes them (HDFSMetadataLog
 * subclasses), so `cat offsets/0` reads like a Spark checkpoint:
 *
 * `offsets/<batchId>` (OffsetSeqLog, version 1): a version line, the OffsetSeqMetadata,
 * then one line per source in plan order (`-` for a source with no offset yet); no trailing newline.
 * ```
 * v1
 * {"batchWatermarkMs":0,"batchTimestampMs":1700000000000,"conf":{"spark.sql.streaming.multipleWatermarkPolicy":"min"}}
 * {"logOffset":0}
 * ```
 * `commits/<batchId>` (CommitLog, version 1):
 * ```
 * v1
 * {"nextBatchWatermarkMs":0}
 * ```
 * `metadata` (StreamMetadata): `{"id":"8d1ab3b4-9d39-4c4a-9a4b-6c0b1c9e5f00"}`.
 */

/** The highest log version this engine reads (Spark's VERSION of OffsetSeqLog and CommitLog). */
export const LOG_VERSION = 1;

/**
 * Spark's HDFSMetadataLog.validateVersion: the first line must be `v<n>` with 1 ≤ n ≤ max.
 * Throws MALFORMED_LOG_FILE or INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION.
 */
export function validateVersion(path: string, line: string | undefined, maxSupported = LOG_VERSION): number {
  const m = line === undefined ? null : /^v(\d+)$/.exec(line.trim());
  if (m === null) throw malformedLogFile(path, `expected a version line such as "v1", found ${JSON.stringify(line ?? "")}`);
  const v = Number(m[1]);
  if (v <= 0) throw malformedLogFile(path, `bad version ${line ?? ""}`);
  if (v > maxSupported) throw unsupportedLogVersion(path, v, maxSupported);
  return v;
}

function parseJsonLine(path: string, line: string | undefined, what: string): JsonValue {
  if (line === undefined || line.trim() === "") throw malformedLogFile(path, `missing ${what} (the entry is truncated)`);
  try {
    return JSON.parse(line) as JsonValue;
  } catch {
    throw malformedLogFile(path, `the ${what} is not valid JSON (the entry is truncated or garbled): ${JSON.stringify(line.slice(0, 80))}`);
  }
}

function isObject(v: JsonValue): v is { [k: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** OffsetSeqLog.serialize. */
export function serializeOffsetSeq(seq: OffsetSeq): string {
  const meta = {
    batchWatermarkMs: seq.metadata.batchWatermarkMs,
    batchTimestampMs: seq.metadata.batchTimestampMs,
    conf: seq.metadata.conf,
  };
  return ["v1", JSON.stringify(meta), ...seq.offsets.map((o) => (o === null ? "-" : JSON.stringify(o)))].join("\n");
}

/** OffsetSeqLog.deserialize. Throws MALFORMED_LOG_FILE / INVALID_LOG_VERSION.* for a damaged entry. */
export function parseOffsetSeq(path: string, text: string): OffsetSeq {
  const lines = text.split("\n");
  validateVersion(path, lines[0]);
  const meta = parseJsonLine(path, lines[1], "OffsetSeqMetadata");
  if (!isObject(meta) || typeof meta.batchWatermarkMs !== "number" || typeof meta.batchTimestampMs !== "number") {
    throw malformedLogFile(path, "the OffsetSeqMetadata lacks batchWatermarkMs or batchTimestampMs");
  }
  const conf: Record<string, string> = {};
  if (isObject(meta.conf ?? null)) for (const [k, v] of Object.entries(meta.conf as Record<string, JsonValue>)) conf[k] = String(v);
  const offsets: (Offset | null)[] = lines.slice(2).map((l, i) => (l.trim() === "-" ? null : parseJsonLine(path, l, `offset of source ${i}`)));
  return { offsets, metadata: { batchWatermarkMs: meta.batchWatermarkMs, batchTimestampMs: meta.batchTimestampMs, conf } };
}

/** CommitLog.serialize. */
export function serializeCommit(c: CommitMetadata): string {
  return `v1\n${JSON.stringify({ nextBatchWatermarkMs: c.nextBatchWatermarkMs })}`;
}

/** CommitLog.deserialize. Throws for a damaged entry. */
export function parseCommit(path: string, text: string): CommitMetadata {
  const lines = text.split("\n");
  validateVersion(path, lines[0]);
  const c = parseJsonLine(path, lines[1], "CommitMetadata");
  if (!isObject(c)) throw malformedLogFile(path, "the CommitMetadata is not an object");
  return { nextBatchWatermarkMs: typeof c.nextBatchWatermarkMs === "number" ? c.nextBatchWatermarkMs : 0 };
}

/** StreamMetadata.write. */
export function serializeQueryMetadata(m: QueryMetadata): string {
  return JSON.stringify({ id: m.id });
}

/** StreamMetadata.read. Throws MALFORMED_LOG_FILE when the id is missing. */
export function parseQueryMetadata(path: string, text: string): QueryMetadata {
  const m = parseJsonLine(path, text.split("\n")[0], "query metadata");
  if (!isObject(m) || typeof m.id !== "string") throw malformedLogFile(path, "the metadata file has no query id");
  return { id: m.id };
}

/**
 * Source metadata (`sources/<i>/0`), Spark's per-source metadata log entry 0 (the rate
 * source writes its start time there): `v1\n{"startTimeMs":1700000000000}`.
 */
export function serializeSourceMetadata(m: ReadonlyMap<string, JsonValue>): string {
  return `v1\n${JSON.stringify(Object.fromEntries(m))}`;
}

/** Reads `sources/<i>/0`. Throws for a damaged entry. */
export function parseSourceMetadata(path: string, text: string): Map<string, JsonValue> {
  const lines = text.split("\n");
  validateVersion(path, lines[0]);
  const o = parseJsonLine(path, lines[1], "source metadata");
  if (!isObject(o)) throw malformedLogFile(path, "the source metadata is not an object");
  return new Map(Object.entries(o));
}

/** Batch ids of a log directory listing (names that are integers), ascending. */
export function batchIdsOf(names: readonly string[]): number[] {
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}
