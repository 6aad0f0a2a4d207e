import type { Pair, RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** Spark's MapValuedDStream and FlatMapValuedDStream: `rdd.mapValues(f)` / `rdd.flatMapValues(f)` per batch. */
export class MapValuedDStream<K, V, U> extends DStreamNode<Pair<K, U>> {
  constructor(
    private readonly parent: DStreamNode<Pair<K, V>>,
    private readonly fn: { map: (v: V) => U } | { flatMap: (v: V) => Iterable<U> },
  ) {
    super(parent.graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this.parent.slideDurationMs;
  }
  override compute(time: number): RDD<Pair<K, U>> | undefined {
    const rdd = this.parent.getOrCompute(time);
    if (!rdd) return undefined;
    return "map" in this.fn ? rdd.mapValues(this.fn.map) : rdd.flatMapValues(this.fn.flatMap);
  }
}
