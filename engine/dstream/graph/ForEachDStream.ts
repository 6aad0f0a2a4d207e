import type { RDD } from "../RDD";
import { DStreamNode } from "./DStreamNode";

/** A job of a batch: one output operation to run. */
export interface Job {
  time: number;
  /** Index of the output operation. */
  outputOpId: number;
  /** e.g. "pprint", "foreachRDD". */
  name: string;
  run(): Promise<void>;
}

/**
 * Spark's ForEachDStream: an output operation. Registered in the graph's
 * output streams; at each valid time it yields a job that computes the
 * parent's RDD and runs the function on it (which may be async).
 */
export class ForEachDStream<T> extends DStreamNode<void> {
  /** Index among the output operations. */
  readonly outputOpId: number;

  constructor(
    private readonly parent: DStreamNode<T>,
    private readonly foreachFunc: (rdd: RDD<T>, time: number) => void | Promise<void>,
    /** Name shown in OutputOperationInfo. */
    readonly opName: string,
  ) {
    super(parent.graph);
    this.outputOpId = this.graph.outputStreams.length;
    this.graph.outputStreams.push(this as ForEachDStream<unknown>);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this.parent.slideDurationMs;
  }
  override compute(): RDD<void> | undefined {
    return undefined;
  }

  /** The job of `time`, or undefined when this output does not run at that time. */
  generateJob(time: number): Job | undefined {
    if (!this.isTimeValid(time)) return undefined;
    return {
      time,
      outputOpId: this.outputOpId,
      name: this.opName,
      run: async () => {
        const rdd = this.parent.getOrCompute(time);
        if (rdd) await this.foreachFunc(rdd, time);
      },
    };
  }
}
