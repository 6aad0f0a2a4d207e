import { deleteMemoryCheckpoint, MemoryCheckpointStore, memoryCheckpointStore } from "../checkpoint/memory/MemoryCheckpointStore";
import type { CheckpointStore } from "../checkpoint/CheckpointStore";
import { MicroBatchExecution } from "../execution/microbatch/MicroBatchExecution";
import { DEFAULT_TRIGGER, parseTrigger, type Trigger, type TriggerSpec } from "../execution/microbatch/Trigger";
import type { OutputMode } from "../execution/PhysicalOperator";
import { optimize } from "../plan/optimizer";
import { checkForStreaming } from "../plan/unsupportedOperationChecker";
import { ContinuousExecution, checkContinuousQuery } from "../execution/continuous/ContinuousExecution";
import { ConsoleSink } from "../sinks/ConsoleSink";
import { OptionsBuilder } from "./OptionsBuilder";
import { ForeachBatchSink, type ForeachBatchFunction } from "../sinks/ForeachBatchSink";
import { ForeachSink, type ForeachWriter } from "../sinks/ForeachSink";
import { MemorySink } from "../sinks/MemorySink";
import { makeFileSink } from "../sinks/FileSinkFormats";
import type { Sink } from "../sinks/Sink";
import { boolOption, getOption, longOption } from "../sources/options";
import { AnalysisException, IllegalArgumentException, IllegalStateException, UnsupportedOperationException } from "../util/errors";
import type { DataFrame } from "./DataFrame";
import type { Row } from "./Row";
import { StreamingQuery } from "./StreamingQuery";
import { interceptedStart, type WriteSpec } from "../export/capture";

const LATER_SINKS = new Set(["json", "csv", "text", "parquet", "orc", "kafka"]);

