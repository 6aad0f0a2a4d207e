import { exprToString, mapChildren, type Expr } from "../expressions/Expression";

/**
 * An expression as explain() prints it, Spark style: attributes with their ids
 * (`value#1`), aliases as `expr AS name#id`.
 */
export function exprString(e: Expr): string {
  if (e.kind === "alias") return `${exprString(e.child)} AS ${e.name}#${e.id ?? "?"}`;
  if (e.kind === "attr") return `${e.name}#${e.id}`;
  // Render children with ids by renaming attributes before the generic printer runs.
  const renamed = mapChildren(e, (c) => renameAttrs(c));
  return exprToString(renamed);
}

function renameAttrs(e: Expr): Expr {
  if (e.kind === "attr") return { ...e, name: `${e.name}#${e.id}` };
  return mapChildren(e, renameAttrs);
}
