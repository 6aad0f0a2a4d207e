import { IllegalArgumentException, UnsupportedOperationException } from "../util/errors";
import { keyHash, keyId, type KeyId } from "./keys";
import type { SparkContext } from "./SparkContext";

/** A key-value pair, the element type of pair RDDs and pair DStreams (PySpark's 2-tuple). */
export type Pair<K, V> = [K, V];

let nextRddId = 0;

/** Hash-partitions pairs into `n` buckets (Spark's HashPartitioner over by-value keys). */
function hashPartition<K, V>(pairs: Iterable<readonly [K, V]>, n: number): [K, V][][] {
  const out: [K, V][][] = Array.from({ length: n }, () => []);
  for (const p of pairs) (out[keyHash(p[0]) % n] as [K, V][]).push([p[0], p[1]]);
  return out;
}

/** Groups pairs by key (by value), keeping first-seen order; returns [key, values] entries. */
function groupPairs<K, V>(pairs: Iterable<readonly [K, V]>): [K, V[]][] {
  const m = new Map<KeyId, [K, V[]]>();
  for (const [k, v] of pairs) {
    const id = keyId(k);
    const e = m.get(id);
    if (e) e[1].push(v);
    else m.set(id, [k, [v]]);
  }
  return [...m.values()];
}

/**
 * A Resilient Distributed Dataset, kept simple: an immutable, partitioned,
 * in-memory collection. Transformations are computed eagerly (the data is
 * local, and a DStream batch needs its RDDs anyway); actions return plain values.
 *
 * Pair operations (`reduceByKey`, `join`, …) apply to RDDs of `[key, value]`
 * arrays; keys compare by value, as Spark compares them with `equals`.
 * Shuffles hash-partition into `numPartitions` (default: the largest input
 * partition count, as Spark's default partitioner without spark.default.parallelism).
 *
 * @example
 * const rdd = sc.parallelize(["a b", "b"]).flatMap((l) => l.split(" ")).map((w) => [w, 1]);
 * rdd.reduceByKey((a, b) => a + b).collect(); // [["a", 1], ["b", 2]] (order by partition)
 */
export class RDD<T> {
  /** Unique id within the process, like Spark's `rdd.id`. */
  readonly id: number;
  /** The owning SparkContext. */
  readonly context: SparkContext;
  private readonly parts: readonly (readonly T[])[];

  /** Use `sc.parallelize` rather than this constructor. `partitions` are not copied: do not mutate them. */
  constructor(context: SparkContext, partitions: readonly (readonly T[])[]) {
    this.id = nextRddId++;
    this.context = context;
    this.parts = partitions;
  }

  /** The SparkContext (Spark's name). */
  get sparkContext(): SparkContext {
    return this.context;
  }

  /** The partitions' contents (read-only views). */
  get partitions(): readonly (readonly T[])[] {
    return this.parts;
  }

  /** Number of partitions. */
  getNumPartitions(): number {
    return this.parts.length;
  }

  private make<U>(parts: readonly (readonly U[])[]): RDD<U> {
    return new RDD<U>(this.context, parts);
  }

  private defaultPartitions(...others: RDD<unknown>[]): number {
    const conf = this.context.getConf().get("spark.default.parallelism");
    if (conf !== undefined) return Math.max(1, Number(conf));
    return Math.max(1, this.parts.length, ...others.map((o) => o.parts.length));
  }

  private checkPartitions(n: number | undefined, ...others: RDD<unknown>[]): number {
    if (n === undefined) return this.defaultPartitions(...others);
    if (!Number.isInteger(n) || n <= 0) {
      throw new IllegalArgumentException(`Number of partitions (${n}) must be positive.`);
    }
    return n;
  }

  // ---- transformations ------------------------------------------------------------------

  /** Applies `f` to each element. Returning a 2-element array makes a pair RDD. */
  map<K, V>(f: (x: T) => [K, V]): RDD<[K, V]>;
  map<U>(f: (x: T) => U): RDD<U>;
  map<U>(f: (x: T) => U): RDD<U> {
    return this.make(this.parts.map((p) => p.map((x) => f(x))));
  }

  /** Applies `f` to each element and flattens the iterables it returns. */
  flatMap<K, V>(f: (x: T) => Iterable<[K, V]>): RDD<[K, V]>;
  flatMap<U>(f: (x: T) => Iterable<U>): RDD<U>;
  flatMap<U>(f: (x: T) => Iterable<U>): RDD<U> {
    return this.make(
      this.parts.map((p) => {
        const out: U[] = [];
        for (const x of p) for (const y of f(x)) out.push(y);
        return out;
      }),
    );
  }

  /** Keeps the elements for which `f` is true. */
  filter(f: (x: T) => boolean): RDD<T> {
    return this.make(this.parts.map((p) => p.filter((x) => f(x))));
  }

  /** Applies `f` to each partition's elements; `f` returns an iterable. */
  mapPartitions<U>(f: (it: readonly T[], index: number) => Iterable<U>): RDD<U> {
    return this.make(this.parts.map((p, i) => [...f(p, i)]));
  }

