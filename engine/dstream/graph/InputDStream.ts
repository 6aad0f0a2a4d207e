import type { StreamInputInfo } from "../scheduler/StreamingListener";
import type { DStreamGraph } from "./DStreamGraph";
import { DStreamNode } from "./DStreamNode";

/**
 * Spark's InputDStream: a stream with no parents that produces one RDD per
 * batch interval. Numbered in creation order (`inputStreamId`), registered in
 * the graph's input streams.
 */
export abstract class InputDStream<T> extends DStreamNode<T> {
  /** Spark's stream id: the index among the context's input streams. */
  readonly inputStreamId: number;

  constructor(graph: DStreamGraph) {
    super(graph);
    this.inputStreamId = graph.inputStreams.length;
    graph.inputStreams.push(this as InputDStream<unknown>);
  }

  override get dependencies(): DStreamNode<unknown>[] {
    return [];
  }

  override get slideDurationMs(): number {
    return this.graph.batchDurationMs;
  }

  /** Called when the context starts (receivers connect here). */
  async start(): Promise<void> {}

  /** Called when the context stops; `graceful` flushes buffered data into blocks first. */
  async stop(_graceful: boolean): Promise<void> {}

  /** Asynchronous work before the batch at `time` is computed (listing files…). */
  async prepare(_time: number): Promise<void> {}

  /** What this stream contributed to the batch at `time` (called after `getOrCompute(time)`). */
  inputInfo(time: number): StreamInputInfo {
    return { inputStreamId: this.inputStreamId, numRecords: this.generatedRDDs.get(time)?.count() ?? 0, blocks: [] };
  }
}
