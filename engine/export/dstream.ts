import { durationToMs } from "../util/durations";
import { jsFunctionToPythonLambda } from "./jsLambda";
import { pyComment, pyNumber, pyStr, pyValue } from "./python";
import { chainStatement, type ScriptBuilder } from "./script";

/**
 * DStream programs → pyspark.streaming code. The notebook export runs a cell with
 * recording stand-ins for SparkContext and StreamingContext (`recordingDStreamScope`):
 * every DStream method call is recorded with its arguments, nothing runs. The emitter
 * writes the same calls in Python (PySpark's DStream API has the same camelCase names
 * and argument order); JavaScript functions become Python lambdas for the simple shapes
 * (jsLambda.ts) and otherwise a clearly marked TODO function stub.
 */

/** A recorded DStream: where it came from. */
interface DNode {
  readonly id: number;
  /** Input: the StreamingContext method; else the DStream method applied to `parent`. */
  readonly method: string;
  readonly args: readonly unknown[];
  readonly parent: DNode | null;
  readonly ssc: RecordedStreamingContext;
}

/** A recorded `sc.parallelize(data, n)`. */
class RecordedRDD {
  constructor(
    readonly data: unknown[],
    readonly numSlices: number | undefined,
  ) {}
}

const OUTPUT_METHODS = new Set(["pprint", "foreachRDD", "saveAsTextFiles", "saveAsObjectFiles"]);

/** Durations by method: the argument positions that are DStream durations (seconds in PySpark). */
const DURATION_ARGS: Record<string, number[]> = {
  window: [0, 1],
  reduceByWindow: [2, 3],
  countByWindow: [0, 1],
  countByValueAndWindow: [0, 1],
  reduceByKeyAndWindow: [2, 3],
  groupByKeyAndWindow: [0, 1],
  checkpoint: [0],
};

/** Everything the DStream part of a notebook did. */
export class DStreamRecording {
  readonly contexts: RecordedStreamingContext[] = [];
  readonly sparkContexts: RecordedSparkContext[] = [];
  readonly nodes: DNode[] = [];
  readonly outputs: { node: DNode; method: string; args: readonly unknown[] }[] = [];
  readonly unsupported: string[] = [];
  get isEmpty(): boolean {
    return this.contexts.length === 0 && this.sparkContexts.length === 0;
  }
}

/** The recording SparkContext. */
export class RecordedSparkContext {
  constructor(
    readonly rec: DStreamRecording,
    readonly master: string,
    readonly appName: string,
  ) {
    rec.sparkContexts.push(this);
  }
  parallelize(data: Iterable<unknown>, numSlices?: number): RecordedRDD {
    return new RecordedRDD([...data], numSlices);
  }
  makeRDD(data: Iterable<unknown>, numSlices?: number): RecordedRDD {
    return this.parallelize(data, numSlices);
  }
  stop(): void {}
}

/** The recording StreamingContext. */
export class RecordedStreamingContext {
  checkpointDir: string | null = null;
  rememberSeconds: number | null = null;
  started = false;
  constructor(
    readonly rec: DStreamRecording,
    readonly sc: RecordedSparkContext,
    readonly batchSeconds: number,
  ) {
    rec.contexts.push(this);
  }
  private input(method: string, args: unknown[]): unknown {
    return dstreamProxy(this.node(method, args, null));
  }
  /** @internal */
  node(method: string, args: readonly unknown[], parent: DNode | null): DNode {
    const n: DNode = { id: this.rec.nodes.length + 1, method, args, parent, ssc: this };
    this.rec.nodes.push(n);
    return n;
  }
  socketTextStream(hostname: string, port: number): unknown {
    return this.input("socketTextStream", [hostname, port]);
  }
  textFileStream(directory: string): unknown {
    return this.input("textFileStream", [directory]);
  }
  queueStream(queue: unknown[], oneAtATime = true, defaultRDD?: unknown): unknown {
    return this.input("queueStream", defaultRDD === undefined ? (oneAtATime ? [queue] : [queue, false]) : [queue, oneAtATime, defaultRDD]);
  }
  receiverStream(): unknown {
    this.rec.unsupported.push("receiverStream (custom receivers need a Scala/Java receiver in Spark)");
    return this.input("receiverStream", []);
  }
  union(...streams: unknown[]): unknown {
    const flat = streams.flat();
    return this.input("union", flat);
  }
  transform(): unknown {
    this.rec.unsupported.push("StreamingContext.transform");
    return this.input("transform", []);
  }
  checkpoint(directory: string | null): void {
    this.checkpointDir = directory;
  }
  remember(duration: number | string): void {
    this.rememberSeconds = seconds(duration);
  }
  start(): void {
    this.started = true;
  }
  awaitTermination(): Promise<void> {
    return Promise.resolve();
  }
  awaitTerminationOrTimeout(): Promise<boolean> {
    return Promise.resolve(true);
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  addStreamingListener(): void {}
  removeStreamingListener(): void {}
  getState(): string {
    return this.started ? "ACTIVE" : "INITIALIZED";
  }
}

const NODE = Symbol("dstreamNode");

/** A stand-in DStream: any method call is recorded and returns the next stand-in. */
function dstreamProxy(node: DNode): unknown {
  return new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop === NODE) return node;
        if (typeof prop !== "string" || prop === "then" || prop === "toJSON") return undefined;
        if (prop === "context") return () => node.ssc;
        return (...args: unknown[]) => {
          const recorded = args.map((a) => (isDStream(a) ? (a as Record<symbol, DNode>)[NODE] : a));
          if (OUTPUT_METHODS.has(prop)) {
            node.ssc.rec.outputs.push({ node, method: prop, args: recorded });
            return undefined;
          }
          return dstreamProxy(node.ssc.node(prop, recorded, node));
        };
      },
    },
  );
}

