import { describe, expect, it } from "vitest";
import type { CellEvent, WireColumn, WireField } from "../../engine/worker/protocol";
import { rowsToWireColumns } from "../../engine/worker/wire";
import { emptyOutput, LIMITS, reduceCellOutput, type CellOutput } from "./cellOutput";

/** Numeric rows as the worker sends them: one transferable Float64Array per column. */
function f64Columns(rows: number[][]): WireColumn[] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, c) => ({ kind: "f64" as const, values: Float64Array.from(rows.map((r) => r[c]!)), nulls: null }));
}

const schema: WireField[] = [
  { name: "word", type: "string", nullable: true },
  { name: "count", type: "long", nullable: false },
];

function batch(batchId: number, outputMode: string, rows: (string | number)[][]): CellEvent {
  return { kind: "batch", queryId: "q", name: "counts", batchId, outputMode, sink: "memory", schema, columns: rowsToWireColumns(schema.length, rows), numRows: rows.length, omittedRows: 0, wireBytes: 100 };
}

function run(...events: CellEvent[]): CellOutput {
  const started = reduceCellOutput(emptyOutput, { kind: "runStarted" });
  return reduceCellOutput(started, { kind: "events", events: [{ kind: "queryStarted", queryId: "q", runId: "r", name: "counts", display: false, manualTrigger: false, checkpointLocation: null, keyColumns: null, watermark: null }, ...events] });
}

describe("reduceCellOutput", () => {
  it("complete mode rebuilds the table from the rows that changed, even after the outputs were cleared", () => {
    const delta = (batchId: number, rows: (string | number)[][], positions: number[], tableRows: number): CellEvent => ({
      ...(batch(batchId, "complete", rows) as Extract<CellEvent, { kind: "batch" }>),
      delta: { positions, tableRows },
    });
    let out = run(batch(0, "complete", [["a", 1], ["b", 1]]), delta(1, [["b", 2], ["c", 1]], [1, 2], 3));
    expect(out.queries[0]!.rows).toEqual([["a", 1], ["b", 2], ["c", 1]]);
    expect([...out.queries[0]!.changed]).toEqual([1, 2]);
    out = reduceCellOutput(out, { kind: "cleared" });
    out = reduceCellOutput(out, { kind: "events", events: [delta(2, [["a", 5]], [0], 3)] });
    expect(out.queries[0]!.rows).toEqual([["a", 5], ["b", 2], ["c", 1]]);
  });

  it("append mode adds rows and marks the new ones", () => {
    const out = run(batch(0, "append", [["a", 1]]), batch(1, "append", [["b", 1], ["c", 2]]));
    const q = out.queries[0]!;
    expect(q.rows).toEqual([["a", 1], ["b", 1], ["c", 2]]);
    expect([...q.changed]).toEqual([1, 2]);
    expect(q.totalRows).toBe(3);
    expect(out.status).toEqual({ kind: "running", batchId: 1 });
  });

  it("complete mode replaces the table", () => {
    const out = run(batch(0, "complete", [["a", 1]]), batch(1, "complete", [["a", 2], ["b", 1]]));
    expect(out.queries[0]!.rows).toEqual([["a", 2], ["b", 1]]);
  });

  it("update mode changes rows in place by key", () => {
    const out = run(batch(0, "update", [["a", 1], ["b", 1]]), batch(1, "update", [["a", 3]]));
    const q = out.queries[0]!;
    expect(q.rows).toEqual([["a", 3], ["b", 1]]);
    expect([...q.changed]).toEqual([0]);
  });

  it("append mode keeps only the last rows but counts them all", () => {
    const many = Array.from({ length: LIMITS.maxRows + 5 }, (_, i) => ["w", i]);
    const q = run(batch(0, "append", many)).queries[0]!;
    expect(q.rows.length).toBe(LIMITS.maxRows);
    expect(q.rows[0]).toEqual(["w", 5]);
    expect(q.totalRows).toBe(LIMITS.maxRows + 5);
  });

  it("update mode keys rows by the grouping columns the engine reports, numeric ones too", () => {
    const numeric: WireField[] = [
      { name: "bucket", type: "long", nullable: true },
      { name: "n", type: "long", nullable: false },
    ];
    const b = (batchId: number, rows: number[][]): CellEvent => ({ kind: "batch", queryId: "k", name: "k", batchId, outputMode: "update", sink: "memory", schema: numeric, columns: f64Columns(rows), numRows: rows.length, omittedRows: 0, wireBytes: 100 });
    let out = reduceCellOutput(emptyOutput, { kind: "runStarted" });
    out = reduceCellOutput(out, {
      kind: "events",
      events: [{ kind: "queryStarted", queryId: "k", runId: "r", name: "k", display: false, manualTrigger: false, checkpointLocation: null, keyColumns: ["bucket"], watermark: null }, b(0, [[1, 1], [2, 1]]), b(1, [[1, 5]])],
    });
    expect(out.queries[0]!.rows).toEqual([[1, 5], [2, 1]]);
    expect([...out.queries[0]!.batchWireBytes]).toEqual([[0, 100], [1, 100]]);
  });

  it("counts the rows the worker did not send", () => {
    const out = run({ ...batch(0, "append", [["a", 1]]), omittedRows: 9 } as CellEvent);
    expect(out.queries[0]!.totalRows).toBe(10);
    expect(out.queries[0]!.rows).toEqual([["a", 1]]);
  });

  it("a failed run keeps its error and status", () => {
    const out = reduceCellOutput(emptyOutput, { kind: "runFinished", error: { name: "TypeError", message: "x", line: 2 }, activeQueries: 0 });
    expect(out.status.kind).toBe("failed");
    expect(out.error?.line).toBe(2);
  });

  it("a query that terminates with an error fails the cell", () => {
    const out = run({ kind: "queryTerminated", queryId: "q", error: { name: "StreamingQueryException", message: "boom" } });
    expect(out.status.kind).toBe("failed");
    expect(out.queries[0]!.active).toBe(false);
  });

  it("stdout accumulates", () => {
    const out = run({ kind: "stdout", text: "a\n" }, { kind: "stdout", text: "b\n" });
    expect(out.stdout).toBe("a\nb\n");
  });
});
