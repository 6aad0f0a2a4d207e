/**
 * Summaries of the checkpoint-cost figures (p50/p99 per batch kind), shared by the Node
 * benchmark and the Chromium perf spec. Browser-safe (no Node imports).
 */

/** The per-batch figures a summary reads (a subset of BatchFigures, so the browser's records fit). */
export interface BatchLike {
  commitTimeMs: number;
  commitOffsetsMs: number;
  walCommitMs: number;
  triggerExecutionMs: number;
  deltaBytes: number;
  snapshotBytes: number;
  /** Unrounded time of the write carrying the commit log entry (Node only). */
  commitWriteMs?: number;
  /** Duration of a background snapshot write (Node only; NaN when none). */
  snapshotWriteMs?: number;
}

/** One line of the table: a backend, a state size, a fraction of keys changed per batch. */
export interface SummaryRow {
  backend: string;
  numKeys: number;
  fraction: number;
  changedKeys: number;
  batches: number;
  commitTimeMs: { p50: number; p99: number; max: number };
  commitOffsetsMs: { p50: number; p99: number; max: number };
  walCommitMs: { p50: number; p99: number };
  /** commitOffsets of the batches that wrote a snapshot (p50, max), and of the others (p50). */
  snapshotBatchCommitOffsetsMs: { p50: number; max: number };
  deltaBatchCommitOffsetsMs: number;
  /** commitTimeMs (the store's commit: serializes the delta and, every 10th version, the snapshot) of snapshot batches, p50. */
  snapshotBatchCommitTimeMs: number;
  /** triggerExecution of all batches (p50, p99), and of the batches right after a snapshot batch (p50): a background write may delay them. */
  triggerExecutionMs: { p50: number; p99: number };
  afterSnapshotTriggerExecutionMs: number;
  /** Background snapshot write, p50 (Node; NaN when snapshots went into the commit's write). */
  snapshotWriteMsP50: number;
  /** Unrounded write of state files + commit log (Node), p50; NaN when unknown. */
  commitWriteMsP50: number;
  deltaBytesP50: number;
  snapshotBytes: number;
  /** deltaBytes ÷ snapshotBytes. */
  deltaToSnapshot: number;
  snapshotsWritten: number;
  recoveryMs: number;
}

/** The q-quantile (0..1), nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** Summarizes one run. */
export function summarize(
  backend: string,
  r: { numKeys: number; fraction: number; batches: readonly (BatchLike & { changedKeys: number })[]; recoveryMs: number },
): SummaryRow {
  const b = r.batches;
  const pick = (f: (x: BatchLike) => number) => b.map(f);
  const snaps = b.filter((x) => x.snapshotBytes > 0);
  const deltas = b.filter((x) => x.snapshotBytes === 0);
  const snapshotBytes = Math.max(0, ...snaps.map((x) => x.snapshotBytes));
  const deltaBytesP50 = quantile(pick((x) => x.deltaBytes), 0.5);
  const stats = (xs: number[]) => ({ p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs) });
  return {
    backend,
    numKeys: r.numKeys,
    fraction: r.fraction,
    changedKeys: b[0]?.changedKeys ?? 0,
    batches: b.length,
    commitTimeMs: stats(pick((x) => x.commitTimeMs)),
    commitOffsetsMs: stats(pick((x) => x.commitOffsetsMs)),
    walCommitMs: { p50: quantile(pick((x) => x.walCommitMs), 0.5), p99: quantile(pick((x) => x.walCommitMs), 0.99) },
    snapshotBatchCommitOffsetsMs: {
      p50: quantile(snaps.map((x) => x.commitOffsetsMs), 0.5),
      max: snaps.length === 0 ? NaN : Math.max(...snaps.map((x) => x.commitOffsetsMs)),
    },
    deltaBatchCommitOffsetsMs: quantile(deltas.map((x) => x.commitOffsetsMs), 0.5),
    snapshotBatchCommitTimeMs: quantile(snaps.map((x) => x.commitTimeMs), 0.5),
    triggerExecutionMs: { p50: quantile(pick((x) => x.triggerExecutionMs), 0.5), p99: quantile(pick((x) => x.triggerExecutionMs), 0.99) },
    afterSnapshotTriggerExecutionMs: quantile(
      b.filter((_, i) => i > 0 && (b[i - 1]?.snapshotBytes ?? 0) > 0).map((x) => x.triggerExecutionMs),
      0.5,
    ),
    snapshotWriteMsP50: quantile(pick((x) => x.snapshotWriteMs ?? NaN), 0.5),
    commitWriteMsP50: quantile(pick((x) => x.commitWriteMs ?? NaN), 0.5),
    deltaBytesP50,
    snapshotBytes,
    deltaToSnapshot: snapshotBytes > 0 ? deltaBytesP50 / snapshotBytes : NaN,
    snapshotsWritten: snaps.length,
    recoveryMs: r.recoveryMs,
  };
}

const fmt = (x: number, d = 1) => (Number.isNaN(x) ? "–" : x.toFixed(d));
const kb = (x: number) => (Number.isNaN(x) ? "–" : `${(x / 1024).toFixed(1)} KB`);

/** A fixed-width table of summary rows. */
export function formatTable(rows: readonly SummaryRow[]): string {
  const head = [
    "backend",
    "keys",
    "changed",
    "commitTimeMs p50/p99",
    "commitOffsets p50/p99/max",
    "delta-batch commitOffsets p50",
    "snapshot-batch commitTime p50",
    "snapshot-batch commitOffsets p50/max",
    "walCommit p50/p99",
    "triggerExecution p50/p99",
    "after-snapshot triggerExecution p50",
    "delta p50",
    "snapshot",
    "delta/snapshot",
    "recovery ms",
  ];
  const body = rows.map((r) => [
    r.backend,
    r.numKeys.toExponential(0),
    `${fmt(r.fraction * 100, 0)}% (${r.changedKeys})`,
    `${fmt(r.commitTimeMs.p50, 0)} / ${fmt(r.commitTimeMs.p99, 0)}`,
    `${fmt(r.commitOffsetsMs.p50, 0)} / ${fmt(r.commitOffsetsMs.p99, 0)} / ${fmt(r.commitOffsetsMs.max, 0)}`,
    fmt(r.deltaBatchCommitOffsetsMs, 0),
    fmt(r.snapshotBatchCommitTimeMs, 0),
    `${fmt(r.snapshotBatchCommitOffsetsMs.p50, 0)} / ${fmt(r.snapshotBatchCommitOffsetsMs.max, 0)}`,
    `${fmt(r.walCommitMs.p50, 0)} / ${fmt(r.walCommitMs.p99, 0)}`,
    `${fmt(r.triggerExecutionMs.p50, 0)} / ${fmt(r.triggerExecutionMs.p99, 0)}`,
    fmt(r.afterSnapshotTriggerExecutionMs, 0),
    kb(r.deltaBytesP50),
    kb(r.snapshotBytes),
    fmt(r.deltaToSnapshot, 3),
    fmt(r.recoveryMs, 0),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((row) => (row[i] as string).length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i] as number)).join(" | ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}
