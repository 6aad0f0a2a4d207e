/**
 * Workload 2: tumbling 1-minute count by key, 10-second watermark, append mode,
 * with 1e3 and with 1e5 keys. In-order event times (the issue gives disorder to workload 3).
 *
 *   df.withWatermark("eventTime", "10 seconds")
 *     .groupBy(window("eventTime", "1 minute"), "key").count()     // append
 *
 * Result: finalized (windowStart, key, count) rows; semantics in ./windowed.ts.
 * Data: 1,000 rows/s of event time (a 2e5-row quick run spans 3+ windows, 2e6 rows 33), keys uniform.
 * Also the no-watermark variant (update mode) used by run.ts to show state growing.
 */
import { generateEvents } from "../data";
import type { Workload } from "../types";
import { windowedImpls, type WindowedSpec } from "./windowed";

export const TUMBLING: WindowedSpec = { sizeMs: 60_000, slideMs: 60_000, delayMs: 10_000 };

function tumbling(keys: number, label: string): Workload {
  return {
    name: `2-tumbling-${label}`,
    title: `tumbling 1 min count, ${label} keys`,
    target: 0.5,
    makeInput: (rows, seed, scale) => ({
      events: generateEvents({ rows, seed, keys: scale?.keys ?? keys, valueRange: 1000, rowsPerSecond: scale?.rowsPerSecond ?? 1_000 }),
    }),
    impls: windowedImpls(TUMBLING),
  };
}

export const tumbling1e3 = tumbling(1_000, "1e3");
export const tumbling1e5 = tumbling(100_000, "1e5");

/** The same query without a watermark (update mode): state grows without bound. Not checksummed. */
export const tumblingNoWatermark: Workload = {
  ...tumbling1e5,
  name: "2-tumbling-1e5-no-watermark",
  title: "tumbling 1 min count, 1e5 keys, NO watermark (update mode)",
  impls: windowedImpls({ ...TUMBLING, delayMs: null }),
};
