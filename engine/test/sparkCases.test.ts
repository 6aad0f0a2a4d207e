/**
 * Runs Spark's own streaming scenarios (fixtures/spark-cases.json, a copy of the shared
 * spark-cases/cases.json; see its README for the step table) against the engine.
 *
 * One `it` per case, named by its id. The expected rows are Spark's: when a case fails,
 * the engine is wrong (or the transcription is: check the case's `from`).
 *
 * Streaming cases: `query` is `(inputs, F, spark) => DataFrame`, `inputs` being one
 * MemoryStream per entry of `inputs`; the steps become StreamTest actions (streamTest.ts).
 * Static cases: `query` is `(df, F, spark) => DataFrame` over
 * `spark.createDataFrame(staticRows, staticSchema)`; `checkAnswer` compares `collect()`.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream } from "../index";
import {
  AddData,
  AdvanceManualClock,
  CheckAnswer,
  CheckLastBatch,
  CheckNewAnswer,
  CheckSortedAnswer,
  ExpectFailure,
  AssertNumStateRows,
  AssertWatermark,
  MultiAddData,
  StartStream,
  StopStream,
  TriggerBatch,
  errorText,
  fmt,
  newSession,
  rowsMatch,
  sideBySide,
  stopAllSessions,
  testStream,
  type AddableSource,
  type DataFrame,
  type OutputMode,
  type Row,
  type StreamAction,
} from "./streamTest";

// ---------------------------------------------------------------------------------------
// The fixture

type Step =
  | { addData: Record<string, unknown[]> }
  | { checkNewAnswer: Row[] }
  | { checkAnswer: Row[] }
  | { checkLastBatch: Row[] }
  | { stop: true }
  | { start: true }
  | { assertNumStateRows: number }
  | { assertWatermarkSeconds: number }
  | { advanceRateClockSeconds: number }
  | { triggerBatch: true }
  | { expectError: string };

interface SparkCase {
  id: string;
  from: string;
  inputs: Record<string, Record<string, string>> | null;
  query: string;
  outputMode: OutputMode | "static";
  steps: Step[];
  notes?: string;
  staticRows?: Row[];
  staticSchema?: Record<string, string>;
}

const CASES: SparkCase[] = JSON.parse(
  readFileSync(new URL("./fixtures/spark-cases.json", import.meta.url), "utf8"),
) as SparkCase[];

/**
 * Cases of the later issue 4 (deduplication, session windows, stream-stream joins,
 * and the rejections that are about those operators).
 */
const ISSUE_4_CASES: ReadonlySet<string> = new Set([
  "dedup-all-columns-no-watermark",
  "dedup-chained-two-operators",
  "dedup-with-watermark-duplicates-in-state",
  "dedup-then-agg-update",
  "dedup-watermark-key-order",
  "dedup-union-restart",
  "dedup-within-watermark-subset",
  "session-window-complete",
  "join-stream-stream-inner-no-watermark",
  "join-stream-stream-inner-window-watermark",
  "join-stream-stream-inner-time-range-two-sides",
  "join-three-streams-inner",
  "join-stream-stream-left-outer-range",
  "reject-stream-stream-join-update-mode",
  "reject-stream-stream-join-without-equality",
  "reject-session-window-global-append",
  "reject-dedup-within-watermark-without-watermark",
]);

/**
 * THE SKIP LIST: issue-4 cases skipped because the engine lacks the feature, with the
 * reason. Only issue-4 cases may appear here. Empty it as issue 4 lands; meanwhile
 * `SPARK_CASES_RUN_SKIPPED=1 npx vitest run engine/test/sparkCases.test.ts` runs them anyway.
 */
const SKIPPED_ISSUE_4: Readonly<Record<string, string>> = {};

/** Set SPARK_CASES_RUN_SKIPPED=1 to run the skipped issue-4 cases anyway (to see whether they pass yet). */
const RUN_SKIPPED = process.env.SPARK_CASES_RUN_SKIPPED === "1";

/** Cases where Spark asserts the order of the rows too (CheckLastBatch(isSorted = true)). */
const ORDERED_CASES: ReadonlySet<string> = new Set(["agg-complete-sorted"]);

// ---------------------------------------------------------------------------------------
// Running one case

type QueryFn = (...args: unknown[]) => unknown;

function compileQuery(c: SparkCase): QueryFn {
  // The query is data from the fixture, written against API.md.
  return new Function(`"use strict"; return (${c.query});`)() as QueryFn;
}

