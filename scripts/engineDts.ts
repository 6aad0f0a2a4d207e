import ts from "typescript";
import path from "node:path";

/** The module name cells' typings import the engine under, in the editor's virtual file system. */
export const ENGINE_MODULE = "@playground/engine";

/**
 * Emits the declaration files of the engine's public entry (`engine/index.ts`
 * and everything it reaches), in memory, keyed by their path relative to
 * `engine/` (e.g. `api/DataFrame.d.ts`). The editor loads them as extra libs
 * so completion, hover docs and errors follow the engine's real types and
 * never drift from them.
 *
 * Throws if the engine does not type-check well enough to emit declarations.
 */
export function emitEngineDeclarations(projectRoot: string): Map<string, string> {
  const engineDir = path.join(projectRoot, "engine");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    strict: true,
    declaration: true,
    emitDeclarationOnly: true,
    skipLibCheck: true,
    stripInternal: true,
    rootDir: engineDir,
    outDir: "/virtual-dts",
    types: [],
  };
  const program = ts.createProgram([path.join(engineDir, "index.ts")], options);
  const out = new Map<string, string>();
  const result = program.emit(undefined, (fileName, text) => {
    const rel = path.relative("/virtual-dts", fileName).split(path.sep).join("/");
    if (!rel.startsWith("..")) out.set(rel, text);
  });
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0 || !out.has("index.d.ts")) {
    const text = ts.formatDiagnostics(errors, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => projectRoot,
      getNewLine: () => "\n",
    });
    throw new Error(`Could not emit the engine's declarations:\n${text}`);
  }
  // Worker-only and Node-only modules are not part of what a cell sees.
  for (const key of [...out.keys()]) if (key.startsWith("worker/") || key.endsWith(".test.d.ts")) out.delete(key);
  return out;
}