function isDStream(a: unknown): boolean {
  return typeof a === "object" && a !== null && (a as Record<symbol, unknown>)[NODE] !== undefined;
}

function seconds(d: unknown): number {
  if (typeof d === "number") return d;
  return durationToMs(String(d)) / 1000;
}

/**
 * The scope entries that replace the engine's SparkContext and StreamingContext while a
 * notebook is exported.
 */
export function recordingDStreamScope(rec: DStreamRecording): Record<string, unknown> {
  class SparkContext extends RecordedSparkContext {
    constructor(master = "local[*]", appName = "StreamingPlayground") {
      super(rec, master, appName);
    }
  }
  class StreamingContext extends RecordedStreamingContext {
    constructor(sc: RecordedSparkContext, batchDuration: number | string) {
      super(rec, sc, seconds(batchDuration));
    }
    /** Spark's getOrCreate: the export always builds the graph with createFn (the checkpoint dir becomes ssc.checkpoint). */
    static async getOrCreate(checkpointPath: string, createFn: () => RecordedStreamingContext): Promise<RecordedStreamingContext> {
      const ssc = createFn();
      if (ssc.checkpointDir === null) ssc.checkpointDir = checkpointPath;
      return ssc;
    }
    static getActiveOrCreate(createFn: () => RecordedStreamingContext): RecordedStreamingContext {
      return rec.contexts.find((c) => c.started) ?? createFn();
    }
    static getActive(): RecordedStreamingContext | undefined {
      return rec.contexts.find((c) => c.started);
    }
  }
  return { SparkContext, StreamingContext };
}

