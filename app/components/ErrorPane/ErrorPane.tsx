import type { WireError } from "../../../engine/worker/protocol";

/** A run's error under the cell: its name, where in the cell, and the message, as text. */
export function ErrorPane({ error }: { error: WireError }) {
  const where = error.line !== undefined ? `line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ""}` : null;
  return (
    <div className="error-pane" role="alert" data-testid="cell-error" data-line={error.line ?? ""}>
      <div className="error-pane__title">
        <strong>{error.name}</strong>
        {where && <span data-testid="cell-error-location"> at {where}</span>}
        {error.errorClass && <code className="error-pane__class">{error.errorClass}</code>}
      </div>
      <pre className="error-pane__message">{error.message}</pre>
    </div>
  );
}
