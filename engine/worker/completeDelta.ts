import type { WireValue } from "./protocol";

/**
 * Complete mode's table against the one the page already has, position by position:
 * the rows whose content changed (and new rows at the end), with their positions.
 * Null when there is nothing to compare with yet, or when most rows changed anyway
 * (the whole table is then sent). Remembers the new table.
 */
export function completeDelta(tables: Map<string, string[]>, queryId: string, rows: readonly WireValue[][]): { rows: WireValue[][]; positions: number[] } | null {
  const texts = rows.map((r) => JSON.stringify(r));
  const previous = tables.get(queryId);
  tables.set(queryId, texts);
  if (previous === undefined) return null;
  const positions: number[] = [];
  for (let i = 0; i < texts.length; i++) if (previous[i] !== texts[i]) positions.push(i);
  if (positions.length > rows.length / 2) return null;
  return { rows: positions.map((i) => rows[i]!), positions };
}
