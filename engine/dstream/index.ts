/**
 * The DStream API (Spark Streaming), for the browser and Node. Node-only
 * pieces (NodeDStreamFileSystem) are imported from their own files.
 */
export { SparkContext, SparkConf, parseMaster, type SparkContextOptions } from "./SparkContext";
export { RDD, type Pair } from "./RDD";
export { StreamingContext, type StreamingContextOptions, type StreamingContextState } from "./StreamingContext";
export { DStream, type UpdateStateFunc } from "./DStream";
export { type DurationLike } from "./Duration";
export { Receiver } from "./receiver/Receiver";
export { type SocketStreamOptions } from "./receiver/SocketReceiver";
export { type DStreamFileSystem, MemoryDStreamFileSystem } from "./DStreamFileSystem";
export {
  type DStreamCheckpointStore,
  type DStreamCheckpointData,
  type DStreamStateCheckpoint,
  MemoryDStreamCheckpointStore,
  defaultDStreamCheckpointStore,
} from "./DStreamCheckpointStore";
export type {
  StreamingListener,
  BatchInfo,
  BlockInfo,
  StreamInputInfo,
  OutputOperationInfo,
  ReceiverInfo,
} from "./scheduler/StreamingListener";
export { pyRepr, pyStr } from "./pyRepr";
export { VfsDStreamCheckpointStore, DSTREAM_CHECKPOINT_FILE } from "./VfsDStreamCheckpointStore";
