import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** Spark's FlatMappedDStream: `rdd.flatMap(f)` per batch. */
export class FlatMappedDStream<T, U> extends DStreamNode<U> {
  constructor(
    private readonly parent: DStreamNode<T>,
    private readonly flatMapFunc: (x: T) => Iterable<U>,
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
    return this.parent.getOrCompute(time)?.flatMap<U>(this.flatMapFunc);
  }
}
