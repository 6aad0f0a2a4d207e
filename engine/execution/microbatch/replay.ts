import type { Row } from "../../api/Row";
import type { CheckpointStore } from "../../checkpoint/CheckpointStore";
import { MemoryCheckpointStore } from "../../checkpoint/memory/MemoryCheckpointStore";
import { typeName } from "../../expressions/types";
import { transformPlan } from "../../plan/optimizer";
import type { LogicalPlan } from "../../plan/LogicalPlan";
import type { Sink, SinkBatch } from "../../sinks/Sink";
import type { JsonValue, Offset, Source, SourceDescriptor } from "../../sources/Source";
import { ManualClock } from "../../util/clock";
import { IllegalArgumentException, IllegalStateException } from "../../util/errors";
import { groupingColumnsOf } from "../planMetrics";
import type { MicroBatchExecution, MicroBatchExecutionArgs } from "./MicroBatchExecution";

/** One batch of a replay. */
export interface ReplayBatch {
  batchId: number;
  numInputRows: number;
  numOutputRows: number;
  numRowsDroppedByWatermark: number;
  /** The batch's watermark (progress `eventTime.watermark`), epoch ms; 0 before the first. */
  watermarkMs: number;
}

/** The result of running a query's recorded input again with another watermark delay. */
export interface ReplayResult {
  /** The delay every withWatermark had; null: the query's own delays. */
  watermarkDelayMs: number | null;
  /** The last recorded batch replayed (every batch from 0 up to it). */
  lastBatchId: number;
  batches: ReplayBatch[];
  schema: Array<{ name: string; type: string; nullable: boolean }>;
  /** The result as the sink holds it after the last batch: append every row, update the newest row per key, complete the last table. */
  rows: Row[];
  /** The columns identifying a row (an aggregation's grouping columns), or null. */
  keyColumns: string[] | null;
  droppedByWatermark: number;
}

/** Formats whose sources return the same rows for the same offsets (Spark's replayable sources). */
const NOT_REPLAYABLE = new Set(["socket"]);

/**
 * "Replay with this watermark delay": runs a query's recorded micro-batches again —
 * the same offsets from the offset log, the same batch times, sources re-read through
 * fresh instances with the checkpoint's source metadata (a seeded source gives the same
 * rows) — on a plan whose withWatermark delay is `delayMs`, with fresh state, into a
 * private sink. The live query is not touched.
 */
export async function replayWithDelay(
  args: MicroBatchExecutionArgs,
  checkpoint: CheckpointStore,
  sourceCount: number,
  delayMs: number | null,
  idleAfter: ReadonlySet<number>,
  create: (args: MicroBatchExecutionArgs) => MicroBatchExecution,
): Promise<ReplayResult> {
  if (delayMs !== null && (!(delayMs >= 0) || !Number.isFinite(delayMs))) throw new IllegalArgumentException(`A watermark delay must be a duration ≥ 0; got ${String(delayMs)} ms.`, "INVALID_DELAY");
  const lastBatchId = await checkpoint.latestCommittedBatchId();
  if (lastBatchId < 0) throw new IllegalStateException("No batch has been committed yet: nothing to replay.", "NOTHING_TO_REPLAY");
  const log: Array<{ offsets: readonly (Offset | null)[]; batchTimestampMs: number }> = [];
  for (let b = 0; b <= lastBatchId; b++) {
    const seq = await checkpoint.getOffsets(b);
    if (seq === undefined) {
      throw new IllegalStateException(
        `The offset log no longer holds batch ${b} (a checkpoint keeps the last spark.sql.streaming.minBatchesToRetain batches): a replay needs every batch from the first. Reset the checkpoint to replay from the start.`,
        "NOTHING_TO_REPLAY",
      );
    }
    log.push({ offsets: seq.offsets, batchTimestampMs: seq.metadata.batchTimestampMs });
  }

  const targets: (Offset | null)[] = new Array(sourceCount).fill(null);
  let sourceIndex = 0;
  const withSources = transformPlan(args.plan, (p): LogicalPlan => {
    if (p.kind === "streamingRelation") {
      const i = sourceIndex++;
      return { ...p, source: replayDescriptor(p.source, checkpoint.sourceMetadata(i), () => targets[i] ?? null) };
    }
    return p;
  });
  // The delay lives on the withWatermark node and, as metadata, on every attribute of its
  // column above it (dropDuplicatesWithinWatermark reads it there): change both.
  const plan = delayMs === null ? withSources : (withDelay(withSources, delayMs) as LogicalPlan);
  const sink = new ReplaySink();
  const clock = new ManualClock(log[0]?.batchTimestampMs ?? 0);
  const execution = create({
    ...args,
    id: `${args.id}-replay`,
    runId: `${args.runId}-replay-${delayMs}`,
    name: null,
    plan,
    trigger: { kind: "manual" },
    sink,
    checkpoint: new MemoryCheckpointStore(`$replay-${args.runId}-${delayMs}`),
    clock,
    listeners: () => [],
    onTerminated: () => undefined,
  });
  const batches: ReplayBatch[] = [];
  try {
    execution.startLoop();
    const trigger = async () => {
      const before = execution.lastProgress?.batchId ?? -1;
      await execution.step();
      const p = execution.lastProgress;
      if (p !== null && p.batchId !== before) {
        batches.push({
          batchId: p.batchId,
          numInputRows: p.numInputRows,
          numOutputRows: p.sink.numOutputRows,
          numRowsDroppedByWatermark: p.stateOperators.reduce((s, op) => s + op.numRowsDroppedByWatermark, 0),
          watermarkMs: p.eventTime.watermark ? Date.parse(p.eventTime.watermark) : 0,
        });
      }
    };
    // The live run's triggers, in order: each logged batch (a logged no-data batch runs only if the
    // replay's own watermark moved), and where the live run found nothing to do after a batch, one
    // trigger with no new data, in which the replay runs the no-data batch its own delay calls for.
    for (const [b, entry] of log.entries()) {
      for (let i = 0; i < sourceCount; i++) targets[i] = entry.offsets[i] ?? null;
      clock.setTime(Math.max(clock.getTimeMillis(), entry.batchTimestampMs));
      await trigger();
      if (idleAfter.has(b)) await trigger();
    }
  } finally {
    await execution.stop();
  }
  const keyColumns = groupingColumnsOf(execution.root);
  return {
    watermarkDelayMs: delayMs,
    lastBatchId,
    batches,
    schema: execution.root.output.map((a) => ({ name: a.name, type: typeName(a.dataType), nullable: a.nullable })),
    rows: sink.table(args.outputMode, keyColumns),
    keyColumns,
    droppedByWatermark: batches.reduce((s, b) => s + b.numRowsDroppedByWatermark, 0),
  };
}