/** Emits the recorded DStream program; returns the StreamingContext variables to await. */
export function emitDStreams(b: ScriptBuilder, rec: DStreamRecording): string[] {
  if (rec.isEmpty) return [];
  b.pysparkImports.add("from pyspark.streaming import StreamingContext");
  const scVars = new Map<RecordedSparkContext, string>();
  for (const sc of rec.sparkContexts) {
    const v = b.names.fresh(scVars.size === 0 ? "sc" : "sc");
    scVars.set(sc, v);
    if (b.usesSparkSession) b.preamble.push(`${v} = spark.sparkContext  # the playground's SparkContext(${JSON.stringify(sc.master)}, ${JSON.stringify(sc.appName)})`);
    else {
      b.pysparkImports.add("from pyspark import SparkContext");
      b.preamble.push(`${v} = SparkContext(${pyStr(sc.master)}, ${pyStr(sc.appName)})`);
    }
  }
  for (const u of rec.unsupported) b.note(`DStream: ${u} is not exported.`);
  const sscVars = new Map<RecordedStreamingContext, string>();
  for (const ssc of rec.contexts) {
    const v = b.names.fresh("ssc");
    sscVars.set(ssc, v);
    b.body.push(`${v} = StreamingContext(${scVars.get(ssc.sc) ?? "sc"}, ${pyNumber(ssc.batchSeconds)})`);
    if (ssc.checkpointDir !== null) b.body.push(`${v}.checkpoint(${b.checkpoint(ssc.checkpointDir)})`);
    if (ssc.rememberSeconds !== null) b.body.push(`${v}.remember(${pyNumber(ssc.rememberSeconds)})`);
  }
  // Streams used more than once (or inputs) get a variable; the rest are chained inline.
  const uses = new Map<DNode, number>();
  const count = (n: DNode | null) => n !== null && uses.set(n, (uses.get(n) ?? 0) + 1);
  for (const n of rec.nodes) {
    count(n.parent);
    for (const a of n.args) if (isNode(a)) count(a);
  }
  for (const o of rec.outputs) count(o.node);
  const vars = new Map<DNode, string>();
  const ctx: EmitCtx = { b, sscVars, scVars, vars, pre: [], todo: 0, expr: (n) => expr(n) };
  const expr = (n: DNode): string => {
    const known = vars.get(n);
    if (known !== undefined) return known;
    const code = n.parent === null ? `${sscVars.get(n.ssc)}.${n.method}(${argsToPy(n, ctx)})` : `${expr(n.parent)}.${n.method}(${argsToPy(n, ctx)})`;
    if (n.parent === null || (uses.get(n) ?? 0) > 1) {
      const v = b.names.fresh(n.parent === null ? (n.method === "socketTextStream" || n.method === "textFileStream" ? "lines" : "stream") : "stream");
      b.body.push(...ctx.pre.splice(0), `${v} = ${code}`);
      vars.set(n, v);
      return v;
    }
    return code;
  };
  for (const n of rec.nodes) if (n.parent === null) expr(n);
  for (const o of rec.outputs) {
    const head = expr(o.node);
    const args = o.args.map((a) => argToPy(a, o.method, -1, ctx)).join(", ");
    b.body.push(...ctx.pre.splice(0), ...chainStatement(null, { head, steps: [] }).map((l, i, all) => (i === all.length - 1 ? `${l}.${o.method}(${args})` : l)));
  }
  b.body.push("");
  for (const [ssc, v] of sscVars) if (ssc.started) b.body.push(`${v}.start()`);
  return [...sscVars].filter(([ssc]) => ssc.started).map(([, v]) => v);
}

interface EmitCtx {
  b: ScriptBuilder;
  sscVars: Map<RecordedStreamingContext, string>;
  scVars: Map<RecordedSparkContext, string>;
  vars: Map<DNode, string>;
  /** Statements (TODO function stubs) to put before the current one. */
  pre: string[];
  todo: number;
  expr: (n: DNode) => string;
}

function isNode(a: unknown): a is DNode {
  return typeof a === "object" && a !== null && "method" in a && "ssc" in a && "parent" in a;
}

function argsToPy(n: DNode, ctx: EmitCtx): string {
  const args = [...n.args];
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  if (n.method === "textFileStream") return ctx.b.pathArg("input", String(args[0]), `folder the DStream textFileStream watches (the playground's folder ${String(args[0])})`);
  return args.map((a, i) => argToPy(a, n.method, i, ctx)).join(", ");
}

function argToPy(a: unknown, method: string, index: number, ctx: EmitCtx): string {
  if (DURATION_ARGS[method]?.includes(index) && (typeof a === "number" || typeof a === "string")) return pyNumber(seconds(a));
  if (typeof a === "function") {
    const src = Function.prototype.toString.call(a);
    const lambda = jsFunctionToPythonLambda(src);
    if (lambda !== null) return lambda;
    const name = ctx.b.names.fresh(`todo_${method}_fn_${++ctx.todo}`);
    ctx.pre.push(
      `# TODO(export): translate this JavaScript function (passed to ${method}) to Python:`,
      ...pyComment(src).map((l) => `#  ${l.slice(1)}`),
      `def ${name}(*args):`,
      `    raise NotImplementedError(${pyStr(`translate the JavaScript function passed to ${method} (see the comment above)`)})`,
    );
    ctx.b.note(`a JavaScript function passed to ${method} could not be translated: see TODO(export) in the script.`);
    return name;
  }
  if (isNode(a)) {
    return ctx.expr(a);
  }
  if (a instanceof RecordedRDD) return `${ctx.scVars.values().next().value ?? "sc"}.parallelize(${pyValue(a.data)}${a.numSlices !== undefined ? `, ${a.numSlices}` : ""})`;
  if (Array.isArray(a)) return `[${a.map((x) => argToPy(x, method, -1, ctx)).join(", ")}]`;
  return pyValue(a);
}
