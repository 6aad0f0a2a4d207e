import { useCallback, useEffect, useRef, useState } from "react";
import { WELCOME } from "../examples";
import { editNotebook, fromFile, newNotebook, toFile, type Notebook, type NotebookEdit } from "./model";
import { NotebookStore, type NotebookSummary } from "./NotebookStore";
import { notebookFromHash, shareHash } from "./shareLink";

const LAST_OPENED = "streaming-playground:last-notebook";
const SAVE_DELAY_MS = 400;

/** Where the open notebook came from, for the banner that says so. */
export type NotebookOrigin = "stored" | "new" | "share-link" | "import";

export interface NotebookDocument {
  notebook: Notebook | null;
  origin: NotebookOrigin;
  /** Stored notebooks, most recent first. */
  list: NotebookSummary[];
  /** Why saving or loading failed, in words; null when all is well. */
  storageError: string | null;
  edit(edit: NotebookEdit): void;
  open(id: string): Promise<void>;
  create(template?: { title: string; cells: Notebook["cells"] }): void;
  duplicate(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  importText(text: string): void;
  exportText(): string;
  shareUrl(): string;
}

/**
 * The open notebook and the stored ones: autosaves every edit to IndexedDB
 * (debounced), remembers the last one opened, and opens a share link from
 * the URL's fragment without running anything.
 */
export function useNotebookDocument(): NotebookDocument {
  const [notebook, setNotebook] = useState<Notebook | null>(null);
  const [origin, setOrigin] = useState<NotebookOrigin>("new");
  const [list, setList] = useState<NotebookSummary[]>([]);
  const [storageError, setStorageError] = useState<string | null>(null);
  const store = useRef<Promise<NotebookStore | null> | null>(null);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef<Notebook | null>(null);
  latest.current = notebook;

  const getStore = useCallback(() => {
    store.current ??= NotebookStore.open().catch((e: unknown) => {
      setStorageError(e instanceof Error ? e.message : String(e));
      return null;
    });
    return store.current;
  }, []);

  const refreshList = useCallback(async () => {
    const s = await getStore();
    if (s) setList(await s.list());
  }, [getStore]);

  const saveNow = useCallback(async () => {
    const nb = latest.current;
    const s = await getStore();
    if (!nb || !s) return;
    try {
      await s.save(nb);
      localStorage.setItem(LAST_OPENED, nb.id);
      setStorageError(null);
      await refreshList();
    } catch (e) {
      setStorageError(e instanceof Error ? e.message : String(e));
    }
  }, [getStore, refreshList]);

  const scheduleSave = useCallback(() => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void saveNow(), SAVE_DELAY_MS);
  }, [saveNow]);

  const show = useCallback((nb: Notebook, from: NotebookOrigin, save: boolean) => {
    latest.current = nb;
    setNotebook(nb);
    setOrigin(from);
    if (save) void saveNow();
  }, [saveNow]);

  // First load: a share link wins, then the last notebook opened, then the newest, then the welcome notebook.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const shared = notebookFromHash(location.hash);
        if (shared) {
          history.replaceState(null, "", location.pathname + location.search);
          if (!cancelled) show(shared, "share-link", false);
          void refreshList();
          return;
        }
      } catch (e) {
        setStorageError(e instanceof Error ? e.message : String(e));
      }
      const s = await getStore();
      const lastId = localStorage.getItem(LAST_OPENED);
      const stored = s ? ((lastId ? await s.get(lastId) : undefined) ?? (await firstStored(s))) : undefined;
      if (cancelled) return;
      if (stored) show(stored, "stored", false);
      else show(newNotebook(WELCOME.title, WELCOME.cells), "new", true);
      void refreshList();
    })();
    return () => {
      cancelled = true;
    };
  }, [getStore, refreshList, show]);

  // Save what is pending when the tab goes away.
  useEffect(() => {
    const flush = () => {
      if (saveTimer.current) void saveNow();
    };
    addEventListener("pagehide", flush);
    return () => removeEventListener("pagehide", flush);
  }, [saveNow]);

  const edit = useCallback((e: NotebookEdit) => {
    const current = latest.current;
    if (!current) return;
    const next = editNotebook(current, e);
    latest.current = next;
    setNotebook(next);
    scheduleSave();
  }, [scheduleSave]);

  return {
    notebook,
    origin,
    list,
    storageError,
    edit,
    open: async (id) => {
      const s = await getStore();
      const nb = s ? await s.get(id) : undefined;
      if (nb) {
        show(nb, "stored", false);
        localStorage.setItem(LAST_OPENED, nb.id);
      }
    },
    create: (template) => show(newNotebook(template?.title ?? "Untitled", template?.cells ?? [{ kind: "code", source: "" }]), "new", true),
    duplicate: async (id) => {
      const s = await getStore();
      const nb = s ? await s.get(id) : undefined;
      if (nb) show(newNotebook(`${nb.title} (copy)`, nb.cells), "new", true);
    },
    remove: async (id) => {
      const s = await getStore();
      if (!s) return;
      await s.delete(id);
      if (latest.current?.id === id) {
        const next = await firstStored(s);
        show(next ?? newNotebook(WELCOME.title, WELCOME.cells), next ? "stored" : "new", !next);
      }
      await refreshList();
    },
    importText: (text) => {
      try {
        show(fromFile(JSON.parse(text)), "import", true);
      } catch (e) {
        setStorageError(`Import failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    exportText: () => JSON.stringify(latest.current ? toFile(latest.current) : null, null, 2),
    shareUrl: () => (latest.current ? `${location.origin}${location.pathname}${shareHash(latest.current)}` : location.href),
  };
}

async function firstStored(s: NotebookStore): Promise<Notebook | undefined> {
  const [first] = await s.list();
  return first ? s.get(first.id) : undefined;
}
