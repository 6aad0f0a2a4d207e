import { IllegalArgumentException, SparkException } from "../util/errors";

const isBool = (v: string) => v.toLowerCase() === "true" || v.toLowerCase() === "false";
const isMs = (v: string) => /^\d+\s*(ms)?$/.test(v.trim());

/** Value checks of the settings the engine reads (Spark's SQLConf checkValue). */
const CHECKS: Record<string, { valid: (v: string) => boolean; message: string }> = {
  "spark.sql.streaming.multipleWatermarkPolicy": {
    valid: (v) => ["min", "max"].includes(v.toLowerCase()),
    message: "Valid values are 'min' and 'max'",
  },
  "spark.sql.streaming.noDataMicroBatches.enabled": { valid: isBool, message: "Valid values are 'true' and 'false'" },
  "spark.sql.streaming.pollingDelay": { valid: isMs, message: "Expected a number of milliseconds, e.g. '10ms'" },
  "spark.sql.streaming.noDataProgressEventInterval": { valid: isMs, message: "Expected a number of milliseconds, e.g. '10000ms'" },
  "spark.sql.streaming.numRecentProgressUpdates": { valid: (v) => /^\d+$/.test(v.trim()), message: "Expected a non-negative integer" },
};

/** Defaults of the settings the engine reads (Spark's SQLConf defaults). */
export const CONF_DEFAULTS: Readonly<Record<string, string>> = {
  "spark.sql.streaming.noDataMicroBatches.enabled": "true",
  "spark.sql.streaming.multipleWatermarkPolicy": "min",
  "spark.sql.streaming.pollingDelay": "10ms",
  "spark.sql.streaming.numRecentProgressUpdates": "100",
  "spark.sql.streaming.noDataProgressEventInterval": "10000ms",
  "spark.sql.shuffle.partitions": "1",
  "spark.sql.session.timeZone": "UTC",
  "spark.sql.caseSensitive": "false",
};

/**
 * `spark.conf`: string settings, as Spark's RuntimeConfig.
 * @example spark.conf.set("spark.sql.streaming.multipleWatermarkPolicy", "max")
 */
export class RuntimeConfig {
  private readonly values = new Map<string, string>();

  /**
   * Sets `key` to `value` (converted to a string). Throws IllegalArgumentException
   * ([INVALID_CONF_VALUE.REQUIREMENT]) for a value a checked setting does not accept.
   */
  set(key: string, value: string | number | boolean): void {
    const v = String(value);
    const check = CHECKS[key];
    if (check && !check.valid(v)) {
      throw new IllegalArgumentException(
        `[INVALID_CONF_VALUE.REQUIREMENT] The value '${v}' in the config "${key}" is invalid. ${check.message}`,
        "INVALID_CONF_VALUE.REQUIREMENT",
      );
    }
    this.values.set(key, v);
  }

  /**
   * The value of `key`, else `dflt`, else the engine's default. Throws SparkException
   * (SQL_CONF_NOT_FOUND) when none exists.
   */
  get(key: string, dflt?: string): string {
    const v = this.values.get(key) ?? dflt ?? CONF_DEFAULTS[key];
    if (v === undefined) throw new SparkException(`[SQL_CONF_NOT_FOUND] The SQL config "${key}" cannot be found.`, "SQL_CONF_NOT_FOUND");
    return v;
  }

  /** Removes an explicit setting. */
  unset(key: string): void {
    this.values.delete(key);
  }

  /** Every explicit setting. */
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  /** Whether `key` has a value (explicit or default). */
  isSet(key: string): boolean {
    return this.values.has(key) || key in CONF_DEFAULTS;
  }
}
