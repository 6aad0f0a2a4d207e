/**
 * The notebook document: an ordered list of code and Markdown cells. Pure
 * data and pure edits, so persistence, share links and undo all see the same
 * shape. Stored format version 1, e.g.
 *
 *   { "format": "streaming-playground-notebook", "version": 1, "id": "nb-…",
 *     "title": "Word count", "cells": [{ "id": "c-…", "kind": "code", "source": "…" }] }
 */

export type CellKind = "code" | "markdown";

export interface NotebookCell {
  id: string;
  kind: CellKind;
  source: string;
}

export interface Notebook {
  id: string;
  title: string;
  cells: NotebookCell[];
  /** Epoch ms of the last edit. */
  updatedAt: number;
}

export const NOTEBOOK_FORMAT = "streaming-playground-notebook";
export const NOTEBOOK_VERSION = 1;

/** A notebook as a file: what export writes and import reads. */
export interface NotebookFile {
  format: typeof NOTEBOOK_FORMAT;
  version: typeof NOTEBOOK_VERSION;
  id: string;
  title: string;
  cells: NotebookCell[];
}

export function newId(prefix: string): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${random.slice(0, 8)}`;
}

export function newCell(kind: CellKind, source = ""): NotebookCell {
  return { id: newId("c"), kind, source };
}

export function newNotebook(title: string, cells: Array<Pick<NotebookCell, "kind" | "source">>): Notebook {
  return { id: newId("nb"), title, cells: cells.map((c) => newCell(c.kind, c.source)), updatedAt: Date.now() };
}

/** Edits a person can make to a notebook. */
export type NotebookEdit =
  | { kind: "insert"; at: number; cell: NotebookCell }
  | { kind: "delete"; cellId: string }
  | { kind: "move"; cellId: string; by: -1 | 1 }
  | { kind: "setSource"; cellId: string; source: string }
  | { kind: "setKind"; cellId: string; cellKind: CellKind }
  | { kind: "rename"; title: string }
  | { kind: "replace"; notebook: Notebook };

/** Applies one edit. Unknown cell ids leave the notebook as it is. */
export function editNotebook(nb: Notebook, edit: NotebookEdit): Notebook {
  const touch = (cells: NotebookCell[], title = nb.title): Notebook => ({ ...nb, title, cells, updatedAt: Date.now() });
  switch (edit.kind) {
    case "insert": {
      const at = Math.max(0, Math.min(edit.at, nb.cells.length));
      return touch([...nb.cells.slice(0, at), edit.cell, ...nb.cells.slice(at)]);
    }
    case "delete":
      return touch(nb.cells.filter((c) => c.id !== edit.cellId));
    case "move": {
      const from = nb.cells.findIndex((c) => c.id === edit.cellId);
      const to = from + edit.by;
      if (from < 0 || to < 0 || to >= nb.cells.length) return nb;
      const cells = nb.cells.slice();
      [cells[from], cells[to]] = [cells[to]!, cells[from]!];
      return touch(cells);
    }
    case "setSource":
      return touch(nb.cells.map((c) => (c.id === edit.cellId ? { ...c, source: edit.source } : c)));
    case "setKind":
      return touch(nb.cells.map((c) => (c.id === edit.cellId ? { ...c, kind: edit.cellKind } : c)));
    case "rename":
      return touch(nb.cells, edit.title.trim() || "Untitled");
    case "replace":
      return edit.notebook;
  }
}

export function toFile(nb: Notebook): NotebookFile {
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, id: nb.id, title: nb.title, cells: nb.cells };
}

/** Thrown by `fromFile` for anything that is not a notebook file this version can read. */
export class NotebookFormatError extends Error {
  override name = "NotebookFormatError";
}

/**
 * Reads a notebook file (parsed JSON). The notebook gets a fresh id, so an
 * import never overwrites a stored notebook.
 *
 * Throws NotebookFormatError naming what is wrong.
 */
export function fromFile(data: unknown): Notebook {
  if (typeof data !== "object" || data === null) throw new NotebookFormatError("A notebook file holds a JSON object.");
  const file = data as Partial<NotebookFile>;
  if (file.format !== NOTEBOOK_FORMAT) throw new NotebookFormatError(`Not a notebook file: "format" is ${JSON.stringify(file.format)}, expected "${NOTEBOOK_FORMAT}".`);
  if (file.version !== NOTEBOOK_VERSION) throw new NotebookFormatError(`Notebook version ${String(file.version)} is not supported (this app reads version ${NOTEBOOK_VERSION}).`);
  if (!Array.isArray(file.cells)) throw new NotebookFormatError('A notebook file needs a "cells" array.');
  const cells = file.cells.map((c, i) => {
    const cell = c as Partial<NotebookCell>;
    if ((cell.kind !== "code" && cell.kind !== "markdown") || typeof cell.source !== "string") {
      throw new NotebookFormatError(`Cell ${i + 1} needs a "kind" of "code" or "markdown" and a string "source".`);
    }
    return newCell(cell.kind, cell.source);
  });
  return { id: newId("nb"), title: typeof file.title === "string" && file.title ? file.title : "Imported notebook", cells, updatedAt: Date.now() };
}
