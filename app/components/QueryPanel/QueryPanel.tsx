import type { QueryOutput } from "../../state/cellOutput";
import { ResultTable } from "../ResultTable/ResultTable";

const rate = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

/** One query's live output: what it is, its latest progress, and its result table. */
export function QueryPanel({ query }: { query: QueryOutput }) {
  const last = query.progress.at(-1);
  const kept = query.rows.length < query.totalRows && query.outputMode !== "complete";
  return (
    <section className="query-panel" data-testid="query-panel" data-query-id={query.queryId} aria-label={`Query ${query.name ?? query.queryId}`}>
      <header className="query-panel__head">
        <span className="query-panel__name">{query.name ?? "unnamed query"}</span>
        {query.outputMode && <span className="chip">{query.outputMode}</span>}
        {query.sink && <span className="chip">{query.sink} sink</span>}
        <span className={query.active ? "chip chip--live" : "chip"}>{query.active ? "active" : "stopped"}</span>
        {last && (
          <span className="query-panel__progress" data-testid="query-progress">
            batch {last.batchId} · {last.numInputRows} rows in · {rate(last.inputRowsPerSecond)} rows/s in ·{" "}
            {rate(last.processedRowsPerSecond)} rows/s processed
          </span>
        )}
      </header>
      <ResultTable schema={query.schema} rows={query.rows} changed={query.changed} follow={query.outputMode !== "complete"} />
      <footer className="query-panel__foot" data-testid="row-count">
        {query.totalRows.toLocaleString("en-US")} rows received{kept ? `; showing the last ${query.rows.length.toLocaleString("en-US")}` : ""}
      </footer>
    </section>
  );
}
