import { useState } from "react";
import type { WireProgress } from "../../../engine/worker/protocol";
import { batchDetails } from "../../state/batchDetails";

export interface BatchTimelineProps {
  progress: readonly WireProgress[];
  batchOutputRows: ReadonlyMap<number, number>;
  /** Present for a query on the manual trigger: runs exactly one trigger. */
  onStep?: () => void;
  stepping?: boolean;
}

/**
 * The batch stepper: every recent micro-batch on a timeline (data batches
 * filled, no-data batches hollow), and what the selected one did — offsets,
 * rows in and out, the watermark before and after, state rows. With the
 * manual trigger, "Step" runs one more batch.
 */
export function BatchTimeline({ progress, batchOutputRows, onStep, stepping }: BatchTimelineProps) {
  const [selected, setSelected] = useState<number | null>(null);
  const index = selected === null ? progress.length - 1 : progress.findIndex((p) => p.batchId === selected);
  const details = index >= 0 ? batchDetails(progress, index, batchOutputRows.get(progress[index]!.batchId)) : null;

  return (
    <div className="batch-timeline" data-testid="batch-timeline">
      <div className="batch-timeline__bar">
        {onStep && (
          <button type="button" className="button button--primary" onClick={onStep} disabled={stepping} data-testid="step-batch" title="Run exactly one trigger">
            Step ▸
          </button>
        )}
        <ol className="batch-timeline__batches" aria-label="Batches">
          {progress.map((p) => (
            <li key={p.batchId}>
              <button
                type="button"
                className={`batch-chip${p.numInputRows === 0 ? " batch-chip--no-data" : ""}${details?.batchId === p.batchId ? " is-selected" : ""}`}
                aria-pressed={details?.batchId === p.batchId}
                data-testid="batch-chip"
                data-batch-id={p.batchId}
                title={p.numInputRows === 0 ? `Batch ${p.batchId}: no-data batch` : `Batch ${p.batchId}: ${p.numInputRows} input rows`}
                onClick={() => setSelected(p.batchId)}
              >
                {p.batchId}
              </button>
            </li>
          ))}
        </ol>
      </div>
      {details ? (
        <dl className="batch-details" data-testid="batch-details" data-batch-id={details.batchId}>
          <dt>Batch</dt>
          <dd>
            {details.batchId} {details.noData && <span className="chip" data-testid="no-data-batch">no-data batch</span>}
          </dd>
          <dt>Offsets</dt>
          <dd>
            {details.offsets.map((o) => (
              <div key={o.source}>
                {o.source}: {o.start} → {o.end}
              </div>
            ))}
          </dd>
          <dt>Rows</dt>
          <dd data-testid="batch-rows">
            {details.inputRows} in · {details.outputRows ?? "?"} out
          </dd>
          <dt>Watermark</dt>
          <dd data-testid="batch-watermark">
            {details.watermarkBefore ?? "none"} → {details.watermarkAfter ?? "(known after the next batch)"}
          </dd>
          {details.state.map((s, i) => (
            <div key={i} className="batch-details__group">
              <dt>State ({s.operator})</dt>
              <dd data-testid="batch-state">
                {s.total} rows · {s.added === null ? `${s.updated} added or updated` : `${s.added} added · ${Math.max(0, s.updated - s.added)} updated`} · {s.removed} evicted ·{" "}
                {s.droppedByWatermark} dropped by watermark
              </dd>
            </div>
          ))}
          <dt>Duration</dt>
          <dd>
            {Object.entries(details.durationMs)
              .map(([phase, ms]) => `${phase} ${ms} ms`)
              .join(" · ")}
          </dd>
        </dl>
      ) : (
        <p className="muted">No batch has run yet{onStep ? ": press Step to run one." : "."}</p>
      )}
    </div>
  );
}
