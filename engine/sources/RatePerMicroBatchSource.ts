import { ColumnBuilder, type ColumnarBatch } from "../execution/ColumnarBatch";
import { IllegalArgumentException } from "../util/errors";
import { getOption, longOption } from "./options";
import { RATE_SCHEMA } from "./RateSource";
import type { Offset, Source, SourceDescriptor } from "./Source";

interface RpmbOffset {
  offset: number;
  timestamp: number;
  [k: string]: number;
}

/** Validated options of `rate-micro-batch`. */
export interface RatePerMicroBatchOptions {
  rowsPerBatch: number;
  numPartitions: number;
  startTimestamp: number;
  advanceMillisPerBatch: number;
}

/**
 * Parses `rate-micro-batch` options (rowsPerBatch > 0, numPartitions > 0,
 * startTimestamp ≥ 0, advanceMillisPerBatch ≥ 0); throws naming the bad option.
 */
export function ratePerMicroBatchOptions(options: Readonly<Record<string, string>>): RatePerMicroBatchOptions {
  if (getOption(options, "rowsPerBatch") === undefined) {
    throw new IllegalArgumentException("The option 'rowsPerBatch' must be specified (a positive number of rows per micro-batch).", "INVALID_OPTION_VALUE");
  }
  return {
    rowsPerBatch: longOption(options, "rowsPerBatch", 0, "positive"),
    numPartitions: longOption(options, "numPartitions", 1, "positive"),
    startTimestamp: longOption(options, "startTimestamp", 0, "nonNegative"),
    advanceMillisPerBatch: longOption(options, "advanceMillisPerBatch", 1000, "nonNegative"),
  };
}

/**
 * Spark's RatePerMicroBatchStream: every micro-batch gets exactly `rowsPerBatch` rows;
 * all rows of a batch share the timestamp `startTimestamp + batchIndex · advanceMillisPerBatch`.
 * The offset is `{ offset, timestamp }` of the end of the batch. Independent of the clock.
 */
export class RatePerMicroBatchSource implements Source {
  readonly schema = RATE_SCHEMA;
  constructor(private readonly opts: RatePerMicroBatchOptions) {}

  get description(): string {
    return `RatePerMicroBatchStream[rowsPerBatch=${this.opts.rowsPerBatch}, numPartitions=${this.opts.numPartitions}, startTimestamp=${this.opts.startTimestamp}, advanceMillisPerBatch=${this.opts.advanceMillisPerBatch}]`;
  }

  initialOffset(): Offset {
    return { offset: 0, timestamp: this.opts.startTimestamp };
  }

  latestOffset(start: Offset | null): Offset {
    const s = (start as RpmbOffset | null) ?? { offset: 0, timestamp: this.opts.startTimestamp };
    return { offset: s.offset + this.opts.rowsPerBatch, timestamp: s.timestamp + this.opts.advanceMillisPerBatch };
  }

  getBatch(start: Offset | null, end: Offset): ColumnarBatch {
    const s = (start as RpmbOffset | null) ?? { offset: 0, timestamp: this.opts.startTimestamp };
    const e = end as RpmbOffset;
    const n = e.offset - s.offset;
    const ts = new ColumnBuilder("timestamp", n);
    const vs = new ColumnBuilder("long", n);
    const p = this.opts.numPartitions;
    for (let part = 0; part < p; part++) {
      for (let v = s.offset + part; v < e.offset; v += p) {
        ts.append(s.timestamp);
        vs.append(v);
      }
    }
    return { numRows: n, columns: [ts.build(), vs.build()] };
  }

  commit(): void {}
  stop(): void {}
}

/** The descriptor of `format("rate-micro-batch")`; validates options eagerly. */
export function ratePerMicroBatchDescriptor(options: Readonly<Record<string, string>>): SourceDescriptor {
  const opts = ratePerMicroBatchOptions(options);
  const src = new RatePerMicroBatchSource(opts);
  return {
    format: "rate-micro-batch",
    schema: RATE_SCHEMA,
    options,
    description: src.description,
    create: () => new RatePerMicroBatchSource(opts),
  };
}
