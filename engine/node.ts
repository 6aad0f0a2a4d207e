/**
 * Node-only additions to the engine (they import node:fs): import this file from Node code
 * and tests, never from the browser bundle (which imports engine/index.ts).
 *
 * @example
 * import { SparkSession } from "./engine";
 * import { NodeFileSystem, openFileCheckpointStore } from "./engine/node";
 * const spark = SparkSession.builder()
 *   .fileSystem(new NodeFileSystem("/tmp/play"))
 *   .checkpointStores((location) => openFileCheckpointStore(location))
 *   .getOrCreate();
 */
export { NodeFileSystem } from "./fs/NodeFileSystem";
export { NodeCheckpointFileManager } from "./checkpoint/file/NodeCheckpointFileManager";
export { openFileCheckpointStore, resetFileCheckpoint } from "./checkpoint/file/FileCheckpointStore";
