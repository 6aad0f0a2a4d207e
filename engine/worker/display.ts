import { AnalysisException, type DataFrame, type StreamingQuery } from "../index";
import type { CellEvent, WireField } from "./protocol";
import { toWireRows } from "./wire";

/** How many rows `display` shows of a static DataFrame, as Databricks' display does. */
export const DISPLAY_STATIC_ROWS = 1000;

let displayCount = 0;

/**
 * Databricks' `display(df)`, for the notebook: a streaming DataFrame starts a
 * memory-sink query (complete mode when the plan aggregates, append
 * otherwise, as Spark accepts) whose batches the cell shows as a live table
 * and, for windowed aggregations, a chart; a static DataFrame is collected
 * (its first 1000 rows) and shown as a table.
 *
 * Resolves to the started query, or undefined for a static DataFrame.
 * Rejects with the engine's error when the query cannot start.
 */
export async function display(
  df: DataFrame,
  emit: (event: CellEvent) => void,
  markDisplay: (start: () => StreamingQuery) => StreamingQuery,
): Promise<StreamingQuery | undefined> {
  const name = `display_query_${++displayCount}`;
  if (df.isStreaming) {
    const start = (mode: "complete" | "append") => () => df.writeStream.format("memory").queryName(name).outputMode(mode).start();
    try {
      return markDisplay(start("complete"));
    } catch (e) {
      // Complete mode needs an aggregation (Spark's rule); anything else is shown as it arrives.
      if (!(e instanceof AnalysisException)) throw e;
      return markDisplay(start("append"));
    }
  }
  const rows = (await df.take(DISPLAY_STATIC_ROWS)) as Record<string, unknown>[];
  const nullable = new Map(df.schema.fields.map((f) => [f.name, f.nullable]));
  const schema: WireField[] = df.dtypes.map(([field, type]) => ({ name: field, type, nullable: nullable.get(field) ?? true }));
  emit({ kind: "table", tableId: name, schema, rows: toWireRows(schema, rows) });
  return undefined;
}
