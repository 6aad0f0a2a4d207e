import { useEffect, useState } from "react";
import type { SinkCheck } from "../../../engine/worker/protocol";
import { useEngine } from "../../engine-client/engineContext";
import type { RecoveryEvent } from "../../state/cellOutput";

export interface RecoveryPanelProps {
  queryId: string;
  checkpointLocation: string;
  recovery: RecoveryEvent;
  /** The newest batch this run completed, or null. */
  lastBatchId: number | null;
}

/**
 * How a query came back from its checkpoint: the last committed batch, the batch it
 * found in the offset log without a commit and ran again with the same offsets, and
 * — read back from the sink — whether any row is there twice.
 */
export function RecoveryPanel({ queryId, checkpointLocation, recovery, lastBatchId }: RecoveryPanelProps) {
  const client = useEngine();
  const [check, setCheck] = useState<SinkCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rerun = recovery.rerunBatchId;
  const rerunDone = rerun !== null && lastBatchId !== null && lastBatchId >= rerun;

  const runCheck = async () => {
    const r = await client.checkSink(queryId).catch((e: unknown) => ({ ok: false as const, error: { name: "Error", message: String(e) } }));
    if (r.ok) {
      setCheck(r.check);
      setError(null);
    } else setError(`${r.error.name}: ${r.error.message}`);
  };
  // Once the re-run batch is through, read the sink back on its own.
  useEffect(() => {
    if (rerunDone && check === null) void runCheck();
    // Only when the re-run completes, not on every render.
  }, [rerunDone]);

  const duplicates = check ? check.rows - check.distinctRows : null;
  return (
    <div className="recovery-panel" data-testid="recovery-info" data-rerun-batch={rerun ?? ""} role="status">
      <p>
        Started from checkpoint <code>{checkpointLocation}</code>:{" "}
        {recovery.lastCommittedBatchId >= 0 ? (
          <>
            batches 0–{recovery.lastCommittedBatchId} were committed (<code>commits/{recovery.lastCommittedBatchId}</code>).
          </>
        ) : (
          "no batch had been committed yet."
        )}
      </p>
      {rerun !== null ? (
        <p data-testid="recovery-rerun">
          <strong>Batch {rerun} was re-run from the offset log</strong>: <code>offsets/{rerun}</code> was written but <code>commits/{rerun}</code> was not, so the batch ran again with the same
          offsets
          {recovery.rerunOffsets?.map((o) => (
            <span key={o.source}>
              {" "}
              — {o.source}: {o.start} → {o.end}
            </span>
          ))}
          {rerunDone ? "." : " (running…)"}
        </p>
      ) : (
        <p>Every planned batch was committed: the query goes on with batch {recovery.lastCommittedBatchId + 1}.</p>
      )}
      <div className="recovery-panel__sink">
        <button type="button" className="button" onClick={() => void runCheck()} data-testid="sink-check-button">
          Check the sink for duplicates
        </button>
        {check && (
          <span data-testid="sink-check" data-rows={check.rows} data-distinct={check.distinctRows} data-duplicates={duplicates ?? ""}>
            {check.target} ({check.format}): {check.rows.toLocaleString("en-US")} rows, {check.distinctRows.toLocaleString("en-US")} distinct —{" "}
            <strong>{duplicates === 0 ? "no row twice" : `${duplicates} duplicate rows`}</strong>
            {check.committedBatches !== null &&
              `. _spark_metadata lists ${check.committedBatches} batches and ${check.filesListed} data files (${check.filesOnDisk} on disk${
                (check.filesOnDisk ?? 0) > (check.filesListed ?? 0) ? ": the extra ones were written by a batch that never committed, and no reader counts them" : ""
              }).`}
            {rerun !== null &&
              check.committedBatches !== null &&
              " A file sink skips a batch id its log already has (Spark's FileStreamSink), so a re-run batch cannot write its rows twice."}
          </span>
        )}
        {error && (
          <span className="query-panel__error" data-testid="sink-check-error">
            {error}
          </span>
        )}
      </div>
    </div>
  );
}
