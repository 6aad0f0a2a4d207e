import { useCallback, useMemo, useState } from "react";
import { CellHandlesContext, type CellHandle } from "../../notebook/cellHandles";
import { newCell, type CellKind, type Notebook, type NotebookEdit } from "../../notebook/model";
import { CellActions } from "../CellActions/CellActions";
import { CodeCell } from "../CodeCell/CodeCell";
import { MarkdownCell } from "../MarkdownCell/MarkdownCell";

export interface NotebookViewProps {
  notebook: Notebook;
  edit: (edit: NotebookEdit) => void;
  /** Receives the cell handles, for the toolbar's run all / stop all / clear. */
  handles: Map<string, CellHandle>;
}

/** The cells of the open notebook, each with its actions; Shift+Enter moves to the next cell. */
export function NotebookView({ notebook, edit, handles }: NotebookViewProps) {
  const [focusCell, setFocusCell] = useState<string | null>(null);
  const cells = notebook.cells;

  const addBelow = useCallback(
    (index: number, kind: CellKind) => {
      const cell = newCell(kind);
      edit({ kind: "insert", at: index + 1, cell });
      setFocusCell(cell.id);
    },
    [edit],
  );

  const runAndNext = useCallback(
    (index: number) => {
      const next = cells[index + 1];
      if (next) handles.get(next.id)?.focus();
      else addBelow(index, "code");
    },
    [addBelow, cells, handles],
  );

  const runAbove = useCallback(
    async (index: number) => {
      for (const cell of cells.slice(0, index)) await handles.get(cell.id)?.run();
    },
    [cells, handles],
  );

  const contextValue = useMemo(() => handles, [handles]);

  return (
    <CellHandlesContext.Provider value={contextValue}>
      <div className="cells" data-testid="cells">
        {cells.map((cell, index) => {
          const actions = (
            <CellActions
              kind={cell.kind}
              isFirst={index === 0}
              isLast={index === cells.length - 1}
              onMove={(by) => edit({ kind: "move", cellId: cell.id, by })}
              onDelete={() => edit({ kind: "delete", cellId: cell.id })}
              onAddBelow={(kind) => addBelow(index, kind)}
              onToggleKind={() => edit({ kind: "setKind", cellId: cell.id, cellKind: cell.kind === "code" ? "markdown" : "code" })}
              onRunAbove={() => void runAbove(index)}
            />
          );
          const common = {
            cellId: cell.id,
            source: cell.source,
            onChange: (source: string) => edit({ kind: "setSource", cellId: cell.id, source }),
            onRunAndNext: () => runAndNext(index),
            actions,
            ...(focusCell === cell.id ? { autoFocus: true } : {}),
          };
          // The key includes the kind: switching kind mounts the other editor.
          return cell.kind === "code" ? <CodeCell key={`${cell.id}:code`} {...common} /> : <MarkdownCell key={`${cell.id}:md`} {...common} />;
        })}
        {cells.length === 0 && (
          <div className="cells__empty">
            <p>This notebook has no cells.</p>
            <button type="button" className="button" onClick={() => addBelow(-1, "code")} data-testid="add-first-cell">
              + Code cell
            </button>
          </div>
        )}
      </div>
    </CellHandlesContext.Provider>
  );
}
