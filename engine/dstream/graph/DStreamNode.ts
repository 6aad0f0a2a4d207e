import { IllegalArgumentException, SparkException } from "../../util/errors";
import type { RDD } from "../RDD";
import type { SparkContext } from "../SparkContext";
import type { DStreamGraph } from "./DStreamGraph";

/**
 * A node of the DStream graph: Spark's `DStream` minus its user-facing methods
 * (which live on the `DStream` façade). A node generates one RDD per valid
 * batch time (`getOrCompute`), remembers recent RDDs for windows and state, and
 * forgets older ones (`clearMetadata`).
 *
 * Internal: subclasses are Spark's DStream classes (MappedDStream,
 * WindowedDStream, StateDStream…), one per file.
 */
export abstract class DStreamNode<T> {
  /** Position in the graph, in creation order. */
  readonly id: number;
  readonly graph: DStreamGraph;
  /** RDDs generated so far, by batch time. */
  readonly generatedRDDs = new Map<number, RDD<T>>();
  zeroTime: number | undefined;
  rememberDurationMs = 0;
  checkpointDurationMs: number | undefined;
  /** True for streams whose RDDs must be checkpointed (state, windowed reduce with inverse). */
  readonly mustCheckpoint: boolean = false;

  constructor(graph: DStreamGraph) {
    graph.validateAtInit();
    this.graph = graph;
    this.id = graph.register(this as DStreamNode<unknown>);
  }

  get sc(): SparkContext {
    return this.graph.sc;
  }

  /** The streams this one reads. */
  abstract get dependencies(): DStreamNode<unknown>[];
  /** Interval between this stream's RDDs. */
  abstract get slideDurationMs(): number;
  /** Computes the RDD of a valid time; undefined when there is none. */
  abstract compute(time: number): RDD<T> | undefined;
  /** Name used in messages, e.g. "MappedDStream@3". */
  get name(): string {
    return `${this.constructor.name}@${this.id}`;
  }

  /** How long parents must remember RDDs for this stream (Spark's parentRememberDuration). */
  get parentRememberDurationMs(): number {
    return this.rememberDurationMs;
  }

  /** Spark's DStream.initialize: zero time, automatic checkpoint interval, minimum remember duration. */
  initialize(zeroTime: number): void {
    if (this.zeroTime !== undefined && this.zeroTime !== zeroTime) {
      throw new SparkException(`ZeroTime is already initialized to ${this.zeroTime} ms, cannot initialize it again to ${zeroTime} ms`);
    }
    this.zeroTime = zeroTime;
    const slide = this.slideDurationMs;
    if (this.mustCheckpoint && this.checkpointDurationMs === undefined) {
      // Spark: slideDuration or 10 seconds, whichever is larger (rounded up to a multiple of the slide).
      this.checkpointDurationMs = slide * Math.ceil(10_000 / slide);
    }
    let minRemember = slide;
    if (this.checkpointDurationMs !== undefined && minRemember <= this.checkpointDurationMs) {
      minRemember = this.checkpointDurationMs * 2;
    }
    if (this.rememberDurationMs < minRemember) this.rememberDurationMs = minRemember;
    for (const d of this.dependencies) d.initialize(zeroTime);
  }

  /** Spark's DStream.remember: at least `durationMs`, then the parents. */
  remember(durationMs: number): void {
    if (durationMs > this.rememberDurationMs) this.rememberDurationMs = durationMs;
    for (const d of this.dependencies) d.remember(this.parentRememberDurationMs);
  }

  /** Spark's DStream.validateAtStart (the checkpoint requirement). */
  validateAtStart(): void {
    if (this.checkpointDurationMs !== undefined && !this.graph.isCheckpointDirSet()) {
      throw new IllegalArgumentException(
        "requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().",
      );
    }
    for (const d of this.dependencies) d.validateAtStart();
  }

  /** True when `time` is after the zero time and on this stream's slide. */
  isTimeValid(time: number): boolean {
    if (this.zeroTime === undefined) throw new SparkException(`${this.name} has not been initialized`);
    return time > this.zeroTime && (time - this.zeroTime) % this.slideDurationMs === 0;
  }

  /** The RDD of `time`, computed once and remembered; undefined if the time is not valid or there is no RDD. */
  getOrCompute(time: number): RDD<T> | undefined {
    const cached = this.generatedRDDs.get(time);
    if (cached) return cached;
    if (!this.isTimeValid(time)) return undefined;
    const rdd = this.compute(time);
    if (rdd) this.generatedRDDs.set(time, rdd);
    return rdd;
  }

  /** Spark's DStream.slice: the RDDs of the valid times in [from, to], aligned down to the slide. */
  slice(fromTime: number, toTime: number): RDD<T>[] {
    const zero = this.zeroTime;
    if (zero === undefined) throw new SparkException(`${this.name} has not been initialized`);
    const slide = this.slideDurationMs;
    const align = (t: number) => t - ((((t - zero) % slide) + slide) % slide);
    const out: RDD<T>[] = [];
    for (let t = align(fromTime); t <= align(toTime); t += slide) {
      if (t >= zero) {
        const r = this.getOrCompute(t);
        if (r) out.push(r);
      }
    }
    return out;
  }

  /** Forgets RDDs at or before `time − rememberDuration`, then asks the parents to do the same. */
  clearMetadata(time: number): void {
    for (const t of [...this.generatedRDDs.keys()]) {
      if (t <= time - this.rememberDurationMs) this.generatedRDDs.delete(t);
    }
    for (const d of this.dependencies) d.clearMetadata(time);
  }
}
