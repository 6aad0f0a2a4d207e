/**
 * Test support mirroring Spark's TestSuiteBase: feed a sequence of input
 * batches (each parallelized into 2 partitions, like Spark's
 * numInputPartitions), apply an operation, advance a ManualClock one batch at
 * a time and collect each output RDD. Used by the ports of
 * BasicOperationsSuite and WindowOperationsSuite.
 */
import { ManualClock } from "../util/clock";
import type { DStream } from "./DStream";
import { canonicalText } from "./keys";
import { SparkContext } from "./SparkContext";
import { StreamingContext } from "./StreamingContext";

/** Options of `runOperation`. */
export interface RunOptions {
  /** Batches to run (default: number of expected outputs × slide/batch). */
  numBatches?: number;
  /** Batch duration in seconds (default 1, as Spark's TestSuiteBase). */
  batchSeconds?: number;
  /** Input partitions per batch (default 2). */
  numInputPartitions?: number;
  /** Set a checkpoint directory (default true, as Spark's TestSuiteBase). */
  checkpoint?: boolean;
}

let dirCounter = 0;

/**
 * Runs `operation` over input streams made from `inputs` (one sequence of
 * batches per stream) and returns the collected outputs, one array per output RDD.
 */
export async function runOperation<R>(
  inputs: unknown[][][],
  operation: (streams: DStream<unknown>[], ssc: StreamingContext) => DStream<R>,
  numBatches: number,
  options: RunOptions = {},
): Promise<R[][]> {
  const clock = new ManualClock(0);
  const sc = new SparkContext("local[2]", "test", { clock, output: () => {}, warn: () => {} });
  const ssc = new StreamingContext(sc, options.batchSeconds ?? 1);
  if (options.checkpoint ?? true) ssc.checkpoint(`test-checkpoint-${dirCounter++}`);
  const parts = options.numInputPartitions ?? 2;
  const streams = inputs.map((batches) =>
    ssc.queueStream(batches.map((b) => sc.parallelize(b, parts)), true),
  );
  const out = operation(streams, ssc);
  const collected: R[][] = [];
  out.foreachRDD((rdd) => {
    collected.push(rdd.collect());
  });
  ssc.start();
  let failure: unknown;
  ssc.awaitTermination().catch((e: unknown) => (failure ??= e));
  const batchMs = ssc.batchDurationMs;
  try {
    for (let i = 1; i <= numBatches; i++) {
      clock.advance(batchMs);
      await ssc.awaitBatchCompleted(i * batchMs);
      if (failure) throw failure;
    }
  } finally {
    await ssc.stop(true, false);
  }
  return collected;
}

/** Canonical, order-insensitive text of a batch (Spark's `useSet` comparison, keeping duplicates). */
export function asSet(batch: readonly unknown[]): string[] {
  return batch.map((x) => canonicalText(x)).sort();
}
