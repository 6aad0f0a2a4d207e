import { useEffect, useRef, useState } from "react";
import { useEngine } from "../../engine-client/engineContext";
import type { Notebook } from "../../notebook/model";

/**
 * "Export to PySpark": the notebook as a runnable PySpark script, to copy or
 * download and `spark-submit` on a real cluster. The engine builds it from the
 * queries' logical plans without running anything.
 */
export function PySparkExport({ notebook, onClose }: { notebook: Notebook; onClose: () => void }) {
  const client = useEngine();
  const [script, setScript] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const close = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    close.current?.focus();
    client
      .exportPySpark(
        notebook.cells.map((c) => ({ kind: c.kind, source: c.source })),
        notebook.title,
      )
      .then(setScript, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [client, notebook]);

  const fileName = `${notebook.title.replace(/[^\w.-]+/g, "_") || "notebook"}.py`;
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className="modal modal--wide" role="dialog" aria-modal="true" aria-labelledby="pyspark-title" data-testid="pyspark-export">
        <h2 id="pyspark-title">Export to PySpark</h2>
        <p className="muted">Run it on Spark with <code>spark-submit {fileName}</code>. Playground-only parts (the manual trigger, the stepper) are marked in comments.</p>
        {error && (
          <p role="alert" className="query-panel__error">
            {error}
          </p>
        )}
        <pre className="pyspark-script" data-testid="pyspark-script">
          {script ?? (error ? "" : "Building the script…")}
        </pre>
        <div className="modal__actions">
          <button
            type="button"
            className="button"
            disabled={script === null}
            data-testid="pyspark-copy"
            onClick={async () => {
              await navigator.clipboard.writeText(script ?? "");
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
          <button
            type="button"
            className="button"
            disabled={script === null}
            data-testid="pyspark-download"
            onClick={() => {
              const a = document.createElement("a");
              a.href = URL.createObjectURL(new Blob([script ?? ""], { type: "text/x-python" }));
              a.download = fileName;
              a.click();
              setTimeout(() => URL.revokeObjectURL(a.href), 1000);
            }}
          >
            Download {fileName}
          </button>
          <button ref={close} type="button" className="button button--primary" onClick={onClose} data-testid="pyspark-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
