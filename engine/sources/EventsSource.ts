import { ColumnBuilder, type ColumnarBatch } from "../execution/ColumnarBatch";
import type { StructType } from "../expressions/types";
import type { Clock } from "../util/clock";
import { IllegalArgumentException } from "../util/errors";
import { doubleOption, durationOption, getOption, longOption } from "./options";
import type { InjectedEvent, JsonValue, Offset, Source, SourceContext, SourceDescriptor } from "./Source";
import { mulberry32 } from "../util/prng";

/** An injected event as kept in the source's checkpoint metadata: [eventTime, key, value, arrivalTime]. */
type InjectedRow = [number, string | null, number | null, number];

/** Offsets are whole seconds; once events were injected, `{ seconds, injected }` (how many injected events it covers). */
function parseOffset(o: Offset | null): { seconds: number; injected: number } {
  if (o === null) return { seconds: 0, injected: 0 };
  if (typeof o === "number") return { seconds: o, injected: 0 };
  const rec = o as { seconds?: JsonValue; injected?: JsonValue };
  return { seconds: Number(rec.seconds ?? 0), injected: Number(rec.injected ?? 0) };
}

/** Schema of the events source. */
export const EVENTS_SCHEMA: StructType = {
  type: "struct",
  fields: [
    { name: "eventTime", dataType: "timestamp", nullable: true },
    { name: "key", dataType: "string", nullable: true },
    { name: "value", dataType: "long", nullable: true },
    { name: "arrivalTime", dataType: "timestamp", nullable: true },
  ],
};

/** Validated options of the events source. */
export interface EventsOptions {
  eventsPerSecond: number;
  keys: string[];
  /** Normal delay between event time and arrival, at most maxDelayMs. */
  maxDelayMs: number;
  /** How normal delays spread over [0, maxDelay]: "uniform", or "exponential" (mean maxDelay/4, capped). */
  delayDistribution: "uniform" | "exponential";
  /** Fraction of events that arrive later than `latenessMs` (on top of the normal delay). */
  lateFraction: number;
  latenessMs: number;
  seed: number;
}

/**
 * Parses events options: eventsPerSecond (> 0, default 10), keys (a count, default 5,
 * or a comma list), maxDelay (default "5 seconds"), delayDistribution ("uniform" default,
 * or "exponential"), lateFraction (0..1, default 0.1), lateness (default "30 seconds"),
 * seed (default 42). Throws IllegalArgumentException naming the bad option.
 */
export function eventsOptions(options: Readonly<Record<string, string>>): EventsOptions {
  const keysRaw = getOption(options, "keys");
  let keys: string[];
  if (keysRaw === undefined) keys = ["k0", "k1", "k2", "k3", "k4"];
  else if (/^\s*\d+\s*$/.test(keysRaw)) {
    const n = longOption(options, "keys", 5, "positive");
    keys = Array.from({ length: n }, (_, i) => `k${i}`);
  } else keys = keysRaw.split(",").map((k) => k.trim()).filter((k) => k.length > 0);
  const dist = (getOption(options, "delayDistribution") ?? "uniform").trim().toLowerCase();
  if (dist !== "uniform" && dist !== "exponential") {
    throw new IllegalArgumentException(`Invalid value '${dist}' for option 'delayDistribution': use "uniform" or "exponential".`, "INVALID_OPTION_VALUE");
  }
  return {
    delayDistribution: dist,
    eventsPerSecond: longOption(options, "eventsPerSecond", 10, "positive"),
    keys,
    maxDelayMs: durationOption(options, "maxDelay", 5000),
    lateFraction: doubleOption(options, "lateFraction", 0.1, 0, 1),
    latenessMs: durationOption(options, "lateness", 30_000),
    seed: longOption(options, "seed", 42),
  };
}

/**
 * A seeded generator of out-of-order events for watermark demos. Like the rate
 * source, offsets are whole seconds since the start time (recorded once per
 * checkpoint); second s holds `eventsPerSecond` events arriving evenly over it.
 * Each event's time is its arrival minus a random delay in [0, maxDelay]; a
 * `lateFraction` of events get `lateness` more. The same seed gives the same events.
 */
export class EventsSource implements Source {
  readonly schema = EVENTS_SCHEMA;
  private readonly startMs: number;
  private readonly injected: InjectedRow[];
  private readonly ctx: SourceContext;

