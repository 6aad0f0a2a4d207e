/**
 * The log formats read Spark's own checkpoint files (literal copies of files under
 * apache/spark sql/core/src/test/resources/structured-streaming/), and reject damaged ones
 * with Spark's error classes (HDFSMetadataLog.validateVersion, OffsetSeqLogSuite).
 */
import { describe, expect, it } from "vitest";
import { parseCommit, parseOffsetSeq, parseQueryMetadata, serializeCommit, serializeOffsetSeq } from "../../checkpoint/persistent/logFormats";

describe("Spark's checkpoint files", () => {
  it("reads offsets/1 of checkpoint-version-2.3.1-for-multi-watermark-policy (two LongOffset sources)", () => {
    const text =
      'v1\n{"batchWatermarkMs":10000,"batchTimestampMs":1531172902217,"conf":{"spark.sql.shuffle.partitions":"10","spark.sql.streaming.stateStore.providerClass":"org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider"}}\n1\n0';
    const seq = parseOffsetSeq("offsets/1", text);
    expect(seq.offsets).toEqual([1, 0]);
    expect(seq.metadata.batchWatermarkMs).toBe(10000);
    expect(seq.metadata.batchTimestampMs).toBe(1531172902217);
    expect(seq.metadata.conf["spark.sql.shuffle.partitions"]).toBe("10");
    expect(serializeOffsetSeq(seq)).toBe(text);
  });

  it("reads commits/1 of checkpoint-version-2.3.1 (an empty CommitMetadata) and the metadata file", () => {
    expect(parseCommit("commits/1", "v1\n{}")).toEqual({ nextBatchWatermarkMs: 0 });
    expect(parseQueryMetadata("metadata", '{"id":"9538ada3-a233-4697-8b02-cc66250189a3"}')).toEqual({ id: "9538ada3-a233-4697-8b02-cc66250189a3" });
    expect(serializeCommit({ nextBatchWatermarkMs: 5000 })).toBe('v1\n{"nextBatchWatermarkMs":5000}');
  });

  it("a source without an offset is written and read as '-'", () => {
    const seq = { offsets: [null, { logOffset: 3 }], metadata: { batchWatermarkMs: 0, batchTimestampMs: 1, conf: {} } };
    const text = serializeOffsetSeq(seq);
    expect(text).toBe('v1\n{"batchWatermarkMs":0,"batchTimestampMs":1,"conf":{}}\n-\n{"logOffset":3}');
    expect(parseOffsetSeq("offsets/0", text)).toEqual(seq);
  });

  it("damaged entries fail with Spark's error classes", () => {
    expect(() => parseOffsetSeq("offsets/0", "v2\n{}")).toThrow(/INVALID_LOG_VERSION.MAX_SUPPORTED_VERSION.*maximum supported log version is v1, but encountered v2/);
    expect(() => parseOffsetSeq("offsets/0", "")).toThrow(/MALFORMED_LOG_FILE/);
    expect(() => parseOffsetSeq("offsets/0", "v1")).toThrow(/MALFORMED_LOG_FILE.*truncated/);
    expect(() => parseOffsetSeq("offsets/0", 'v1\n{"batchWatermarkMs":0,"batchTimestampMs":1}\n{"logOff')).toThrow(/MALFORMED_LOG_FILE.*offset of source 0/);
    expect(() => parseCommit("commits/0", "{}")).toThrow(/MALFORMED_LOG_FILE/);
  });
});
