import * as Comlink from "comlink";
import * as engine from "../index";
import type { CellEvent, EngineOptions, EngineWorkerApi, RunOutcome, WireError, WireField, WireInjectedEvent, ReplayOutcome, SinkCheck, WireColumn } from "./protocol";
import { CELL_SCOPE_NAMES, cellScope, stdoutEvent } from "./cellScope";
import { exportNotebookToPySpark } from "../export";
import { display } from "./display";
import { compileCell, toWireError } from "./userCode";
import { completeDelta } from "./completeDelta";
import { estimateBytes, rowsToWireColumns, toWireColumns, wireColumnsToRows, toWireLateRows, toWireProgress, toWireRows } from "./wire";
import { checkSink } from "./sinkCheck";

type Listener = (event: CellEvent) => void;

/** At most this many rows of one batch cross to the page (it shows the last 10,000 rows of a table). */
export const MAX_ROWS_PER_MESSAGE = 5_000;

/**
 * One SparkSession shared by every cell of a notebook (as one Spark driver
 * serves a notebook), and the bookkeeping of which cell started which query,
 * so that each query's batches, progress and console output reach that cell.
 *
 * A query belongs to the cell whose code was running when it started. Cells'
 * code runs one at a time (calls are queued), so that attribution is exact.
 */
export class CellSession implements EngineWorkerApi {
  private sparkSession: engine.SparkSession | null = null;
  private opening: Promise<void> | null = null;
  private dstreamCheckpoints: engine.VfsDStreamCheckpointStore | null = null;
  private catalog: engine.IdbCheckpointCatalog | null = null;
  private fileSystem: engine.IdbFileSystem | null = null;
  /** Why storage fell back to memory, told once under the first cell run. */
  private storageWarning: string | null = null;
  private options: EngineOptions = {};
  private clock: engine.ManualClock | null = null;
  private readonly listeners = new Map<string, Listener>();
  /** Per complete-mode query, the last table the page has, one JSON text per row: batches send only what changed. */
  private readonly completeTables = new Map<string, string[]>();
  private readonly queryCell = new Map<string, string>();
  private runningCell: string | null = null;
  /** True while `display(df)` starts its query, so the page knows to open the chart. */
  private startingDisplay = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly streamingContexts = new Map<string, Set<engine.StreamingContext>>();
  private readonly socketCell = new Map<number, string>();
  private readonly approvedUrls = new Set<string>();
  /** Names the notebook's cells declared at their top level, shared by all cells (as Jupyter's globals). */
  private readonly notebookGlobals: Record<string, unknown> = {};
  private approveHost: ((url: string) => Promise<boolean>) | null = null;

  constructor() {
    // Every socket (a socket source or a DStream receiver) asks before connecting to a new host.
    engine.setConnectionGuard(async (url) => {
      if (this.approvedUrls.has(url)) return;
      const approved = this.approveHost ? await this.approveHost(url) : false;
      if (!approved) throw new Error(`The connection to ${url} was not allowed. Run the cell again and allow it to read from this server.`);
      this.approvedUrls.add(url);
    });
    // A socket belongs to the cell whose code was running when it first connected.
    engine.setConnectionObserver((socketId, event) => {
      if (!this.socketCell.has(socketId) && this.runningCell !== null) this.socketCell.set(socketId, this.runningCell);
      const cellId = this.socketCell.get(socketId);
      if (cellId !== undefined) this.emitTo(cellId, { kind: "connection", socketId, url: event.url, state: event.state, message: event.message });
    });
  }

  setHostApprover(approve: (url: string) => Promise<boolean>): Promise<void> {
    this.approveHost = approve;
    return Promise.resolve();
  }

  configure(options: EngineOptions): Promise<void> {
    if (this.opening) return Promise.reject(new Error("configure() must come before the first cell runs."));
    this.options = { ...options };
    return Promise.resolve();
  }

  /**
   * Opens the browser's storage once: checkpoints and the virtual file system
   * in IndexedDB, so queries survive a reload or a crashed worker. Where
   * IndexedDB cannot be used, the session falls back to memory and says why.
   */
  private open(): Promise<void> {
    this.opening ??= (async () => {
      if (typeof indexedDB === "undefined") return;
      try {
        this.catalog = await engine.openIdbCheckpointCatalog({ onLockLost: (location) => void this.stopQueriesOn(location) });
        this.fileSystem = await engine.IdbFileSystem.open();
      } catch (e) {
        this.storageWarning = `Checkpoints and files are kept in memory only: ${e instanceof Error ? e.message : String(e)}`;
      }
    })();
    return this.opening;
  }

