/**
 * Node-only additions to the DStream API (they import node:fs): import this
 * file from Node code and tests, never from the browser bundle.
 *
 * @example
 * import { NodeDStreamFileSystem } from "./engine/dstream/node";
 * ssc.textFileStream("/tmp/in", new NodeDStreamFileSystem()).pprint();
 */
export { NodeDStreamFileSystem } from "./NodeDStreamFileSystem";
