import { attrRef, type Expr } from "../expressions/Expression";
import type { StructType } from "../expressions/types";
import { batchToRowObjects, type Row } from "./Row";
import * as analyzer from "../plan/analyzer";
import { explainString } from "../plan/explain";
import type { LogicalPlan } from "../plan/LogicalPlan";
import { optimize } from "../plan/optimizer";
import { planPhysical } from "../plan/physicalPlanner";
import type { ColumnarBatch } from "../execution/ColumnarBatch";
import { AnalysisException } from "../util/errors";
import { Column } from "./Column";
import { DataStreamWriter } from "./DataStreamWriter";
import { F } from "./functions";
import { GroupedData } from "./GroupedData";
import { schemaTreeString, showString } from "./showString";
import { sqlFrontend } from "./sqlHook";
import { dataFrameToPySpark } from "../export/toPySpark";
import type { SparkSession } from "./SparkSession";

/** A column argument: a Column or a column name. */
export type ColumnLike = Column | string;

function colExpr(c: ColumnLike): Expr {
  return typeof c === "string" ? F.col(c).expr : c.expr;
}

/**
 * A distributed collection of rows with named columns — here an immutable logical
 * plan plus its session. Transformations return new DataFrames and are analysed
 * at once: an unknown column or a type mismatch throws AnalysisException there.
 *
 * @example
 * const counts = spark.readStream.format("rate").load()
 *   .withColumn("bucket", F.col("value").mod(10))
 *   .groupBy("bucket").count();
 */
export class DataFrame {
  /** @internal use the session or a reader to create DataFrames. */
  constructor(
    readonly sparkSession: SparkSession,
    /** @internal the resolved logical plan. */
    readonly plan: LogicalPlan,
  ) {}