  /** A checkpoint location the user chose; temporary ones (no checkpointLocation option) are not shown. */
  private userCheckpoint(location: string | undefined): string | null {
    return location === undefined || location.startsWith("$temporary-checkpoint-") ? null : location;
  }

  /** Another tab took the checkpoint over: this tab's queries on it stop. */
  private async stopQueriesOn(location: string): Promise<void> {
    const spark = this.sparkSession;
    if (!spark) return;
    await Promise.all(spark.streams.active.filter((q) => q.checkpointLocation === location).map((q) => q.stop()));
  }

  takeOverCheckpoint(location: string): Promise<void> {
    return this.open().then(() => this.catalog?.takeOver(location));
  }

  async resetCheckpoint(location: string): Promise<void> {
    await this.open();
    const running = this.spark.streams.active.find((q) => q.checkpointLocation === location);
    if (running) throw new Error(`Stop the query "${running.name ?? running.id}" before resetting its checkpoint "${location}".`);
    if (this.catalog) await this.catalog.reset(location);
    else engine.deleteMemoryCheckpoint(location);
  }

  async checkpointFiles(location: string): Promise<Array<{ path: string; text: string; size: number }>> {
    await this.open();
    return this.catalog ? this.catalog.files(location) : [];
  }

  async exportPySpark(cells: Array<{ kind: string; source: string }>, title: string): Promise<string> {
    await this.open();
    return exportNotebookToPySpark(cells, { title, fileSystem: this.spark.fileSystem });
  }

  async listFiles(dir: string): Promise<Array<{ path: string; size: number; modificationTime: number; isDir: boolean }>> {
    await this.open();
    const fs = this.spark.fileSystem;
    return (await fs.list(dir)).map((f) => ({ path: f.path, size: f.size, modificationTime: f.modificationTime, isDir: f.isDir }));
  }

  async writeFile(path: string, text: string): Promise<void> {
    await this.open();
    await this.spark.fileSystem.writeText(path, text);
  }

  async readFile(path: string): Promise<string> {
    await this.open();
    return this.spark.fileSystem.readText(path);
  }

  /** The notebook's session, created at first use (after `open()`) with the configured clock, seed and storage. */
  private get spark(): engine.SparkSession {
    if (this.sparkSession) return this.sparkSession;
    const builder = engine.SparkSession.builder()
      .appName("StreamingPlayground")
      .output((text: string, origin?: { queryId?: string }) => this.stdout(text, origin?.queryId));
    if (this.catalog) builder.checkpointStores(this.catalog.factory);
    if (this.fileSystem) builder.fileSystem(this.fileSystem);
    if (this.options.manualClock) {
      this.clock = new engine.ManualClock(this.options.clockStartMs ?? 0);
      builder.clock(this.clock);
    }
    const spark = builder.getOrCreate();
    if (this.options.seed !== undefined) spark.conf.set("spark.playground.seed", String(this.options.seed));
    this.sparkSession = spark;
    // DStream checkpoints and textFileStream use the notebook's file system (IndexedDB in the browser).
    this.dstreamCheckpoints = new engine.VfsDStreamCheckpointStore(spark.fileSystem);
    engine.StreamingContext.defaultFileSystem = spark.fileSystem;
    this.listen(spark);
    return spark;
  }

