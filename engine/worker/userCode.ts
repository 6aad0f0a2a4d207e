import { parse, type Node, type Pattern } from "acorn";
import { transform } from "sucrase";
import type { WireError } from "./protocol";

/**
 * A cell's TypeScript turned into an async function of the names it may use
 * (`spark`, `F`, `console`…). Lines are kept: sucrase strips types without
 * moving code, so a line in a stack trace is a line in the cell.
 */
export interface CompiledCell {
  /**
   * Runs the cell. `scope` holds every name the cell may read; when the cell's
   * code finishes, the names it declared at its top level are passed to
   * `exportNames`, so later cells see them (as in a Jupyter notebook).
   */
  run(scope: Record<string, unknown>, exportNames?: (values: Record<string, unknown>) => void): Promise<unknown>;
  /** The names the cell declares at its top level (const, let, var, function, class). */
  readonly declaredNames: readonly string[];
}

/** The parameter through which a cell hands its top-level names back. */
const EXPORTS = "__cellExports";

/** Thrown by `compileCell` for code that does not parse; carries the cell's line and column. */
export class CellSyntaxError extends Error {
  override name = "SyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

// `new Function(a, b, body)` puts the body on line 3 of its source (after
// "function anonymous(a,b" and ") {"), and our async wrapper adds one more.
const WRAPPER_LINES = 3;

/**
 * Transpiles TypeScript to JavaScript and compiles it as the body of an async
 * function, so top-level `await` works. The scope's names become parameters.
 *
 * Throws `CellSyntaxError` (with line and column) when the code does not parse.
 *
 * @example
 *   const cell = compileCell("cell-1", "console.log(await Promise.resolve(1))", ["console"]);
 *   await cell.run({ console });
 */
export function compileCell(cellId: string, source: string, scopeNames: readonly string[]): CompiledCell {
  let js: string;
  try {
    js = transform(source, { transforms: ["typescript"], disableESTransforms: true }).code;
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    const message = e instanceof Error ? e.message.replace(/\s*\(\d+:\d+\)$/, "") : String(e);
    throw new CellSyntaxError(message, loc?.line ?? 1, loc?.column ?? 1);
  }
  const declaredNames = topLevelNames(js);
  // Appended after the code, on the last line, so line numbers stay the cell's.
  const exportCall = declaredNames.length > 0 ? `;${EXPORTS}({ ${declaredNames.join(", ")} });` : "";
  const params = [...scopeNames.filter((n) => n !== EXPORTS), EXPORTS];
  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    // The worker is the only place user code runs; the page's CSP keeps eval off the page itself.
    // The code runs in a nested arrow function, so its declarations may shadow the scope's names.
    fn = new Function(
      ...params,
      `return (async () => {\n${js}\n${exportCall}})();\n//# sourceURL=${sourceUrl(cellId)}`,
    ) as (...args: unknown[]) => Promise<unknown>;
  } catch (e) {
    // sucrase accepted it but V8 did not (rare: e.g. a reserved word); V8 gives no position here.
    throw new CellSyntaxError(e instanceof Error ? e.message : String(e), 1, 1);
  }
  return {
    declaredNames,
    run: (scope, exportNames) => {
      const args = params.map((name) => (name === EXPORTS ? (exportNames ?? (() => undefined)) : scope[name]));
      return fn(...args);
    },
  };
}

/**
 * The names declared at the top level of a script: const/let/var (with
 * destructuring), functions and classes. Parses the transpiled JavaScript with
 * acorn; code that acorn cannot parse declares nothing (V8 reports the error).
 */
export function topLevelNames(js: string): string[] {
  let program: Node & { body?: Node[] };
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true });
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const node of program.body ?? []) {
    const n = node as Node & { declarations?: Array<{ id: Pattern }>; id?: { name: string } | null };
    if (n.type === "VariableDeclaration") for (const d of n.declarations ?? []) collectPattern(d.id, names);
    else if ((n.type === "FunctionDeclaration" || n.type === "ClassDeclaration") && n.id) names.add(n.id.name);
  }
  return [...names];
}

function collectPattern(p: Pattern, into: Set<string>): void {
  switch (p.type) {
    case "Identifier":
      into.add(p.name);
      break;
    case "ObjectPattern":
      for (const prop of p.properties) collectPattern(prop.type === "RestElement" ? prop.argument : prop.value, into);
      break;
    case "ArrayPattern":
      for (const el of p.elements) if (el) collectPattern(el, into);
      break;
    case "RestElement":
      collectPattern(p.argument, into);
      break;
    case "AssignmentPattern":
      collectPattern(p.left, into);
      break;
    default:
      break;
  }
}

function sourceUrl(cellId: string): string {
  return `cell-${cellId.replace(/[^\w-]/g, "_")}.ts`;
}

/**
 * Turns anything thrown by a cell (or by the engine on its behalf) into a
 * `WireError`, with the innermost line and column of the cell's own code found
 * in the stack.
 */
export function toWireError(error: unknown, cellId?: string): WireError {
  if (error instanceof CellSyntaxError) {
    return { name: error.name, message: error.message, line: error.line, column: error.column };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const wire: WireError = { name: e.name, message: e.message };
  if (e.stack) wire.stack = e.stack;
  const errorClass = (e as { errorClass?: unknown }).errorClass;
  if (typeof errorClass === "string") wire.errorClass = errorClass;
  if (cellId !== undefined && e.stack) {
    const where = locateInCell(e.stack, cellId);
    if (where) {
      wire.line = where.line;
      wire.column = where.column;
    }
  }
  return wire;
}

/** The first stack frame in the cell's code, as a 1-based line and column of the cell. */
export function locateInCell(stack: string, cellId: string): { line: number; column: number } | null {
  const url = sourceUrl(cellId).replace(/[.]/g, "\\.");
  const match = new RegExp(`${url}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return null;
  const line = Number(match[1]) - WRAPPER_LINES;
  if (line < 1) return null;
  return { line, column: Number(match[2]) };
}
