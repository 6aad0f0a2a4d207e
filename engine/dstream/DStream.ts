import { IllegalArgumentException } from "../util/errors";
import { toDurationMs, type DurationLike } from "./Duration";
import type { DStreamNode } from "./graph/DStreamNode";
import { FilteredDStream } from "./graph/FilteredDStream";
import { FlatMappedDStream } from "./graph/FlatMappedDStream";
import { ForEachDStream } from "./graph/ForEachDStream";
import { MapPartitionedDStream } from "./graph/MapPartitionedDStream";
import { MappedDStream } from "./graph/MappedDStream";
import { MapValuedDStream } from "./graph/MapValuedDStream";
import { ReducedWindowedDStream } from "./graph/ReducedWindowedDStream";
import { ShuffledDStream } from "./graph/ShuffledDStream";
import { StateDStream, type UpdateStateFunc } from "./graph/StateDStream";
import { TransformedDStream } from "./graph/TransformedDStream";
import { UnionDStream } from "./graph/UnionDStream";
import { WindowedDStream } from "./graph/WindowedDStream";
import { pyStr } from "./pyRepr";
import type { Pair, RDD } from "./RDD";
import type { StreamingContext } from "./StreamingContext";

export type { UpdateStateFunc } from "./graph/StateDStream";

/**
 * A discretized stream: a sequence of RDDs, one per batch interval (or per
 * slide for windowed streams), as Spark Streaming's DStream. Transformations
 * build new DStreams; output operations (`pprint`, `foreachRDD`) make the
 * context run jobs. All must be declared before `ssc.start()`; afterwards
 * they throw Spark's IllegalStateException "Adding new inputs, transformations,
 * and output operations after starting a context is not supported".
 *
 * Pair operations apply to DStreams of `[key, value]` arrays (PySpark's
 * 2-tuples). Durations are seconds (PySpark) or interval strings ("10 seconds").
 *
 * @example
 * const lines = ssc.socketTextStream("127.0.0.1", 9999);
 * lines.flatMap((l) => l.split(" ")).map((w) => [w, 1]).reduceByKey((a, b) => a + b).pprint();
 */
export class DStream<T> {
  /** @param node the graph node (internal) */
  constructor(
    /** The StreamingContext this stream belongs to. */
    readonly ssc: StreamingContext,
    /** @internal The graph node. */
    readonly node: DStreamNode<T>,
  ) {}

  private wrap<U>(node: DStreamNode<U>): DStream<U> {
    return new DStream<U>(this.ssc, node);
  }

  private numPartitionsOr(n: number | undefined): number {
    if (n === undefined) return this.ssc.sparkContext.defaultParallelism;
    if (!Number.isInteger(n) || n <= 0) throw new IllegalArgumentException(`Number of partitions (${n}) must be positive.`);
    return n;
  }

  /** The StreamingContext (Spark's `context()`). */
  context(): StreamingContext {
    return this.ssc;
  }

  /** Interval between this stream's RDDs, ms. */
  get slideDurationMs(): number {
    return this.node.slideDurationMs;
  }

  // ---- transformations ------------------------------------------------------------------

  /** Applies `f` to each element. Returning a 2-element array makes a pair stream. */
  map<K, V>(f: (x: T) => [K, V]): DStream<[K, V]>;
  map<U>(f: (x: T) => U): DStream<U>;
  map<U>(f: (x: T) => U): DStream<U> {
    return this.wrap(new MappedDStream(this.node, f));
  }

  /** Applies `f` to each element and flattens the iterables it returns. */
  flatMap<K, V>(f: (x: T) => Iterable<[K, V]>): DStream<[K, V]>;
  flatMap<U>(f: (x: T) => Iterable<U>): DStream<U>;
  flatMap<U>(f: (x: T) => Iterable<U>): DStream<U> {
    return this.wrap(new FlatMappedDStream(this.node, f));
  }

  /** Keeps the elements for which `f` is true. */
  filter(f: (x: T) => boolean): DStream<T> {
    return this.wrap(new FilteredDStream(this.node, f));
  }

  /** Applies `f` to each partition of each RDD. */
  mapPartitions<U>(f: (it: readonly T[], index: number) => Iterable<U>): DStream<U> {
    return this.wrap(new MapPartitionedDStream(this.node, f));
  }

  /** Each partition as one array. */
  glom(): DStream<T[]> {
    return this.wrap(new MapPartitionedDStream<T, T[]>(this.node, (it) => [[...it]]));
  }

  /** Redistributes each RDD into `numPartitions` partitions. */
  repartition(numPartitions: number): DStream<T> {
    return this.transform((rdd) => rdd.repartition(numPartitions));
  }

