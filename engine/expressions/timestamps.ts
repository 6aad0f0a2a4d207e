/**
 * Timestamp text: the engine's session time zone is UTC, so printed timestamps
 * are the same in the browser, in Node and in golden files.
 */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/**
 * Spark's string form of a timestamp: "2016-03-27 19:39:34", with the fraction
 * only when non-zero and without trailing zeros ("…:34.1").
 */
export function formatTimestamp(ms: number): string {
  const d = new Date(Math.floor(ms));
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
  const frac = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000); // microseconds
  if (frac === 0) return base;
  return `${base}.${String(frac).padStart(6, "0").replace(/0+$/, "")}`;
}

/** ISO-8601 UTC with milliseconds, as Spark's progress JSON ("1970-01-01T00:00:05.000Z"). */
export function formatIso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Parses "2016-03-27 19:39:34[.fff]", "2016-03-27T19:39:34Z", or "2016-03-27" as UTC.
 * Returns null when the text is not a timestamp (Spark's non-ANSI cast).
 */
export function parseTimestamp(text: string): number | null {
  const t = text.trim();
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (frac) ms += Number(frac) * 1000;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Formats epoch ms with a Java DateTimeFormatter-style pattern (UTC): yyyy, yy, MM, M,
 * dd, d, HH, H, hh, mm, ss, SSS, a, EEE, MMM, 'quoted text'. Other letters print as is.
 */
export function formatDatePattern(ms: number, pattern: string): string {
  const d = new Date(Math.floor(ms));
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    const h = d.getUTCHours();
    switch (ch) {
      case "y":
        out += n === 2 ? pad(d.getUTCFullYear() % 100) : pad(d.getUTCFullYear(), n);
        break;
      case "M":
        out += n >= 3 ? (MONTHS[d.getUTCMonth()] as string) : pad(d.getUTCMonth() + 1, n);
        break;
      case "d":
        out += pad(d.getUTCDate(), n);
        break;
      case "H":
        out += pad(h, n);
        break;
      case "h":
        out += pad(h % 12 === 0 ? 12 : h % 12, n);
        break;
      case "m":
        out += pad(d.getUTCMinutes(), n);
        break;
      case "s":
        out += pad(d.getUTCSeconds(), n);
        break;
      case "S":
        out += String(d.getUTCMilliseconds()).padStart(3, "0").slice(0, n).padEnd(n, "0");
        break;
      case "a":
        out += h < 12 ? "AM" : "PM";
        break;
      case "E":
        out += DAYS[d.getUTCDay()] as string;
        break;
      default:
        out += ch.repeat(n);
    }
    i += n;
  }
  return out;
}

/** Adds a calendar interval to a timestamp (months by calendar, then days and microseconds), UTC. */
export function addInterval(ms: number, months: number, days: number, microseconds: number): number {
  let t = ms;
  if (months !== 0) {
    const d = new Date(t);
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
    t = d.getTime() + (ms - Math.floor(ms));
  }
  return t + days * 86_400_000 + microseconds / 1000;
}
