import { SparkException } from "../../util/errors";
import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";
import { checkParents } from "./UnionDStream";

/**
 * Spark's TransformedDStream: an arbitrary function of the parents' RDDs of
 * each batch (transform, transformWith, join and cogroup of DStreams).
 */
export class TransformedDStream<U> extends DStreamNode<U> {
  constructor(
    private readonly parents: DStreamNode<unknown>[],
    private readonly transformFunc: (rdds: RDD<unknown>[], time: number) => RDD<U>,
  ) {
    checkParents(parents, "transform");
    super((parents[0] as DStreamNode<unknown>).graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return this.parents;
  }
  override get slideDurationMs(): number {
    return (this.parents[0] as DStreamNode<unknown>).slideDurationMs;
  }
  override compute(time: number): RDD<U> {
    const rdds = this.parents.map((p) => {
      const r = p.getOrCompute(time);
      if (!r) throw new SparkException(`Couldn't generate RDD from parent at time ${time} ms`);
      return r;
    });
    const out = this.transformFunc(rdds, time) as RDD<U> | null | undefined;
    if (out === null || out === undefined) {
      throw new SparkException(
        "Transform function must not return null. Return SparkContext.emptyRDD() instead to represent no element as the result of transformation.",
      );
    }
    return out;
  }
}
