import type { Expr } from "../expressions/Expression";
import * as analyzer from "../plan/analyzer";
import type { Column } from "./Column";
import { DataFrame } from "./DataFrame";
import { F } from "./functions";

/**
 * The result of `df.groupBy(...)`: aggregate with `agg(...)` or a shortcut.
 * Output columns: the grouping columns, then the aggregates.
 *
 * @example df.groupBy("key").agg(F.count("*").as("n"), F.avg("value"))
 */
export class GroupedData {
  /** @internal use df.groupBy. */
  constructor(
    private readonly df: DataFrame,
    private readonly groupings: readonly Expr[],
  ) {}

  /** Aggregates; non-aggregate columns must be grouping columns (AnalysisException otherwise). */
  agg(...cols: Column[]): DataFrame {
    return new DataFrame(this.df.sparkSession, analyzer.aggregate(this.df.plan, this.groupings, cols.map((c) => c.expr)));
  }

  /** Row count per group, in column `count`. */
  count(): DataFrame {
    return this.agg(F.count("*").as("count"));
  }

  /** sum(col) per named column. */
  sum(...cols: string[]): DataFrame {
    return this.agg(...cols.map((c) => F.sum(c)));
  }

  /** avg(col) per named column. */
  avg(...cols: string[]): DataFrame {
    return this.agg(...cols.map((c) => F.avg(c)));
  }

  /** Same as `avg`. */
  mean(...cols: string[]): DataFrame {
    return this.avg(...cols);
  }

  /** min(col) per named column. */
  min(...cols: string[]): DataFrame {
    return this.agg(...cols.map((c) => F.min(c)));
  }

  /** max(col) per named column. */
  max(...cols: string[]): DataFrame {
    return this.agg(...cols.map((c) => F.max(c)));
  }
}