function stepToAction(c: SparkCase, step: Step, inputs: Record<string, AddableSource>): StreamAction {
  if ("addData" in step) {
    const entries = Object.entries(step.addData).map(([name, values]): [AddableSource, unknown[]] => {
      const source = inputs[name];
      if (!source) throw new Error(`case ${c.id}: addData names unknown input ${name}`);
      return [source, values];
    });
    return entries.length === 1 ? AddData(entries[0]![0], ...entries[0]![1]) : MultiAddData(...entries);
  }
  if ("checkNewAnswer" in step) return CheckNewAnswer(...step.checkNewAnswer);
  if ("checkAnswer" in step) {
    return ORDERED_CASES.has(c.id) ? CheckSortedAnswer(...step.checkAnswer) : CheckAnswer(...step.checkAnswer);
  }
  if ("checkLastBatch" in step) return CheckLastBatch(...step.checkLastBatch);
  if ("stop" in step) return StopStream;
  if ("start" in step) return StartStream();
  if ("assertNumStateRows" in step) return AssertNumStateRows(step.assertNumStateRows);
  if ("assertWatermarkSeconds" in step) return AssertWatermark(step.assertWatermarkSeconds);
  if ("advanceRateClockSeconds" in step) return AdvanceManualClock(step.advanceRateClockSeconds * 1000);
  if ("triggerBatch" in step) return TriggerBatch;
  if ("expectError" in step) return ExpectFailure(step.expectError);
  throw new Error(`case ${c.id}: unknown step ${JSON.stringify(step)}`);
}

function expectMessage(c: SparkCase, error: unknown, text: string): void {
  const msg = errorText(error);
  if (!msg.toLowerCase().includes(text.toLowerCase())) {
    throw new Error(`case ${c.id}: expected an error containing ${JSON.stringify(text)}, got:\n  ${msg}`);
  }
}

async function runStaticCase(c: SparkCase): Promise<void> {
  const { spark } = newSession();
  const step = c.steps[0];
  if (c.steps.length !== 1 || !step) throw new Error(`case ${c.id}: a static case has exactly one step`);
  const df = spark.createDataFrame(c.staticRows ?? [], c.staticSchema);
  let rows: Row[];
  try {
    const result = compileQuery(c)(df, F, spark) as DataFrame;
    rows = (await result.collect()) as Row[];
  } catch (e) {
    if ("expectError" in step) return expectMessage(c, e, step.expectError);
    throw e;
  }
  if ("expectError" in step) {
    throw new Error(`case ${c.id}: expected an error containing ${JSON.stringify(step.expectError)}, got rows ${fmt(rows)}`);
  }
  if (!("checkAnswer" in step)) throw new Error(`case ${c.id}: static step must be checkAnswer or expectError`);
  if (!rowsMatch(step.checkAnswer, rows, ORDERED_CASES.has(c.id))) {
    throw new Error(`case ${c.id} (${c.from}): results do not match\n${sideBySide(step.checkAnswer, rows)}`);
  }
}

async function runStreamingCase(c: SparkCase): Promise<void> {
  if (c.outputMode === "static") throw new Error("not a streaming case");
  const { spark, clock } = newSession();
  const inputs: Record<string, AddableSource> = {};
  for (const [name, schema] of Object.entries(c.inputs ?? {})) {
    inputs[name] = new MemoryStream(spark, schema) as unknown as AddableSource;
  }
  let df: DataFrame;
  try {
    df = compileQuery(c)(inputs, F, spark) as DataFrame;
  } catch (e) {
    // Spark rejects some queries while the DataFrame is built (e.g. a negative watermark delay).
    const firstCheck = c.steps.find((s) => !("addData" in s));
    if (firstCheck && "expectError" in firstCheck) return expectMessage(c, e, firstCheck.expectError);
    throw new Error(`case ${c.id}: building the query threw: ${errorText(e)}`);
  }
  const actions = c.steps.map((s) => stepToAction(c, s, inputs));
  await testStream(df, c.outputMode, { clock })(...actions);
}

function runCase(c: SparkCase): Promise<void> {
  return c.outputMode === "static" ? runStaticCase(c) : runStreamingCase(c);
}

// ---------------------------------------------------------------------------------------

afterEach(stopAllSessions);

describe("Spark streaming cases (fixtures/spark-cases.json)", () => {
  it("fixture sanity: ids are unique and every skip is an issue-4 case", () => {
    const ids = CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of Object.keys(SKIPPED_ISSUE_4)) expect(ISSUE_4_CASES.has(id), id).toBe(true);
    for (const id of ISSUE_4_CASES) expect(ids, id).toContain(id);
  });

  for (const c of CASES.filter((x) => !ISSUE_4_CASES.has(x.id))) {
    it(c.id, () => runCase(c));
  }
});

describe("issue 4 (dedup, session windows, stream-stream joins)", () => {
  for (const c of CASES.filter((x) => ISSUE_4_CASES.has(x.id))) {
    const reason = SKIPPED_ISSUE_4[c.id];
    if (reason !== undefined && !RUN_SKIPPED) it.skip(`${c.id} — skipped: ${reason}`, () => runCase(c));
    else it(c.id, () => runCase(c));
  }
});
