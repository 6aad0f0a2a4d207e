import { useState } from "react";
import type { WireReplay } from "../../../engine/worker/protocol";
import { useEngine } from "../../engine-client/engineContext";
import { formatTimestamp, formatValue } from "../../format/formatValue";
import { diffResults, type DiffKind } from "../../state/replayDiff";

export interface ReplayPanelProps {
  queryId: string;
  /** The delay the query was written with. */
  delayMs: number;
  lastBatchId: number;
}

const DIFF_LABEL: Record<DiffKind, string> = {
  same: "same",
  changed: "changed",
  "only-left": "only as written",
  "only-right": "only with the new delay",
};

/**
 * "Replay with this watermark delay": the query's committed batches run again — the
 * same seeded input, the same batches — with the delay as written and with the
 * slider's, side by side, the rows that differ marked.
 */
export function ReplayPanel({ queryId, delayMs, lastBatchId }: ReplayPanelProps) {
  const client = useEngine();
  const [delaySeconds, setDelaySeconds] = useState(Math.max(0, Math.round((delayMs * 3) / 1000)));
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ left: WireReplay; right: WireReplay } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const max = Math.max(60, Math.ceil((delayMs * 4) / 1000));

  const replay = async () => {
    setRunning(true);
    setError(null);
    try {
      const left = await client.replayQuery(queryId, null);
      if (!left.ok) throw new Error(`${left.error.name}: ${left.error.message}`);
      const right = await client.replayQuery(queryId, delaySeconds * 1000);
      if (!right.ok) throw new Error(`${right.error.name}: ${right.error.message}`);
      setResult({ left: left.replay, right: right.replay });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  const diff = result ? diffResults(result.left.schema, result.left.keyColumns, result.left.rows, result.right.rows) : null;
  return (
    <div className="replay-panel" data-testid="replay-panel">
      <h4>Replay with another delay</h4>
      <label className="replay-panel__slider">
        Watermark delay: <strong data-testid="replay-delay">{delaySeconds} s</strong>
        <input
          type="range"
          min={0}
          max={max}
          step={1}
          value={delaySeconds}
          onChange={(e) => setDelaySeconds(Number(e.target.value))}
          data-testid="replay-slider"
          aria-valuetext={`${delaySeconds} seconds`}
        />
        <span className="muted">the query says {delayMs / 1000} s</span>
      </label>
      <button type="button" className="button button--primary" onClick={() => void replay()} disabled={running || lastBatchId < 0} data-testid="replay-button">
        {running ? "Replaying…" : "Replay with this watermark delay"}
      </button>
      {error && (
        <p className="query-panel__error" role="alert" data-testid="replay-error">
          {error}
        </p>
      )}
      {result && diff && (
        <div className="replay-compare" data-testid="replay-compare">
          <p data-testid="replay-summary">
            Batches 0–{result.left.lastBatchId} replayed from the offset log. Dropped by the watermark:{" "}
            <strong data-testid="replay-left-dropped">{result.left.droppedByWatermark}</strong> as written,{" "}
            <strong data-testid="replay-right-dropped">{result.right.droppedByWatermark}</strong> with {delaySecondsOf(result.right)} s. Result rows:{" "}
            {result.left.rows.length} and {result.right.rows.length}; final watermark {lastWatermark(result.left)} and {lastWatermark(result.right)}.{" "}
            <span data-testid="replay-diff-counts">
              {diff.counts.changed} changed, {diff.counts["only-left"]} only as written, {diff.counts["only-right"]} only with {delaySecondsOf(result.right)} s,{" "}
              {diff.counts.same} the same.
            </span>
          </p>
          <div className="replay-compare__table">
            <table>
              <thead>
                <tr>
                  <th scope="col">difference</th>
                  <th scope="colgroup" colSpan={result.left.schema.length}>
                    as written (delay {delayMs / 1000} s)
                  </th>
                  <th scope="colgroup" colSpan={result.right.schema.length}>
                    delay {delaySecondsOf(result.right)} s
                  </th>
                </tr>
                <tr>
                  <th />
                  {result.left.schema.map((f) => (
                    <th key={`l-${f.name}`} scope="col">{f.name}</th>
                  ))}
                  {result.right.schema.map((f) => (
                    <th key={`r-${f.name}`} scope="col">{f.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {diff.rows.map((r) => (
                  <tr key={r.key} data-testid="replay-row" data-diff={r.kind} className={`replay-row--${r.kind}`}>
                    <td>{DIFF_LABEL[r.kind]}</td>
                    {result.left.schema.map((f, i) => (
                      <td key={`l-${f.name}`}>{r.left ? formatValue(r.left[i] ?? null, f.type) : ""}</td>
                    ))}
                    {result.right.schema.map((f, i) => (
                      <td key={`r-${f.name}`}>{r.right ? formatValue(r.right[i] ?? null, f.type) : ""}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

function delaySecondsOf(r: WireReplay): number | string {
  return r.watermarkDelayMs === null ? "as written" : r.watermarkDelayMs / 1000;
}

function lastWatermark(r: WireReplay): string {
  const w = r.batches.at(-1)?.watermarkMs ?? 0;
  return w > 0 ? formatTimestamp(w) : "none";
}
