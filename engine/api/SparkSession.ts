import type { CheckpointStore } from "../checkpoint/CheckpointStore";
import { batchFromRows, type ColumnarBatch } from "../execution/ColumnarBatch";
import type { Attribute } from "../expressions/Expression";
import { toStructType, type DataType, type SchemaLike, type Value } from "../expressions/types";
import { localRelation } from "../plan/analyzer";
import type { MemoryTable } from "../sinks/MemorySink";
import { SystemClock, type Clock } from "../util/clock";
import { AnalysisException } from "../util/errors";
import { DataFrame } from "./DataFrame";
import { DataFrameReader } from "./DataFrameReader";
import { DataStreamReader } from "./DataStreamReader";
import { MemoryFileSystem } from "../fs/MemoryFileSystem";
import type { VirtualFileSystem } from "../fs/VirtualFileSystem";
import { fromRowValue } from "./Row";
import { RuntimeConfig } from "./RuntimeConfig";
import { sqlFrontend } from "./sqlHook";
import { StreamingQueryManager } from "./StreamingQueryManager";

/** Where printed text came from: the console sink of a query, or a DataFrame call (no queryId). */
export interface OutputOrigin {
  queryId?: string;
}

/** Receives everything the session prints (console sink, show(), printSchema(), explain()). */
export type OutputWriter = (text: string, origin?: OutputOrigin) => void;

/** Opens the checkpoint store of a checkpointLocation (persistent stores plug in here). */
export type CheckpointStoreFactory = (location: string) => CheckpointStore | undefined;

let activeSession: SparkSession | null = null;

/** The file system of sessions built without `fileSystem(...)`: in memory, shared like a disk. */
const defaultFileSystem: VirtualFileSystem = new MemoryFileSystem();

/**
 * Builds a SparkSession. `clock` and `output` are playground extensions.
 * @example
 * const spark = SparkSession.builder().appName("demo").config("spark.sql.shuffle.partitions", 1).getOrCreate();
 */
export class SparkSessionBuilder {
  private name = "StreamingPlayground";
  private readonly confs: [string, string][] = [];
  private clk: Clock | null = null;
  private writer: OutputWriter | null = null;
  private checkpoints: CheckpointStoreFactory | null = null;
  private vfs: VirtualFileSystem | null = null;

  /** The application name. */
  appName(name: string): this {
    this.name = name;
    return this;
  }
  /** Accepted for compatibility ("local[*]"); the engine always runs locally. */
  master(_master: string): this {
    return this;
  }
  /** Sets a conf entry. */
  config(key: string, value: string | number | boolean): this {
    this.confs.push([key, String(value)]);
    return this;
  }
  /** The session clock (default SystemClock); a ManualClock makes time deterministic. */
  clock(clock: Clock): this {
    this.clk = clock;
    return this;
  }
  /** Where printed text goes (default console.log). */
  output(writer: OutputWriter): this {
    this.writer = writer;
    return this;
  }
  /** Checkpoint stores for checkpointLocation (default: in-process memory). */
  checkpointStores(factory: CheckpointStoreFactory): this {
    this.checkpoints = factory;
    return this;
  }
  /**
   * The file system of file sources, file sinks and `spark.read` (default: one in-memory
   * file system shared by every session without one). The browser passes the IndexedDB one,
   * Node the real one (`NodeFileSystem` from engine/node.ts).
   */
  fileSystem(fs: VirtualFileSystem): this {
    this.vfs = fs;
    return this;
  }
  /**
   * The active session with these confs applied, or a new one. A builder with its own
   * clock or output always creates a new session.
   */
  getOrCreate(): SparkSession {
    let s: SparkSession;
    if (activeSession !== null && !activeSession.isStopped && this.clk === null && this.writer === null && this.checkpoints === null && this.vfs === null) {
      s = activeSession;
    } else {
      s = new SparkSession(this.name, this.clk ?? new SystemClock(), this.writer ?? ((t) => console.log(t.endsWith("\n") ? t.slice(0, -1) : t)), this.checkpoints);
      if (this.vfs !== null) s.fileSystem = this.vfs;
      activeSession = s;
    }
    for (const [k, v] of this.confs) s.conf.set(k, v);
    return s;
  }
}

/**
 * The entry point (Spark's SparkSession): readers, DataFrames, conf, streams.
 *
 * @example
 * const spark = SparkSession.builder().appName("wordcount").getOrCreate();
 * const df = spark.readStream.format("rate").option("rowsPerSecond", 10).load();
 * const q = df.writeStream.format("console").start();
 */
export class SparkSession {
  /** Runtime configuration. */
  readonly conf = new RuntimeConfig();
  /** Active queries and listeners. */
  readonly streams = new StreamingQueryManager();
  /** @internal memory-sink tables by query name. */
  readonly memoryTables = new Map<string, MemoryTable>();
  private readonly views = new Map<string, DataFrame>();
  /** The file system of file sources, sinks and `read` (see SparkSessionBuilder.fileSystem). */
  fileSystem: VirtualFileSystem = defaultFileSystem;
  private stopped = false;

