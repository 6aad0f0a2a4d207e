import { startTransition, useEffect, useRef, useState } from "react";

/**
 * The value, updated at most once per `intervalMs` (the latest value always
 * arrives, at the end of the interval). Charts read live data through this so
 * they repaint a few times a second, however fast batches come. The update is a
 * transition, so a chart's repaint is rendered in slices that yield to the browser.
 */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastShown = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const wait = lastShown.current + intervalMs - Date.now();
    if (wait <= 0) {
      lastShown.current = Date.now();
      startTransition(() => setShown(value));
      return;
    }
    timer.current = setTimeout(() => {
      lastShown.current = Date.now();
      startTransition(() => setShown(value));
    }, wait);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [value, intervalMs]);

  return shown;
}
