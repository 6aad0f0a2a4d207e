/**
 * The SQL layer as one object, bound to a functions module: the shape the
 * engine's `registerSqlFrontend` (engine/api/sqlHook.ts) takes, whose
 * `sqlToDataFrame(text, spark)` has no `F` argument.
 */
import type { SqlColumn, SqlDataFrame, SqlFunctions, SqlSession } from "./frontend";
import { sqlToColumn } from "./toColumn";
import { sqlToDataFrame } from "./toDataFrame";

/** `sqlToColumn` and `sqlToDataFrame` with `F` bound; see those for contracts and errors. */
export interface BoundSqlFrontend<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>> {
  sqlToColumn(text: string, F: SqlFunctions<C>): C;
  sqlToDataFrame(text: string, spark: SqlSession<D>): D;
}

/**
 * Binds the SQL layer to the engine's functions module.
 *
 * Contract: `sqlToColumn` uses the `F` it is given; `sqlToDataFrame` uses the bound `F`.
 * Never fails itself; the returned functions fail as sqlToColumn / sqlToDataFrame do.
 * Example: `registerSqlFrontend(createSqlFrontend<Column, DataFrame>(F))`
 */
export function createSqlFrontend<C extends SqlColumn<C>, D extends SqlDataFrame<C, D>>(F: SqlFunctions<C>): BoundSqlFrontend<C, D> {
  return {
    sqlToColumn: (text, f) => sqlToColumn(text, f),
    sqlToDataFrame: (text, spark) => sqlToDataFrame(text, spark, F),
  };
}
