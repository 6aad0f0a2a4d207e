import { RDD } from "../RDD";
import type { DStreamGraph } from "./DStreamGraph";
import { InputDStream } from "./InputDStream";

/**
 * Spark's QueueInputDStream: each batch takes the next RDD of a queue
 * (`oneAtATime`), or all queued RDDs at once; with an empty queue it gives
 * `defaultRDD`, or an empty RDD. The queue is the caller's array: pushing to
 * it later feeds later batches. Plain arrays in the queue are parallelized.
 */
export class QueueInputDStream<T> extends InputDStream<T> {
  constructor(
    graph: DStreamGraph,
    private readonly queue: (RDD<T> | readonly T[])[],
    private readonly oneAtATime: boolean,
    private readonly defaultRDD: RDD<T> | undefined,
  ) {
    super(graph);
  }

  private toRDD(x: RDD<T> | readonly T[]): RDD<T> {
    return x instanceof RDD ? x : this.sc.parallelize<T>(x);
  }

  override compute(_time: number): RDD<T> {
    const taken = this.oneAtATime ? this.queue.splice(0, this.queue.length > 0 ? 1 : 0) : this.queue.splice(0);
    if (taken.length > 0) {
      const rdds = taken.map((x) => this.toRDD(x));
      return this.oneAtATime ? (rdds[0] as RDD<T>) : this.sc.union(rdds);
    }
    return this.defaultRDD ?? this.sc.emptyRDD<T>();
  }
}
