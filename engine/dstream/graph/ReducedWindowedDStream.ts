import { IllegalArgumentException, SparkException } from "../../util/errors";
import { formatDuration } from "../Duration";
import { keyId, type KeyId } from "../keys";
import type { Pair, RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/**
 * Spark's ReducedWindowedDStream: `reduceByKeyAndWindow` with an inverse
 * function, computed incrementally. The window's value of a key is the
 * previous window's value, minus (`invReduceFunc`) the batches that slid out,
 * plus (`reduceFunc`) the batches that slid in. Keys are never dropped by the
 * computation itself (their value may become 0): `filterFunc` removes them.
 * Must be checkpointed (Spark's `mustCheckpoint`).
 */
export class ReducedWindowedDStream<K, V> extends DStreamNode<Pair<K, V>> {
  override readonly mustCheckpoint = true;

  constructor(
    /** The per-batch reduced stream (parent.reduceByKey). */
    private readonly reducedStream: DStreamNode<Pair<K, V>>,
    private readonly parentSlideMs: number,
    private readonly reduceFunc: (a: V, b: V) => V,
    private readonly invReduceFunc: (a: V, b: V) => V,
    private readonly filterFunc: ((kv: Pair<K, V>) => boolean) | undefined,
    readonly windowDurationMs: number,
    private readonly _slideDurationMs: number,
    private readonly numPartitions: number,
  ) {
    if (windowDurationMs % parentSlideMs !== 0) {
      throw new IllegalArgumentException(
        `requirement failed: The window duration of ReducedWindowedDStream (${formatDuration(windowDurationMs)}) must be multiple of the slide duration of parent DStream (${formatDuration(parentSlideMs)})`,
      );
    }
    if (_slideDurationMs % parentSlideMs !== 0) {
      throw new IllegalArgumentException(
        `requirement failed: The slide duration of ReducedWindowedDStream (${formatDuration(_slideDurationMs)}) must be multiple of the slide duration of parent DStream (${formatDuration(parentSlideMs)})`,
      );
    }
    super(reducedStream.graph);
  }

  override get dependencies(): DStreamNode<unknown>[] {
    return [this.reducedStream as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this._slideDurationMs;
  }
  override get parentRememberDurationMs(): number {
    return this.rememberDurationMs + this.windowDurationMs;
  }

  override compute(time: number): RDD<Pair<K, V>> {
    const reduceF = this.reduceFunc;
    const invReduceF = this.invReduceFunc;
    const currentBegin = time - this.windowDurationMs + this.parentSlideMs;
    const previousBegin = currentBegin - this._slideDurationMs;
    const previousEnd = time - this._slideDurationMs;
    const oldRDDs = this.reducedStream.slice(previousBegin, currentBegin - this.parentSlideMs);
    const newRDDs = this.reducedStream.slice(previousEnd + this.parentSlideMs, time);
    const previousWindowRDD = this.getOrCompute(previousEnd) ?? this.sc.emptyRDD<Pair<K, V>>();

    // Cogroup (previous, old…, new…) by key; each reduced RDD has at most one value per key.
    const groups = new Map<KeyId, { key: K; prev: V[]; old: V[]; neu: V[] }>();
    const add = (rdd: RDD<Pair<K, V>>, slot: "prev" | "old" | "neu") => {
      for (const [k, v] of rdd.collect()) {
        const id = keyId(k);
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { key: k, prev: [], old: [], neu: [] }));
        g[slot].push(v);
      }
    };
    add(previousWindowRDD, "prev");
    for (const r of oldRDDs) add(r, "old");
    for (const r of newRDDs) add(r, "neu");

    const merged: Pair<K, V>[] = [];
    for (const g of groups.values()) {
      let value: V;
      if (g.prev.length === 0) {
        if (g.neu.length === 0) {
          // Only old values: they were in the previous window, so the key should be there too (Spark's check).
          throw new SparkException(
            "Neither previous window has value for key, nor new values found. Are you sure your key class hashes consistently?",
          );
        }
        value = g.neu.reduce((a, b) => reduceF(a, b));
      } else {
        value = g.prev[0] as V;
        if (g.old.length > 0) value = invReduceF(value, g.old.reduce((a, b) => reduceF(a, b)));
        if (g.neu.length > 0) value = reduceF(value, g.neu.reduce((a, b) => reduceF(a, b)));
      }
      merged.push([g.key, value]);
    }
    const result = this.sc.parallelize<Pair<K, V>>(merged, 1).reduceByKey((a) => a, this.numPartitions);
    return this.filterFunc ? result.filter(this.filterFunc) : result;
  }
}