  /** The union of this stream and `other` (same slide duration required, Spark's error otherwise). */
  union(other: DStream<T>): DStream<T> {
    return this.wrap(new UnionDStream([this.node, other.node]));
  }

  /** Applies an RDD-to-RDD function to each batch; it must not return null (Spark's error). */
  transform<K, V>(f: (rdd: RDD<T>, time: number) => RDD<[K, V]>): DStream<[K, V]>;
  transform<U>(f: (rdd: RDD<T>, time: number) => RDD<U>): DStream<U>;
  transform<U>(f: (rdd: RDD<T>, time: number) => RDD<U>): DStream<U> {
    return this.wrap(new TransformedDStream<U>([this.node as DStreamNode<unknown>], (rdds, time) => f(rdds[0] as RDD<T>, time)));
  }

  /** Applies a function of this stream's and `other`'s RDDs of each batch. */
  transformWith<U, R>(other: DStream<U>, f: (a: RDD<T>, b: RDD<U>, time: number) => RDD<R>): DStream<R> {
    return this.wrap(
      new TransformedDStream<R>([this.node as DStreamNode<unknown>, other.node as DStreamNode<unknown>], (rdds, time) =>
        f(rdds[0] as RDD<T>, rdds[1] as RDD<U>, time),
      ),
    );
  }

  /** One element per batch: the number of elements (0 for an empty batch). */
  count(): DStream<number> {
    return this.transform((rdd) => rdd.context.parallelize([rdd.count()], 1));
  }

  /** `[value, count]` for each distinct value of each batch. */
  countByValue(numPartitions?: number): DStream<[T, number]> {
    return this.map((x): [T, number] => [x, 1]).reduceByKey((a, b) => a + b, numPartitions);
  }

  /** One element per non-empty batch: the elements reduced with `f`. */
  reduce(f: (a: T, b: T) => T): DStream<T> {
    return this.map((x): [null, T] => [null, x])
      .reduceByKey(f, 1)
      .map(([, v]) => v);
  }

  /** Marks the stream for caching (a no-op: RDDs are in memory). Returns this. */
  cache(): DStream<T> {
    return this;
  }

  /** Same as `cache()`. */
  persist(): DStream<T> {
    return this;
  }

  /** Sets the checkpoint interval of this stream's RDDs (Spark's `checkpoint(interval)`). Returns this. */
  checkpoint(interval: DurationLike): DStream<T> {
    this.node.graph.validateAtInit();
    this.node.checkpointDurationMs = toDurationMs(interval, "checkpoint interval");
    return this;
  }

  // ---- windows --------------------------------------------------------------------------

  /**
   * All elements of the last `windowDuration`, every `slideDuration` (default:
   * this stream's slide). Both must be multiples of this stream's slide:
   * otherwise Spark's "The window duration of windowed DStream (3000 ms) must be
   * a multiple of the slide duration of parent DStream (2000 ms)".
   */
  window(windowDuration: DurationLike, slideDuration?: DurationLike): DStream<T> {
    const w = toDurationMs(windowDuration, "windowDuration");
    const s = slideDuration === undefined ? this.node.slideDurationMs : toDurationMs(slideDuration, "slideDuration");
    return this.wrap(new WindowedDStream(this.node, w, s));
  }

  private windowMs(windowMs: number, slideMs: number): DStream<T> {
    return this.wrap(new WindowedDStream(this.node, windowMs, slideMs));
  }

  /**
   * The window reduced with `reduceFunc`; with `invReduceFunc` (the inverse of
   * reduceFunc) computed incrementally, which requires `ssc.checkpoint(dir)`.
   */
  reduceByWindow(
    reduceFunc: (a: T, b: T) => T,
    invReduceFunc: ((a: T, b: T) => T) | null | undefined,
    windowDuration: DurationLike,
    slideDuration?: DurationLike,
  ): DStream<T> {
    if (!invReduceFunc) return this.reduce(reduceFunc).window(windowDuration, slideDuration).reduce(reduceFunc);
    return this.map((x): [number, T] => [1, x])
      .reduceByKeyAndWindow(reduceFunc, invReduceFunc, windowDuration, slideDuration, 1)
      .map(([, v]) => v);
  }

  /** Number of elements in the window (incremental: requires `ssc.checkpoint(dir)`, as in Spark). */
  countByWindow(windowDuration: DurationLike, slideDuration?: DurationLike): DStream<number> {
    return this.map(() => 1).reduceByWindow(
      (a, b) => a + b,
      (a, b) => a - b,
      windowDuration,
      slideDuration,
    );
  }