  /** @internal use SparkSession.builder(). */
  constructor(
    readonly appName: string,
    /** The session clock: sources, triggers and current_timestamp read it. */
    readonly clock: Clock,
    private readonly writer: OutputWriter,
    private readonly checkpointFactory: CheckpointStoreFactory | null,
  ) {}

  /** A builder. */
  static builder(): SparkSessionBuilder {
    return new SparkSessionBuilder();
  }

  /** The most recently created session that is not stopped, or null. */
  static getActiveSession(): SparkSession | null {
    return activeSession !== null && !activeSession.isStopped ? activeSession : null;
  }

  /** True after stop(). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** A reader of streaming sources. */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /** The static reader of json / csv / text files on `fileSystem` (its loads are asynchronous). */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /**
   * A static DataFrame from rows (objects by column name, or arrays by position).
   * Without a schema, types are inferred from the first non-null value of each column
   * (integers → long, other numbers → double, Date → timestamp).
   *
   * @example spark.createDataFrame([{ word: "a", n: 1 }], { word: "string", n: "long" })
   */
  createDataFrame(rows: readonly (Record<string, unknown> | readonly unknown[])[], schema?: SchemaLike | string[]): DataFrame {
    let fields: { name: string; dataType: DataType }[];
    if (schema !== undefined && !Array.isArray(schema)) {
      fields = toStructType(schema as SchemaLike).fields.map((f) => ({ name: f.name, dataType: f.dataType }));
    } else {
      const names =
        (schema as string[] | undefined) ??
        (rows[0] === undefined ? [] : Array.isArray(rows[0]) ? (rows[0] as unknown[]).map((_, i) => `_${i + 1}`) : Object.keys(rows[0] as object));
      fields = names.map((name, i) => ({ name, dataType: inferType(rows.map((r) => (Array.isArray(r) ? r[i] : (r as Record<string, unknown>)[name]))) }));
    }
    const values: Value[][] = rows.map((r) =>
      fields.map((f, i) => castIn(fromRowValue(Array.isArray(r) ? r[i] : (r as Record<string, unknown>)[f.name]), f.dataType)),
    );
    const data = batchFromRows(fields.map((f) => f.dataType), values);
    return new DataFrame(this, localRelation(fields, data));
  }

  /** A static DataFrame of `start` until `end` (exclusive), column `id`. */
  range(start: number, end?: number, step = 1): DataFrame {
    const [s, e] = end === undefined ? [0, start] : [start, end];
    const rows: Value[][] = [];
    for (let v = s; step > 0 ? v < e : v > e; v += step) rows.push([v]);
    return new DataFrame(this, localRelation([{ name: "id", dataType: "long", nullable: false }], batchFromRows(["long"], rows)));
  }

  /**
   * A memory-sink table (by query name) or a temporary view, as a static DataFrame.
   * Throws AnalysisException ([TABLE_OR_VIEW_NOT_FOUND]) for an unknown name.
   */
  table(name: string): DataFrame {
    const view = this.views.get(name.toLowerCase());
    if (view) return view;
    const t = this.memoryTables.get(name);
    if (t === undefined) {
      throw new AnalysisException(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.`, "TABLE_OR_VIEW_NOT_FOUND");
    }
    const data = batchFromRows(t.attrs.map((a) => a.dataType), t.rows);
    return new DataFrame(this, localRelation(t.attrs.map((a) => ({ name: a.name, dataType: a.dataType, nullable: a.nullable })), data, name));
  }

  /** Runs SQL through the registered SQL frontend ("SQL frontend not loaded" without one). */
  sql(text: string): DataFrame {
    return sqlFrontend("spark.sql").sqlToDataFrame(text, this);
  }

  /** Stops every active query; the session cannot start new ones afterwards. */
  async stop(): Promise<void> {
    for (const q of this.streams.active) await q.stop();
    this.stopped = true;
    if (activeSession === this) activeSession = null;
  }

  /** @internal prints through the session's output writer. */
  print(text: string, origin?: OutputOrigin): void {
    this.writer(text.endsWith("\n") ? text : text + "\n", origin);
  }

  /** @internal */
  registerView(name: string, df: DataFrame): void {
    this.views.set(name.toLowerCase(), df);
  }

  /** @internal the checkpoint store of a location from the configured factory, if any. */
  checkpointStoreFor(location: string): CheckpointStore | undefined {
    return this.checkpointFactory?.(location);
  }

  /** @internal a static DataFrame over one batch (foreachBatch). */
  dataFrameOfBatch(attrs: readonly Attribute[], data: ColumnarBatch): DataFrame {
    return new DataFrame(this, localRelation(attrs.map((a) => ({ name: a.name, dataType: a.dataType, nullable: a.nullable })), data));
  }
}

function inferType(values: unknown[]): DataType {
  const v = values.find((x) => x !== null && x !== undefined);
  if (v === undefined) return "string";
  if (typeof v === "number") return values.every((x) => x === null || x === undefined || Number.isInteger(x)) ? "long" : "double";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "bigint") return "long";
  if (v instanceof Date) return "timestamp";
  return "string";
}

function castIn(v: Value, t: DataType): Value {
  if (v === null) return null;
  if (t === "string" && typeof v !== "string") return String(v);
  if ((t === "long" || t === "int" || t === "double" || t === "timestamp") && typeof v === "string") {
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  return v;
}
