import * as engine from "../index";
import type { DataFrame } from "../api/DataFrame";
import type { StreamingQuery } from "../api/StreamingQuery";
import type { VirtualFileSystem } from "../fs/VirtualFileSystem";
import { compileCell } from "../worker/userCode";
import { interceptStreamStarts, type WriteSpec } from "./capture";
import { DStreamRecording, emitDStreams, recordingDStreamScope } from "./dstream";
import { MemoryFileSystem } from "../fs/MemoryFileSystem";
import { OverlayFileSystem } from "./OverlayFileSystem";
import { PlanEmitter } from "./plan";
import { pyComment } from "./python";
import { ScriptBuilder } from "./script";
import { awaitQueries, queryToPySpark, sessionConfs } from "./toPySpark";
import { emitConsoleQuery, emitQuery } from "./writer";

/** A notebook cell, as the page keeps it. */
export interface ExportCell {
  readonly kind: string;
  readonly source: string;
}

/** Options of `exportNotebookToPySpark`. */
export interface ExportNotebookOptions {
  /** The script's first comment line (default "Streaming Playground notebook"). */
  title?: string;
  /**
   * The notebook's file system, read (never written) by the cells during the export: file
   * sources that infer their schema at load(), spark.read. Default: an empty one.
   */
  fileSystem?: VirtualFileSystem;
  /** Real time a cell may take before the export moves on (default 2000 ms). */
  cellTimeoutMs?: number;
}

type Captured = { kind: "query"; spec: WriteSpec } | { kind: "display"; df: DataFrame };

interface CellCapture {
  index: number;
  kind: string;
  source: string;
  captured: Captured[];
  dstreams: DStreamRecording;
  error: string | null;
}

/**
 * Exports a notebook to one PySpark script. The code cells run in order, as on the page,
 * on a private Node/worker engine session with a ManualClock, in capture mode: every
 * `writeStream…start()` and `display(df)` is recorded instead of started (nothing runs, no
 * socket opens), DStream programs run on recording stand-ins of SparkContext and
 * StreamingContext. The recorded queries are then written as PySpark, cell by cell
 * (`# %% Cell n` markers), followed by awaitTermination().
 *
 * Never rejects for a cell's own error: the script says where the cell stopped, and
 * keeps what it started before. Works in the worker and in Node (no node: imports).
 *
 * @example
 *   const script = await exportNotebookToPySpark([{ kind: "code", source: 'spark.readStream.format("rate").load().writeStream.format("console").start();' }]);
 */
