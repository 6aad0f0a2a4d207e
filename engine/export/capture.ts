import type { DataFrame } from "../api/DataFrame";
import type { SparkSession } from "../api/SparkSession";
import type { StreamingQuery } from "../api/StreamingQuery";
import type { Trigger } from "../execution/microbatch/Trigger";

/**
 * What a `df.writeStream…` chain holds when `start()` is called: everything the
 * PySpark export needs to write the sink, output mode, trigger and options.
 * `DataStreamWriter.describe()` returns it; `StreamingQuery` keeps it.
 */
export interface WriteSpec {
  readonly df: DataFrame;
  /** The sink format as given ("console", "memory", "json"…, or "foreachBatch"/"foreach"). */
  readonly format: string;
  readonly outputMode: string;
  readonly queryName: string | null;
  readonly trigger: Trigger;
  /** Options as strings (checkpointLocation, path, numRows…). */
  readonly options: Readonly<Record<string, string>>;
  /** The foreachBatch function, if any (its source is shown in the export). */
  readonly foreachBatch?: unknown;
  /** The foreach writer or function, if any. */
  readonly foreach?: unknown;
}

type Interceptor = (spec: WriteSpec) => StreamingQuery;

const interceptors = new WeakMap<SparkSession, Interceptor>();

/**
 * Makes every `writeStream.start()` on `spark` call `intercept` instead of starting a
 * query (the notebook export records the writers without running anything). Returns
 * the function that removes the interception.
 */
export function interceptStreamStarts(spark: SparkSession, intercept: Interceptor): () => void {
  interceptors.set(spark, intercept);
  return () => {
    if (interceptors.get(spark) === intercept) interceptors.delete(spark);
  };
}

/** @internal called by DataStreamWriter.start(): the intercepted query, or undefined to start for real. */
export function interceptedStart(spec: WriteSpec): StreamingQuery | undefined {
  const intercept = interceptors.get(spec.df.sparkSession);
  return intercept === undefined ? undefined : intercept(spec);
}
