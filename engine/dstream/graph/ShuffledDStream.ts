import type { Pair, RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/**
 * Spark's ShuffledDStream: a per-key aggregation of each batch (reduceByKey,
 * groupByKey, combineByKey), given as the RDD function that performs it.
 */
export class ShuffledDStream<K, V, C> extends DStreamNode<Pair<K, C>> {
  constructor(
    private readonly parent: DStreamNode<Pair<K, V>>,
    private readonly shuffle: (rdd: RDD<Pair<K, V>>) => RDD<Pair<K, C>>,
  ) {
    super(parent.graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this.parent.slideDurationMs;
  }
  override compute(time: number): RDD<Pair<K, C>> | undefined {
    const rdd = this.parent.getOrCompute(time);
    return rdd ? this.shuffle(rdd) : undefined;
  }
}
