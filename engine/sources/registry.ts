import type { SparkSession } from "../api/SparkSession";
import type { StructType } from "../expressions/types";
import type { Clock } from "../util/clock";
import { eventsSourceDescriptor } from "./EventsSource";
import { ratePerMicroBatchDescriptor } from "./RatePerMicroBatchSource";
import { rateSourceDescriptor } from "./RateSource";
import { RECEIVER_WAL_CONF, socketSourceDescriptor } from "./SocketSource";
import type { SourceDescriptor } from "./Source";

/** What a streaming source format gets from `spark.readStream…load(path)`. */
export interface SourceRequest {
  /** Options as given (string values). */
  readonly options: Readonly<Record<string, string>>;
  /** The user-specified schema, or null. */
  readonly schema: StructType | null;
  /** The path of `load(path)`, if any. */
  readonly path: string | undefined;
  /** The session clock. */
  readonly clock: Clock;
  /** Reads a session conf entry (with a default). */
  readonly conf: (key: string, dflt: string) => string;
  /** The session (e.g. for its file system). */
  readonly session: SparkSession;
}

/**
 * Builds the plan-level descriptor of a format; validates options and throws
 * (IllegalArgumentException / AnalysisException naming the problem) before any batch runs.
 */
export type SourceFormat = (req: SourceRequest) => SourceDescriptor;

/** Whether a format refuses a user-specified schema (Spark's rate sources do). */
interface Registered {
  readonly build: SourceFormat;
  readonly fixedSchema: boolean;
}

const formats = new Map<string, Registered>();

/**
 * Registers a streaming source format for `spark.readStream.format(name)` (case-insensitive;
 * a later registration replaces an earlier one). `fixedSchema`: reject `.schema(...)` with
 * Spark's "does not support user-specified schema".
 *
 * @example registerStreamSource("json", (req) => fileStreamSourceDescriptor(fs, req.path!, json, req.schema!, req.options))
 */
export function registerStreamSource(name: string, build: SourceFormat, fixedSchema = false): void {
  formats.set(name.toLowerCase(), { build, fixedSchema });
}

/** The registered format, if any. */
export function streamSourceFormat(name: string): { build: SourceFormat; fixedSchema: boolean } | undefined {
  return formats.get(name.toLowerCase());
}

/** Names of the registered formats, for error messages. */
export function streamSourceFormats(): string[] {
  return [...formats.keys()].sort();
}

registerStreamSource("rate", (req) => rateSourceDescriptor(req.options, req.clock), true);
registerStreamSource("rate-micro-batch", (req) => ratePerMicroBatchDescriptor(req.options), true);
// The notebook's deterministic mode (?seed=…) sets spark.playground.seed: the default seed of
// the events generator, so a notebook without an explicit seed still repeats exactly.
registerStreamSource(
  "events",
  (req) => {
    const seed = req.conf("spark.playground.seed", "");
    const hasSeed = Object.keys(req.options).some((k) => k.toLowerCase() === "seed");
    return eventsSourceDescriptor(seed !== "" && !hasSeed ? { ...req.options, seed } : req.options, req.clock);
  },
  true,
);
registerStreamSource(
  "socket",
  (req) => socketSourceDescriptor({ ...req.options }, req.clock, undefined, req.conf(RECEIVER_WAL_CONF, "false").toLowerCase() === "true"),
  true,
);
