import type { Pair, RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/**
 * The update function of `updateStateByKey`, PySpark's form: called for every
 * key that has new values or a state, with the batch's new values (maybe
 * empty) and the previous state (undefined for a new key). Returning
 * `undefined` or `null` removes the key.
 */
export type UpdateStateFunc<V, S> = (newValues: V[], lastState: S | undefined) => S | null | undefined;

/**
 * Spark's StateDStream (`updateStateByKey`): each batch's state RDD is the
 * previous state cogrouped with the batch's values, through the update
 * function. Must be checkpointed (Spark's `mustCheckpoint`).
 */
export class StateDStream<K, V, S> extends DStreamNode<Pair<K, S>> {
  override readonly mustCheckpoint = true;

  constructor(
    private readonly parent: DStreamNode<Pair<K, V>>,
    private readonly updateFunc: UpdateStateFunc<V, S>,
    private readonly numPartitions: number,
    private readonly initialRDD: RDD<Pair<K, S>> | undefined,
  ) {
    super(parent.graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this.parent.slideDurationMs;
  }

  private update(prev: RDD<Pair<K, S>> | undefined, batch: RDD<Pair<K, V>> | undefined): RDD<Pair<K, S>> {
    const empty = this.sc.emptyRDD<Pair<K, V>>();
    const cogrouped = (prev ?? this.sc.emptyRDD<Pair<K, S>>()).cogroup(batch ?? empty, this.numPartitions);
    return cogrouped.mapPartitions((part) => {
      const out: Pair<K, S>[] = [];
      for (const [k, [states, values]] of part) {
        const s = this.updateFunc(values, states.length > 0 ? states[0] : undefined);
        if (s !== undefined && s !== null) out.push([k, s]);
      }
      return out;
    });
  }

  override compute(time: number): RDD<Pair<K, S>> | undefined {
    const prevState = this.getOrCompute(time - this.slideDurationMs);
    const batch = this.parent.getOrCompute(time);
    if (prevState) return this.update(prevState, batch);
    if (!batch) return undefined; // no previous state and no data: nothing to do (Spark)
    return this.update(this.initialRDD, batch);
  }
}
