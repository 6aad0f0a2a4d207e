import type { PhysicalOperator, StatefulOperator } from "../../execution/PhysicalOperator";
import { exprToString, type Expr } from "../../expressions/Expression";
import { dataTypeOf, nullableOf } from "../../expressions/typeOf";
import type { DataType, StructField } from "../../expressions/types";
import type { StatefulOperatorInfo } from "../CheckpointStore";

/**
 * What the checkpoint records of a stateful operator: its id and Spark name, and its state
 * key and value schemas. A streaming aggregation's key is its grouping expressions, its value
 * its aggregate expressions (so a changed `groupBy` or `agg(...)` is an incompatible restart);
 * operators without those fields record empty schemas (their name is still checked).
 */
export function statefulOperatorInfo(op: PhysicalOperator & StatefulOperator): StatefulOperatorInfo {
  const o = op as unknown as { groupingExpressions?: readonly Expr[]; aggregateExpressions?: readonly Expr[] };
  const fields = (exprs: readonly Expr[] | undefined): StructField[] =>
    (exprs ?? []).map((e) => ({ name: fieldName(e), dataType: typeOrNull(e), nullable: nullableOf(e) }));
  return {
    operatorId: op.operatorId,
    operatorName: op.operatorName,
    keySchema: fields(o.groupingExpressions),
    valueSchema: fields(o.aggregateExpressions),
  };
}

/** The expression's type; "null" for one the typer does not know (it is then compared as such). */
function typeOrNull(e: Expr): DataType {
  try {
    return dataTypeOf(e);
  } catch {
    return "null";
  }
}

function fieldName(e: Expr): string {
  if (e.kind === "alias") return e.name;
  if (e.kind === "attr") return e.name;
  return exprToString(e);
}
