/**
 * Yields to the event loop (lets timers, I/O and messages run) as fast as the host allows:
 * `setImmediate` in Node, a MessageChannel round-trip in browsers and workers, else
 * `setTimeout(0)` (which Node clamps to 1 ms and browsers to 4 ms when nested).
 * Returns a function that cancels the pending wake-up (the callback then never runs).
 */
export function yieldToEventLoop(callback: () => void): () => void {
  const g = globalThis as unknown as {
    setImmediate?: (cb: () => void) => unknown;
    clearImmediate?: (h: unknown) => void;
    MessageChannel?: typeof MessageChannel;
  };
  if (typeof g.setImmediate === "function") {
    const h = g.setImmediate(callback);
    return () => g.clearImmediate?.(h);
  }
  if (typeof g.MessageChannel === "function") {
    const ch = new g.MessageChannel();
    let cancelled = false;
    ch.port1.onmessage = () => {
      ch.port1.close();
      if (!cancelled) callback();
    };
    ch.port2.postMessage(null);
    return () => {
      cancelled = true;
      ch.port1.close();
    };
  }
  const t = setTimeout(callback, 0);
  return () => clearTimeout(t);
}
