import { IllegalArgumentException, IllegalStateException } from "../../util/errors";
import type { SparkContext } from "../SparkContext";
import type { DStreamNode } from "./DStreamNode";
import type { ForEachDStream } from "./ForEachDStream";
import type { InputDStream } from "./InputDStream";

/** Lifecycle of a StreamingContext, Spark's StreamingContextState. */
export type StreamingContextState = "INITIALIZED" | "ACTIVE" | "STOPPED";

/**
 * The DStream graph of one StreamingContext (Spark's DStreamGraph): input and
 * output streams, the batch duration, and the context state every new node checks.
 */
export class DStreamGraph {
  readonly inputStreams: InputDStream<unknown>[] = [];
  readonly outputStreams: ForEachDStream<unknown>[] = [];
  /** Every node, by id (ids follow creation order, so a graph built again by the same code gets the same ids). */
  readonly nodes: DStreamNode<unknown>[] = [];
  zeroTime: number | undefined;
  /** Set by `ssc.remember(duration)`. */
  rememberDurationMs: number | undefined;

  constructor(
    readonly sc: SparkContext,
    readonly batchDurationMs: number,
    private readonly getState: () => StreamingContextState,
    /** True when `ssc.checkpoint(dir)` was called. */
    readonly isCheckpointDirSet: () => boolean,
  ) {}

  /** Spark's DStream.validateAtInit: no new nodes once the context started or stopped. */
  validateAtInit(): void {
    const state = this.getState();
    if (state === "ACTIVE") {
      throw new IllegalStateException(
        "Adding new inputs, transformations, and output operations after starting a context is not supported",
      );
    }
    if (state === "STOPPED") {
      throw new IllegalStateException(
        "Adding new inputs, transformations, and output operations after stopping a context is not supported",
      );
    }
  }

  /** Registers a node; returns its id. */
  register(node: DStreamNode<unknown>): number {
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  /** Spark's DStreamGraph.validate. Throws IllegalArgumentException "requirement failed: …". */
  validate(): void {
    if (this.outputStreams.length === 0) {
      throw new IllegalArgumentException("requirement failed: No output operations registered, so nothing to execute");
    }
  }

  /** Initializes every stream at `zeroTime`, sets remember durations and validates (Spark's DStreamGraph.start). */
  start(zeroTime: number): void {
    this.zeroTime = zeroTime;
    for (const o of this.outputStreams) o.initialize(zeroTime);
    for (const o of this.outputStreams) o.remember(this.rememberDurationMs ?? 0);
    for (const o of this.outputStreams) o.validateAtStart();
  }

  /** Forgets RDDs older than each stream's remember duration (Spark's clearMetadata after a batch). */
  clearMetadata(time: number): void {
    for (const o of this.outputStreams) o.clearMetadata(time);
  }
}
