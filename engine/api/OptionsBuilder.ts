import { toStructType, type SchemaLike, type StructType } from "../expressions/types";

/**
 * The option-setting half of Spark's readers and writers (`spark.read`,
 * `spark.readStream`, `df.writeStream`): values are kept as strings, as in
 * Spark, and validated by whoever reads them (`load()`, `start()`).
 */
export abstract class OptionsBuilder {
  protected readonly opts: Record<string, string> = {};

  /** Sets an option. */
  option(key: string, value: string | number | boolean): this {
    this.opts[key] = String(value);
    return this;
  }

  /** Sets several options. */
  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }
}

/** What `spark.read` and `spark.readStream` share: a format, options and an optional schema. */
export abstract class ReaderBase extends OptionsBuilder {
  protected userSchema: StructType | null = null;

  constructor(protected fmt: string | null) {
    super();
  }

  /** The source format. */
  format(source: string): this {
    this.fmt = source;
    return this;
  }

  /** The schema, for sources that need or accept one (file sources). */
  schema(schema: SchemaLike): this {
    this.userSchema = toStructType(schema);
    return this;
  }
}