  /** One array per partition, as Spark's `glom`. */
  glom(): RDD<T[]> {
    return this.make(this.parts.map((p) => [[...p]]));
  }

  /** The elements of this RDD followed by those of `other` (partitions concatenated, as Spark's UnionRDD). */
  union(other: RDD<T>): RDD<T> {
    return this.make([...this.parts, ...other.parts]);
  }

  /** Distinct elements (by value). */
  distinct(numPartitions?: number): RDD<T> {
    return this.map((x): [T, null] => [x, null])
      .reduceByKey((a) => a, numPartitions)
      .map(([k]) => k);
  }

  /** Redistributes the elements round-robin into `numPartitions` partitions. */
  repartition(numPartitions: number): RDD<T> {
    const n = this.checkPartitions(numPartitions);
    const out: T[][] = Array.from({ length: n }, () => []);
    let i = 0;
    for (const p of this.parts) for (const x of p) (out[i++ % n] as T[]).push(x);
    return this.make(out);
  }

  /** Sorts by `keyFn` (numbers numerically, other values by their text), into one partition. */
  sortBy<U>(keyFn: (x: T) => U, ascending = true): RDD<T> {
    const all = this.collect().map((x) => [keyFn(x), x] as const);
    all.sort((a, b) => compareValues(a[0], b[0]) * (ascending ? 1 : -1));
    return this.make([all.map((e) => e[1])]);
  }

  // ---- pair transformations -----------------------------------------------------------

  /** Merges the values of each key with an associative, commutative `f`. */
  reduceByKey<K, V>(this: RDD<Pair<K, V>>, f: (a: V, b: V) => V, numPartitions?: number): RDD<Pair<K, V>> {
    const n = this.checkPartitions(numPartitions);
    return this.make(
      hashPartition(this.collect(), n).map((bucket) =>
        groupPairs(bucket).map(([k, vs]): Pair<K, V> => [k, vs.reduce((a, b) => f(a, b))]),
      ),
    );
  }

  /** Groups the values of each key into an array (PySpark's ResultIterable). */
  groupByKey<K, V>(this: RDD<Pair<K, V>>, numPartitions?: number): RDD<Pair<K, V[]>> {
    const n = this.checkPartitions(numPartitions);
    return this.make(hashPartition(this.collect(), n).map((bucket) => groupPairs(bucket)));
  }

  /** Generic per-key aggregation, as Spark's `combineByKey`. */
  combineByKey<K, V, C>(
    this: RDD<Pair<K, V>>,
    createCombiner: (v: V) => C,
    mergeValue: (c: C, v: V) => C,
    _mergeCombiners: (a: C, b: C) => C,
    numPartitions?: number,
  ): RDD<Pair<K, C>> {
    // Local data: values are merged in one pass, so mergeCombiners is never needed.
    return this.groupByKey(numPartitions).mapValues((vs) => {
      let c = createCombiner(vs[0] as V);
      for (let i = 1; i < vs.length; i++) c = mergeValue(c, vs[i] as V);
      return c;
    });
  }

  /** Applies `f` to each value, keeping keys (and partitioning). */
  mapValues<K, V, U>(this: RDD<Pair<K, V>>, f: (v: V) => U): RDD<Pair<K, U>> {
    return this.make(this.parts.map((p) => p.map(([k, v]): Pair<K, U> => [k, f(v)])));
  }

  /** Applies `f` to each value and emits one pair per element it returns. */
  flatMapValues<K, V, U>(this: RDD<Pair<K, V>>, f: (v: V) => Iterable<U>): RDD<Pair<K, U>> {
    return this.make(
      this.parts.map((p) => {
        const out: Pair<K, U>[] = [];
        for (const [k, v] of p) for (const u of f(v)) out.push([k, u]);
        return out;
      }),
    );
  }

  /** The keys of a pair RDD. */
  keys<K, V>(this: RDD<Pair<K, V>>): RDD<K> {
    return this.map(([k]) => k);
  }

  /** The values of a pair RDD. */
  values<K, V>(this: RDD<Pair<K, V>>): RDD<V> {
    return this.map(([, v]) => v);
  }