  /** `[value, count]` of each distinct value in the window, zero counts removed (requires `ssc.checkpoint(dir)`). */
  countByValueAndWindow(windowDuration: DurationLike, slideDuration?: DurationLike, numPartitions?: number): DStream<[T, number]> {
    return this.map((x): [T, number] => [x, 1]).reduceByKeyAndWindow(
      (a, b) => a + b,
      (a, b) => a - b,
      windowDuration,
      slideDuration,
      numPartitions,
      ([, c]) => c !== 0,
    );
  }

  // ---- pair operations (on DStreams of [key, value]) -------------------------------------

  /** Merges the values of each key in each batch. */
  reduceByKey<K, V>(this: DStream<Pair<K, V>>, f: (a: V, b: V) => V, numPartitions?: number): DStream<Pair<K, V>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.wrap(new ShuffledDStream<K, V, V>(this.node, (rdd) => rdd.reduceByKey(f, n)));
  }

  /** Groups the values of each key in each batch. */
  groupByKey<K, V>(this: DStream<Pair<K, V>>, numPartitions?: number): DStream<Pair<K, V[]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.wrap(new ShuffledDStream<K, V, V[]>(this.node, (rdd) => rdd.groupByKey(n)));
  }

  /** Spark's combineByKey per batch. */
  combineByKey<K, V, C>(
    this: DStream<Pair<K, V>>,
    createCombiner: (v: V) => C,
    mergeValue: (c: C, v: V) => C,
    mergeCombiners: (a: C, b: C) => C,
    numPartitions?: number,
  ): DStream<Pair<K, C>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.wrap(
      new ShuffledDStream<K, V, C>(this.node, (rdd) => rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, n)),
    );
  }

  /** Applies `f` to each value, keeping the keys. */
  mapValues<K, V, U>(this: DStream<Pair<K, V>>, f: (v: V) => U): DStream<Pair<K, U>> {
    return this.wrap(new MapValuedDStream<K, V, U>(this.node, { map: f }));
  }

  /** Applies `f` to each value and emits a pair per element it returns. */
  flatMapValues<K, V, U>(this: DStream<Pair<K, V>>, f: (v: V) => Iterable<U>): DStream<Pair<K, U>> {
    return this.wrap(new MapValuedDStream<K, V, U>(this.node, { flatMap: f }));
  }

  /** Per batch, `[key, [values here, values there]]` for every key of either stream. */
  cogroup<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V[], W[]]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.transformWith(other, (a, b) => a.cogroup(b, n));
  }

  /** Per batch inner join: `[key, [v, w]]`. */
  join<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V, W]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.transformWith(other, (a, b) => a.join(b, n));
  }

  /** Per batch left outer join: `[key, [v, w | null]]`. */
  leftOuterJoin<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V, W | null]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.transformWith(other, (a, b) => a.leftOuterJoin(b, n));
  }

  /** Per batch right outer join: `[key, [v | null, w]]`. */
  rightOuterJoin<K, V, W>(this: DStream<Pair<K, V>>, other: DStream<Pair<K, W>>, numPartitions?: number): DStream<Pair<K, [V | null, W]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.transformWith(other, (a, b) => a.rightOuterJoin(b, n));
  }

  /** Per batch full outer join: `[key, [v | null, w | null]]`. */
  fullOuterJoin<K, V, W>(
    this: DStream<Pair<K, V>>,
    other: DStream<Pair<K, W>>,
    numPartitions?: number,
  ): DStream<Pair<K, [V | null, W | null]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.transformWith(other, (a, b) => a.fullOuterJoin(b, n));
  }

  /**
   * A running state per key: at every batch, `updateFunc(newValues, lastState)`
   * is called for each key with new values or a state; returning
   * undefined/null removes the key. Requires `ssc.checkpoint(dir)`:
   * otherwise `start()` throws Spark's "requirement failed: The checkpoint
   * directory has not been set. Please set it by StreamingContext.checkpoint()."
   *
   * @example
   * pairs.updateStateByKey((vs: number[], s?: number) => vs.reduce((a, b) => a + b, s ?? 0)).pprint();
   */
  updateStateByKey<K, V>(
    this: DStream<Pair<K, V>>,
    updateFunc: UpdateStateFunc<V, V>,
    numPartitions?: number,
    initialRDD?: RDD<Pair<K, V>> | readonly Pair<K, V>[],
  ): DStream<Pair<K, V>>;
  updateStateByKey<K, V, S>(
    this: DStream<Pair<K, V>>,
    updateFunc: UpdateStateFunc<V, S>,
    numPartitions?: number,
    initialRDD?: RDD<Pair<K, S>> | readonly Pair<K, S>[],
  ): DStream<Pair<K, S>>;
  updateStateByKey<K, V, S>(
    this: DStream<Pair<K, V>>,
    updateFunc: UpdateStateFunc<V, S>,
    numPartitions?: number,
    initialRDD?: RDD<Pair<K, S>> | readonly Pair<K, S>[],
  ): DStream<Pair<K, S>> {
    const n = this.numPartitionsOr(numPartitions);
    const init =
      initialRDD === undefined || "collect" in initialRDD
        ? (initialRDD as RDD<Pair<K, S>> | undefined)
        : this.ssc.sparkContext.parallelize<Pair<K, S>>(initialRDD);
    return this.wrap(new StateDStream<K, V, S>(this.node, updateFunc, n, init));
  }

  /**
   * Per-key reduce over a sliding window. Without `invFunc`: each window
   * reduced afresh. With `invFunc` (the inverse of `func`): Spark's incremental
   * computation (previous window − old batches + new batches), which keeps
   * keys whose value returns to zero unless `filterFunc` drops them, and
   * requires `ssc.checkpoint(dir)`.
   *
   * @example
   * pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 30, 10).pprint();
   */
  reduceByKeyAndWindow<K, V>(
    this: DStream<Pair<K, V>>,
    func: (a: V, b: V) => V,
    invFunc: ((a: V, b: V) => V) | null | undefined,
    windowDuration: DurationLike,
    slideDuration?: DurationLike,
    numPartitions?: number,
    filterFunc?: (kv: Pair<K, V>) => boolean,
  ): DStream<Pair<K, V>> {
    const n = this.numPartitionsOr(numPartitions);
    const w = toDurationMs(windowDuration, "windowDuration");
    const s = slideDuration === undefined ? this.node.slideDurationMs : toDurationMs(slideDuration, "slideDuration");
    if (!invFunc) {
      const windowed = this.reduceByKey(func, n).windowMs(w, s).reduceByKey(func, n);
      return filterFunc ? windowed.filter(filterFunc) : windowed;
    }
    const reduced = this.reduceByKey(func, n);
    return this.wrap(
      new ReducedWindowedDStream<K, V>(reduced.node, this.node.slideDurationMs, func, invFunc, filterFunc, w, s, n),
    );
  }

  /** Groups the values of each key over a sliding window. */
  groupByKeyAndWindow<K, V>(
    this: DStream<Pair<K, V>>,
    windowDuration: DurationLike,
    slideDuration?: DurationLike,
    numPartitions?: number,
  ): DStream<Pair<K, V[]>> {
    const n = this.numPartitionsOr(numPartitions);
    return this.groupByKey(n)
      .window(windowDuration, slideDuration)
      .transform((rdd) => rdd.groupByKey(n).mapValues((vss) => vss.flat() as V[]));
  }

  // ---- output operations ----------------------------------------------------------------

  /**
   * Runs `f` on every RDD this stream generates, with the batch time (epoch ms).
   * `f` may return a Promise: the batch waits for it. A throwing `f` fails
   * `awaitTermination` (the stream goes on, as in Spark).
   */
  foreachRDD(f: (rdd: RDD<T>, time: number) => void | Promise<void>): void {
    new ForEachDStream(this.node, f, "foreachRDD");
  }

  /**
   * Prints the first `num` elements of every RDD through the SparkContext's
   * output writer, in Spark's format: a dashed line, `Time: <ms> ms`, a dashed
   * line, one element per line, "..." when there are more, then a blank line.
   * Elements print as PySpark prints them (`('a', 1)`; see pyRepr.ts). The writer
   * is called once per batch, like console.log (it adds the final newline).
   *
   * @example
   * // -------------------------------------------
   * // Time: 1700000000000 ms
   * // -------------------------------------------
   * // ('hello', 2)
   * // ('world', 1)
   * //
   */
  pprint(num = 10): void {
    const output = this.ssc.sparkContext.output;
    new ForEachDStream(
      this.node,
      (rdd, time) => {
        const taken = rdd.take(num + 1);
        const lines = ["-------------------------------------------", `Time: ${time} ms`, "-------------------------------------------"];
        for (const x of taken.slice(0, num)) lines.push(pyStr(x));
        if (taken.length > num) lines.push("...");
        lines.push("");
        output(lines.join("\n"));
      },
      "pprint",
    );
  }

  /** Scala's name of `pprint`. */
  print(num = 10): void {
    this.pprint(num);
  }
}
