import { EXAMPLES } from "../../examples";
import type { NotebookDocument } from "../../notebook/useNotebookDocument";

/** The side panel: stored notebooks (open, rename via title, duplicate, delete), a new one, and the examples gallery. */
export function NotebookList({ doc, onClose }: { doc: NotebookDocument; onClose: () => void }) {
  return (
    <nav className="notebook-list" aria-label="Notebooks" data-testid="notebook-list">
      <div className="notebook-list__head">
        <h2>Notebooks</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the list">✕</button>
      </div>
      <button
        type="button"
        className="button"
        data-testid="new-notebook"
        onClick={() => {
          doc.create();
          onClose();
        }}
      >
        + New notebook
      </button>
      <ul className="notebook-list__items">
        {doc.list.map((item) => (
          <li key={item.id} className={item.id === doc.notebook?.id ? "is-current" : ""} data-testid="notebook-item">
            <button
              type="button"
              className="link-button"
              onClick={() => {
                void doc.open(item.id);
                onClose();
              }}
            >
              {item.title}
            </button>
            <span className="notebook-list__meta">{item.cellCount} cells · {new Date(item.updatedAt).toLocaleString()}</span>
            <span className="notebook-list__actions">
              <button type="button" className="icon-button" onClick={() => {
                void doc.duplicate(item.id);
                onClose();
              }} data-testid="duplicate-notebook" title="Duplicate and open the copy">Copy</button>
              <button
                type="button"
                className="icon-button icon-button--danger"
                data-testid="delete-notebook"
                title="Delete"
                onClick={() => {
                  if (window.confirm(`Delete the notebook "${item.title}"?`)) void doc.remove(item.id);
                }}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ul>
      <h2>Examples</h2>
      <ul className="notebook-list__items" data-testid="examples">
        {EXAMPLES.map((ex) => (
          <li key={ex.id} data-testid="example-item" data-example-id={ex.id}>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                doc.create({ title: ex.title, cells: ex.cells.map((c, i) => ({ id: `${ex.id}-${i}`, ...c })) });
                onClose();
              }}
            >
              {ex.title}
            </button>
            <span className="notebook-list__meta">{ex.summary}</span>
          </li>
        ))}
      </ul>
    </nav>
  );
}