export async function exportNotebookToPySpark(cells: readonly ExportCell[], options: ExportNotebookOptions = {}): Promise<string> {
  const clock = new engine.ManualClock(0);
  let appName = "StreamingPlayground";
  const spark = new engine.SparkSession(appName, clock, () => undefined, null);
  // Cells may write files (spark.fileSystem.writeText): they land in memory, never in the notebook's files.
  spark.fileSystem = new OverlayFileSystem(options.fileSystem ?? new MemoryFileSystem());
  const captures: CellCapture[] = [];
  let current: CellCapture | null = null;
  const release = interceptStreamStarts(spark, (spec) => {
    current?.captured.push({ kind: "query", spec });
    // An empty memory table, so later cells that read it (spark.table, spark.sql) still run.
    if (spec.format.toLowerCase() === "memory" && spec.queryName !== null && !spark.memoryTables.has(spec.queryName)) {
      spark.memoryTables.set(spec.queryName, { attrs: spec.df.plan.output, rows: [] });
    }
    return capturedQuery(spec);
  });
  const builder = {
    appName(name: string) {
      appName = name;
      return builder;
    },
    master: () => builder,
    config(k: string, v: string | number | boolean) {
      spark.conf.set(k, v);
      return builder;
    },
    clock: () => builder,
    output: () => builder,
    checkpointStores: () => builder,
    fileSystem: () => builder,
    getOrCreate: () => spark,
  };
  const SparkSession = { builder: () => builder, getActiveSession: () => spark };
  const quietConsole = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const timeoutMs = options.cellTimeoutMs ?? 2000;
  const globals: Record<string, unknown> = {};
  try {
    for (const [i, cell] of cells.entries()) {
      const cap: CellCapture = { index: i + 1, kind: cell.kind, source: cell.source, captured: [], dstreams: new DStreamRecording(), error: null };
      captures.push(cap);
      if (cell.kind !== "code") continue;
      current = cap;
      const scope: Record<string, unknown> = {
        ...engine,
        ...recordingDStreamScope(cap.dstreams),
        SparkSession,
        spark,
        F: engine.F,
        console: quietConsole,
        display: async (df: DataFrame) => {
          cap.captured.push({ kind: "display", df });
          return undefined;
        },
        // Time never passes during an export: timers fire at once, intervals never.
        setTimeout: (f: () => void) => {
          void Promise.resolve().then(f);
          return 0;
        },
        setInterval: () => 0,
        clearTimeout: () => undefined,
        clearInterval: () => undefined,
      };
      Object.assign(scope, globals);
      try {
        const compiled = compileCell(`export-${i + 1}`, cell.source, Object.keys(scope));
        // Names a cell declares at its top level are seen by later cells, as on the page.
        await withTimeout(compiled.run(scope, (values) => Object.assign(globals, values)), timeoutMs);
      } catch (e) {
        cap.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      current = null;
    }
  } finally {
    release();
  }

  const b = new ScriptBuilder(options.title ?? "Streaming Playground notebook");
  const structured = captures.some((c) => c.captured.length > 0);
  const dstream = captures.some((c) => !c.dstreams.isEmpty);
  b.usesSparkSession = structured || !dstream;
  b.appName = appName;
  b.confs = sessionConfs(spark);
  const plans = new PlanEmitter(b);
  const queries: string[] = [];
  const contexts: string[] = [];
  for (const c of captures) {
    if (c.kind !== "code") {
      const heading = c.source.split(/\r?\n/).find((l) => l.trim() !== "");
      if (heading !== undefined) b.body.push(...pyComment(heading.replace(/^#+\s*/, "")).map((l) => `#${l}`), "");
      continue;
    }
    b.body.push(`# %% Cell ${c.index}`);
    if (c.error !== null) {
      b.body.push(...pyComment(`During the export this cell stopped with ${c.error}; what it started before that is exported.`));
      b.note(`cell ${c.index} stopped during the export (queries do not run while exporting, so reading their output fails): see the comment in that cell.`);
    }
    if (c.captured.length === 0 && c.dstreams.isEmpty) {
      b.body.push("# (no streaming query started here: nothing to export)", "");
      continue;
    }
    for (const item of c.captured) {
      if (item.kind === "query") queries.push(emitQuery(b, plans, item.spec, queries.length + 1));
      else if (item.df.isStreaming) {
        queries.push(emitConsoleQuery(b, plans, item.df.plan, "display(df) draws a live table in the playground; a script prints each micro-batch with the console sink."));
      } else {
        const v = plans.dataFrame(item.df.plan, "df");
        b.body.push(`${v}.show()`, "");
      }
    }
    contexts.push(...emitDStreams(b, c.dstreams));
  }
  awaitQueries(b, queries);
  for (const v of contexts) b.footer.push(`${v}.awaitTermination()`);
  return b.render();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<undefined>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the cell was still running after ${ms} ms (queries it started are exported)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The StreamingQuery a captured start() returns: inert, terminated at once. */
function capturedQuery(spec: WriteSpec): StreamingQuery {
  const id = `export-${Math.random().toString(16).slice(2)}`;
  const q = {
    id,
    runId: id,
    name: spec.queryName,
    isActive: false,
    triggerKind: spec.trigger.kind,
    status: { message: "Exported to PySpark (not started)", isDataAvailable: false, isTriggerActive: false },
    exception: null,
    lastProgress: null,
    recentProgress: [],
    processAllAvailable: () => Promise.resolve(),
    step: () => Promise.resolve(),
    awaitTermination: () => Promise.resolve(true),
    stop: () => Promise.resolve(),
    explain: () => undefined,
    toPySpark: () => queryToPySpark(spec),
    toString: () => `StreamingQuery(${spec.queryName ?? "<no name>"}, exported)`,
  };
  return q as unknown as StreamingQuery;
}
