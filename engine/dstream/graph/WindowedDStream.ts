import { formatDuration } from "../Duration";
import type { RDD } from "../RDD";
import { SparkException } from "../../util/errors";
import { DStreamNode } from "./DStreamNode";

/**
 * Spark's WindowedDStream: at every slide, the union of the parent's RDDs in
 * the window (currentTime − window, currentTime]. Window and slide must be
 * multiples of the parent's slide, with Spark's error text otherwise.
 */
export class WindowedDStream<T> extends DStreamNode<T> {
  constructor(
    private readonly parent: DStreamNode<T>,
    readonly windowDurationMs: number,
    private readonly _slideDurationMs: number,
  ) {
    const parentSlide = parent.slideDurationMs;
    if (windowDurationMs % parentSlide !== 0) {
      throw new SparkException(
        `The window duration of windowed DStream (${formatDuration(windowDurationMs)}) must be a multiple of the slide duration of parent DStream (${formatDuration(parentSlide)})`,
      );
    }
    if (_slideDurationMs % parentSlide !== 0) {
      throw new SparkException(
        `The slide duration of windowed DStream (${formatDuration(_slideDurationMs)}) must be a multiple of the slide duration of parent DStream (${formatDuration(parentSlide)})`,
      );
    }
    super(parent.graph);
  }
  override get dependencies(): DStreamNode<unknown>[] {
    return [this.parent as DStreamNode<unknown>];
  }
  override get slideDurationMs(): number {
    return this._slideDurationMs;
  }
  override get parentRememberDurationMs(): number {
    return this.rememberDurationMs + this.windowDurationMs;
  }
  override compute(time: number): RDD<T> {
    const from = time - this.windowDurationMs + this.parent.slideDurationMs;
    return this.sc.union(this.parent.slice(from, time));
  }
}