  private listen(spark: engine.SparkSession): void {
    spark.streams.addListener({
      onQueryStarted: (event) => {
        const cellId = this.runningCell;
        if (cellId === null) return;
        this.queryCell.set(event.id, cellId);
        // A new run starts a new table on the page: its first complete-mode batch goes whole.
        this.completeTables.delete(event.id);
        // Starts counting rows per operator, for the plan view, and following rows past the watermark.
        const query = spark.streams.get(event.id);
        query?.planGraph();
        query?.lateRows();
        this.emitTo(cellId, {
          kind: "queryStarted",
          queryId: event.id,
          runId: event.runId,
          name: event.name ?? null,
          display: this.startingDisplay,
          manualTrigger: query?.triggerKind === "manual",
          checkpointLocation: this.userCheckpoint(query?.checkpointLocation),
          keyColumns: query?.groupingColumns() ?? null,
          watermark: query?.eventTimeWatermark ?? null,
        });
        // After the start has read the checkpoint: which batch it re-runs from the offset log.
        const checkpoint = this.userCheckpoint(query?.checkpointLocation);
        if (query && checkpoint !== null) {
          void query.recovery().then((info) => {
            if (info === null || (info.lastCommittedBatchId < 0 && info.rerunBatchId === null)) return;
            this.emitTo(cellId, {
              kind: "recovery",
              queryId: event.id,
              lastCommittedBatchId: info.lastCommittedBatchId,
              rerunBatchId: info.rerunBatchId,
              rerunOffsets: info.rerunOffsets?.map((o) => ({ source: o.source, start: JSON.stringify(o.start), end: JSON.stringify(o.end) })) ?? null,
            });
          });
        }
      },
      onQueryProgress: (event) => {
        const progress = event.progress as unknown as Record<string, unknown>;
        const wire = toWireProgress(progress);
        const query = spark.streams.get(String(progress.id));
        wire.plan = query?.planGraph() ?? null;
        const late = query?.lateRows();
        if (late) wire.lateRows = toWireLateRows(late);
        this.emitForQuery(String(progress.id), { kind: "progress", queryId: String(progress.id), progress: wire, wireBytes: estimateBytes(wire) });
      },
      onQueryBatchOutput: (event) => {
        const schema: WireField[] = event.schema.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
        // A fast stream (200,000 rows/s) would flood the page: it keeps the last rows only anyway.
        const total = event.data?.numRows ?? event.rows.length;
        const from = Math.max(0, total - MAX_ROWS_PER_MESSAGE);
        let wire: { columns: WireColumn[]; transfer: ArrayBuffer[]; bytes: number };
        if (event.data) wire = toWireColumns(event.data, from);
        else {
          const rows = toWireRows(schema, event.rows.slice(from) as Record<string, unknown>[]);
          wire = { columns: rowsToWireColumns(schema.length, rows), transfer: [], bytes: estimateBytes(rows) };
        }
        const numRows = total - from;
        const base = { kind: "batch" as const, queryId: event.id, name: event.name ?? null, batchId: event.batchId, outputMode: event.outputMode, sink: event.sink, schema };
        if (event.outputMode === "complete" && from === 0) {
          // Complete mode hands the sink the whole table every batch; the page gets the rows that changed.
          const delta = completeDelta(this.completeTables, event.id, wireColumnsToRows(wire.columns, numRows));
          if (delta !== null) {
            const columns = rowsToWireColumns(schema.length, delta.rows);
            this.emitForQuery(event.id, { ...base, columns, numRows: delta.rows.length, omittedRows: 0, wireBytes: estimateBytes(columns) + 4 * delta.positions.length, delta: { positions: delta.positions, tableRows: numRows } });
            return;
          }
        } else this.completeTables.delete(event.id);
        this.emitForQuery(event.id, { ...base, columns: wire.columns, numRows, omittedRows: from, wireBytes: wire.bytes }, wire.transfer);
      },
      onQueryTerminated: (event) => {
        this.completeTables.delete(event.id);
        const error = event.exception
          ? {
              name: "StreamingQueryException",
              message: event.exception,
              ...(event.errorClassOnException ? { errorClass: event.errorClassOnException } : {}),
            }
          : null;
        this.emitForQuery(event.id, { kind: "queryTerminated", queryId: event.id, error });
      },
    });
  }

  runCell(cellId: string, code: string, onEvent: Listener): Promise<RunOutcome> {
    const run = this.queue.then(async () => {
      await this.open();
      await this.stopCell(cellId);
      this.listeners.set(cellId, onEvent);
      this.runningCell = cellId;
      if (this.storageWarning) {
        onEvent(stdoutEvent(`WARN ${this.storageWarning}`));
        this.storageWarning = null;
      }
      try {
        const names = [...new Set([...CELL_SCOPE_NAMES, ...Object.keys(this.notebookGlobals)])];
        const cell = compileCell(cellId, code, names);
        await cell.run({ ...this.scopeFor(cellId), ...this.notebookGlobals }, (values) => Object.assign(this.notebookGlobals, values));
        return { ok: true, activeQueries: this.queriesOf(cellId) } satisfies RunOutcome;
      } catch (error) {
        return { ok: false, error: toWireError(error, cellId) } satisfies RunOutcome;
      } finally {
        this.runningCell = null;
      }
    });
    this.queue = run;
    return run;
  }

  async stopCell(cellId: string): Promise<void> {
    await this.open();
    const ids = this.queriesOf(cellId);
    await Promise.all(
      this.spark.streams.active.filter((q) => ids.includes(q.id)).map((q) => q.stop()),
    );
    for (const id of ids) this.queryCell.delete(id);
    const contexts = this.streamingContexts.get(cellId) ?? new Set();
    await Promise.all([...contexts].map((ssc) => ssc.stop(false).catch(() => undefined)));
    contexts.clear();
    const listener = this.listeners.get(cellId);
    this.listeners.delete(cellId);
    // The listener is a comlink proxy holding a MessagePort open; let it go.
    (listener as Partial<Comlink.Remote<Listener>> | undefined)?.[Comlink.releaseProxy]?.();
  }

