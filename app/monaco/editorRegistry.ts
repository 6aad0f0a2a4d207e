import type { monaco } from "./setupMonaco";

/**
 * Every mounted editor, by cell id. Test authors drive the editor through
 * `window.playground` (Playwright cannot `.fill()` Monaco): see `testHooks.ts`.
 */
export const editors = new Map<string, monaco.editor.IStandaloneCodeEditor>();
