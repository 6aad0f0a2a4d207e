import type { CellKind } from "../notebook/model";
import { RATE_BASICS } from "./rateBasics";

/** An example notebook of the gallery. */
export interface Example {
  id: string;
  title: string;
  summary: string;
  cells: Array<{ kind: CellKind; source: string }>;
}

/** The notebook a first visit opens. */
export const WELCOME: Example = {
  id: "welcome",
  title: "Rate source basics",
  summary: "A rate source, a projection and a memory sink: rows arrive every second.",
  cells: [
    {
      kind: "markdown",
      source:
        "# Rate source basics\n\nThe `rate` source emits `rowsPerSecond` rows a second, each with a `timestamp` and an increasing `value`, like Spark's. Press **Run** (or Ctrl+Enter in the cell) and watch the table grow; **Stop** ends the query.",
    },
    { kind: "code", source: RATE_BASICS },
  ],
};

/** The examples gallery, in the order it lists them. */
export const EXAMPLES: Example[] = [WELCOME];