  ping(): Promise<"pong"> {
    return Promise.resolve("pong");
  }

  async stepQuery(queryId: string): Promise<WireError | null> {
    await this.open();
    const query = this.spark.streams.get(queryId);
    if (!query) return { name: "IllegalStateException", message: `No active query with id ${queryId}.` };
    try {
      await query.step();
      return null;
    } catch (e) {
      return toWireError(e);
    }
  }

  async injectEvent(queryId: string, event: WireInjectedEvent): Promise<WireError | null> {
    await this.open();
    const query = this.spark.streams.get(queryId);
    if (!query) return { name: "IllegalStateException", message: `No active query with id ${queryId}.` };
    try {
      query.inject(event);
      return null;
    } catch (e) {
      return toWireError(e);
    }
  }

  async replayQuery(queryId: string, watermarkDelayMs: number | null): Promise<ReplayOutcome> {
    await this.open();
    const query = this.spark.streams.get(queryId);
    if (!query) return { ok: false, error: { name: "IllegalStateException", message: `No active query with id ${queryId}: run the cell again to replay it.` } };
    try {
      const r = await query.replay(watermarkDelayMs);
      const schema: WireField[] = r.schema.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable }));
      const { rows, ...rest } = r;
      return { ok: true, replay: { ...rest, schema, rows: toWireRows(schema, rows as Record<string, unknown>[]) } };
    } catch (e) {
      return { ok: false, error: toWireError(e) };
    }
  }

  async haltInNextBatch(queryId: string): Promise<{ ok: true; batchId: number } | { ok: false; error: WireError }> {
    await this.open();
    const query = this.spark.streams.get(queryId);
    if (!query) return { ok: false, error: { name: "IllegalStateException", message: `No active query with id ${queryId}.` } };
    try {
      return { ok: true, batchId: await query.haltInNextBatch() };
    } catch (e) {
      return { ok: false, error: toWireError(e) };
    }
  }

  async checkSink(queryId: string): Promise<{ ok: true; check: SinkCheck } | { ok: false; error: WireError }> {
    await this.open();
    const query = this.spark.streams.get(queryId);
    const spec = query?.sinkSpec;
    if (!spec) return { ok: false, error: { name: "IllegalStateException", message: `No active query with id ${queryId}.` } };
    try {
      return { ok: true, check: await checkSink(this.spark, spec) };
    } catch (e) {
      return { ok: false, error: toWireError(e) };
    }
  }

  async advanceClock(ms: number): Promise<number> {
    if (!this.clock) throw new Error("The engine runs on the system clock; open the page with ?clock=manual to drive time by hand.");
    this.clock.advance(ms);
    return this.clock.getTimeMillis();
  }

  private queriesOf(cellId: string): string[] {
    return [...this.queryCell].filter(([, cell]) => cell === cellId).map(([id]) => id);
  }

  private scopeFor(cellId: string): Record<string, unknown> {
    let contexts = this.streamingContexts.get(cellId);
    if (!contexts) this.streamingContexts.set(cellId, (contexts = new Set()));
    const spark = this.spark; // creates the session, and with it the DStream checkpoint store
    return cellScope({
      cellId,
      spark,
      clock: this.clock,
      emit: (event) => this.emitTo(cellId, event),
      streamingContexts: contexts,
      dstreamCheckpoints: this.dstreamCheckpoints ?? new engine.VfsDStreamCheckpointStore(spark.fileSystem),
      display: (df) =>
        display(
          df,
          (event) => this.emitTo(cellId, event),
          (start) => {
            this.startingDisplay = true;
            try {
              return start();
            } finally {
              this.startingDisplay = false;
            }
          },
        ),
    });
  }

  private stdout(text: string, queryId: string | undefined): void {
    const cellId = (queryId !== undefined ? this.queryCell.get(queryId) : undefined) ?? this.runningCell;
    if (cellId !== null) this.emitTo(cellId, stdoutEvent(text));
  }

  private emitForQuery(queryId: string, event: CellEvent, transfer: Transferable[] = []): void {
    const cellId = this.queryCell.get(queryId);
    if (cellId !== undefined) this.emitTo(cellId, event, transfer);
  }

  private emitTo(cellId: string, event: CellEvent, transfer: Transferable[] = []): void {
    // A listener is a comlink proxy; a page that went away makes it throw, and
    // the engine must keep running regardless. Typed arrays' buffers move to the page.
    try {
      const listener = this.listeners.get(cellId);
      if (listener === undefined) return;
      void Promise.resolve(listener(transfer.length > 0 ? Comlink.transfer(event, transfer) : event)).catch(() => undefined);
    } catch {
      /* the page is gone */
    }
  }
}
