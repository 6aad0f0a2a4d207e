import type { WireProgress } from "../../engine/worker/protocol";

/** One batch's figures for the progress charts. */
export interface ProgressPoint {
  batchId: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  numInputRows: number;
  batchDurationMs: number;
  stateRows: number;
  droppedByWatermark: number;
  /** Epoch ms, or null before the first watermark. */
  watermarkMs: number | null;
  /** Seconds from the watermark to the batch's max event time, or null. */
  watermarkGapSeconds: number | null;
}

const sum = (ops: Array<Record<string, unknown>>, key: string) =>
  ops.reduce((acc, op) => acc + (typeof op[key] === "number" ? (op[key] as number) : 0), 0);

function parseTime(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The figures the progress panel charts, per batch, from Spark's progress
 * objects: rates, duration (`durationMs.triggerExecution`), rows in state and
 * dropped by watermark (summed over the state operators), and the watermark
 * with its gap to the batch's max event time.
 */
export function toProgressPoints(progress: readonly WireProgress[]): ProgressPoint[] {
  return progress.map((p) => {
    // Spark reports a watermark of 0 (the epoch) until the first one is computed: that is "none yet".
    const reported = parseTime(p.eventTime.watermark);
    const watermarkMs = reported === 0 ? null : reported;
    const maxMs = parseTime(p.eventTime.max);
    return {
      batchId: p.batchId,
      inputRowsPerSecond: p.inputRowsPerSecond,
      processedRowsPerSecond: p.processedRowsPerSecond,
      numInputRows: p.numInputRows,
      batchDurationMs: p.durationMs.triggerExecution ?? 0,
      stateRows: sum(p.stateOperators, "numRowsTotal"),
      droppedByWatermark: sum(p.stateOperators, "numRowsDroppedByWatermark"),
      watermarkMs,
      watermarkGapSeconds: watermarkMs !== null && maxMs !== null ? (maxMs - watermarkMs) / 1000 : null,
    };
  });
}
