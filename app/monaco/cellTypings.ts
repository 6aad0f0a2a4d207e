import engineDts from "virtual:engine-dts";

/** Where the engine's declarations live in the editor's virtual file system. */
const ENGINE_ROOT = "file:///node_modules/@playground/engine/";

/**
 * What the editor's TypeScript service knows about a cell's scope: the
 * engine's own declarations (generated from `engine/` at build time) and the
 * names the worker puts in scope. Cells are scripts sharing these globals.
 */
export function cellTypingLibs(): Array<{ content: string; filePath: string }> {
  const libs = Object.entries(engineDts).map(([rel, content]) => ({ content, filePath: ENGINE_ROOT + rel }));
  libs.push({
    content: JSON.stringify({ name: "@playground/engine", types: "index.d.ts" }),
    filePath: ENGINE_ROOT + "package.json",
  });
  libs.push({ content: CELL_SCOPE_DTS, filePath: "file:///cell-scope.d.ts" });
  return libs;
}

const CELL_SCOPE_DTS = `
type __Engine = typeof import("@playground/engine");
declare global {
  /** The notebook's SparkSession, shared by every cell. */
  const spark: import("@playground/engine").SparkSession;
  /** Spark's functions module: F.col, F.window, F.count… */
  const F: __Engine["F"];
  const SparkSession: __Engine["SparkSession"];
  const MemoryStream: __Engine["MemoryStream"];
  const ManualClock: __Engine["ManualClock"];
  /** The DStream API (Spark Streaming): new SparkContext("local[2]", "App"), new StreamingContext(sc, seconds). */
  const SparkContext: __Engine["SparkContext"];
  const StreamingContext: __Engine["StreamingContext"];
  /**
   * Shows a DataFrame under the cell, as Databricks' display(): a streaming one
   * starts a memory query (complete mode when it aggregates) shown as a live
   * table and, for windowed aggregations, a chart; a static one, its rows.
   */
  function display(df: import("@playground/engine").DataFrame): Promise<import("@playground/engine").StreamingQuery | undefined>;
}
export {};
`;
