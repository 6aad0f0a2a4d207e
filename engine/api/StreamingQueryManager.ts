import type { StreamingQueryException } from "../util/errors";
import type { StreamingQuery } from "./StreamingQuery";
import type { StreamingQueryListener } from "./StreamingQueryListener";

/**
 * `spark.streams`: the session's active queries and its listeners.
 * @example spark.streams.addListener({ onQueryProgress: (e) => show(e.progress) })
 */
export class StreamingQueryManager {
  private readonly activeQueries = new Map<string, StreamingQuery>();
  private readonly listenerList: StreamingQueryListener[] = [];
  private lastTerminatedWithError: StreamingQueryException | null = null;
  private terminatedSinceReset = false;
  private terminationWaiters: (() => void)[] = [];

  /** Queries that are running now. */
  get active(): StreamingQuery[] {
    return [...this.activeQueries.values()];
  }

  /** The active query with this id, or null. */
  get(id: string): StreamingQuery | null {
    return this.activeQueries.get(id) ?? null;
  }

  /** Registers a listener (Spark's StreamingQueryListener). */
  addListener(listener: StreamingQueryListener): void {
    this.listenerList.push(listener);
  }

  /** Removes a listener. */
  removeListener(listener: StreamingQueryListener): void {
    const i = this.listenerList.indexOf(listener);
    if (i >= 0) this.listenerList.splice(i, 1);
  }

  /** @internal registered listeners. */
  listeners(): readonly StreamingQueryListener[] {
    return this.listenerList;
  }

  /**
   * Waits until any query terminates (or since the last resetTerminated()). Rejects with the
   * exception of a failed query; with a timeout resolves to whether one terminated.
   */
  async awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    if (this.lastTerminatedWithError) throw this.lastTerminatedWithError;
    if (this.terminatedSinceReset) return true;
    const done = new Promise<boolean>((resolve) => this.terminationWaiters.push(() => resolve(true)));
    const r =
      timeoutMs === undefined
        ? await done
        : await Promise.race([done, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
    if (this.lastTerminatedWithError) throw this.lastTerminatedWithError;
    return r;
  }

  /** Forgets past terminations for awaitAnyTermination. */
  resetTerminated(): void {
    this.lastTerminatedWithError = null;
    this.terminatedSinceReset = false;
  }

  /** @internal */
  register(q: StreamingQuery): void {
    this.activeQueries.set(q.id, q);
  }

  /** @internal */
  unregister(id: string, error: StreamingQueryException | null): void {
    this.activeQueries.delete(id);
    if (error) this.lastTerminatedWithError = error;
    this.terminatedSinceReset = true;
    for (const w of this.terminationWaiters.splice(0)) w();
  }
}
