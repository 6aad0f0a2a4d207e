/**
 * Clocks. Everything time-dependent in the engine (rate sources, processing-time
 * triggers, current_timestamp, progress timestamps) reads the session clock, so a
 * `ManualClock` makes a whole session deterministic.
 */

/** A source of "now" in epoch milliseconds, plus a way to wait for a time. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  getTimeMillis(): number;
  /**
   * Resolves once the clock reaches `targetMs` (at once if already there).
   * A ManualClock resolves only when `advance`/`setTime` moves it far enough.
   */
  waitTillTime(targetMs: number): Promise<number>;
  /** True for clocks that only move when told to (tests, the step debugger). */
  readonly isManual: boolean;
}

/** The wall clock (`Date.now()`); waits use `setTimeout`. */
export class SystemClock implements Clock {
  readonly isManual = false;
  getTimeMillis(): number {
    return Date.now();
  }
  waitTillTime(targetMs: number): Promise<number> {
    const delay = targetMs - Date.now();
    if (delay <= 0) return Promise.resolve(Date.now());
    return new Promise((resolve) => setTimeout(() => resolve(Date.now()), delay));
  }
}

/**
 * A clock that moves only when told to, like Spark's `ManualClock`.
 *
 * @example
 * const clock = new ManualClock(0);
 * const spark = SparkSession.builder().clock(clock).getOrCreate();
 * clock.advance(1000); // rate sources now see one more second
 */
export class ManualClock implements Clock {
  readonly isManual = true;
  private timeMs: number;
  private waiters: { target: number; resolve: (t: number) => void }[] = [];

  /** @param startMs initial time, epoch milliseconds (default 0) */
  constructor(startMs = 0) {
    this.timeMs = startMs;
  }
  getTimeMillis(): number {
    return this.timeMs;
  }
  /** Moves the clock forward by `ms` (must be ≥ 0) and wakes waiters whose time came. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.setTime(this.timeMs + ms);
  }
  /** Sets the clock to `ms` (epoch milliseconds) and wakes waiters whose time came. */
  setTime(ms: number): void {
    this.timeMs = ms;
    const ready = this.waiters.filter((w) => w.target <= ms);
    this.waiters = this.waiters.filter((w) => w.target > ms);
    for (const w of ready) w.resolve(ms);
  }
  waitTillTime(targetMs: number): Promise<number> {
    if (targetMs <= this.timeMs) return Promise.resolve(this.timeMs);
    return new Promise((resolve) => this.waiters.push({ target: targetMs, resolve }));
  }
}