/** A source that offers exactly the recorded offset of the batch being replayed, and reads through a fresh instance. */
function replayDescriptor(d: SourceDescriptor, metadata: Map<string, JsonValue>, target: () => Offset | null): SourceDescriptor {
  if (NOT_REPLAYABLE.has(d.format)) {
    throw new IllegalArgumentException(
      `Replay needs a source that can read the same offsets again (Spark's replayable sources); ${d.description} cannot. Use the events, rate or file sources, or a MemoryStream.`,
      "SOURCE_NOT_REPLAYABLE",
    );
  }
  return {
    ...d,
    create: (ctx) => {
      // A copy of the checkpoint's source metadata (start time, injected events): the live query's stays untouched.
      const copy = new Map(metadata);
      const inner = d.create({ clock: ctx.clock, metadata: { get: (k) => copy.get(k), set: (k, v) => void copy.set(k, v) } });
      const source: Source = {
        schema: inner.schema,
        description: inner.description,
        latestOffset: () => target(),
        getBatch: (start, end) => inner.getBatch(start, end),
        commit: () => undefined,
        // A MemoryStream's descriptor hands out the live instance: never stop what the live query uses.
        stop: () => undefined,
      };
      if (inner.initialOffset) source.initialOffset = () => inner.initialOffset!();
      return source;
    },
  };
}

/** Keeps every batch's rows. */
class ReplaySink implements Sink {
  readonly format = "replay";
  readonly description = "ReplaySink";
  private readonly batches: Row[][] = [];

  addBatch(batch: SinkBatch): void {
    this.batches[batch.batchId] = batch.rows();
  }

  /** The result table after the last batch, as the output mode builds it. */
  table(mode: string, keyColumns: string[] | null): Row[] {
    const all = this.batches.filter((b): b is Row[] => b !== undefined);
    if (mode === "complete") return all[all.length - 1] ?? [];
    if (mode !== "update" || keyColumns === null) return all.flat();
    const byKey = new Map<string, Row>();
    for (const rows of all) for (const r of rows) byKey.set(JSON.stringify(keyColumns.map((k) => r[k] ?? null)), r);
    return [...byKey.values()];
  }
}

/** A copy of `plan` with every watermark delay set to `delayMs`: the withWatermark nodes and the attributes that carry it. */
/** @internal exported for tests */
export function withDelay(value: unknown, delayMs: number): unknown {
  if (Array.isArray(value)) return value.map((v) => withDelay(v, delayMs));
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = k === "source" || k === "data" ? v : withDelay(v, delayMs);
  if (o.kind === "eventTimeWatermark") {
    out.delayMs = delayMs;
    out.delayText = `${delayMs / 1000} seconds`;
  }
  if (typeof o.eventTimeDelayMs === "number") out.eventTimeDelayMs = delayMs; // attributes and attribute references alike
  return out;
}
