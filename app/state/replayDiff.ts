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
  // Rows with the same key (no key known, or equal keys) are matched in order, never merged.
  const waiting = new Map<string, WireValue[][]>();
  for (const r of left) {
    const list = waiting.get(keyOf(r));
    if (list === undefined) waiting.set(keyOf(r), [r]);
    else list.push(r);
  }
  const matched: DiffRow[] = [];
  for (const r of right) {
    const k = keyOf(r);
    const l = waiting.get(k)?.shift();
    if (l === undefined) matched.push({ key: k, kind: "only-right", left: null, right: r });
    else matched.push({ key: k, kind: JSON.stringify(l) === JSON.stringify(r) ? "same" : "changed", left: l, right: r });
  }
  for (const [k, list] of waiting) for (const l of list) matched.push({ key: k, kind: "only-left", left: l, right: null });
  const rows = matched.sort((a, b) => compareKeys(a.key, b.key));
  const counts: Record<DiffKind, number> = { same: 0, changed: 0, "only-left": 0, "only-right": 0 };
  for (const r of rows) counts[r.kind]++;
  return { rows, counts, keyColumns: keyIdx.map((i) => schema[i]!.name) };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