  private with(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.sparkSession, plan);
  }

  /** True when the DataFrame reads a streaming source. */
  get isStreaming(): boolean {
    return this.plan.isStreaming;
  }

  /** The schema (names, types, nullability). */
  get schema(): StructType {
    return { type: "struct", fields: this.plan.output.map((a) => ({ name: a.name, dataType: a.dataType, nullable: a.nullable })) };
  }

  /** Column names, in order. */
  get columns(): string[] {
    return this.plan.output.map((a) => a.name);
  }

  /** The dtypes as [name, simple type] pairs. */
  get dtypes(): [string, string][] {
    return this.plan.output.map((a) => [a.name, typeof a.dataType === "string" ? a.dataType : a.dataType.type]);
  }

  /** A column of this DataFrame by name (resolved now). Throws AnalysisException if unknown. */
  col(name: string): Column {
    return new Column(analyzer.resolveName(name, this.plan.output));
  }

  /** Projects columns or expressions. @example df.select(F.col("value").multiply(2).as("v2"), "timestamp") */
  select(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    const flat = cols.flat();
    return this.with(analyzer.project(this.plan, flat.map(colExpr)));
  }

  /** Projects SQL expressions (needs the SQL frontend). */
  selectExpr(...exprs: string[]): DataFrame {
    const fe = sqlFrontend("selectExpr");
    return this.select(...exprs.map((e) => fe.sqlToColumn(e, F)));
  }

  /** Adds or replaces column `name`. */
  withColumn(name: string, col: Column): DataFrame {
    const exists = this.plan.output.some((a) => a.name.toLowerCase() === name.toLowerCase());
    const list: Expr[] = this.plan.output.map((a) => (a.name.toLowerCase() === name.toLowerCase() ? { kind: "alias", child: col.expr, name } : attrRef(a)));
    if (!exists) list.push({ kind: "alias", child: col.expr, name });
    return this.with(analyzer.project(this.plan, list));
  }

  /** Adds or replaces several columns. */
  withColumns(cols: Record<string, Column>): DataFrame {
    return Object.entries(cols).reduce<DataFrame>((df, [n, c]) => df.withColumn(n, c), this);
  }

  /** Renames a column (no-op if absent, as Spark). */
  withColumnRenamed(existing: string, newName: string): DataFrame {
    if (!this.plan.output.some((a) => a.name.toLowerCase() === existing.toLowerCase())) return this;
    const list: Expr[] = this.plan.output.map((a) =>
      a.name.toLowerCase() === existing.toLowerCase() ? { kind: "alias", child: attrRef(a), name: newName } : attrRef(a),
    );
    return this.with(analyzer.project(this.plan, list));
  }

  /** Drops columns by name (unknown names are ignored, as Spark). */
  drop(...names: (string | Column)[]): DataFrame {
    const drop = new Set(names.map((n) => (typeof n === "string" ? n.toLowerCase() : n.expr.kind === "unresolvedAttr" ? n.expr.name.toLowerCase() : "")));
    return this.with(analyzer.project(this.plan, this.plan.output.filter((a) => !drop.has(a.name.toLowerCase())).map(attrRef)));
  }

  /** Keeps rows where the condition holds; a string is parsed as SQL (needs the SQL frontend). */
  filter(condition: Column | string): DataFrame {
    const c = typeof condition === "string" ? sqlFrontend("filter(string)").sqlToColumn(condition, F) : condition;
    return this.with(analyzer.filter(this.plan, c.expr));
  }

  /** Same as `filter`. */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Union by position (Spark's union/unionAll: duplicates kept). */
  union(other: DataFrame): DataFrame {
    return this.with(analyzer.union(this.plan, other.plan));
  }

  /** Same as `union`. */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** Groups by columns for aggregation. @example df.groupBy(F.window(F.col("ts"), "10 seconds"), "key").count() */
  groupBy(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map(colExpr));
  }

  /** Same as `groupBy`. */
  groupby(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    return this.groupBy(...cols);
  }

  /** Global aggregation: `df.agg(F.count("*"))` = `df.groupBy().agg(...)`. */
  agg(...cols: Column[]): DataFrame {
    return this.groupBy().agg(...cols);
  }

  /**
   * Declares `eventTime` as event time with a lateness bound: the watermark is
   * max(eventTime) − delay. Throws IllegalArgumentException for a bad or negative delay,
   * AnalysisException when the column is unknown or not a timestamp.
   *
   * @example df.withWatermark("eventTime", "10 minutes")
   */
  withWatermark(eventTime: string, delayThreshold: string): DataFrame {
    return this.with(analyzer.withWatermark(this.plan, eventTime, delayThreshold));
  }

  /** Sorts (streaming: only after an aggregation in complete mode, as Spark). */
  orderBy(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    return this.with(analyzer.sort(this.plan, cols.flat().map(colExpr)));
  }

  /** Same as `orderBy`. */
  sort(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    return this.orderBy(...cols);
  }

  /** The first `n` rows. */
  limit(n: number): DataFrame {
    return this.with(analyzer.limit(this.plan, n));
  }

  /**
   * Distinct rows. Static DataFrames: a grouping on every column. Streaming: deduplication
   * on every column (Spark plans distinct() as dropDuplicates()).
   */
  distinct(): DataFrame {
    if (this.isStreaming) return this.dropDuplicates();
    return this.with(analyzer.aggregate(this.plan, this.plan.output.map(attrRef), []));
  }

  /**
   * Drops duplicate rows (on the `subset` columns, every column by default), keeping the
   * first row of each key. Streaming (Spark's StreamingDeduplicateExec): the state remembers
   * every key seen — forever without a watermark; with `withWatermark`, rows at or below the
   * watermark are dropped as late, and a key is evicted once its event-time column (when
   * it is one of the keys) is ≤ the watermark. Throws AnalysisException for an unknown column.
   *
   * @example events.withWatermark("eventTime", "10 seconds").dropDuplicates(["guid", "eventTime"])
   */
  dropDuplicates(subset?: string[]): DataFrame {
    if (this.isStreaming) return this.with(analyzer.deduplicate(this.plan, subset, false));
    const keys = (subset ?? this.columns).map((n) => analyzer.resolveName(n, this.plan.output));
    const keyIds = new Set(keys.flatMap((k) => (k.kind === "attr" ? [k.id] : [])));
    const rest = this.plan.output.filter((a) => !keyIds.has(a.id)).map((a) => F.first(F.col(a.name)).as(a.name).expr);
    const grouped = this.with(analyzer.aggregate(this.plan, keys, rest));
    // Back to the original column order.
    return grouped.select(...this.columns.map((n) => F.col(n)));
  }

  /**
   * Drops duplicate rows (on `subset`, every column by default) within the watermark
   * (Spark's dropDuplicatesWithinWatermark): the first row of a key wins, and the key is
   * remembered until its first event time + the watermark delay; after that an equal row
   * passes again. Streaming queries need a watermark: start() fails with Spark's
   * "dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without
   * watermark". Static DataFrames: the same as dropDuplicates.
   *
   * @example events.withWatermark("eventTime", "1 hour").dropDuplicatesWithinWatermark(["guid"])
   */
  dropDuplicatesWithinWatermark(subset?: string[]): DataFrame {
    if (this.isStreaming) return this.with(analyzer.deduplicate(this.plan, subset, true));
    return this.dropDuplicates(subset);
  }

  /**
   * Joins with `other` on a condition Column, a column name / list of names (USING: one
   * output column per key), or nothing (cross join). `how`: "inner" (default), "left_outer",
   * "right_outer", "full_outer", "left_semi", "left_anti", "cross" and Spark's aliases.
   * Streaming: stream-static joins and stream-stream joins (Spark's symmetric hash join:
   * inner, and left/right/full outer and left semi with watermarks plus a time-range
   * condition or a watermarked equi-join key), as Spark's join matrix allows them; the rest
   * fails at start() with Spark's messages.
   *
   * @example events.join(users, F.col("userId").eq(F.col("id")), "left_outer")
   */
  join(other: DataFrame, on?: Column | string | string[] | null, how = "inner"): DataFrame {
    const cond = on === undefined || on === null ? null : typeof on === "string" ? [on] : Array.isArray(on) ? on : on.expr;
    return this.with(analyzer.join(this.plan, other.plan, cond, on === undefined || on === null ? (how === "inner" ? "cross" : how) : how));
  }

  /** Cartesian product. */
  crossJoin(other: DataFrame): DataFrame {
    return this.join(other, null, "cross");
  }

  /** Registers this DataFrame as a temporary view for `spark.table` / `spark.sql`. */
  createOrReplaceTempView(name: string): void {
    this.sparkSession.registerView(name, this);
  }

  /** Prints the schema tree to the session output. */
  printSchema(): void {
    this.sparkSession.print(schemaTreeString(this.plan.output));
  }

  /** The schema tree as text. */
  schemaString(): string {
    return schemaTreeString(this.plan.output);
  }

  /**
   * Prints the plans: physical only, or (extended) parsed/analyzed/optimized logical and physical.
   * @example df.explain(true)
   */
  explain(extended = false): void {
    this.sparkSession.print(explainString(this.plan, extended));
  }

  private assertStatic(): void {
    if (this.plan.isStreaming) {
      throw new AnalysisException(
        "Queries with streaming sources must be executed with writeStream.start();",
        "UNSUPPORTED_STREAMING_OPERATION",
      );
    }
  }

  /** @internal runs a static plan. */
  executeBatch(): ColumnarBatch {
    this.assertStatic();
    const physical = planPhysical(optimize(this.plan));
    return physical.root.execute({
      batchId: -1,
      batchTimestampMs: this.sparkSession.clock.getTimeMillis(),
      watermarkMs: 0,
      lateEventsWatermarkMs: 0,
      outputMode: "append",
      sourceData: [],
      stateStores: new Map(),
    });
  }

  /**
   * All rows as plain objects (timestamps as Date, windows as { start, end }).
   * Rejects with AnalysisException on a streaming DataFrame
   * ("Queries with streaming sources must be executed with writeStream.start();").
   */
  async collect(): Promise<Row[]> {
    const b = this.executeBatch();
    return batchToRowObjects(this.plan.output, b);
  }

  /** Number of rows. */
  async count(): Promise<number> {
    return this.executeBatch().numRows;
  }

  /** The first `n` rows. */
  async take(n: number): Promise<Row[]> {
    return this.limit(n).collect();
  }

  /** The first `n` rows (default 1). */
  async head(n = 1): Promise<Row[]> {
    return this.take(n);
  }

  /** The first row, or undefined. */
  async first(): Promise<Row | undefined> {
    return (await this.take(1))[0];
  }

  /** Prints the first `n` rows as Spark's show() table to the session output. */
  async show(n = 20, truncate: boolean | number = true): Promise<void> {
    // Spark's show() is println(showString): the table, then an empty line.
    this.sparkSession.print(this.showString(n, truncate) + "\n");
  }

  /** The show() table as text. Throws on a streaming DataFrame. */
  showString(n = 20, truncate: boolean | number = true): string {
    const b = this.executeBatch();
    return showString(this.plan.output, b, n, truncate);
  }

  /**
   * A complete PySpark script for this DataFrame's logical plan (session, source, every
   * transformation). A streaming DataFrame without a sink is written to the console
   * (complete mode for an aggregation, else append); a static one is shown with show().
   *
   * @example console.log(spark.readStream.format("rate").load().groupBy("value").count().toPySpark())
   */
  toPySpark(): string {
    return dataFrameToPySpark(this);
  }

  /** The writer of a streaming DataFrame. */
  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this);
  }

  /** `DataFrame[name: type, …]` */
  toString(): string {
    return `DataFrame[${this.plan.output.map((a) => `${a.name}: ${typeof a.dataType === "string" ? a.dataType : a.dataType.type}`).join(", ")}]`;
  }
}
