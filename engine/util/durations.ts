import { IllegalArgumentException } from "./errors";

/** A parsed Spark interval: calendar months kept apart from exact milliseconds, as Spark's CalendarInterval. */
export interface Interval {
  months: number;
  days: number;
  /** Exact part, milliseconds (fractions allowed for microseconds). */
  ms: number;
}

const UNIT_MS: Record<string, number> = {
  microsecond: 0.001,
  us: 0.001,
  millisecond: 1,
  ms: 1,
  second: 1000,
  sec: 1000,
  s: 1000,
  minute: 60_000,
  min: 60_000,
  m: 60_000,
  hour: 3_600_000,
  h: 3_600_000,
  day: 86_400_000,
  d: 86_400_000,
  week: 7 * 86_400_000,
};

function normalizeUnit(unit: string): string {
  const u = unit.toLowerCase();
  if (u === "ms" || u === "us" || u === "s" || u === "m" || u === "h" || u === "d") return u;
  if (u === "mins" || u === "secs") return u.slice(0, -1);
  return u.endsWith("s") ? u.slice(0, -1) : u;
}

/**
 * Parses a Spark interval string: "10 seconds", "1 minute", "2 hours 30 minutes",
 * "interval 5 minutes", "1 day", "500 milliseconds", "10 ms", "4s", "1.5 seconds",
 * "-10 seconds", "1 month". Singular and plural units are accepted.
 *
 * Throws IllegalArgumentException naming the bad string, e.g.
 * `The provided interval (10 minuts) did not match expected format: unknown unit 'minuts'`.
 *
 * @example parseInterval("2 hours 30 minutes") // { months: 0, days: 0, ms: 9000000 }
 */
export function parseInterval(text: string): Interval {
  const fail = (why: string): never => {
    throw new IllegalArgumentException(
      `The provided interval (${text}) did not match expected format: ${why}`,
      "INVALID_INTERVAL_FORMAT",
    );
  };
  if (typeof text !== "string") fail("expected a string");
  const ansi = parseAnsiInterval(text);
  if (ansi !== null) return ansi;
  let s = text.trim().toLowerCase();
  if (s.startsWith("interval")) s = s.slice("interval".length).trim();
  if (s.length === 0) fail("empty interval");
  // Tokens: a number immediately followed by an optional unit ("4s"), or a number then a unit word.
  const re = /\s*([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)\s*([a-z]+)?/y;
  const out: Interval = { months: 0, days: 0, ms: 0 };
  let pos = 0;
  let sawAny = false;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) fail(`unexpected text '${s.slice(pos).trim()}'`);
    const [, num, rawUnit] = m as RegExpExecArray;
    if (rawUnit === undefined) fail(`missing unit after '${num}'`);
    const unit = normalizeUnit(rawUnit as string);
    const n = Number(num);
    if (unit === "year") out.months += 12 * n;
    else if (unit === "month") out.months += n;
    else if (unit === "day" || unit === "d") out.days += n;
    else if (unit === "week") out.days += 7 * n;
    else if (UNIT_MS[unit] !== undefined) out.ms += n * (UNIT_MS[unit] as number);
    else fail(`unknown unit '${rawUnit}'`);
    sawAny = true;
    pos = re.lastIndex;
    while (pos < s.length && s[pos] === " ") pos++;
  }
  if (!sawAny) fail("no value");
  return out;
}

const MS_PER_DAY = 86_400_000;

/**
 * ANSI interval literals: `interval '10' second`, `interval '1 2:3:4' day to second`,
 * `interval '2:30' hour to minute`, `interval '1-2' year to month`. Null if not ANSI form.
 */
function parseAnsiInterval(text: string): Interval | null {
  const m = /^\s*interval\s+'([^']*)'\s+([a-z]+)(?:\s+to\s+([a-z]+))?\s*$/i.exec(text);
  if (!m) return null;
  const [, body, fromRaw, toRaw] = m as unknown as [string, string, string, string | undefined];
  const bad = (): never => {
    throw new IllegalArgumentException(`The provided interval (${text}) did not match expected format: bad ANSI interval value '${body}'`, "INVALID_INTERVAL_FORMAT");
  };
  const unit = (u: string) => u.toLowerCase().replace(/s$/, "");
  const from = unit(fromRaw);
  const to = toRaw === undefined ? from : unit(toRaw);
  const out: Interval = { months: 0, days: 0, ms: 0 };
  const b = body.trim();
  const sign = b.startsWith("-") ? -1 : 1;
  const digits = b.replace(/^[+-]/, "");
  if (from === "year" || from === "month") {
    const parts = digits.split("-").map(Number);
    if (parts.some((x) => Number.isNaN(x))) bad();
    if (from === "year" && to === "month") out.months = sign * ((parts[0] ?? 0) * 12 + (parts[1] ?? 0));
    else if (from === "year") out.months = sign * (parts[0] ?? 0) * 12;
    else out.months = sign * (parts[0] ?? 0);
    return out;
  }
  const order = ["day", "hour", "minute", "second"];
  const i0 = order.indexOf(from);
  const i1 = order.indexOf(to);
  if (i0 < 0 || i1 < i0) bad();
  const fields = digits.split(/[ :]/).map(Number);
  if (fields.length !== i1 - i0 + 1 || fields.some((x) => Number.isNaN(x))) bad();
  const unitMs = [MS_PER_DAY, 3_600_000, 60_000, 1000];
  fields.forEach((v, k) => (out.ms += sign * v * (unitMs[i0 + k] as number)));
  return out;
}

/**
 * Total milliseconds of an interval string, counting a month as 31 days as Spark's
 * EventTimeWatermark.getDelayMs does. Throws like `parseInterval`.
 *
 * @example durationToMs("10 seconds") // 10000
 */
export function durationToMs(text: string): number {
  const i = parseInterval(text);
  return i.ms + i.days * MS_PER_DAY + i.months * 31 * MS_PER_DAY;
}

/**
 * Milliseconds of a window/slide duration: months are rejected as in Spark's TimeWindow
 * ("Intervals greater than a month is not supported"). Throws IllegalArgumentException.
 */
export function windowDurationToMs(text: string, what: string): number {
  const i = parseInterval(text);
  if (i.months !== 0) {
    throw new IllegalArgumentException(
      `Intervals greater than a month is not supported (${text}).`,
      "INVALID_INTERVAL_FORMAT",
    );
  }
  const ms = i.ms + i.days * MS_PER_DAY;
  if (what !== "startTime" && ms <= 0) {
    throw new IllegalArgumentException(
      `The ${what} (${text}) must be greater than 0.`,
      "INVALID_INTERVAL_FORMAT",
    );
  }
  return ms;
}

/** Accepts a number of milliseconds or an interval string; returns milliseconds. */
export function toMs(v: number | string): number {
  return typeof v === "number" ? v : durationToMs(v);
}
