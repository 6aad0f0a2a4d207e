import type { Clock } from "../util/clock";
import { SystemClock } from "../util/clock";
import { IllegalArgumentException, IllegalStateException, SparkException } from "../util/errors";
import { RDD } from "./RDD";

/** Options of `new SparkContext(master, appName, options)`. */
export interface SparkContextOptions {
  /** Where printed output (`pprint`) goes, one call per printed block (default console.log). */
  output?: (text: string) => void;
  /** Where warnings go, e.g. "StreamingContext has already been started" (default console.warn). */
  warn?: (text: string) => void;
  /** The clock of batch timers and block intervals (default SystemClock; ManualClock in tests). */
  clock?: Clock;
  /** Initial configuration entries, e.g. { "spark.streaming.blockInterval": "100ms" }. */
  conf?: Record<string, string>;
}

/** Spark's SparkConf, reduced to a string map. */
export class SparkConf {
  private readonly entries = new Map<string, string>();
  /** Sets a key; returns this. */
  set(key: string, value: string | number | boolean): this {
    this.entries.set(key, String(value));
    return this;
  }
  /** The value of a key, else `defaultValue`. */
  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    return this.entries.get(key) ?? defaultValue;
  }
  /** True when the key is set. */
  contains(key: string): boolean {
    return this.entries.has(key);
  }
  /** All entries, as [key, value] pairs. */
  getAll(): [string, string][] {
    return [...this.entries];
  }
}

/**
 * Parses a master URL as Spark's SparkContext does for local mode: "local" (1
 * thread), "local[N]", "local[*]" (all cores), "local[N, F]" / "local[*, F]"
 * (F task failures). Returns the number of threads.
 *
 * Throws SparkException "Could not parse Master URL: '…'" for anything else, and
 * "Asked to run locally with 0 threads" for N ≤ 0, as Spark does.
 */
export function parseMaster(master: string): number {
  const cores = (): number => {
    const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    return nav?.hardwareConcurrency && nav.hardwareConcurrency > 0 ? nav.hardwareConcurrency : 4;
  };
  if (master === "local") return 1;
  const m = /^local\[([0-9]+|\*)(?:\s*,\s*([0-9]+))?\]$/.exec(master);
  if (m) {
    const n = m[1] === "*" ? cores() : Number(m[1]);
    if (n <= 0) throw new SparkException(`Asked to run locally with ${n} threads`);
    return n;
  }
  if (/^(spark|mesos|k8s):\/\/|^yarn$|^local-cluster\[/.test(master)) {
    throw new SparkException(
      `Could not parse Master URL: '${master}' (the playground runs in local mode only: use local, local[N] or local[*])`,
    );
  }
  throw new SparkException(`Could not parse Master URL: '${master}'`);
}

/**
 * The entry point of the RDD API, as Spark's SparkContext in local mode.
 *
 * Unlike Spark, several SparkContexts may exist in one process (notebook cells
 * create them freely); each is independent.
 *
 * Throws SparkException for a bad master URL ("Could not parse Master URL: 'x'")
 * and "An application name must be set in your configuration" for an empty name.
 *
 * @example
 * const sc = new SparkContext("local[2]", "WordCount", { output: (t) => cell.print(t) });
 * sc.parallelize([1, 2, 3, 4], 2).map((x) => x * 2).collect(); // [2, 4, 6, 8]
 */
export class SparkContext {
  /** The master URL, e.g. "local[2]". */
  readonly master: string;
  /** The application name. */
  readonly appName: string;
  /** Number of local threads: 1 for "local", N for "local[N]". */
  readonly defaultParallelism: number;
  /** The clock batch timers read. */
  readonly clock: Clock;
  /** Writer of printed output. */
  readonly output: (text: string) => void;
  /** Writer of warnings. */
  readonly warn: (text: string) => void;
  /** Milliseconds since the epoch when this context was created (by its clock). */
  readonly startTime: number;
  private readonly conf = new SparkConf();
  private stopped = false;

  constructor(master: string, appName: string, options: SparkContextOptions = {}) {
    if (typeof master !== "string" || master === "") throw new SparkException("A master URL must be set in your configuration");
    if (typeof appName !== "string" || appName === "") {
      throw new SparkException("An application name must be set in your configuration");
    }
    this.defaultParallelism = parseMaster(master);
    this.master = master;
    this.appName = appName;
    this.clock = options.clock ?? new SystemClock();
    this.output = options.output ?? ((t) => console.log(t));
    this.warn = options.warn ?? ((t) => console.warn(t));
    this.startTime = this.clock.getTimeMillis();
    this.conf.set("spark.master", master).set("spark.app.name", appName);
    for (const [k, v] of Object.entries(options.conf ?? {})) this.conf.set(k, v);
  }

  /** The configuration (mutable here, unlike Spark's copy: set streaming options before creating a StreamingContext). */
  getConf(): SparkConf {
    return this.conf;
  }

  /** True after `stop()`. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Throws Spark's "Cannot call methods on a stopped SparkContext." after `stop()`. */
  assertNotStopped(): void {
    if (this.stopped) throw new IllegalStateException("Cannot call methods on a stopped SparkContext.");
  }

  /**
   * Distributes a local array into `numSlices` partitions (default `defaultParallelism`),
   * sliced as Spark's ParallelCollectionRDD does. Throws IllegalArgumentException
   * "Positive number of partitions required" for numSlices < 1.
   *
   * @example sc.parallelize([1, 2, 3, 4], 2).glom().collect() // [[1, 2], [3, 4]]
   */
  parallelize<K, V>(data: Iterable<[K, V]>, numSlices?: number): RDD<[K, V]>;
  parallelize<T>(data: Iterable<T>, numSlices?: number): RDD<T>;
  parallelize<T>(data: Iterable<T>, numSlices: number = this.defaultParallelism): RDD<T> {
    this.assertNotStopped();
    if (!(numSlices >= 1)) throw new IllegalArgumentException("Positive number of partitions required");
    const arr = [...data];
    const n = Math.floor(numSlices);
    const parts: T[][] = [];
    for (let i = 0; i < n; i++) {
      const start = Math.floor((i * arr.length) / n);
      const end = Math.floor(((i + 1) * arr.length) / n);
      parts.push(arr.slice(start, end));
    }
    return new RDD(this, parts);
  }

  /** Alias of `parallelize` (Scala's name). */
  makeRDD<T>(data: Iterable<T>, numSlices?: number): RDD<T> {
    return this.parallelize<T>(data, numSlices);
  }

  /** An RDD with no partitions and no elements. */
  emptyRDD<T>(): RDD<T> {
    return new RDD<T>(this, []);
  }

  /** The union of several RDDs (partitions concatenated). */
  union<T>(rdds: readonly RDD<T>[]): RDD<T> {
    return new RDD<T>(this, rdds.flatMap((r) => r.partitions));
  }

  /** Stops the context; later RDD creation throws. Idempotent. */
  stop(): void {
    this.stopped = true;
  }
}
