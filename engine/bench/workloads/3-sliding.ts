/**
 * Workload 3: sliding 5-minute / 1-minute count by key, 10-second watermark, append mode.
 *
 *   df.withWatermark("eventTime", "10 seconds")
 *     .groupBy(window("eventTime", "5 minutes", "1 minute"), "key").count()
 *
 * Data: 1,000 rows/s, 1e3 keys; 5% of rows out of order within the delay
 * (eventTime = arrival − U[1 ms, 10 s]); 0.1% later than it (arrival − U[10.001 s, 6 min]),
 * so some are dropped for some of their windows and counted in others (window.end ≤ wm
 * drops, Spark's rule). Result and semantics: ./windowed.ts. The ceiling is pane based.
 */
import { generateEvents } from "../data";
import type { Workload } from "../types";
import { windowedImpls } from "./windowed";

export const sliding: Workload = {
  name: "3-sliding",
  title: "sliding 5 min / 1 min count, 1e3 keys, 10 s watermark",
  target: 0.5,
  makeInput: (rows, seed, scale) => ({
    events: generateEvents({
      rows,
      seed,
      keys: scale?.keys ?? 1_000,
      valueRange: 1000,
      rowsPerSecond: scale?.rowsPerSecond ?? 1_000,
      disorder: { fraction: 0.05, maxDelayMs: 10_000 },
      late: { fraction: 0.001, minDelayMs: 10_001, maxDelayMs: 360_000 },
    }),
  }),
  impls: windowedImpls({ sizeMs: 300_000, slideMs: 60_000, delayMs: 10_000 }),
};
