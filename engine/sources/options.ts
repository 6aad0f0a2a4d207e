import { parseInterval } from "../util/durations";
import { IllegalArgumentException } from "../util/errors";

/** Case-insensitive option lookup (Spark's CaseInsensitiveStringMap). */
export function getOption(options: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** A whole-number option; throws IllegalArgumentException naming the option when malformed or out of range. */
export function longOption(
  options: Readonly<Record<string, string>>,
  name: string,
  dflt: number,
  check: "positive" | "nonNegative" | "any" = "any",
): number {
  const raw = getOption(options, name);
  if (raw === undefined) return dflt;
  const n = Number(raw.trim());
  if (raw.trim() === "" || !Number.isInteger(n)) {
    throw new IllegalArgumentException(`Invalid value '${raw}' for option '${name}': must be a whole number.`, "INVALID_OPTION_VALUE");
  }
  if (check === "positive" && n <= 0) {
    throw new IllegalArgumentException(`Invalid value '${raw}'. The option '${name}' must be positive`, "INVALID_OPTION_VALUE");
  }
  if (check === "nonNegative" && n < 0) {
    throw new IllegalArgumentException(`Invalid value '${raw}'. The option '${name}' must be non-negative`, "INVALID_OPTION_VALUE");
  }
  return n;
}

/** A decimal option in [min, max]. */
export function doubleOption(options: Readonly<Record<string, string>>, name: string, dflt: number, min: number, max: number): number {
  const raw = getOption(options, name);
  if (raw === undefined) return dflt;
  const n = Number(raw.trim());
  if (raw.trim() === "" || Number.isNaN(n) || n < min || n > max) {
    throw new IllegalArgumentException(`Invalid value '${raw}'. The option '${name}' must be a number between ${min} and ${max}`, "INVALID_OPTION_VALUE");
  }
  return n;
}

/**
 * A duration option ("4s", "10 seconds", "500ms"; a bare number is seconds, like Spark's
 * timeStringAsSeconds). Returns milliseconds; throws naming the option when malformed or negative.
 */
export function durationOption(options: Readonly<Record<string, string>>, name: string, dfltMs: number): number {
  const raw = getOption(options, name);
  if (raw === undefined) return dfltMs;
  const t = raw.trim();
  let ms: number;
  if (/^-?\d+$/.test(t)) ms = Number(t) * 1000;
  else {
    try {
      const i = parseInterval(t);
      ms = i.ms + i.days * 86_400_000 + i.months * 31 * 86_400_000;
    } catch {
      throw new IllegalArgumentException(`Invalid value '${raw}' for option '${name}': not a duration (e.g. "5s", "10 seconds").`, "INVALID_OPTION_VALUE");
    }
  }
  if (ms < 0) throw new IllegalArgumentException(`Invalid value '${raw}'. The option '${name}' must not be negative`, "INVALID_OPTION_VALUE");
  return ms;
}

/** A boolean option ("true"/"false"). */
export function boolOption(options: Readonly<Record<string, string>>, name: string, dflt: boolean): boolean {
  const raw = getOption(options, name);
  if (raw === undefined) return dflt;
  const t = raw.trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  throw new IllegalArgumentException(`Invalid value '${raw}' for option '${name}': must be true or false.`, "INVALID_OPTION_VALUE");
}
