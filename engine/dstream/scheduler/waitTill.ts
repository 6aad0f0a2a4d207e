import type { Clock } from "../../util/clock";

/** A wait for a clock time that can be cancelled (a cancelled wait never resolves). */
export interface CancellableWait {
  promise: Promise<void>;
  cancel(): void;
}

/**
 * Waits until `clock` reaches `targetMs`. A real clock's wait is our own
 * setTimeout, cleared by `cancel()` so a stopped context does not keep a
 * Node process alive until its next batch time; a manual clock's wait is
 * `clock.waitTillTime` (it only moves when told to).
 */
export function waitTill(clock: Clock, targetMs: number): CancellableWait {
  let cancelled = false;
  if (clock.isManual) {
    return {
      promise: clock.waitTillTime(targetMs).then(() => (cancelled ? new Promise<void>(() => {}) : undefined)),
      cancel: () => {
        cancelled = true;
      },
    };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => {
    const check = () => {
      const delay = targetMs - clock.getTimeMillis();
      if (delay <= 0) resolve();
      else timer = setTimeout(check, delay);
    };
    check();
  });
  return {
    promise,
    cancel: () => {
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
