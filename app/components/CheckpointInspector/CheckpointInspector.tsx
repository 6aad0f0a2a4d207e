import { useEffect, useRef, useState } from "react";
import { useEngine } from "../../engine-client/engineContext";

interface CheckpointFile {
  path: string;
  text: string;
  size: number;
}

/**
 * The query's checkpoint as Spark lays it out — `metadata`, `offsets/N` (written
 * before batch N runs), `commits/N` (after), `sources/<i>/0`, `state/<op>/…` —
 * read from IndexedDB again after every batch. Select a file to read it.
 */
export function CheckpointInspector({ location, batches }: { location: string; batches: number }) {
  const client = useEngine();
  // Each listing and error is tagged with its location: another location's never shows under this one.
  const [listing, setListing] = useState<{ location: string; files: CheckpointFile[] } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ location: string; message: string } | null>(null);
  const files = listing?.location === location ? listing.files : [];
  const error = failure?.location === location ? failure.message : null;

  // One listing at a time, and a finished listing is always shown: a query that commits
  // faster than IndexedDB lists its files (a 100 ms trigger, hundreds of files) would
  // otherwise cancel every listing before it lands, and the inspector would stay empty.
  const reading = useRef(false);
  const shown = useRef<{ location: string; batches: number } | null>(null);
  const [landed, setLanded] = useState(0);

  useEffect(() => {
    if (reading.current) return; // the listing in flight looks again when it lands
    const job = { location, batches };
    if (shown.current?.location === location && shown.current.batches === batches) return;
    reading.current = true;
    client
      .checkpointFiles(location)
      .then(
        (f) => {
          setListing({ location: job.location, files: f });
          setFailure(null);
        },
        (e: unknown) => setFailure({ location: job.location, message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        reading.current = false;
        shown.current = job;
        setLanded((n) => n + 1);
      });
  }, [client, location, batches, landed]);

  const offsets = files.filter((f) => f.path.startsWith("offsets/")).length;
  const commits = files.filter((f) => f.path.startsWith("commits/")).length;
  const current = files.find((f) => f.path === selected) ?? files.find((f) => f.path.startsWith("offsets/")) ?? files[0];
  return (
    <div className="checkpoint-inspector" data-testid="checkpoint-inspector">
      <p className="muted">
        <code>{location}</code>: {files.length} files, {offsets} offset entries, {commits} commits
        {offsets > commits ? " — the last planned batch is not committed yet (a restart re-runs it with the same offsets)" : ""}.
      </p>
      {error && <p role="alert">{error}</p>}
      <div className="checkpoint-inspector__body">
        <ul className="checkpoint-inspector__files" aria-label="Checkpoint files">
          {files.map((f) => (
            <li key={f.path}>
              <button
                type="button"
                className={f.path === current?.path ? "link-button is-selected" : "link-button"}
                data-testid="checkpoint-file"
                data-path={f.path}
                onClick={() => setSelected(f.path)}
              >
                {f.path}
              </button>
            </li>
          ))}
        </ul>
        <pre className="checkpoint-inspector__text" data-testid="checkpoint-file-text">
          {current ? current.text : "No checkpoint files yet."}
        </pre>
      </div>
    </div>
  );
}
