import { ColumnBuilder, type ColumnarBatch } from "../execution/ColumnarBatch";
import type { StructType } from "../expressions/types";
import type { Clock } from "../util/clock";
import { durationOption, longOption } from "./options";
import type { Offset, Source, SourceContext, SourceDescriptor } from "./Source";

/** Schema of the rate source: `timestamp` (timestamp), `value` (long). */
export const RATE_SCHEMA: StructType = {
  type: "struct",
  fields: [
    { name: "timestamp", dataType: "timestamp", nullable: true },
    { name: "value", dataType: "long", nullable: true },
  ],
};

/**
 * Spark's RateStreamProvider.valueAtSecond: how many rows exist after `seconds`
 * seconds, with a linear ramp-up over `rampUpTimeSeconds`.
 * rowsPerSecond 10, rampUpTime 4 → 0, 2, 6, 12, 20, 30, 40, …
 */
export function valueAtSecond(seconds: number, rowsPerSecond: number, rampUpTimeSeconds: number): number {
  const speedDeltaPerSecond = Math.floor(rowsPerSecond / (rampUpTimeSeconds + 1));
  if (seconds <= rampUpTimeSeconds) {
    return seconds % 2 === 1
      ? ((seconds + 1) / 2) * speedDeltaPerSecond * seconds
      : (seconds / 2) * speedDeltaPerSecond * (seconds + 1);
  }
  const rampUpPart = valueAtSecond(rampUpTimeSeconds, rowsPerSecond, rampUpTimeSeconds);
  return rampUpPart + (seconds - rampUpTimeSeconds) * rowsPerSecond;
}

/** Validated options of the rate source. */
export interface RateOptions {
  rowsPerSecond: number;
  rampUpTimeSeconds: number;
  numPartitions: number;
}

/**
 * Parses and validates rate options; throws IllegalArgumentException naming the
 * option (e.g. "Invalid value '-1'. The option 'rowsPerSecond' must be positive").
 */
export function rateOptions(options: Readonly<Record<string, string>>): RateOptions {
  return {
    rowsPerSecond: longOption(options, "rowsPerSecond", 1, "positive"),
    rampUpTimeSeconds: Math.floor(durationOption(options, "rampUpTime", 0) / 1000),
    numPartitions: longOption(options, "numPartitions", 1, "positive"),
  };
}

/**
 * The `rate` source (Spark's RateStreamMicroBatchStream). Offsets are whole seconds
 * since the start time, which is recorded once per checkpoint (the first start).
 * Rows of a batch (startSec, endSec] get values valueAtSecond(startSec)…valueAtSecond(endSec)-1
 * and timestamps spread evenly over the batch's seconds:
 * `start + startSec·1000 + round((v - rangeStart) · (endSec - startSec)·1000 / (rangeEnd - rangeStart))`.
 * With numPartitions p, rows come partition by partition (value ≡ partition mod p), as Spark.
 */
export class RateSource implements Source {
  readonly schema = RATE_SCHEMA;
  private readonly creationTimeMs: number;
  private lastTimeMs: number;

  constructor(
    private readonly opts: RateOptions,
    private readonly clock: Clock,
    ctx: SourceContext,
  ) {
    const recorded = ctx.metadata.get("startTimeMs");
    if (typeof recorded === "number") this.creationTimeMs = recorded;
    else {
      this.creationTimeMs = clock.getTimeMillis();
      ctx.metadata.set("startTimeMs", this.creationTimeMs);
    }
    this.lastTimeMs = this.creationTimeMs;
  }

  get description(): string {
    return `RateStreamV2[rowsPerSecond=${this.opts.rowsPerSecond}, rampUpTimeSeconds=${this.opts.rampUpTimeSeconds}, numPartitions=${this.opts.numPartitions}`;
  }

  initialOffset(): Offset {
    return 0;
  }

  latestOffset(): Offset {
    const now = this.clock.getTimeMillis();
    if (this.lastTimeMs < now) this.lastTimeMs = now;
    return Math.floor((this.lastTimeMs - this.creationTimeMs) / 1000);
  }

  getBatch(start: Offset | null, end: Offset): ColumnarBatch {
    const startSeconds = (start as number | null) ?? 0;
    const endSeconds = end as number;
    if (this.lastTimeMs < endSeconds * 1000 + this.creationTimeMs) this.lastTimeMs = endSeconds * 1000 + this.creationTimeMs;
    const { rowsPerSecond, rampUpTimeSeconds, numPartitions } = this.opts;
    const rangeStart = valueAtSecond(startSeconds, rowsPerSecond, rampUpTimeSeconds);
    const rangeEnd = valueAtSecond(endSeconds, rowsPerSecond, rampUpTimeSeconds);
    const n = Math.max(0, rangeEnd - rangeStart);
    const ts = new ColumnBuilder("timestamp", n);
    const vs = new ColumnBuilder("long", n);
    if (n > 0) {
      const localStartTimeMs = this.creationTimeMs + startSeconds * 1000;
      const relativeMsPerValue = ((endSeconds - startSeconds) * 1000) / n;
      for (let p = 0; p < numPartitions; p++) {
        for (let v = rangeStart + p; v < rangeEnd; v += numPartitions) {
          ts.append(localStartTimeMs + Math.round((v - rangeStart) * relativeMsPerValue));
          vs.append(v);
        }
      }
    }
    return { numRows: n, columns: [ts.build(), vs.build()] };
  }

  commit(): void {}
  stop(): void {}
}

/** The descriptor of `spark.readStream.format("rate")`; validates options eagerly. */
export function rateSourceDescriptor(options: Readonly<Record<string, string>>, clock: Clock): SourceDescriptor {
  const opts = rateOptions(options);
  return {
    format: "rate",
    schema: RATE_SCHEMA,
    options,
    description: `RateStreamV2[rowsPerSecond=${opts.rowsPerSecond}, rampUpTimeSeconds=${opts.rampUpTimeSeconds}, numPartitions=${opts.numPartitions}`,
    create: (ctx) => new RateSource(opts, clock, ctx),
  };
}
