import type { EventTimeStats } from "../operators/EventTimeWatermarkExec";

/** spark.sql.streaming.multipleWatermarkPolicy */
export type MultipleWatermarkPolicy = "min" | "max";

/**
 * Spark's WatermarkTracker: one watermark per withWatermark operator
 * (max event time seen − delay, never decreasing; operators that have seen no
 * data count as 0), combined by the policy into a global watermark that never
 * decreases. Updated at the end of each batch, used by the next one.
 */
export class WatermarkTracker {
  private readonly operatorWatermarks: (number | undefined)[];
  private globalWatermarkMs = 0;

  constructor(
    private readonly policy: MultipleWatermarkPolicy,
    numOperators: number,
  ) {
    this.operatorWatermarks = new Array<number | undefined>(numOperators).fill(undefined);
  }

  /** Restores the global watermark (restart from a checkpoint). */
  setWatermark(ms: number): void {
    this.globalWatermarkMs = ms;
  }

  /** The global watermark, epoch ms. */
  get currentWatermark(): number {
    return this.globalWatermarkMs;
  }

  /** Folds one batch's event-time statistics (one entry per withWatermark operator, in plan order). */
  update(stats: readonly { stats: EventTimeStats; delayMs: number }[]): void {
    if (stats.length === 0) return;
    stats.forEach(({ stats: s, delayMs }, i) => {
      if (s.count > 0) {
        const wm = s.max - delayMs;
        const prev = this.operatorWatermarks[i];
        if (prev === undefined || wm > prev) this.operatorWatermarks[i] = wm;
      }
    });
    const values = this.operatorWatermarks.map((w) => w ?? 0);
    const chosen = this.policy === "max" ? Math.max(...values) : Math.min(...values);
    if (chosen > this.globalWatermarkMs) this.globalWatermarkMs = chosen;
  }
}
