/**
 * Interval values (Spark's CalendarInterval: months, days, microseconds) and
 * the unit arithmetic behind `INTERVAL '1 hour 30 minutes'` and
 * `INTERVAL 1 HOUR 30 MINUTES`.
 */

/** Spark's CalendarInterval: what `F.interval(months, days, microseconds)` receives. */
export interface SqlInterval {
  readonly kind: "interval";
  readonly months: number;
  readonly days: number;
  readonly microseconds: number;
}

const UNIT_NAMES: Record<string, string> = {
  YEAR: "year", YEARS: "year", MONTH: "month", MONTHS: "month", WEEK: "week", WEEKS: "week",
  DAY: "day", DAYS: "day", HOUR: "hour", HOURS: "hour", MINUTE: "minute", MINUTES: "minute",
  SECOND: "second", SECONDS: "second", MILLISECOND: "millisecond", MILLISECONDS: "millisecond",
  MICROSECOND: "microsecond", MICROSECONDS: "microsecond",
};

/**
 * Why an interval did not parse: the sub-class of Spark's INVALID_INTERVAL_FORMAT
 * (`INVALID_UNIT`, `INVALID_VALUE`, `INVALID_FRACTION`, `MISSING_UNIT`, `INPUT_IS_EMPTY`)
 * and its sentence, e.g. `Invalid unit fortnight.`
 */
export interface IntervalError {
  readonly kind: "error";
  readonly subClass: string;
  readonly detail: string;
}

const fail = (subClass: string, detail: string): IntervalError => ({ kind: "error", subClass, detail });

const MICROS: Record<string, number> = {
  hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1_000, microsecond: 1,
};

/**
 * Spark's unit name for a unit word (`MINUTES` → `minute`), or `null` if it is not an interval unit.
 * Example: `intervalUnit("hours")` → `"hour"`.
 */
export function intervalUnit(word: string): string | null {
  return UNIT_NAMES[word.toUpperCase()] ?? null;
}

/**
 * Adds `value` of `unit` to an interval.
 *
 * Contract: `unit` is a name from `intervalUnit`; a fractional value is only
 * allowed for hour and smaller units (converted to microseconds).
 * Fails (returns an IntervalError) on a fraction of year/month/week/day or a non-number.
 * Example: `addUnit(zero, "1.5", "second")` → `{ ..., microseconds: 1_500_000 }`.
 */
export function addUnit(acc: SqlInterval, value: string, unit: string): SqlInterval | IntervalError {
  const v = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v)) return fail("INVALID_VALUE", `Invalid value ${value}.`);
  const num = Number(v);
  const micros = MICROS[unit];
  if (micros !== undefined) return { ...acc, microseconds: acc.microseconds + Math.round(num * micros) };
  if (!Number.isInteger(num)) return fail("INVALID_FRACTION", `${unit} cannot have fractional part.`);
  switch (unit) {
    case "year": return { ...acc, months: acc.months + 12 * num };
    case "month": return { ...acc, months: acc.months + num };
    case "week": return { ...acc, days: acc.days + 7 * num };
    default: return { ...acc, days: acc.days + num };
  }
}

/** The zero interval. */
export const ZERO_INTERVAL: SqlInterval = { kind: "interval", months: 0, days: 0, microseconds: 0 };

/**
 * Parses Spark's interval string form: `'1 hour 30 minutes'`, `'interval 10 seconds'`, `'-5 minutes'`.
 *
 * Fails (returns an IntervalError, Spark's INVALID_INTERVAL_FORMAT sub-classes) on an
 * unknown unit, a missing unit, or a bad number.
 * Example: `parseIntervalString("1 hour 30 minutes")` → `{ months: 0, days: 0, microseconds: 5_400_000_000 }`.
 */
export function parseIntervalString(text: string): SqlInterval | IntervalError {
  const words = text.trim().split(/\s+/).filter((w) => w !== "");
  if (words[0]?.toLowerCase() === "interval") words.shift();
  if (words.length === 0) return fail("INPUT_IS_EMPTY", "Interval string cannot be empty.");
  let acc: SqlInterval = ZERO_INTERVAL;
  for (let i = 0; i < words.length; i += 2) {
    const unitWord = words[i + 1];
    if (unitWord === undefined) return fail("MISSING_UNIT", `Expect a unit name after ${words[i]} but hit EOL.`);
    const unit = intervalUnit(unitWord);
    if (unit === null) return fail("INVALID_UNIT", `Invalid unit ${unitWord}.`);
    const next = addUnit(acc, words[i]!, unit);
    if (next.kind === "error") return next;
    acc = next;
  }
  return acc;
}

/**
 * Formats an interval as a duration string the DataFrame API accepts
 * (`F.window(col, "5 minutes")`): `"5 minutes"`, `"1 days 2 hours"`.
 * Example: `formatDuration({ kind: "interval", months: 0, days: 0, microseconds: 300_000_000 })` → `"5 minutes"`.
 */
export function formatDuration(iv: SqlInterval): string {
  const parts: string[] = [];
  if (iv.months !== 0) parts.push(`${iv.months} months`);
  if (iv.days !== 0) parts.push(`${iv.days} days`);
  let us = iv.microseconds;
  for (const [unit, size] of Object.entries(MICROS)) {
    const whole = Math.trunc(us / size);
    if (whole !== 0) {
      parts.push(`${whole} ${unit}s`);
      us -= whole * size;
    }
  }
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}
