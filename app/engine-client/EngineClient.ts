import * as Comlink from "comlink";
import type { CellEvent, EngineOptions, EngineWorkerApi, RunOutcome, WireError, WireInjectedEvent, ReplayOutcome, SinkCheck } from "../../engine/worker/protocol";

/** Why a call to the worker did not complete. */
export class WorkerGoneError extends Error {
  override name = "WorkerGoneError";
}

/** How long Stop waits for the worker before it is judged hung (an endless loop in user code). */
export const STOP_TIMEOUT_MS = 2000;

/**
 * The page's only door to the engine: owns the Web Worker, wraps it with
 * comlink, and replaces it when it hangs or dies.
 *
 * After `worker.terminate()` comlink's pending calls never settle
 * (https://github.com/GoogleChromeLabs/comlink/issues/63), so every call is
 * tracked here and rejected with `WorkerGoneError` on restart.
 */
export class EngineClient {
  private worker!: Worker;
  private api!: Comlink.Remote<EngineWorkerApi>;
  private readonly pending = new Set<(error: Error) => void>();
  /** Increments each time a fresh worker replaces the old one. */
  generation = 0;
  private readonly restartListeners = new Set<(reason: string) => void>();
  private hostApprovalHandler: ((url: string) => Promise<boolean>) | null = null;

  constructor(
    /** The deterministic mode (`?seed=…&clock=manual`), applied to every worker this client starts. */
    readonly options: EngineOptions = {},
    private readonly createWorker: () => Worker = defaultWorker,
  ) {
    this.spawn();
  }

  /** Runs exactly one trigger of a manual-trigger query. Resolves to the batch's error, or null. */
  stepQuery(queryId: string): Promise<WireError | null> {
    return this.track(this.api.stepQuery(queryId));
  }

  /** Adds one event by hand to a query's source; resolves to the error, if any. */
  injectEvent(queryId: string, event: WireInjectedEvent): Promise<WireError | null> {
    return this.track(this.api.injectEvent(queryId, event));
  }

  /** Replays a query's committed batches with another watermark delay. */
  replayQuery(queryId: string, watermarkDelayMs: number | null): Promise<ReplayOutcome> {
    return this.track<ReplayOutcome>(this.api.replayQuery(queryId, watermarkDelayMs));
  }

  /** "Crash now": resolves with the batch that halted once the sink had its rows (kill the worker then). */
  haltInNextBatch(queryId: string): Promise<{ ok: true; batchId: number } | { ok: false; error: WireError }> {
    return this.track<{ ok: true; batchId: number } | { ok: false; error: WireError }>(this.api.haltInNextBatch(queryId));
  }

  /** Reads back a query's sink and counts duplicate rows. */
  checkSink(queryId: string): Promise<{ ok: true; check: SinkCheck } | { ok: false; error: WireError }> {
    return this.track<{ ok: true; check: SinkCheck } | { ok: false; error: WireError }>(this.api.checkSink(queryId));
  }

  /** The user's explicit take-over of a checkpoint another tab owns. */
  takeOverCheckpoint(location: string): Promise<void> {
    return this.track(this.api.takeOverCheckpoint(location));
  }

  /** Deletes a checkpoint (explicit "reset checkpoint"). */
  resetCheckpoint(location: string): Promise<void> {
    return this.track(this.api.resetCheckpoint(location));
  }

  /** The files of a checkpoint (Spark's layout), for the inspector. */
  checkpointFiles(location: string): Promise<Array<{ path: string; text: string; size: number }>> {
    return this.track(this.api.checkpointFiles(location));
  }

  /** The notebook as a PySpark script (see EngineWorkerApi.exportPySpark). */
  exportPySpark(cells: Array<{ kind: string; source: string }>, title: string): Promise<string> {
    return this.track(this.api.exportPySpark(cells, title));
  }

  /** The virtual file system's files under a folder. */
  listFiles(dir: string): Promise<Array<{ path: string; size: number; modificationTime: number; isDir: boolean }>> {
    return this.track(this.api.listFiles(dir));
  }

  writeFile(path: string, text: string): Promise<void> {
    return this.track(this.api.writeFile(path, text));
  }

  readFile(path: string): Promise<string> {
    return this.track(this.api.readFile(path));
  }

  /** Advances the engine's manual clock (deterministic mode); resolves to the new time, epoch ms. */
  advanceClock(ms: number): Promise<number> {
    return this.track(this.api.advanceClock(ms));
  }

  /** Runs a cell's code in the worker. Rejects with WorkerGoneError if the worker is restarted meanwhile. */
  runCell(cellId: string, code: string, onEvent: (event: CellEvent) => void): Promise<RunOutcome> {
    // The worker releases the callback's port when the cell is re-run or stopped.
    return this.track<RunOutcome>(this.api.runCell(cellId, code, Comlink.proxy(onEvent)));
  }

  /**
   * Asks the worker to stop the cell's queries. If it does not answer within
   * `STOP_TIMEOUT_MS` (user code stuck in a loop), the worker is terminated and
   * a fresh one started. Resolves to whether that restart happened.
   */
  async stopCell(cellId: string): Promise<{ restarted: boolean }> {
    const stopped = this.track(this.api.stopCell(cellId)).then(() => true, () => false);
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS));
    if (await Promise.race([stopped, timeout])) return { restarted: false };
    this.restart(
      "The engine did not answer within 2 seconds (a loop in a cell's code?), so it was restarted. Every query has stopped.",
    );
    return { restarted: true };
  }

  /**
   * Sets who asks the user before the engine connects to a socket URL not
   * approved before (approvals are remembered in localStorage). Without a
   * handler, every new URL is refused.
   */
  onHostApproval(handler: ((url: string) => Promise<boolean>) | null): void {
    this.hostApprovalHandler = handler;
  }

  private async approveHost(url: string): Promise<boolean> {
    const approved = readApprovedHosts();
    if (approved.includes(url)) return true;
    const ok = this.hostApprovalHandler ? await this.hostApprovalHandler(url) : false;
    if (ok) localStorage.setItem(APPROVED_HOSTS_KEY, JSON.stringify([...approved, url]));
    return ok;
  }

  /** Calls `listener` with the reason each time the worker is replaced. Returns the unsubscribe function. */
  onRestart(listener: (reason: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Terminates the worker (every query in it ends), starts a fresh one, and tells the listeners why. */
  restart(reason = "The engine was restarted. Every query has stopped."): void {
    this.worker.terminate();
    const gone = new WorkerGoneError("The engine was restarted; its queries have stopped.");
    for (const reject of this.pending) reject(gone);
    this.pending.clear();
    this.spawn();
    for (const listener of this.restartListeners) listener(reason);
  }

  /** Ends the worker for good. */
  dispose(): void {
    this.worker.terminate();
  }

  private spawn(): void {
    this.worker = this.createWorker();
    this.api = Comlink.wrap<EngineWorkerApi>(this.worker);
    // Messages are ordered: configure lands before any cell runs.
    void this.api.configure(this.options);
    void this.api.setHostApprover(Comlink.proxy((url: string) => this.approveHost(url)));
    this.generation += 1;
  }


  private track<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      call.then(resolve, reject).finally(() => this.pending.delete(reject));
    });
  }
}

const APPROVED_HOSTS_KEY = "streaming-playground:approved-socket-urls";

function readApprovedHosts(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(APPROVED_HOSTS_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL("../../engine/worker/engine.worker.ts", import.meta.url), { type: "module", name: "engine" });
}
