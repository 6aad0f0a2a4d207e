import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** Spark's FilteredDStream: `rdd.filter(f)` per batch. */
export class FilteredDStream<T> extends DStreamNode<T> {
  constructor(
    private readonly parent: DStreamNode<T>,
    private readonly filterFunc: (x: T) => boolean,
  ) {
    super(parent.graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this.parent.slideDurationMs;
  }
  override compute(time: number): RDD<T> | undefined {
    return this.parent.getOrCompute(time)?.filter(this.filterFunc);
  }
}
