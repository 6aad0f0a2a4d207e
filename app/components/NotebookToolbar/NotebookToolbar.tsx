import { useRef, useState } from "react";
import type { NotebookDocument } from "../../notebook/useNotebookDocument";
import type { CellHandle } from "../../notebook/cellHandles";
import { ClockControl } from "../ClockControl/ClockControl";
import { PySparkExport } from "../PySparkExport/PySparkExport";

export interface NotebookToolbarProps {
  doc: NotebookDocument;
  handles: Map<string, CellHandle>;
  onRestartEngine: () => void;
  onToggleList: () => void;
  onToggleFiles: () => void;
}

/** The notebook's commands: title, run all, stop all, clear, restart the engine, share, export, import. */
export function NotebookToolbar({ doc, handles, onRestartEngine, onToggleList, onToggleFiles }: NotebookToolbarProps) {
  const nb = doc.notebook!;
  const fileInput = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const inOrder = () => nb.cells.map((c) => handles.get(c.id)).filter((h): h is CellHandle => h !== undefined);

  const say = (text: string) => {
    setMessage(text);
    setTimeout(() => setMessage(null), 4000);
  };

  return (
    <div className="notebook-toolbar" role="toolbar" aria-label="Notebook">
      <button type="button" className="button" onClick={onToggleList} data-testid="toggle-notebook-list" aria-label="Notebooks and examples">
        ☰ Notebooks
      </button>
      <input
        className="notebook-title"
        aria-label="Notebook title"
        data-testid="notebook-title"
        key={nb.id}
        defaultValue={nb.title}
        onBlur={(e) => doc.edit({ kind: "rename", title: e.currentTarget.value })}
        onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
      />
      <span className="notebook-toolbar__spacer" />
      <ClockControl />
      <button
        type="button"
        className="button button--primary"
        data-testid="run-all"
        onClick={async () => {
          for (const h of inOrder()) await h.run();
        }}
      >
        ▶▶ Run all
      </button>
      <button type="button" className="button" data-testid="stop-all" onClick={() => void Promise.all(inOrder().map((h) => h.stop()))}>
        ■ Stop all
      </button>
      <button type="button" className="button" data-testid="clear-outputs" onClick={() => inOrder().forEach((h) => h.clear())}>
        Clear outputs
      </button>
      <button type="button" className="button" data-testid="restart-engine" onClick={onRestartEngine} title="Stop every query and start a fresh engine">
        ↻ Restart engine
      </button>
      <button
        type="button"
        className="button"
        data-testid="share"
        onClick={async () => {
          const url = doc.shareUrl();
          try {
            await navigator.clipboard.writeText(url);
            say("Share link copied. Whoever opens it sees this notebook; nothing runs until they click Run.");
          } catch {
            window.prompt("Copy this share link:", url);
          }
        }}
      >
        Share
      </button>
      <button
        type="button"
        className="button"
        data-testid="export"
        onClick={() => {
          const blob = new Blob([doc.exportText()], { type: "application/json" });
          const a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = `${nb.title.replace(/[^\w.-]+/g, "-") || "notebook"}.json`;
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 1000);
        }}
      >
        Export
      </button>
      <button type="button" className="button" data-testid="import" onClick={() => fileInput.current?.click()}>
        Import
      </button>
      <button type="button" className="button" data-testid="toggle-files" onClick={onToggleFiles}>
        Files
      </button>
      <button type="button" className="button" data-testid="export-pyspark" onClick={() => setExporting(true)}>
        Export to PySpark
      </button>
      {exporting && <PySparkExport notebook={nb} onClose={() => setExporting(false)} />}
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-file"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          if (file) doc.importText(await file.text());
          e.currentTarget.value = "";
        }}
      />
      {message && (
        <div className="toast" role="status" data-testid="toast">
          {message}
        </div>
      )}
    </div>
  );
}
