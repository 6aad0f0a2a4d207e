import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** Spark's MappedDStream: `rdd.map(f)` per batch. */
export class MappedDStream<T, U> extends DStreamNode<U> {
  constructor(
    private readonly parent: DStreamNode<T>,
    private readonly mapFunc: (x: T) => U,
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
    return this.parent.getOrCompute(time)?.map<U>(this.mapFunc);
  }
}
