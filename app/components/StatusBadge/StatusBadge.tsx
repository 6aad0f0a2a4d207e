import type { CellStatus } from "../../state/cellOutput";

/** The cell's state in words: idle, starting, running (batch #n), stopped, failed. */
export function StatusBadge({ status }: { status: CellStatus }) {
  const text =
    status.kind === "running"
      ? status.batchId === null
        ? "running, waiting for data"
        : `running (batch #${status.batchId})`
      : status.kind;
  return (
    <span className={`status-badge status-badge--${status.kind}`} data-testid="cell-status" data-status={status.kind} aria-live="polite">
      {text}
    </span>
  );
}
