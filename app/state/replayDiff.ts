import type { WireField, WireValue } from "../../engine/worker/protocol";

export type DiffKind = "same" | "changed" | "only-left" | "only-right";

/** One row of the side-by-side comparison: the same key on both sides, or on one only. */
export interface DiffRow {
  key: string;
  kind: DiffKind;
  left: WireValue[] | null;
  right: WireValue[] | null;
}

export interface ReplayDiff {
  rows: DiffRow[];
  counts: Record<DiffKind, number>;
  /** The columns that identify a row. */
  keyColumns: string[];
}

const MEASURE = /^(long|int|integer|short|byte|double|float|decimal.*|bigint)$/;

/**
 * Lines up two results of the same query (two watermark delays) by row key — the
 * aggregation's grouping columns when known, else the non-numeric columns — and tells
 * which rows are on one side only and which changed. Rows sort by key (a window first,
 * so by time). Pure.
 */
export function diffResults(schema: readonly WireField[], keyColumns: readonly string[] | null, left: readonly WireValue[][], right: readonly WireValue[][]): ReplayDiff {
  const known = keyColumns?.map((k) => schema.findIndex((f) => f.name === k)) ?? [];
  const keyIdx = known.length > 0 && known.every((i) => i >= 0) ? known : schema.map((f, i) => (MEASURE.test(f.type) ? -1 : i)).filter((i) => i >= 0);
  const keyOf = (row: readonly WireValue[]) => (keyIdx.length === 0 ? JSON.stringify(row) : JSON.stringify(keyIdx.map((i) => row[i] ?? null)));
  const byKey = new Map<string, DiffRow>();
  for (const r of left) byKey.set(keyOf(r), { key: keyOf(r), kind: "only-left", left: r, right: null });
  for (const r of right) {
    const k = keyOf(r);
    const d = byKey.get(k);
    if (d === undefined) byKey.set(k, { key: k, kind: "only-right", left: null, right: r });
    else {
      d.right = r;
      d.kind = JSON.stringify(d.left) === JSON.stringify(r) ? "same" : "changed";
    }
  }
  const rows = [...byKey.values()].sort((a, b) => compareKeys(a.key, b.key));
  const counts: Record<DiffKind, number> = { same: 0, changed: 0, "only-left": 0, "only-right": 0 };
  for (const r of rows) counts[r.kind]++;
  return { rows, counts, keyColumns: keyIdx.map((i) => schema[i]!.name) };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
