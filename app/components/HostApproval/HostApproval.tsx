import { useEffect, useRef, useState } from "react";
import { useEngine } from "../../engine-client/engineContext";

interface Pending {
  url: string;
  resolve: (ok: boolean) => void;
}

/**
 * Asks before a notebook reads from a socket on a host the user has not
 * approved (a shared notebook could otherwise make the tab connect anywhere).
 * The answer is remembered per URL.
 */
export function HostApproval() {
  const client = useEngine();
  const [pending, setPending] = useState<Pending[]>([]);
  const allow = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    client.onHostApproval((url) => new Promise<boolean>((resolve) => setPending((p) => [...p, { url, resolve }])));
    return () => client.onHostApproval(null);
  }, [client]);

  const current = pending[0];
  useEffect(() => {
    if (current) allow.current?.focus();
  }, [current]);
  if (!current) return null;

  const answer = (ok: boolean) => {
    current.resolve(ok);
    setPending((p) => p.slice(1));
  };
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="host-approval-title" data-testid="host-approval">
        <h2 id="host-approval-title">Read from a socket?</h2>
        <p>
          A cell wants to connect to <code data-testid="host-approval-url">{current.url}</code> and read lines from it. Allow it only if you
          trust that server (for example the feed server started by <code>npm run feed</code>).
        </p>
        <div className="modal__actions">
          <button type="button" className="button" onClick={() => answer(false)} data-testid="host-deny">
            Don't allow
          </button>
          <button ref={allow} type="button" className="button button--primary" onClick={() => answer(true)} data-testid="host-allow">
            Allow
          </button>
        </div>
      </div>
    </div>
  );
}
