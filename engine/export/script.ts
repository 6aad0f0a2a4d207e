import { NameAllocator, pyComment, pyIdent, pyStr } from "./python";

/** One `argparse` option of the exported script. */
interface ScriptArg {
  readonly flag: string;
  readonly dest: string;
  readonly defaultValue: string;
  readonly help: string;
}

/** A method chain: `head` then `.step(...)` lines. */
export interface Chain {
  readonly head: string;
  readonly steps: readonly string[];
  /** Attribute id → the DataFrame variable that must qualify it (`left["id"]`) after a join. */
  readonly qualifiers?: ReadonlyMap<number, string>;
}

/** `name = (head .steps…)` or `name = head`, as lines. */
export function chainStatement(target: string | null, c: Chain): string[] {
  const lhs = target === null ? "" : `${target} = `;
  if (c.steps.length === 0) return [`${lhs}${c.head}`];
  const body = [c.head, ...c.steps].flatMap((s) => s.split("\n")).map((l) => `    ${l}`);
  return [`${lhs}(`, ...body, ")"];
}

/** `.name(arg, …)`, one argument per line when long. */
export function step(name: string, args: readonly string[] = []): string {
  const one = `.${name}(${args.join(", ")})`;
  if (one.length <= 100 || args.length < 2) return one;
  return `.${name}(\n${args.map((a) => `    ${a},`).join("\n")}\n)`;
}

/**
 * Collects an exported script: imports, command-line arguments (the playground's
 * virtual folders and checkpoint root become paths given to the script), the
 * session, body statements and notes; `render()` writes the Python text.
 */
export class ScriptBuilder {
  readonly names = new NameAllocator();
  readonly body: string[] = [];
  private readonly imports = new Set<string>();
  private readonly argList: ScriptArg[] = [];
  private readonly argByKey = new Map<string, string>();
  private readonly notes: string[] = [];
  /** Statements after every query started (awaitTermination…). */
  readonly footer: string[] = [];
  usesSparkSession = false;
  appName = "StreamingPlayground";
  confs: [string, string][] = [];
  /** Lines that build the DStream SparkContext/StreamingContext (set by the DStream export). */
  readonly preamble: string[] = [];
  readonly pysparkImports = new Set<string>();

  constructor(readonly title: string) {}

  /** Adds `import name` (os, datetime…). */
  addImport(name: string): void {
    this.imports.add(name);
  }

  /** A note printed in the script's header (what was approximated or not exported). */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /**
   * A command-line argument for a playground path (a virtual-file-system folder):
   * returns the Python expression of its value (`args.input_dir`). The default is the
   * playground path itself, so the script runs from a directory that mirrors it.
   */
  pathArg(kind: string, virtualPath: string, help: string): string {
    const key = `${kind}\u0000${virtualPath}`;
    const known = this.argByKey.get(key);
    if (known !== undefined) return known;
    const dest = this.names.fresh(`${kind}_${virtualPath}`);
    this.argList.push({ flag: `--${dest.replace(/_/g, "-")}`, dest, defaultValue: virtualPath, help });
    const expr = `args.${dest}`;
    this.argByKey.set(key, expr);
    return expr;
  }

  /** The checkpoint location of a query: `os.path.join(args.checkpoint_root, "<location>")`. */
  checkpoint(location: string): string {
    this.addImport("os");
    const key = "\u0000checkpoint-root";
    if (!this.argByKey.has(key)) {
      this.names.fresh("checkpoint_root");
      this.argList.push({
        flag: "--checkpoint-root",
        dest: "checkpoint_root",
        defaultValue: "checkpoints",
        help: "directory (local, HDFS, S3…) under which each query keeps its checkpoint",
      });
      this.argByKey.set(key, "args.checkpoint_root");
    }
    return `os.path.join(args.checkpoint_root, ${pyStr(location)})`;
  }

  /** The Python text. */
  render(): string {
    const out: string[] = ["#!/usr/bin/env python3"];
    out.push(...pyComment(this.title));
    out.push("#", "# Exported from Streaming Playground. Run it on Spark with:", "#   spark-submit <this file>.py [--help for the paths it takes]");
    if (this.notes.length > 0) {
      out.push("#", "# Notes on the export:");
      for (const n of this.notes) out.push(...pyComment(`- ${n}`));
    }
    out.push("");
    const std = ["argparse", ...[...this.imports].sort()];
    for (const m of std) out.push(`import ${m}`);
    out.push("");
    if (this.usesSparkSession) {
      out.push("from pyspark.sql import SparkSession", "from pyspark.sql import functions as F");
    }
    for (const i of [...this.pysparkImports].sort()) out.push(i);
    out.push("");
    out.push(`parser = argparse.ArgumentParser(description=${pyStr(this.title)})`);
    for (const a of this.argList) {
      out.push(`parser.add_argument(${pyStr(a.flag)}, dest=${pyStr(a.dest)}, default=${pyStr(a.defaultValue)}, help=${pyStr(a.help)})`);
    }
    out.push("args = parser.parse_args()", "");
    if (this.usesSparkSession) {
      const steps = [".appName(" + pyStr(this.appName) + ")", ...this.confs.map(([k, v]) => `.config(${pyStr(k)}, ${pyStr(v)})`), ".getOrCreate()"];
      out.push(...chainStatement("spark", { head: "SparkSession.builder", steps }), "");
    }
    if (this.preamble.length > 0) out.push(...this.preamble, "");
    out.push(...this.body);
    if (this.footer.length > 0) {
      if (out[out.length - 1] !== "") out.push("");
      out.push(...this.footer);
    }
    while (out[out.length - 1] === "") out.pop();
    return out.join("\n") + "\n";
  }
}

/** A Python identifier for a variable named after `hint`. */
export function varName(b: ScriptBuilder, hint: string): string {
  return b.names.fresh(pyIdent(hint, "df"));
}
