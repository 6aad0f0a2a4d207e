import * as engine from "../index";
import type { CellEvent } from "./protocol";

/** What a cell's scope needs from the session that runs it. */
export interface CellScopeContext {
  cellId: string;
  spark: engine.SparkSession;
  clock: engine.Clock | null;
  emit: (event: CellEvent) => void;
  display: (df: engine.DataFrame) => Promise<engine.StreamingQuery | undefined>;
  /** Every StreamingContext the cell creates, so re-running or stopping the cell stops it. */
  streamingContexts: Set<engine.StreamingContext>;
  /** Where DStream checkpoints go: the notebook's file system (IndexedDB in the browser). */
  dstreamCheckpoints: engine.DStreamCheckpointStore;
}

/** Printed text as a cell event, ending with a newline. */
export function stdoutEvent(text: string): CellEvent {
  return { kind: "stdout", text: text.endsWith("\n") ? text : text + "\n" };
}

/**
 * The names a cell's code sees: the engine's public API, the notebook's
 * `spark`, `F`, `display`, and a `console` that prints under the cell. The
 * DStream classes are the engine's own, set up for the notebook: a
 * SparkContext prints `pprint` under its cell and reads the session's clock,
 * and a StreamingContext reports its batches to the page and is stopped when
 * its cell is re-run or stopped.
 */
export function cellScope(ctx: CellScopeContext): Record<string, unknown> {
  const print = (...args: unknown[]) => ctx.emit(stdoutEvent(args.map(format).join(" ")));
  const cellConsole = { log: print, info: print, warn: print, error: print, debug: print };

  class SparkContext extends engine.SparkContext {
    constructor(master: string, appName: string, options: ConstructorParameters<typeof engine.SparkContext>[2] = {}) {
      super(master, appName, {
        output: (text) => ctx.emit(stdoutEvent(text)),
        warn: (text) => ctx.emit(stdoutEvent(`WARN ${text}`)),
        ...(ctx.clock ? { clock: ctx.clock } : {}),
        ...options,
      });
    }
  }

  const checkpointStore = ctx.dstreamCheckpoints;

  class StreamingContext extends engine.StreamingContext {
    constructor(...[sc, batchDuration, options]: ConstructorParameters<typeof engine.StreamingContext>) {
      super(sc, batchDuration, { checkpointStore, ...options });
      ctx.streamingContexts.add(this);
      this.addStreamingListener({
        onBatchCompleted: ({ batchInfo }) =>
          ctx.emit({
            kind: "dstreamBatch",
            batchTimeMs: batchInfo.batchTime,
            numRecords: batchInfo.numRecords,
            processingDelayMs: batchInfo.processingDelay ?? null,
            blocks: batchInfo.blocks.map((b) => ({ id: String(b.blockId), numRecords: b.numRecords })),
            windows: this.windowsAt(batchInfo.batchTime),
          }),
        onReceiverError: ({ receiverInfo }) => ctx.emit(stdoutEvent(`Receiver ${receiverInfo.name}: ${receiverInfo.lastErrorMessage}`)),
      });
    }

    /** Restores from the notebook's checkpoint store unless given another. */
    static override getOrCreate(
      checkpointPath: string,
      createFn: () => engine.StreamingContext,
      store: engine.DStreamCheckpointStore = checkpointStore,
    ): Promise<engine.StreamingContext> {
      return engine.StreamingContext.getOrCreate(checkpointPath, createFn, store);
    }
  }

  return {
    ...engine,
    SparkContext,
    StreamingContext,
    spark: ctx.spark,
    F: engine.F,
    console: cellConsole,
    display: ctx.display,
  };
}

/** Names every cell scope has (the compiled cell's parameters). */
export const CELL_SCOPE_NAMES: readonly string[] = [...new Set([...Object.keys(engine), "spark", "F", "console", "display"])];

function format(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
