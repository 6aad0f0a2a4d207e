import { CHECKPOINT_RECOVERY } from "./checkpointRecovery";
import { DEDUPLICATION } from "./dedup";
import type { Example } from "./Example";
import { FILES_TO_JSON } from "./filesToJson";
import { OUTPUT_MODES } from "./outputModes";
import { RATE_BASICS } from "./rateBasics";
import { SESSION_WINDOWS } from "./sessionWindows";
import { SLIDING_WINDOWS } from "./slidingWindows";
import { STREAM_STATIC_JOIN } from "./streamStaticJoin";
import { TRIGGERS } from "./triggers";
import { WATERMARKS } from "./watermarks";
import { DSTREAM_WORD_COUNT, STRUCTURED_WORD_COUNT } from "./wordCount";

export type { Example } from "./Example";

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
export const EXAMPLES: Example[] = [WELCOME, STRUCTURED_WORD_COUNT, OUTPUT_MODES, SLIDING_WINDOWS, WATERMARKS, TRIGGERS, CHECKPOINT_RECOVERY, FILES_TO_JSON, DSTREAM_WORD_COUNT, STREAM_STATIC_JOIN, DEDUPLICATION, SESSION_WINDOWS];

/** Examples that read from the feed server (`npm run feed`) on 127.0.0.1:9999. */
export const NEEDS_FEED = new Set([STRUCTURED_WORD_COUNT.id, DSTREAM_WORD_COUNT.id]);
