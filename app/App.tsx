import { useEffect, useMemo, useState } from "react";
import { FilesPanel } from "./components/FilesPanel/FilesPanel";
import { HostApproval } from "./components/HostApproval/HostApproval";
import { NotebookList } from "./components/NotebookList/NotebookList";
import { NotebookToolbar } from "./components/NotebookToolbar/NotebookToolbar";
import { NotebookView } from "./components/NotebookView/NotebookView";
import { useEngine } from "./engine-client/engineContext";
import type { CellHandle } from "./notebook/cellHandles";
import { useNotebookDocument } from "./notebook/useNotebookDocument";
import { applyTheme, initialTheme, type Theme } from "./theme/theme";

/** The page: the notebook's toolbar, its cells, and the list of notebooks and examples. */
export function App() {
  const doc = useNotebookDocument();
  const client = useEngine();
  const handles = useMemo(() => new Map<string, CellHandle>(), []);
  const [listOpen, setListOpen] = useState(false);
  const [filesOpen, setFilesOpen] = useState(false);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => applyTheme(theme), [theme]);

  return (
    <div className={listOpen ? "app app--with-list" : "app"}>
      <header className="app__header">
        <h1>Streaming Playground</h1>
        <p className="app__tagline">Spark Structured Streaming, running in this tab.</p>
        <button
          type="button"
          className="button app__theme"
          data-testid="theme-toggle"
          aria-label={theme === "dark" ? "Use the light theme" : "Use the dark theme"}
          onClick={() => setTheme(theme === "dark" ? "light" : "dark")}
        >
          {theme === "dark" ? "☀ Light" : "☾ Dark"}
        </button>
      </header>
      <HostApproval />
      {listOpen && <NotebookList doc={doc} onClose={() => setListOpen(false)} />}
      {filesOpen && <FilesPanel onClose={() => setFilesOpen(false)} />}
      <main className="notebook" data-testid="notebook">
        {doc.storageError && (
          <div className="notice notice--error" role="alert" data-testid="storage-error">
            {doc.storageError}
          </div>
        )}
        {doc.notebook && (
          <>
            <NotebookToolbar doc={doc} handles={handles} onRestartEngine={() => client.restart()} onToggleList={() => setListOpen((v) => !v)} onToggleFiles={() => setFilesOpen((v) => !v)} />
            {doc.origin === "share-link" && (
              <div className="notice" role="status" data-testid="share-banner">
                Opened from a share link. Nothing has run: read the code, then click Run. It is saved here once you edit it.
              </div>
            )}
            <NotebookView key={doc.notebook.id} notebook={doc.notebook} edit={doc.edit} handles={handles} />
          </>
        )}
      </main>
    </div>
  );
}
