import { checkForStreaming } from "../plan/unsupportedOperationChecker";
import type { LogicalPlan } from "../plan/LogicalPlan";
import type { WriteSpec } from "./capture";
import { PlanEmitter } from "./plan";
import { durationText, pyComment, pyStr } from "./python";
import { chainStatement, step, type ScriptBuilder, varName } from "./script";

/**
 * A started query (its WriteSpec) → `df.writeStream.format(...).outputMode(...)
 * .option("checkpointLocation", ...).trigger(...).start()`. The playground's sinks map
 * to Spark's: console and memory as they are, file sinks with their folder as a script
 * argument, foreachBatch / foreach as a Python function to fill in (their JavaScript
 * is shown in a comment). The manual trigger has no Spark counterpart: the default
 * trigger is used, with a comment.
 */
export function emitQuery(b: ScriptBuilder, plans: PlanEmitter, spec: WriteSpec, queryIndex: number): string {
  const fmt = spec.format.toLowerCase();
  const chain = plans.chain(spec.df.plan);
  const pre: string[] = [];
  const steps: string[] = [".writeStream"];
  const opts = { ...spec.options };
  const optionSteps: string[] = [];

  switch (fmt) {
    case "foreachbatch": {
      const fn = b.names.fresh(spec.queryName ? `${spec.queryName}_batch` : "process_batch");
      pre.push(
        ...todoFunction(fn, "batch_df, batch_id", "foreachBatch", spec.foreachBatch, [
          "batch_df is a static DataFrame of the micro-batch; e.g. batch_df.write.mode(\"append\").parquet(...)",
        ]),
      );
      steps.push(step("foreachBatch", [fn]));
      break;
    }
    case "foreach": {
      const fn = b.names.fresh(spec.queryName ? `${spec.queryName}_row` : "process_row");
      pre.push(...todoFunction(fn, "row", "foreach", spec.foreach, ["called once per output row"]));
      steps.push(step("foreach", [fn]));
      break;
    }
    case "memory":
      pre.push(`# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM ${(spec.queryName ?? "<queryName>").replace(/[^\w.-]/g, "_")}").`);
      steps.push(step("format", ['"memory"']));
      break;
    case "console":
      steps.push(step("format", ['"console"']));
      break;
    case "json":
    case "csv":
    case "text":
    case "parquet":
    case "orc": {
      steps.push(step("format", [pyStr(fmt)]));
      const path = opts.path;
      if (path !== undefined) {
        delete opts.path;
        const arg = b.pathArg("output", path, `folder the ${fmt} sink writes (the playground's virtual folder ${path})`);
        pre.push(...pyComment(`The playground's virtual folder ${JSON.stringify(path)} → a path given to the script (--help).`));
        optionSteps.push(step("option", ['"path"', arg]));
      }
      break;
    }
    default:
      b.note(`sink format "${spec.format}" is exported as is; check that Spark has it.`);
      steps.push(step("format", [pyStr(spec.format)]));
  }

  steps.push(step("outputMode", [pyStr(spec.outputMode)]));
  if (spec.queryName !== null) steps.push(step("queryName", [pyStr(spec.queryName)]));
  for (const [k, v] of Object.entries(opts)) {
    if (k === "checkpointLocation") continue;
    optionSteps.push(step("option", [pyStr(k), /^-?\d+$/.test(v) ? v : v === "true" ? "True" : v === "false" ? "False" : pyStr(v)]));
  }
  steps.push(...optionSteps);
  let checkpoint = opts.checkpointLocation;
  if (checkpoint === undefined && ["json", "csv", "text", "parquet", "orc"].includes(fmt)) {
    // Spark's file sinks need a checkpoint; the playground used a temporary one.
    checkpoint = spec.queryName ?? `query_${queryIndex}`;
  }
  if (checkpoint !== undefined) steps.push(step("option", ['"checkpointLocation"', b.checkpoint(checkpoint)]));

  const t = spec.trigger;
  switch (t.kind) {
    case "processingTime":
      if (t.intervalMs > 0) steps.push(step("trigger", [`processingTime=${pyStr(durationText(t.intervalMs))}`]));
      break;
    case "once":
      steps.push(step("trigger", ["once=True"]));
      break;
    case "availableNow":
      steps.push(step("trigger", ["availableNow=True"]));
      break;
    case "continuous":
      steps.push(step("trigger", [`continuous=${pyStr(durationText(t.intervalMs))}`]));
      break;
    case "manual":
      pre.push("# The playground ran this query on its manual trigger (step by step); Spark has no manual", "# trigger, so the default trigger is used: a micro-batch as soon as the previous one ends.");
      break;
  }
  steps.push(step("start"));

  const v = varName(b, spec.queryName ? `${spec.queryName}_query` : "query");
  b.body.push(...pre, ...chainStatement(v, { head: chain.head, steps: [...chain.steps, ...steps] }), "");
  return v;
}

/** A Python function stub for a JavaScript callback: valid Python that fails loudly until filled in. */
function todoFunction(name: string, params: string, what: string, fn: unknown, hints: string[]): string[] {
  const src = typeof fn === "function" ? Function.prototype.toString.call(fn) : String(fn ?? "");
  return [
    `# TODO(export): the playground ran this JavaScript ${what} function; write it in Python:`,
    ...pyComment(src).map((l) => `#  ${l.slice(1)}`),
    `def ${name}(${params}):`,
    ...hints.map((h) => `    # ${h}`),
    `    raise NotImplementedError(${pyStr(`translate the playground's ${what} function (see the comment above)`)})`,
    "",
  ];
}

/**
 * The output mode `display(df)` / `df.toPySpark()` use for a DataFrame without a sink:
 * complete when Spark accepts it (an aggregation), else append.
 */
export function defaultOutputMode(plan: LogicalPlan): "complete" | "append" {
  try {
    checkForStreaming(plan, "complete");
    return "complete";
  } catch {
    return "append";
  }
}

/** `display(df)` or a bare DataFrame: a console sink, as a script shows a result table. */
export function emitConsoleQuery(b: ScriptBuilder, plans: PlanEmitter, plan: LogicalPlan, comment: string): string {
  const chain = plans.chain(plan);
  const v = varName(b, "query");
  b.body.push(
    ...pyComment(comment),
    ...chainStatement(v, { head: chain.head, steps: [...chain.steps, ".writeStream", step("format", ['"console"']), step("outputMode", [pyStr(defaultOutputMode(plan))]), step("start")] }),
    "",
  );
  return v;
}
