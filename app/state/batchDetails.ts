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
  state: Array<{ operator: string; total: number; updated: number; removed: number; droppedByWatermark: number }>;
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
    state: p.stateOperators.map((op) => ({
      operator: String(op.operatorName ?? "state"),
      total: num(op.numRowsTotal),
      updated: num(op.numRowsUpdated),
      removed: num(op.numRowsRemoved),
      droppedByWatermark: num(op.numRowsDroppedByWatermark),
    })),
    durationMs: p.durationMs,
  };
}
