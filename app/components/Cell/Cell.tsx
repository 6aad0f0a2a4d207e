import { useCallback } from "react";
import { editors } from "../../monaco/editorRegistry";
import { useCellRunner } from "../../state/useCellRunner";
import { CodeEditor } from "../CodeEditor/CodeEditor";
import { ErrorPane } from "../ErrorPane/ErrorPane";
import { QueryPanel } from "../QueryPanel/QueryPanel";
import { StatusBadge } from "../StatusBadge/StatusBadge";

export interface CellProps {
  cellId: string;
  initialCode: string;
}

/** A code cell: the editor, Run and Stop, the status, and what the run produced. */
export function Cell({ cellId, initialCode }: CellProps) {
  const { output, run, stop } = useCellRunner(cellId);
  const running = output.status.kind === "running" || output.status.kind === "starting";

  const runCurrent = useCallback(() => {
    const code = editors.get(cellId)?.getValue() ?? initialCode;
    void run(code);
  }, [cellId, initialCode, run]);

  return (
    <article className="cell" data-testid="cell" data-cell-id={cellId}>
      <div className="cell__toolbar">
        <button type="button" className="button button--primary" onClick={runCurrent} data-testid="run" title="Run (Ctrl+Enter)">
          ▶ Run
        </button>
        <button type="button" className="button" onClick={() => void stop()} disabled={!running} data-testid="stop">
          ■ Stop
        </button>
        <StatusBadge status={output.status} />
      </div>
      <CodeEditor cellId={cellId} defaultValue={initialCode} onRun={runCurrent} error={output.error} />
      <div className="cell__outputs" data-testid="cell-outputs">
        {output.notice && (
          <div className="notice" role="status" data-testid="cell-notice">
            {output.notice}
          </div>
        )}
        {output.error && <ErrorPane error={output.error} />}
        {output.stdout && (
          <pre className="console-output" data-testid="console-output">
            {output.stdout}
          </pre>
        )}
        {output.queries.map((q) => (
          <QueryPanel key={q.queryId} query={q} />
        ))}
      </div>
    </article>
  );
}
