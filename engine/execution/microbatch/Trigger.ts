import { durationToMs } from "../../util/durations";
import { IllegalArgumentException } from "../../util/errors";

/**
 * What `writeStream.trigger(...)` accepts. `manual` is a playground extension:
 * batches run only on `query.step()` / `processAllAvailable()`.
 */
export type TriggerSpec =
  | { processingTime: string | number }
  | { once: true }
  | { availableNow: true }
  | { continuous: string | number }
  | { manual: true };

/** A validated trigger. */
export type Trigger =
  | { kind: "processingTime"; intervalMs: number }
  | { kind: "once" }
  | { kind: "availableNow" }
  | { kind: "manual" }
  | { kind: "continuous"; intervalMs: number };

/** The default trigger: ProcessingTime(0), the next batch as soon as the previous ends. */
export const DEFAULT_TRIGGER: Trigger = { kind: "processingTime", intervalMs: 0 };

/**
 * Validates a trigger spec. Throws IllegalArgumentException for a malformed or
 * negative interval or for an empty spec. A continuous trigger runs through
 * ContinuousExecution (map-like queries only; see checkContinuousQuery).
 */
export function parseTrigger(spec: TriggerSpec): Trigger {
  const s = spec as Record<string, unknown>;
  if (s === null || typeof s !== "object") throw new IllegalArgumentException(`Invalid trigger: ${String(spec)}`, "INVALID_TRIGGER");
  if ("processingTime" in s) {
    const v = s.processingTime;
    const ms = typeof v === "number" ? v : durationToMs(String(v));
    if (ms < 0) throw new IllegalArgumentException(`Interval cannot be negative: ${String(v)}`, "INVALID_TRIGGER");
    return { kind: "processingTime", intervalMs: ms };
  }
  if (s.once === true) return { kind: "once" };
  if (s.availableNow === true) return { kind: "availableNow" };
  if (s.manual === true) return { kind: "manual" };
  if ("continuous" in s) {
    const v = s.continuous;
    const ms = typeof v === "number" ? v : durationToMs(String(v));
    if (ms < 0) throw new IllegalArgumentException(`Interval cannot be negative: ${String(v)}`, "INVALID_TRIGGER");
    return { kind: "continuous", intervalMs: ms };
  }
  throw new IllegalArgumentException(
    `Invalid trigger ${JSON.stringify(spec)}: use { processingTime: "5 seconds" }, { once: true }, { availableNow: true } or { manual: true }.`,
    "INVALID_TRIGGER",
  );
}