  /** For each key in either RDD: `[key, [valuesHere, valuesThere]]`. */
  cogroup<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, numPartitions?: number): RDD<Pair<K, [V[], W[]]>> {
    const n = this.checkPartitions(numPartitions, other as RDD<unknown>);
    const tagged: Pair<K, [0, V] | [1, W]>[] = [
      ...this.collect().map(([k, v]): Pair<K, [0, V]> => [k, [0, v]]),
      ...other.collect().map(([k, w]): Pair<K, [1, W]> => [k, [1, w]]),
    ];
    return this.make(
      hashPartition(tagged, n).map((bucket) =>
        groupPairs(bucket).map(([k, vs]): Pair<K, [V[], W[]]> => {
          const left: V[] = [];
          const right: W[] = [];
          for (const t of vs) {
            if (t[0] === 0) left.push(t[1]);
            else right.push(t[1]);
          }
          return [k, [left, right]];
        }),
      ),
    );
  }

  /** Inner join by key: `[key, [v, w]]` for every matching pair. */
  join<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, numPartitions?: number): RDD<Pair<K, [V, W]>> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) => vs.flatMap((v) => ws.map((w): [V, W] => [v, w])));
  }

  /** Left outer join: `[key, [v, w | null]]` (PySpark's None is null). */
  leftOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, numPartitions?: number): RDD<Pair<K, [V, W | null]>> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) =>
      vs.flatMap((v) => (ws.length === 0 ? [[v, null] as [V, W | null]] : ws.map((w): [V, W | null] => [v, w]))),
    );
  }

  /** Right outer join: `[key, [v | null, w]]`. */
  rightOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, numPartitions?: number): RDD<Pair<K, [V | null, W]>> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) =>
      ws.flatMap((w) => (vs.length === 0 ? [[null, w] as [V | null, W]] : vs.map((v): [V | null, W] => [v, w]))),
    );
  }

  /** Full outer join: `[key, [v | null, w | null]]`. */
  fullOuterJoin<K, V, W>(this: RDD<Pair<K, V>>, other: RDD<Pair<K, W>>, numPartitions?: number): RDD<Pair<K, [V | null, W | null]>> {
    return this.cogroup(other, numPartitions).flatMapValues(([vs, ws]) => {
      if (vs.length === 0) return ws.map((w): [V | null, W | null] => [null, w]);
      if (ws.length === 0) return vs.map((v): [V | null, W | null] => [v, null]);
      return vs.flatMap((v) => ws.map((w): [V | null, W | null] => [v, w]));
    });
  }

  /** Sorts a pair RDD by key into one partition. */
  sortByKey<K, V>(this: RDD<Pair<K, V>>, ascending = true): RDD<Pair<K, V>> {
    return this.sortBy(([k]) => k, ascending);
  }

  // ---- actions ----------------------------------------------------------------------------

  /** All elements, partition by partition. */
  collect(): T[] {
    const out: T[] = [];
    for (const p of this.parts) for (const x of p) out.push(x);
    return out;
  }

  /** Number of elements. */
  count(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }

  /** The first `num` elements (fewer if the RDD is smaller). */
  take(num: number): T[] {
    const out: T[] = [];
    for (const p of this.parts) {
      for (const x of p) {
        if (out.length >= num) return out;
        out.push(x);
      }
    }
    return out;
  }

  /** The first element. Throws Spark's error on an empty RDD. */
  first(): T {
    const t = this.take(1);
    if (t.length === 0) throw new UnsupportedOperationException("empty collection");
    return t[0] as T;
  }

  /** True when the RDD has no elements. */
  isEmpty(): boolean {
    return this.parts.every((p) => p.length === 0);
  }

  /** Reduces the elements with an associative, commutative `f`. Throws Spark's error on an empty RDD. */
  reduce(f: (a: T, b: T) => T): T {
    const all = this.collect();
    if (all.length === 0) throw new UnsupportedOperationException("empty collection");
    return all.reduce((a, b) => f(a, b));
  }

  /** Folds each partition from `zero`, then the partial results from `zero`. */
  fold(zero: T, f: (a: T, b: T) => T): T {
    return this.parts.map((p) => p.reduce((a, b) => f(a, b), zero)).reduce((a, b) => f(a, b), zero);
  }

  /** Runs `f` on each element. */
  foreach(f: (x: T) => void): void {
    for (const p of this.parts) for (const x of p) f(x);
  }

  /** Count of each distinct element (by value), as Spark's `countByValue` (an action). */
  countByValue(): Map<T, number> {
    const ids = new Map<KeyId, [T, number]>();
    for (const x of this.collect()) {
      const id = keyId(x);
      const e = ids.get(id);
      if (e) e[1]++;
      else ids.set(id, [x, 1]);
    }
    return new Map([...ids.values()]);
  }

  /** Count of elements per key. */
  countByKey<K, V>(this: RDD<Pair<K, V>>): Map<K, number> {
    return this.keys().countByValue();
  }

  /** The pairs as a Map (later values win for duplicate keys). Keys compare by reference in the returned Map. */
  collectAsMap<K, V>(this: RDD<Pair<K, V>>): Map<K, V> {
    const ids = new Map<KeyId, [K, V]>();
    for (const [k, v] of this.collect()) ids.set(keyId(k), [k, v]);
    return new Map([...ids.values()]);
  }

  /** Sum of a numeric RDD (0 when empty). */
  sum(this: RDD<number>): number {
    return this.fold(0, (a, b) => a + b);
  }

  /** Python-like text for debugging, e.g. `ParallelCollectionRDD[3] (2 partitions)`. */
  toString(): string {
    return `RDD[${this.id}] (${this.parts.length} partitions)`;
  }
}

/** Orders numbers numerically, strings and other values by their text (used by sortBy). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
