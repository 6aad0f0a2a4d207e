import { durationToMs } from "../util/durations";
import { IllegalArgumentException } from "../util/errors";

/**
 * A DStream duration argument: a number of seconds (PySpark's convention:
 * `window(30, 10)`) or an interval string ("30 seconds", "500 ms").
 */
export type DurationLike = number | string;

/**
 * Milliseconds of a duration argument. Throws IllegalArgumentException for a
 * non-positive or non-finite value, naming `what`.
 *
 * @example toDurationMs(1.5, "batchDuration") // 1500
 */
export function toDurationMs(d: DurationLike, what: string): number {
  const ms = typeof d === "number" ? Math.round(d * 1000) : durationToMs(d);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new IllegalArgumentException(`${what} must be a positive duration, got ${String(d)}`);
  }
  return ms;
}

/** Spark's `Duration.toString`: "2000 ms". */
export function formatDuration(ms: number): string {
  return `${ms} ms`;
}
