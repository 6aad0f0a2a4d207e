import type { WireError } from "../../../engine/worker/protocol";

/** The checkpoint a CHECKPOINT_LOCKED error names. */
function lockedCheckpoint(error: WireError): string | null {
  if (error.errorClass !== "CHECKPOINT_LOCKED") return null;
  return /checkpoint "([^"]+)"/.exec(error.message)?.[1] ?? null;
}

/**
 * A run's error under the cell: its name, where in the cell, and the message,
 * as text. A checkpoint held by another tab offers an explicit take-over.
 */
export function ErrorPane({ error, onTakeOver }: { error: WireError; onTakeOver?: (location: string) => void }) {
  const locked = lockedCheckpoint(error);
  const where = error.line !== undefined ? `line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ""}` : null;
  return (
    <div className="error-pane" role="alert" data-testid="cell-error" data-line={error.line ?? ""}>
      <div className="error-pane__title">
        <strong>{error.name}</strong>
        {where && <span data-testid="cell-error-location"> at {where}</span>}
        {error.errorClass && <code className="error-pane__class">{error.errorClass}</code>}
      </div>
      <pre className="error-pane__message">{error.message}</pre>
      {locked && onTakeOver && (
        <button type="button" className="button" data-testid="take-over" onClick={() => onTakeOver(locked)}>
          Take over "{locked}" here (the other tab's query stops)
        </button>
      )}
    </div>
  );
}
