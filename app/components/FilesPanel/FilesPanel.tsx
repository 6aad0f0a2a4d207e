import { useCallback, useEffect, useState } from "react";
import { useEngine } from "../../engine-client/engineContext";

interface Entry {
  path: string;
  size: number;
  modificationTime: number;
}

/**
 * The virtual file system (IndexedDB in the browser): file sources read from
 * it and file sinks write to it. Drop or choose files to upload them into a
 * folder; click a file to download it. Folders are listed recursively.
 */
export function FilesPanel({ onClose }: { onClose: () => void }) {
  const client = useEngine();
  const [folder, setFolder] = useState("in");
  const [files, setFiles] = useState<Entry[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setFiles(await listRecursive((dir) => client.listFiles(dir), ""));
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const upload = async (list: FileList | File[]) => {
    const dir = folder.replace(/^\/+|\/+$/g, "");
    for (const file of list) await client.writeFile(dir ? `${dir}/${file.name}` : file.name, await file.text());
    setMessage(`Uploaded ${list.length} file${list.length === 1 ? "" : "s"} into ${dir || "/"}.`);
    await refresh();
  };

  const download = async (path: string) => {
    const text = await client.readFile(path);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    a.download = path.split("/").pop() ?? "file.txt";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <nav
      className={dragging ? "files-panel is-dragging" : "files-panel"}
      aria-label="Files"
      data-testid="files-panel"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void upload(e.dataTransfer.files);
      }}
    >
      <div className="notebook-list__head">
        <h2>Files</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the files">
          ✕
        </button>
      </div>
      <p className="muted">Read them with file sources (<code>format("json").load("in")</code>); file sinks write here.</p>
      <label className="files-panel__folder">
        Upload into folder
        <input value={folder} onChange={(e) => setFolder(e.currentTarget.value)} data-testid="upload-folder" />
      </label>
      <input
        type="file"
        multiple
        data-testid="upload-files"
        aria-label="Choose files to upload"
        onChange={(e) => {
          const chosen = e.currentTarget.files;
          if (chosen) void upload([...chosen]);
          e.currentTarget.value = "";
        }}
      />
      <p className="muted">…or drop files here.</p>
      {message && (
        <p role="status" data-testid="files-message">
          {message}
        </p>
      )}
      <button type="button" className="button" onClick={() => void refresh()}>
        Refresh
      </button>
      <ul className="notebook-list__items" data-testid="file-list">
        {files.map((f) => (
          <li key={f.path} data-testid="file-item" data-path={f.path}>
            <button type="button" className="link-button" onClick={() => void download(f.path)} title="Download">
              {f.path}
            </button>
            <span className="notebook-list__meta">
              {f.size.toLocaleString("en-US")} bytes · {new Date(f.modificationTime).toLocaleString()}
            </span>
          </li>
        ))}
        {files.length === 0 && <li className="muted">No files yet.</li>}
      </ul>
    </nav>
  );
}

async function listRecursive(list: (dir: string) => Promise<Array<Entry & { isDir: boolean }>>, dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const entry of await list(dir)) {
    if (entry.isDir) out.push(...(await listRecursive(list, entry.path)));
    else out.push(entry);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
