import type { WireProgress } from "../../engine/worker/protocol";

/**
 * Bytes per second the worker sent the page for a query, over its last batches:
 * the bytes of those batches (rows and progress) over the engine time they span.
 * Null until two batches give a span.
 */
export function wireBytesPerSecond(progress: readonly WireProgress[], batchWireBytes: ReadonlyMap<number, number>, window = 20): number | null {
  const recent = progress.slice(-window);
  if (recent.length < 2) return null;
  const t0 = Date.parse(recent[0]!.timestamp);
  const t1 = Date.parse(recent[recent.length - 1]!.timestamp);
  if (!(t1 > t0)) return null;
  let bytes = 0;
  for (const p of recent.slice(1)) bytes += batchWireBytes.get(p.batchId) ?? 0;
  return (bytes * 1000) / (t1 - t0);
}

/** 1234567 → "1.2 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (bytesPerSecond >= 1e6) return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
  if (bytesPerSecond >= 1e3) return `${(bytesPerSecond / 1e3).toFixed(1)} kB/s`;
  return `${Math.round(bytesPerSecond)} B/s`;
}
