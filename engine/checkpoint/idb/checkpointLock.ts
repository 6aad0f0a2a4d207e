import { checkpointLocked } from "../persistent/checkpointErrors";

/** The part of the Web Locks API (`navigator.locks`) the checkpoint uses. */
export interface CheckpointLockManager {
  request(name: string, options: { ifAvailable?: boolean; steal?: boolean; mode?: "exclusive" }, callback: (lock: unknown) => Promise<void>): Promise<void>;
}

/** The lock name of a checkpoint location. */
export function checkpointLockName(location: string): string {
  return `streaming-playground-checkpoint:${location}`;
}

/**
 * Takes exclusive ownership of a checkpoint with a Web Lock held until the returned release
 * function is called (the query stopped). One tab owns a checkpoint at a time.
 *
 * - Without `steal`: rejects with CHECKPOINT_LOCKED at once when another tab holds it.
 * - With `steal` (the user's explicit "take over"): takes it from the other tab, whose
 *   `onLost` is called (its query must stop: it no longer owns the checkpoint).
 *
 * @example
 * const release = await acquireCheckpointLock("wordcount", { steal: userClickedTakeOver });
 * // … run the query …
 * release();
 */
export function acquireCheckpointLock(
  location: string,
  options: { steal?: boolean; locks?: CheckpointLockManager; onLost?: () => void } = {},
): Promise<() => void> {
  const locks = options.locks ?? defaultLockManager();
  return new Promise<() => void>((resolve, reject) => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const opts = options.steal ? { steal: true } : { ifAvailable: true };
    locks
      .request(checkpointLockName(location), opts, async (lock) => {
        if (lock === null) {
          reject(checkpointLocked(location));
          return;
        }
        resolve(release);
        await held;
      })
      .catch((e: unknown) => {
        // A steal by another tab rejects the holder's request with AbortError.
        reject(e);
        options.onLost?.();
      });
  });
}

/** `navigator.locks` where it exists (browsers, Node ≥ 22), else an in-process lock manager. */
export function defaultLockManager(): CheckpointLockManager {
  const nav = (globalThis as { navigator?: { locks?: CheckpointLockManager } }).navigator;
  return nav?.locks ?? inProcessLocks;
}

/**
 * A lock manager inside one JavaScript realm (Node tests): the same ifAvailable / steal
 * semantics as Web Locks for exclusive locks.
 */
export class InProcessLockManager implements CheckpointLockManager {
  private readonly held = new Map<string, { abort: (e: unknown) => void }>();

  request(name: string, options: { ifAvailable?: boolean; steal?: boolean }, callback: (lock: unknown) => Promise<void>): Promise<void> {
    const current = this.held.get(name);
    if (current !== undefined && !options.steal) {
      if (options.ifAvailable) return callback(null);
      return Promise.reject(new Error("InProcessLockManager: waiting for a lock is not supported"));
    }
    if (current !== undefined) {
      this.held.delete(name);
      const e = new Error("The lock was stolen");
      e.name = "AbortError";
      current.abort(e);
    }
    return new Promise<void>((resolve, reject) => {
      const entry = { abort: reject };
      this.held.set(name, entry);
      callback({ name }).then(
        () => {
          if (this.held.get(name) === entry) this.held.delete(name);
          resolve();
        },
        (e: unknown) => {
          if (this.held.get(name) === entry) this.held.delete(name);
          reject(e);
        },
      );
    });
  }
}

const inProcessLocks = new InProcessLockManager();
