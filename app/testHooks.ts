import { editors } from "./monaco/editorRegistry";

/**
 * A small, stable surface for Playwright: Monaco cannot be `.fill()`ed, so
 * tests set a cell's code here. Read-only otherwise.
 */
export interface PlaygroundTestHooks {
  /** Replaces the code of a cell (by id) or of the first code cell. */
  setCode(code: string, cellId?: string): void;
  /** The code of a cell (by id) or of the first code cell. */
  getCode(cellId?: string): string;
}

declare global {
  interface Window {
    playground: PlaygroundTestHooks;
  }
}

/** The editor of a cell by id, or of the first code cell. */
function editorFor(cellId?: string) {
  const editor =
    cellId !== undefined
      ? editors.get(cellId)
      : [...editors.values()].find((e) => e.getModel()?.getLanguageId() === "typescript");
  if (!editor) throw new Error(`No editor for cell ${cellId ?? "(first)"}`);
  return editor;
}

export function installTestHooks(): void {
  window.playground = {
    setCode: (code, cellId) => editorFor(cellId).setValue(code),
    getCode: (cellId) => editorFor(cellId).getValue(),
  };
}
