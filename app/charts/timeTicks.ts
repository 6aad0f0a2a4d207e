const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

/** Round-time ticks (whole seconds, minutes…) across [lo, hi], at most `max` of them. */
export function timeTicks(lo: number, hi: number, max = 7): number[] {
  const day = TICK_STEPS[TICK_STEPS.length - 1]!;
  // At most max − 1 steps between the first tick and the last; beyond a week or so, whole days.
  const steps = Math.max(1, max - 1);
  const step = TICK_STEPS.find((s) => (hi - lo) / s <= steps) ?? Math.ceil((hi - lo) / steps / day) * day;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(t);
  return out;
}
