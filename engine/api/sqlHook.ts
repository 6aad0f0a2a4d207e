import { UnsupportedOperationException } from "../util/errors";
import type { Column } from "./Column";
import type { DataFrame } from "./DataFrame";
import type { SparkSession } from "./SparkSession";
import type { Functions } from "./functions";

/**
 * The SQL frontend (a parser in engine/sql/) plugs in here, so that the core
 * engine does not depend on it. `F.expr`, `df.selectExpr`, `df.filter("…")` and
 * `spark.sql` call the registered frontend.
 */
export interface SqlFrontend {
  /** Parses a SQL expression ("value * 2 AS v", "count(*)") into a Column built with `F`. */
  sqlToColumn(text: string, F: Functions): Column;
  /** Parses and plans a SQL query over the session's tables/views. */
  sqlToDataFrame(text: string, spark: SparkSession): DataFrame;
}

let frontend: SqlFrontend | null = null;

/**
 * Registers the SQL frontend (once, at start-up; a later call replaces it).
 * @example registerSqlFrontend({ sqlToColumn, sqlToDataFrame })
 */
export function registerSqlFrontend(fe: SqlFrontend | null): void {
  frontend = fe;
}

/**
 * The registered SQL frontend. Throws UnsupportedOperationException
 * ("SQL frontend not loaded: …") when none is registered.
 */
export function sqlFrontend(what: string): SqlFrontend {
  if (frontend === null) {
    throw new UnsupportedOperationException(
      `SQL frontend not loaded: ${what} needs the SQL parser (engine/sql), which is not registered (registerSqlFrontend).`,
      "SQL_FRONTEND_NOT_LOADED",
    );
  }
  return frontend;
}
