import { useState } from "react";
import { useEngine } from "../../engine-client/engineContext";
import type { QueryOutput } from "../../state/cellOutput";
import { useThrottled } from "../../state/useThrottled";
import { formatRate, wireBytesPerSecond } from "../../state/wireRate";
import { toWindowSeries } from "../../state/windowSeries";
import { WindowChart } from "../WindowChart/WindowChart";
import { BatchTimeline } from "../BatchTimeline/BatchTimeline";
import { CheckpointInspector } from "../CheckpointInspector/CheckpointInspector";
import { PlanView } from "../PlanView/PlanView";
import { ProgressPanel } from "../ProgressPanel/ProgressPanel";
import { ResultTable } from "../ResultTable/ResultTable";
import { Tabs } from "../Tabs/Tabs";
import { WatermarkView } from "../WatermarkView/WatermarkView";
import { RecoveryPanel } from "../RecoveryPanel/RecoveryPanel";

/** Charts repaint at most this often, whatever the batch rate. */
const CHART_REFRESH_MS = 250;

const rate = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

/** One query's live output: what it is, its latest progress, its result table, progress charts and raw progress. */
export function QueryPanel({ query, onCrash }: { query: QueryOutput; onCrash?: (queryId: string) => Promise<void> }) {
  const last = query.progress.at(-1);
  const kept = query.rows.length < query.totalRows && query.outputMode !== "complete";
  const chartRows = useThrottled(query.rows, CHART_REFRESH_MS);
  const chartProgress = useThrottled(query.progress, CHART_REFRESH_MS);
  const windowed = query.schema.length > 0 && toWindowSeries(query.schema, []) !== null;
  const client = useEngine();
  const wireRate = wireBytesPerSecond(chartProgress, query.batchWireBytes);
  const [stepping, setStepping] = useState(false);
  const [stepError, setStepError] = useState<string | null>(null);
  const [crashing, setCrashing] = useState(false);
  const step = async () => {
    setStepping(true);
    const error = await client.stepQuery(query.queryId).catch((e: unknown) => ({ name: "Error", message: String(e) }));
    setStepError(error ? `${error.name}: ${error.message}` : null);
    setStepping(false);
  };
  return (
    <section className="query-panel" data-testid="query-panel" data-query-id={query.queryId} aria-label={`Query ${query.name ?? query.queryId}`}>
      <header className="query-panel__head">
        <span className="query-panel__name">{query.name ?? "unnamed query"}</span>
        {query.outputMode && <span className="chip">{query.outputMode}</span>}
        {query.sink && <span className="chip">{query.sink} sink</span>}
        {query.checkpointLocation && (
          <span className="chip" data-testid="query-checkpoint" title="Where this query keeps its offsets, commits and state (IndexedDB)">
            checkpoint: {query.checkpointLocation}
          </span>
        )}
        {query.checkpointLocation && !query.active && (
          <button
            type="button"
            className="icon-button icon-button--danger"
            data-testid="reset-checkpoint"
            onClick={async () => {
              if (!window.confirm(`Delete the checkpoint "${query.checkpointLocation}"? The query will start from the beginning next time.`)) return;
              try {
                await client.resetCheckpoint(query.checkpointLocation!);
                setStepError(`Checkpoint "${query.checkpointLocation}" deleted.`);
              } catch (e) {
                setStepError(e instanceof Error ? e.message : String(e));
              }
            }}
          >
            Reset checkpoint
          </button>
        )}
        {query.checkpointLocation && query.active && onCrash && (
          <button
            type="button"
            className="icon-button icon-button--danger"
            data-testid="crash-now"
            disabled={crashing}
            title="Kill the engine in the middle of the next batch (after the sink has its rows, before the commit log records it), then run the cell again"
            onClick={async () => {
              setCrashing(true);
              try {
                await onCrash(query.queryId);
              } catch (e) {
                setStepError(e instanceof Error ? e.message : String(e));
                setCrashing(false);
              }
            }}
          >
            {crashing ? "Crashing at the next batch…" : "Crash now"}
          </button>
        )}
        {query.outputMode !== "static" && <span className={query.active ? "chip chip--live" : "chip"}>{query.active ? "active" : "stopped"}</span>}
        {last && (
          <span className="query-panel__progress" data-testid="query-progress">
            batch {last.batchId} · {last.numInputRows} rows in · {rate(last.inputRowsPerSecond)} rows/s in ·{" "}
            {rate(last.processedRowsPerSecond)} rows/s processed
          </span>
        )}
        {wireRate !== null && (
          <span className="chip" data-testid="wire-rate" data-bytes-per-second={Math.round(wireRate)} title="What the engine's worker sends this page for the query: each batch's new or changed rows, by column (numbers as transferred typed arrays), and its progress">
            {formatRate(wireRate)} to the page
          </span>
        )}
      </header>
      {stepError && (
        <p className="query-panel__error" role="status" data-testid="query-message">
          {stepError}
        </p>
      )}
      {query.recovery && query.checkpointLocation && (
        <RecoveryPanel queryId={query.queryId} checkpointLocation={query.checkpointLocation} recovery={query.recovery} lastBatchId={query.progress.at(-1)?.batchId ?? null} />
      )}
      {query.error && (
        <pre className="query-panel__error" role="alert" data-testid="query-error">
          {query.error.name}: {query.error.message}
        </pre>
      )}
      <Tabs
        key={windowed ? "with-chart" : "no-chart"}
        testId="query-tabs"
        initial={query.manualTrigger ? "batches" : query.display && windowed ? "chart" : query.watermark ? "watermark" : "table"}
        tabs={[
          {
            id: "table",
            label: "Table",
            render: () => (
              <>
                <ResultTable schema={query.schema} rows={query.rows} changed={query.changed} follow={query.outputMode !== "complete"} />
                <footer className="query-panel__foot" data-testid="row-count">
                  {query.totalRows.toLocaleString("en-US")} rows received
                  {kept ? `; showing the last ${query.rows.length.toLocaleString("en-US")}` : ""}
                </footer>
              </>
            ),
          },
          ...(windowed ? [{ id: "chart", label: "Chart", render: () => <WindowChart schema={query.schema} rows={chartRows} /> }] : []),
          ...(query.watermark
            ? [
                {
                  id: "watermark",
                  label: "Watermark",
                  render: () => <WatermarkView queryId={query.queryId} active={query.active} progress={chartProgress} watermark={query.watermark!} />,
                },
              ]
            : []),
          { id: "progress", label: "Progress", render: () => <ProgressPanel progress={chartProgress} /> },
          {
            id: "batches",
            label: "Batches",
            render: () => (
              <>
                <BatchTimeline
                  progress={query.progress}
                  batchOutputRows={query.batchOutputRows}
                  {...(query.manualTrigger && query.active ? { onStep: () => void step(), stepping } : {})}
                />

              </>
            ),
          },
          { id: "plan", label: "Plan", render: () => <PlanView progress={chartProgress} /> },
          ...(query.checkpointLocation
            ? [
                {
                  id: "checkpoint",
                  label: "Checkpoint",
                  render: () => <CheckpointInspector location={query.checkpointLocation!} batches={query.progress.at(-1)?.batchId ?? -1} />,
                },
              ]
            : []),
          {
            id: "json",
            label: "Progress JSON",
            render: () => (
              <pre className="progress-json" data-testid="progress-json">
                {last?.json ?? "No batch has run yet."}
              </pre>
            ),
          },
        ]}
      />
    </section>
  );
}
