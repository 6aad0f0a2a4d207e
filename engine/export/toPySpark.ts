import type { DataFrame } from "../api/DataFrame";
import type { SparkSession } from "../api/SparkSession";
import type { WriteSpec } from "./capture";
import { PlanEmitter } from "./plan";
import { ScriptBuilder } from "./script";
import { emitConsoleQuery, emitQuery } from "./writer";

/** Options of the single-query exports. */
export interface ToPySparkOptions {
  /** The first comment line of the script (default: the app name). */
  title?: string;
}

/** Session settings the script sets: the user's confs, and the playground's UTC time zone. */
export function sessionConfs(spark: SparkSession): [string, string][] {
  const confs = Object.entries(spark.conf.getAll()).filter(([k]) => !k.startsWith("spark.playground."));
  if (!confs.some(([k]) => k === "spark.sql.session.timeZone")) confs.push(["spark.sql.session.timeZone", "UTC"]);
  return confs;
}

/** Sets up a script for a session (app name, confs). */
export function newScript(spark: SparkSession, title: string): ScriptBuilder {
  const b = new ScriptBuilder(title);
  b.usesSparkSession = true;
  b.appName = spark.appName;
  b.confs = sessionConfs(spark);
  return b;
}

/** The statements that keep the driver alive until the queries end. */
export function awaitQueries(b: ScriptBuilder, queryVars: readonly string[]): void {
  if (queryVars.length === 1) b.footer.push(`${queryVars[0]}.awaitTermination()`);
  else if (queryVars.length > 1) {
    b.footer.push(
      "# Wait for every query (one with trigger once or availableNow stops by itself).",
      `for q in [${queryVars.join(", ")}]:`,
      "    q.awaitTermination()",
    );
  }
}

/**
 * A runnable PySpark script for a started query: session, source, transformations,
 * sink, output mode, trigger and checkpoint, then `awaitTermination()`.
 */
export function queryToPySpark(spec: WriteSpec, options: ToPySparkOptions = {}): string {
  const spark = spec.df.sparkSession;
  const b = newScript(spark, options.title ?? `${spec.queryName ?? spark.appName}: a streaming query`);
  const q = emitQuery(b, new PlanEmitter(b), spec, 1);
  awaitQueries(b, [q]);
  return b.render();
}

/**
 * A runnable PySpark script for a DataFrame. A streaming DataFrame has no sink yet: the
 * script writes it to the console (complete mode for an aggregation, else append), as
 * `display(df)` shows it; a static DataFrame is shown with `show()`.
 */
export function dataFrameToPySpark(df: DataFrame, options: ToPySparkOptions = {}): string {
  const spark = df.sparkSession;
  const b = newScript(spark, options.title ?? `${spark.appName}: a DataFrame`);
  const plans = new PlanEmitter(b);
  if (df.isStreaming) {
    const q = emitConsoleQuery(b, plans, df.plan, "The DataFrame had no sink in the playground: the console sink prints each micro-batch.");
    awaitQueries(b, [q]);
  } else {
    const v = plans.dataFrame(df.plan, "df");
    b.body.push(`${v}.show()`);
  }
  return b.render();
}
