/**
 * The rate source and the rate-micro-batch source, to Spark's exact numbers.
 *
 * Sources:
 * - sql/core/.../streaming/sources/RateStreamProvider.scala: valueAtSecond(seconds,
 *   rowsPerSecond, rampUpTimeSeconds) with speedDeltaPerSecond = rowsPerSecond / (rampUp + 1)
 *   (integer division); after the ramp-up, rowsPerSecond per second.
 * - RateStreamMicroBatchStream.scala: the offset is whole seconds since the stream's
 *   creation time (the clock at the first start, kept in the checkpoint); a batch from
 *   second s0 to s1 holds values [valueAtSecond(s0), valueAtSecond(s1)) and value v gets
 *   timestamp creation + s0 * 1000 + round((v - rangeStart) * (s1 - s0) * 1000 / (rangeEnd - rangeStart)).
 *   numPartitions splits the values (partition p: rangeStart + p + k * numPartitions); it
 *   does not change which (timestamp, value) rows exist.
 * - RateStreamProviderSuite: "microbatch - basic", "uniform distribution of event
 *   timestamps", "rampUpTime", "valueAtSecond", "microbatch - data read" (33 rows, 11 partitions).
 * - RatePerMicroBatchStream.scala / RatePerMicroBatchProviderSuite ("basic", "restart"):
 *   batch k holds values [k * rowsPerBatch, (k + 1) * rowsPerBatch), all with timestamp
 *   startTimestamp + k * advanceMillisPerBatch (defaults: startTimestamp 0, advanceMillisPerBatch 1000);
 *   it does not read any clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F } from "../../index";
import {
  AdvanceManualClock,
  CheckLastBatch,
  CheckNewAnswer,
  StartStream,
  StopStream,
  TriggerBatch,
  assertRows,
  newSession,
  startCollecting,
  stopAllSessions,
  testStream,
  type Row,
  type Session,
} from "../streamTest";

afterEach(stopAllSessions);

function rate(spark: Session, options: Record<string, string | number>) {
  let reader = spark.readStream.format("rate");
  for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
  return reader.load();
}

/** Expected rows of `values` with timestamps `ts(v)` in epoch ms, as { timestamp: Date, value }. */
function rowsOf(values: number[], ts: (v: number) => number): Row[] {
  return values.map((v) => ({ timestamp: new Date(ts(v)), value: v }));
}
const range = (from: number, until: number): number[] => Array.from({ length: until - from }, (_, i) => from + i);

