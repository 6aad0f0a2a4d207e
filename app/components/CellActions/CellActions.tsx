import type { CellKind } from "../../notebook/model";

export interface CellActionsProps {
  kind: CellKind;
  isFirst: boolean;
  isLast: boolean;
  onMove: (by: -1 | 1) => void;
  onDelete: () => void;
  onAddBelow: (kind: CellKind) => void;
  onToggleKind: () => void;
  onRunAbove: () => void;
}

/** The per-cell buttons: move, change kind, add below, delete. */
export function CellActions({ kind, isFirst, isLast, onMove, onDelete, onAddBelow, onToggleKind, onRunAbove }: CellActionsProps) {
  return (
    <div className="cell-actions" role="group" aria-label="Cell actions">
      <button type="button" className="icon-button" onClick={onRunAbove} disabled={isFirst} title="Run every cell above this one" data-testid="cell-run-above">⇡ Run above</button>
      <button type="button" className="icon-button" onClick={() => onMove(-1)} disabled={isFirst} title="Move up" aria-label="Move cell up" data-testid="cell-move-up">↑</button>
      <button type="button" className="icon-button" onClick={() => onMove(1)} disabled={isLast} title="Move down" aria-label="Move cell down" data-testid="cell-move-down">↓</button>
      <button type="button" className="icon-button" onClick={onToggleKind} title={kind === "code" ? "Make Markdown" : "Make code"} data-testid="cell-toggle-kind">
        {kind === "code" ? "M↓" : "{ }"}
      </button>
      <button type="button" className="icon-button" onClick={() => onAddBelow("code")} title="Add a code cell below" data-testid="cell-add-code">+ Code</button>
      <button type="button" className="icon-button" onClick={() => onAddBelow("markdown")} title="Add a Markdown cell below" data-testid="cell-add-markdown">+ Text</button>
      <button type="button" className="icon-button icon-button--danger" onClick={onDelete} title="Delete cell" aria-label="Delete cell" data-testid="cell-delete">✕</button>
    </div>
  );
}