function uuid(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

let tempCheckpoints = 0;

/**
 * `df.writeStream`: configures and starts a streaming query.
 *
 * @example
 * const q = df.writeStream.format("memory").queryName("counts").outputMode("complete").start();
 */
export class DataStreamWriter extends OptionsBuilder {
  private fmt = "console";
  private mode: OutputMode = "append";
  private name: string | null = null;
  private trig: Trigger = DEFAULT_TRIGGER;
  private foreachBatchFn: ForeachBatchFunction | null = null;
  private foreachWriter: ForeachWriter | ((row: Row) => unknown) | null = null;

  /** @internal use df.writeStream. Options: checkpointLocation, path, numRows, truncate, … */
  constructor(private readonly df: DataFrame) {
    super();
  }

  /** The sink: "console" (default), "memory"; foreachBatch()/foreach() set their own. */
  format(source: string): this {
    this.fmt = source;
    return this;
  }

  /**
   * "append" (default), "update" or "complete". Throws IllegalArgumentException for others
   * ("Unknown output mode x. Accepted output modes are 'append', 'complete', 'update'").
   */
  outputMode(mode: OutputMode | string): this {
    const m = String(mode).toLowerCase();
    if (m !== "append" && m !== "update" && m !== "complete") {
      throw new IllegalArgumentException(
        `Unknown output mode ${String(mode)}. Accepted output modes are 'append', 'complete', 'update'`,
        "STREAMING_OUTPUT_MODE.INVALID",
      );
    }
    this.mode = m;
    return this;
  }

  /** The query name (the memory sink's table name). */
  queryName(name: string): this {
    this.name = name;
    return this;
  }

  /**
   * The trigger: { processingTime: "5 seconds" }, { once: true }, { availableNow: true },
   * or { manual: true } (batches only on step()/processAllAvailable()). Throws on a bad interval.
   */
  trigger(spec: TriggerSpec): this {
    this.trig = parseTrigger(spec);
    return this;
  }

  /** Calls `fn(batchDf, batchId)` for every batch; batchDf is a static DataFrame. */
  foreachBatch(fn: ForeachBatchFunction): this {
    this.foreachBatchFn = fn;
    this.fmt = "foreachBatch";
    return this;
  }

  /** Calls a ForeachWriter (open/process/close) or a function for every row. */
  foreach(writer: ForeachWriter | ((row: Row) => unknown)): this {
    this.foreachWriter = writer;
    this.fmt = "foreach";
    return this;
  }

  /**
   * @internal what start() would run (format, output mode, name, trigger, options):
   * the PySpark export (engine/export) reads it; StreamingQuery keeps it.
   */
  describe(): WriteSpec {
    return {
      df: this.df,
      format: this.fmt,
      outputMode: this.mode,
      queryName: this.name,
      trigger: this.trig,
      options: { ...this.opts },
      ...(this.foreachBatchFn !== null ? { foreachBatch: this.foreachBatchFn } : {}),
      ...(this.foreachWriter !== null ? { foreach: this.foreachWriter } : {}),
    };
  }

  /** Partitioning applies to file sinks (a later issue); accepted and ignored. */
  partitionBy(..._cols: string[]): this {
    return this;
  }

  private makeSink(queryId: string): Sink {
    const spark = this.df.sparkSession;
    const f = this.fmt.toLowerCase();
    switch (f) {
      case "console":
        return new ConsoleSink(
          (text) => spark.print(text, { queryId }),
          longOption(this.opts, "numRows", 20, "positive"),
          boolOption(this.opts, "truncate", true),
        );
      case "memory":
        if (this.name === null) throw new AnalysisException("queryName must be specified for memory sink", "MEMORY_SINK_NEEDS_QUERY_NAME");
        return new MemorySink(this.name, spark.memoryTables);
      case "foreachbatch":
        return new ForeachBatchSink(this.foreachBatchFn as ForeachBatchFunction);
      case "foreach":
        return new ForeachSink(this.foreachWriter as ForeachWriter);
      default: {
        const fileSink = makeFileSink(spark.fileSystem, f, this.opts, this.mode, (k) => (spark.conf.isSet(k) ? spark.conf.get(k) : undefined));
        if (fileSink !== undefined) return fileSink;
        if (LATER_SINKS.has(f)) throw new UnsupportedOperationException(`The sink format "${this.fmt}" is not supported yet by this engine.`, "UNSUPPORTED_DATA_SOURCE");
        throw new AnalysisException(
          `[DATA_SOURCE_NOT_FOUND] Failed to find the data source: ${this.fmt}. Available streaming sinks: console, memory, foreachBatch, foreach.`,
          "DATA_SOURCE_NOT_FOUND",
        );
      }
    }
  }

  /**
   * Analyses the query (Spark's unsupported-operation checks for the output mode) and
   * starts it. Returns the running query at once; the first batch runs asynchronously
   * (manual trigger: on step()/processAllAvailable()). Throws AnalysisException for an
   * unsupported query, IllegalStateException for a non-streaming DataFrame or a name/id
   * already active.
   */
  start(path?: string): StreamingQuery {
    const df = this.df;
    const spark = df.sparkSession;
    if (!df.isStreaming) {
      throw new AnalysisException("'writeStream' can be called only on streaming Dataset/DataFrame", "WRITE_STREAM_NOT_ALLOWED");
    }
    if (path !== undefined) this.opts.path = path;
    // The notebook export to PySpark records the writer instead of starting it (export/capture.ts).
    const intercepted = interceptedStart(this.describe());
    if (intercepted !== undefined) return intercepted;
    checkForStreaming(df.plan, this.mode);
    if (this.trig.kind === "continuous") {
      checkContinuousQuery(df.plan, this.fmt);
    }
    if (this.name !== null && spark.streams.active.some((q) => q.name === this.name)) {
      throw new IllegalArgumentException(
        `Cannot start query with name ${this.name} as a query with that name is already active in this SparkSession`,
        "DUPLICATE_QUERY_NAME",
      );
    }
    const userLocation = getOption(this.opts, "checkpointLocation");
    const location = userLocation ?? `$temporary-checkpoint-${++tempCheckpoints}`;
    const checkpoint: CheckpointStore = spark.checkpointStoreFor(location) ?? memoryCheckpointStore(location);
    checkpoint.configure?.(spark.conf.getAll());
    let meta = checkpoint.getMetadata();
    if (meta === undefined) {
      meta = { id: uuid() };
      checkpoint.putMetadata(meta);
    }
    const sink = this.makeSink(meta.id);
    if (spark.streams.get(meta.id) !== null) {
      throw new IllegalStateException(
        `Cannot start query with id ${meta.id} as another query with same id is already active. Perhaps you are attempting to restart a query from checkpoint that is already active.`,
        "CONCURRENT_QUERY",
      );
    }
    const conf = spark.conf;
    const policy = conf.get("spark.sql.streaming.multipleWatermarkPolicy").toLowerCase();
    if (policy !== "min" && policy !== "max") {
      throw new IllegalArgumentException(
        `Could not recognize watermark policy '${policy}': spark.sql.streaming.multipleWatermarkPolicy must be 'min' or 'max'.`,
        "INVALID_CONF_VALUE",
      );
    }
    const num = (k: string) => {
      const raw = conf.get(k);
      const m = /^(\d+)\s*(ms)?$/.exec(raw.trim());
      if (!m) throw new IllegalArgumentException(`Invalid value '${raw}' for ${k}`, "INVALID_CONF_VALUE");
      return Number(m[1]);
    };
    let query: StreamingQuery | null = null;
    const Execution = this.trig.kind === "continuous" ? ContinuousExecution : MicroBatchExecution;
    const execution = new Execution({
      id: meta.id,
      runId: uuid(),
      name: this.name,
      plan: optimize(df.plan),
      outputMode: this.mode,
      trigger: this.trig,
      sink,
      checkpoint,
      clock: spark.clock,
      conf: {
        noDataMicroBatches: conf.get("spark.sql.streaming.noDataMicroBatches.enabled").toLowerCase() === "true",
        watermarkPolicy: policy,
        pollingDelayMs: num("spark.sql.streaming.pollingDelay"),
        numRecentProgressUpdates: num("spark.sql.streaming.numRecentProgressUpdates"),
        noDataProgressEventIntervalMs: num("spark.sql.streaming.noDataProgressEventInterval"),
        recorded: { "spark.sql.streaming.multipleWatermarkPolicy": policy },
      },
      listeners: () => spark.streams.listeners(),
      toDataFrame: (attrs, data) => spark.dataFrameOfBatch(attrs, data),
      onTerminated: (ex) => {
        // A temporary checkpoint is dropped with its query, as Spark deletes temporary checkpoint dirs.
        if (userLocation === undefined) deleteMemoryCheckpoint(location);
        spark.streams.unregister(ex.id, ex.exception);
      },
    });
    // Held until the query terminates (its `close`): deleting the checkpoint meanwhile keeps its state.
    if (checkpoint instanceof MemoryCheckpointStore) checkpoint.attach();
    query = new StreamingQuery(execution, (text) => spark.print(text, { queryId: execution.id }), this.describe());
    spark.streams.register(query);
    const started = { id: execution.id, runId: execution.runId, name: execution.name, timestamp: new Date(spark.clock.getTimeMillis()).toISOString() };
    for (const l of spark.streams.listeners()) {
      try {
        l.onQueryStarted?.(started);
      } catch (e) {
        console.error("StreamingQueryListener threw", e);
      }
    }
    execution.startLoop();
    return query;
  }
}
