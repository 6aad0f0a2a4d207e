import { useCallback, useEffect, type ReactNode } from "react";
import { useEngine } from "../../engine-client/engineContext";
import { editors } from "../../monaco/editorRegistry";
import { useCellHandles } from "../../notebook/cellHandles";
import { useCellRunner } from "../../state/useCellRunner";
import { CodeEditor } from "../CodeEditor/CodeEditor";
import { ConnectionList } from "../ConnectionList/ConnectionList";
import { DStreamTimeline } from "../DStreamTimeline/DStreamTimeline";
import { ErrorPane } from "../ErrorPane/ErrorPane";
import { QueryPanel } from "../QueryPanel/QueryPanel";
import { QueryTimeline } from "../QueryTimeline/QueryTimeline";
import { StatusBadge } from "../StatusBadge/StatusBadge";

export interface CodeCellProps {
  cellId: string;
  source: string;
  onChange: (source: string) => void;
  /** Shift+Enter: after running, the notebook moves focus to the next cell. */
  onRunAndNext: () => void;
  /** The move/delete/add buttons. */
  actions: ReactNode;
  autoFocus?: boolean;
}

/** A code cell: the editor, Run and Stop, the status, and what the run produced. */
export function CodeCell({ cellId, source, onChange, onRunAndNext, actions, autoFocus }: CodeCellProps) {
  const { output, run, stop, clear } = useCellRunner(cellId);
  const handles = useCellHandles();
  const client = useEngine();
  const running = output.status.kind === "running" || output.status.kind === "starting";

  const runCurrent = useCallback(() => run(editors.get(cellId)?.getValue() ?? source), [cellId, source, run]);

  /**
   * "Crash now": the query's next batch halts once the sink has its rows (after
   * offsets/N, before commits/N), the worker is killed right there, and the cell runs
   * again on a fresh one — as a cluster manager restarts a crashed driver.
   */
  const crash = useCallback(
    async (queryId: string) => {
      const halted = await client.haltInNextBatch(queryId);
      if (!halted.ok) throw new Error(`${halted.error.name}: ${halted.error.message}`);
      const n = halted.batchId;
      const why = `Crash now: the engine was killed in the middle of batch ${n}, after the sink had its rows and before commits/${n} was written.`;
      client.restart(`${why} Every query stopped.`);
      await run(editors.get(cellId)?.getValue() ?? source, `${why} The cell ran again on a new engine and recovered from its checkpoint.`);
    },
    [cellId, client, run, source],
  );

  useEffect(() => {
    handles.set(cellId, { run: runCurrent, stop, clear, focus: () => editors.get(cellId)?.focus() });
    return () => void handles.delete(cellId);
  }, [cellId, handles, runCurrent, stop, clear]);

  return (
    <article className="cell cell--code" data-testid="cell" data-cell-id={cellId} data-kind="code">
      <div className="cell__toolbar">
        <button type="button" className="button button--primary" onClick={() => void runCurrent()} data-testid="run" title="Run (Ctrl+Enter); Shift+Enter runs and moves on">
          ▶ Run
        </button>
        <button type="button" className="button" onClick={() => void stop()} disabled={!running} data-testid="stop">
          ■ Stop
        </button>
        <StatusBadge status={output.status} />
        {actions}
      </div>
      <CodeEditor
        cellId={cellId}
        defaultValue={source}
        onRun={() => void runCurrent()}
        onRunAndNext={() => {
          void runCurrent();
          onRunAndNext();
        }}
        onChange={onChange}
        error={output.error}
        {...(autoFocus ? { autoFocus } : {})}
      />
      <div className="cell__outputs" data-testid="cell-outputs">
        {output.notice && (
          <div className="notice" role="status" data-testid="cell-notice">
            {output.notice}
          </div>
        )}
        {output.error && (
          <ErrorPane
            error={output.error}
            onTakeOver={async (location) => {
              await client.takeOverCheckpoint(location);
              await runCurrent();
            }}
          />
        )}
        <ConnectionList connections={output.connections} />
        <DStreamTimeline batches={output.dstreamBatches} />
        {output.stdout && (
          <pre className="console-output" data-testid="console-output">
            {output.stdout}
          </pre>
        )}
        <QueryTimeline queries={output.queries} />
        {output.queries.map((q) => (
          <QueryPanel onCrash={crash} key={q.queryId} query={q} />
        ))}
      </div>
    </article>
  );
}
