import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** Spark's MapPartitionedDStream (and GlommedDStream): `rdd.mapPartitions(f)` per batch. */
export class MapPartitionedDStream<T, U> extends DStreamNode<U> {
  constructor(
    private readonly parent: DStreamNode<T>,
    private readonly mapPartFunc: (it: readonly T[], index: number) => Iterable<U>,
  ) {
    super(parent.graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this.parent.slideDurationMs;
  }
  override compute(time: number): RDD<U> | undefined {
    return this.parent.getOrCompute(time)?.mapPartitions(this.mapPartFunc);
  }
}
