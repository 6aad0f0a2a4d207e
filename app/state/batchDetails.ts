import type { WireProgress } from "../../engine/worker/protocol";

/** What one micro-batch did, as the batch stepper shows it. */
export interface BatchDetails {
  batchId: number;
  noData: boolean;
  inputRows: number;
  outputRows: number | null;
  offsets: Array<{ source: string; start: string; end: string }>;
  watermarkBefore: string | null;
  /** The watermark the next batch uses; null while this is the latest batch. */
  watermarkAfter: string | null;
  /**
   * Per state operator: rows in state after the batch, and the batch's changes. Spark's
   * numRowsUpdated counts new and changed keys together; `added` (new keys) is the growth of
   * the state plus what was evicted, known when the batch before is at hand.
   */
  state: Array<{ operator: string; total: number; added: number | null; updated: number; removed: number; droppedByWatermark: number }>;
  durationMs: Record<string, number>;
}

interface ProgressJson {
  sources?: Array<{ description?: string; startOffset?: unknown; endOffset?: unknown }>;
  sink?: { numOutputRows?: number };
}

const offsetText = (o: unknown) => (o === null || o === undefined ? "—" : typeof o === "string" ? o : JSON.stringify(o));
const num = (v: unknown) => (typeof v === "number" ? v : 0);

/**
 * A batch's story from Spark's progress: its offset range per source, input
 * and output rows, the watermark it ran with and the one it handed on (the
 * next batch's), and each state operator's rows. Output rows come from what
 * the page saw reach the sink, else from `sink.numOutputRows` when Spark knows it.
 */
export function batchDetails(progress: readonly WireProgress[], index: number, outputRows: number | undefined): BatchDetails {
  const p = progress[index]!;
  const next = progress[index + 1];
  const prev = index > 0 && progress[index - 1]!.batchId === p.batchId - 1 ? progress[index - 1] : undefined;
  const raw = JSON.parse(p.json) as ProgressJson;
  const sinkRows = raw.sink?.numOutputRows;
  return {
    batchId: p.batchId,
    noData: p.numInputRows === 0,
    inputRows: p.numInputRows,
    outputRows: outputRows ?? (typeof sinkRows === "number" && sinkRows >= 0 ? sinkRows : null),
    offsets: (raw.sources ?? []).map((s) => ({ source: s.description ?? "source", start: offsetText(s.startOffset), end: offsetText(s.endOffset) })),
    watermarkBefore: p.eventTime.watermark ?? null,
    watermarkAfter: next?.eventTime.watermark ?? null,
    state: p.stateOperators.map((op, i) => ({
      operator: String(op.operatorName ?? "state"),
      total: num(op.numRowsTotal),
      added:
        prev?.stateOperators[i] !== undefined || p.batchId === 0
          ? Math.max(0, num(op.numRowsTotal) - num(prev?.stateOperators[i]?.numRowsTotal) + num(op.numRowsRemoved))
          : null,
      updated: num(op.numRowsUpdated),
      removed: num(op.numRowsRemoved),
      droppedByWatermark: num(op.numRowsDroppedByWatermark),
    })),
    durationMs: p.durationMs,
  };
}