describe("rate source", () => {
  it("has Spark's schema: timestamp (timestamp), value (long)", () => {
    const { spark } = newSession();
    expect(rate(spark, { rowsPerSecond: 1 }).columns).toEqual(["timestamp", "value"]);
  });

  it("spreads a second's rows uniformly over it (rowsPerSecond 10)", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 10 }), "append", { clock })(
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf(range(0, 10), (v) => v * 100)),
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf(range(10, 20), (v) => 1000 + (v - 10) * 100)),
    );
  });

  it("rounds timestamps to the millisecond (1500 rows per second: round(v * 1000 / 1500))", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 1500 }), "append", { clock })(
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf(range(0, 1500), (v) => Math.round((v * 1000) / 1500))),
    );
  });

  it("ramps up: rowsPerSecond 5, rampUpTime 2s gives 1, 2, 5, 5 rows in seconds 0..3 (valueAtSecond 0, 1, 3, 8, 13)", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 5, rampUpTime: "2s" }), "append", { clock })(
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf([0], () => 0)),
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf([1, 2], (v) => 1000 + (v - 1) * 500)),
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf(range(3, 8), (v) => 2000 + (v - 3) * 200)),
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf(range(8, 13), (v) => 3000 + (v - 8) * 200)),
    );
  });

  it("truncates rampUpTime to whole seconds ('1500ms' ramps like '1s': 5 then 10 rows per second)", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 10, rampUpTime: "1500ms" }).select(F.col("value")), "append", { clock })(
      AdvanceManualClock(1000),
      CheckLastBatch(...range(0, 5).map((value) => ({ value }))),
      AdvanceManualClock(1000),
      CheckLastBatch(...range(5, 15).map((value) => ({ value }))),
    );
  });

  it("a batch spanning two ramp-up seconds spreads its rows uniformly over the whole batch", async () => {
    const { spark, clock } = newSession();
    // rowsPerSecond 10, rampUpTime 4s: valueAtSecond(2) = 6; 6 values over 2000 ms -> 333.33 ms apart.
    await testStream(rate(spark, { rowsPerSecond: 10, rampUpTime: "4s" }), "append", { clock })(
      AdvanceManualClock(2000),
      CheckLastBatch(
        ...rowsOf(range(0, 6), (v) => Math.round((v * 2000) / 6)), // 0, 333, 667, 1000, 1333, 1667
      ),
    );
  });

  it("numPartitions does not change the rows (33 rows per second, 11 partitions)", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 33, numPartitions: 11 }), "append", { clock })(
      AdvanceManualClock(1000),
      CheckLastBatch(...rowsOf(range(0, 33), (v) => Math.round((v * 1000) / 33))),
    );
  });

  it("counts whole seconds only: 500 ms give no rows, the next 500 ms give the second's rows", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 4 }), "append", { clock })(
      AdvanceManualClock(500),
      CheckNewAnswer(),
      AdvanceManualClock(500),
      CheckNewAnswer(...rowsOf(range(0, 4), (v) => v * 250)),
    );
  });

  it("starts its timeline at the clock time of the first start", async () => {
    const { spark, clock } = newSession({ startMs: 5000 });
    await testStream(rate(spark, { rowsPerSecond: 2 }), "append", { clock })(
      AdvanceManualClock(1000),
      CheckNewAnswer(...rowsOf([0, 1], (v) => 5000 + v * 500)),
    );
  });

  it("continues values and timestamps after a restart (time passed while stopped included)", async () => {
    const { spark, clock } = newSession();
    await testStream(rate(spark, { rowsPerSecond: 2 }), "append", { clock })(
      AdvanceManualClock(1000),
      CheckNewAnswer(...rowsOf([0, 1], (v) => v * 500)),
      StopStream,
      AdvanceManualClock(1000),
      StartStream(),
      AdvanceManualClock(0),
      CheckNewAnswer(...rowsOf([2, 3], (v) => 1000 + (v - 2) * 500)),
      AdvanceManualClock(1000),
      CheckNewAnswer(...rowsOf([4, 5], (v) => 2000 + (v - 4) * 500)),
    );
  });

  it("rowsPerSecond accepts strings like Spark's options", async () => {
    const { spark, clock } = newSession();
    const df = rate(spark, { rowsPerSecond: "3" }).select(F.col("value"));
    await testStream(df, "append", { clock })(AdvanceManualClock(1000), CheckNewAnswer({ value: 0 }, { value: 1 }, { value: 2 }));
  });
});

describe("rate-micro-batch source", () => {
  function rmb(spark: Session, options: Record<string, string | number>) {
    let reader = spark.readStream.format("rate-micro-batch");
    for (const [k, v] of Object.entries(options)) reader = reader.option(k, v);
    return reader.load();
  }

  it("batch k: values [10k, 10k + 10), timestamp startTimestamp + k * advanceMillisPerBatch (RatePerMicroBatchProviderSuite 'basic')", async () => {
    const { spark, clock } = newSession();
    const df = rmb(spark, { rowsPerBatch: 10, startTimestamp: 1000, advanceMillisPerBatch: 50 });
    await testStream(df, "append", { clock })(
      TriggerBatch,
      CheckLastBatch(...rowsOf(range(0, 10), () => 1000)),
      TriggerBatch,
      CheckLastBatch(...rowsOf(range(10, 20), () => 1050)),
      TriggerBatch,
      CheckLastBatch(...rowsOf(range(20, 30), () => 1100)),
    );
  });

  it("defaults: startTimestamp 0, advanceMillisPerBatch 1000; the session clock plays no part", async () => {
    const { spark, clock } = newSession({ startMs: 123_456 });
    await testStream(rmb(spark, { rowsPerBatch: 2 }), "append", { clock })(
      TriggerBatch,
      CheckNewAnswer(...rowsOf([0, 1], () => 0)),
      TriggerBatch,
      CheckNewAnswer(...rowsOf([2, 3], () => 1000)),
    );
  });

  it("numPartitions does not change the rows", async () => {
    const { spark } = newSession();
    const c = await startCollecting(rmb(spark, { rowsPerBatch: 7, numPartitions: 3 }).select(F.col("value")), "append");
    await c.query.step();
    await c.settle();
    assertRows(c.rows(), range(0, 7).map((value) => ({ value })));
    await c.query.stop();
  });

  it("has Spark's schema: timestamp, value", () => {
    const { spark } = newSession();
    expect(rmb(spark, { rowsPerBatch: 1 }).columns).toEqual(["timestamp", "value"]);
  });
});
