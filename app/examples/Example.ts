import type { CellKind } from "../notebook/model";

/** An example notebook of the gallery. Each must run offline as it opens. */
export interface Example {
  id: string;
  title: string;
  summary: string;
  cells: Array<{ kind: CellKind; source: string }>;
}
