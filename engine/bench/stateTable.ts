/**
 * The numeric state table alone against the ceiling's hash map, on the tumbling 1e5-key
 * workload's rows: `npx tsx engine/bench/stateTable.ts`. Per batch of 1e5 rows, each row's
 * (window start, window end, key) goes into a NumericStateTable partitioned by window end
 * (count += 1, versioned as the engine does: one undo log per batch), expired windows are
 * dropped and their entries listed; the ceiling counts into one IntCountMap per window.
 * Prints the time of batches 4–20 for five rounds: the table's cost without the engine
 * around it (plan, sources, sinks, progress).
 */
import { finishHash, mixNumber, NumericStateTable } from "../state/NumericStateTable";
import { IntList } from "../util/typedLists";
import { generateEvents } from "./data";
import { IntCountMap } from "./workloads/typed";

const ROWS = 2e6;
const BATCH = 1e5;
const WINDOW_MS = 60_000;
const DELAY_MS = 10_000;
const events = generateEvents({ rows: ROWS, seed: 1, keys: 1e5, valueRange: 1000, rowsPerSecond: 1000 });
const batches = ROWS / BATCH;

function engineTable(): number {
  const table = new NumericStateTable(3, 1, 1024, { slot: 1, width: 1 });
  const key = new Float64Array(3);
  const evicted = new IntList();
  let total = 0;
  let wm = 0;
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    let maxT = 0;
    for (let i = b * BATCH; i < (b + 1) * BATCH; i++) {
      const t = events.eventTime[i] as number;
      if (t > maxT) maxT = t;
      const start = Math.floor(t / WINDOW_MS) * WINDOW_MS;
      key[0] = start;
      key[1] = start + WINDOW_MS;
      key[2] = events.key[i] as number;
      let h = 0x811c9dc5;
      for (let k = 0; k < 3; k++) h = mixNumber(h, key[k] as number);
      const e = table.findOrInsertNoNulls(key, finishHash(h));
      if (!table.inserted) table.willWrite(e);
      const at = e * table.stride + 3;
      table.data[at] = (table.data[at] as number) + 1;
    }
    evicted.clear();
    table.removeUpTo(wm, evicted);
    wm = maxT - DELAY_MS;
    table.drop(table.takeLog());
    if (b >= 3) total += performance.now() - t0;
  }
  return total;
}

function ceilingMaps(): number {
  const windows = new Map<number, IntCountMap>();
  let total = 0;
  let wm = 0;
  let lastSize = 1024;
  let checksum = 0;
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    let maxT = 0;
    for (let i = b * BATCH; i < (b + 1) * BATCH; i++) {
      const t = events.eventTime[i] as number;
      if (t > maxT) maxT = t;
      const w = Math.floor(t / WINDOW_MS);
      let m = windows.get(w);
      if (m === undefined) windows.set(w, (m = new IntCountMap(lastSize)));
      m.add(events.key[i] as number, 1);
    }
    for (const [w, m] of windows) {
      if ((w + 1) * WINDOW_MS > wm) continue;
      m.forEach((_, c) => (checksum += c));
      lastSize = Math.max(lastSize, m.size);
      windows.delete(w);
    }
    wm = maxT - DELAY_MS;
    if (b >= 3) total += performance.now() - t0;
  }
  if (checksum < 0) throw new Error("unreachable");
  return total;
}

for (let round = 0; round < 5; round++) {
  const table = engineTable();
  const ceiling = ceilingMaps();
  console.log(`round ${round}: NumericStateTable ${table.toFixed(0)} ms, ceiling's IntCountMaps ${ceiling.toFixed(0)} ms (${(table / ceiling).toFixed(2)}×)`);
}