  constructor(
    private readonly opts: EventsOptions,
    private readonly clock: Clock,
    ctx: SourceContext,
  ) {
    const recorded = ctx.metadata.get("startTimeMs");
    if (typeof recorded === "number") this.startMs = recorded;
    else {
      this.startMs = clock.getTimeMillis();
      ctx.metadata.set("startTimeMs", this.startMs);
    }
    const kept = ctx.metadata.get("injected");
    this.injected = Array.isArray(kept) ? (kept as unknown as InjectedRow[]) : [];
    this.ctx = ctx;
  }

  inject(event: InjectedEvent): void {
    if (!Number.isFinite(event.eventTimeMs)) throw new IllegalArgumentException(`An injected event needs an event time; got ${String(event.eventTimeMs)}.`, "INVALID_INJECTED_EVENT");
    if (event.value !== null && !Number.isFinite(event.value)) throw new IllegalArgumentException(`The value of an injected event must be a number; got ${String(event.value)}.`, "INVALID_INJECTED_EVENT");
    this.injected.push([Math.floor(event.eventTimeMs), event.key, event.value === null ? null : Math.trunc(event.value), this.clock.getTimeMillis()]);
    // Kept with the checkpoint's source metadata, written with the offsets of the batch that reads it.
    this.ctx.metadata.set("injected", this.injected as unknown as JsonValue);
  }

  get description(): string {
    return `EventsSource[eventsPerSecond=${this.opts.eventsPerSecond}, keys=${this.opts.keys.length}, seed=${this.opts.seed}]`;
  }

  initialOffset(): Offset {
    return 0;
  }

  latestOffset(): Offset {
    const seconds = Math.max(0, Math.floor((this.clock.getTimeMillis() - this.startMs) / 1000));
    return this.injected.length === 0 ? seconds : { seconds, injected: this.injected.length };
  }

  getBatch(start: Offset | null, end: Offset): ColumnarBatch {
    const { seconds: from, injected: injectedFrom } = parseOffset(start);
    const { seconds: to, injected: injectedTo } = parseOffset(end);
    const { eventsPerSecond: n, keys, maxDelayMs, lateFraction, latenessMs, seed } = this.opts;
    const hand = this.injected.slice(injectedFrom, injectedTo);
    const total = Math.max(0, (to - from) * n) + hand.length;
    const et = new ColumnBuilder("timestamp", total);
    const key = new ColumnBuilder("string", total);
    const value = new ColumnBuilder("long", total);
    const arrival = new ColumnBuilder("timestamp", total);
    for (let s = from; s < to; s++) {
      const rnd = mulberry32((seed * 1_000_003) ^ s);
      for (let i = 0; i < n; i++) {
        const arrivalMs = this.startMs + s * 1000 + Math.floor((i * 1000) / n);
        const u = rnd();
        let delay =
          this.opts.delayDistribution === "uniform"
            ? Math.floor(u * (maxDelayMs + 1))
            : Math.min(maxDelayMs, Math.floor((-Math.log(1 - u) * maxDelayMs) / 4));
        if (rnd() < lateFraction) delay += latenessMs;
        et.append(arrivalMs - delay);
        key.append(keys[Math.floor(rnd() * keys.length)] ?? null);
        value.append(s * n + i);
        arrival.append(arrivalMs);
      }
    }
    for (const [eventTime, k, v, arrivalMs] of hand) {
      et.append(eventTime);
      key.append(k);
      value.append(v);
      arrival.append(arrivalMs);
    }
    return { numRows: total, columns: [et.build(), key.build(), value.build(), arrival.build()] };
  }

  commit(): void {}
  stop(): void {}
}

/** The descriptor of `format("events")`; validates options eagerly. */
export function eventsSourceDescriptor(options: Readonly<Record<string, string>>, clock: Clock): SourceDescriptor {
  const opts = eventsOptions(options);
  return {
    format: "events",
    schema: EVENTS_SCHEMA,
    options,
    description: `EventsSource[eventsPerSecond=${opts.eventsPerSecond}, keys=${opts.keys.length}, seed=${opts.seed}]`,
    create: (ctx) => new EventsSource(opts, clock, ctx),
  };
}
