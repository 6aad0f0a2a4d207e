import { IllegalArgumentException, SparkException } from "../../util/errors";
import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** Checks Spark's requirements on the parents of a union or a multi-parent transform. */
export function checkParents(parents: readonly DStreamNode<unknown>[], what: string): void {
  if (parents.length === 0) throw new IllegalArgumentException(`requirement failed: Empty list of DStreams to ${what}`);
  const first = parents[0] as DStreamNode<unknown>;
  if (parents.some((p) => p.graph !== first.graph)) {
    throw new IllegalArgumentException("requirement failed: Some of the DStreams have different contexts");
  }
  if (parents.some((p) => p.slideDurationMs !== first.slideDurationMs)) {
    throw new IllegalArgumentException("requirement failed: Some of the DStreams have different slide durations");
  }
}

/** Spark's UnionDStream: the union of the parents' RDDs of each batch. */
export class UnionDStream<T> extends DStreamNode<T> {
  constructor(private readonly parents: DStreamNode<T>[]) {
    checkParents(parents as DStreamNode<unknown>[], "union");
    super((parents[0] as DStreamNode<T>).graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return this.parents as DStreamNode<unknown>[];
  }
  override get slideDurationMs(): number {
    return (this.parents[0] as DStreamNode<T>).slideDurationMs;
  }
  override compute(time: number): RDD<T> {
    const rdds = this.parents.map((p) => {
      const r = p.getOrCompute(time);
      if (!r) throw new SparkException(`Could not generate RDD from a parent for unifying at time ${time} ms`);
      return r;
    });
    return this.sc.union(rdds);
  }
}
