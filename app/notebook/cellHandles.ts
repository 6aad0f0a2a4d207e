import { createContext, useContext } from "react";

/** What the notebook can ask of a mounted cell: run-all, run-above and Shift+Enter go through these. */
export interface CellHandle {
  /** Runs the cell; resolves when its code has finished (its queries may still run). Markdown cells render. */
  run(): Promise<void>;
  stop(): Promise<void>;
  clear(): void;
  focus(): void;
}

/** The mounted cells' handles by cell id. */
export const CellHandlesContext = createContext<Map<string, CellHandle>>(new Map());

export function useCellHandles(): Map<string, CellHandle> {
  return useContext(CellHandlesContext);
}
