import { pyIdent, pyNumber, pyStr } from "./python";

/**
 * Translates the simple JavaScript functions DStream programs pass to flatMap, map,
 * filter, reduceByKey… into Python lambdas: `l => l.split(" ")` → `lambda l: l.split(" ")`,
 * `w => [w, 1]` → `lambda w: (w, 1)`, `(a, b) => a + b` → `lambda a, b: a + b`.
 *
 * The accepted shapes: an arrow function (or `function` with a single `return`) whose
 * body uses its parameters, number/string/boolean/null literals, arrays (→ tuples),
 * + - * / % comparisons && || ! ?:, indexing, `.length`, and the string methods split
 * (with a string), toLowerCase, toUpperCase, trim, startsWith, endsWith, includes.
 * Returns null for anything else: the caller emits a TODO stub instead, never a guess.
 */
export function jsFunctionToPythonLambda(source: string): string | null {
  try {
    const toks = tokenize(source);
    const p = new Parser(toks);
    const out = p.func();
    return out;
  } catch {
    return null;
  }
}

type Tok = { t: "id" | "num" | "str" | "punct"; v: string };

const PUNCT = ["===", "!==", "=>", "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", "{", "}", ",", ".", "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", ";"];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_$]/.test(src[j] as string)) j++;
      out.push({ t: "id", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:\d+\.?\d*(?:e[+-]?\d+)?)/i.exec(src.slice(i));
      if (!m) throw new Error("number");
      out.push({ t: "num", v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") {
          const e = src[j + 1];
          const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
          if (e !== undefined && e in map) {
            s += map[e];
            j += 2;
          } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(src.slice(j + 2, j + 6))) {
            s += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
          } else throw new Error("escape");
        } else {
          if (src[j] === "\n") throw new Error("newline in string");
          s += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new Error("unterminated");
      out.push({ t: "str", v: s });
      i = j + 1;
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (p === undefined) throw new Error(`unexpected ${c}`);
    out.push({ t: "punct", v: p });
    i += p.length;
  }
  return out;
}

const STRING_METHODS: Record<string, { py: string; args: number }> = {
  toLowerCase: { py: "lower", args: 0 },
  toUpperCase: { py: "upper", args: 0 },
  trim: { py: "strip", args: 0 },
  startsWith: { py: "startswith", args: 1 },
  endsWith: { py: "endswith", args: 1 },
};

class Parser {
  private i = 0;
  private readonly names = new Map<string, string>();

  constructor(private readonly toks: Tok[]) {}

  private peek(v?: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && (v === undefined || (t.t === "punct" || t.t === "id" ? t.v === v : false));
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Error("end");
    return t;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v || t.t === "str") throw new Error(`expected ${v}`);
  }

  func(): string {
    let params: string[];
    let destructured: { name: string; parts: string[] } | null = null;
    if (this.peek("function")) {
      this.next();
      if (this.toks[this.i]?.t === "id") this.next();
      params = this.paramList();
    } else if (this.peek("(")) {
      params = this.paramList((d) => (destructured = d));
    } else {
      const t = this.next();
      if (t.t !== "id") throw new Error("param");
      params = [t.v];
    }
    const pyParams = params.map((p) => this.bind(p));
    const d = destructured as { name: string; parts: string[] } | null;
    if (d !== null) {
      const holder = this.fresh("kv");
      pyParams.splice(pyParams.indexOf(d.name), 1, holder);
      d.parts.forEach((part, k) => this.names.set(part, `${holder}[${k}]`));
    }
    if (this.peek("=>")) this.next();
    let body: string;
    if (this.peek("{")) {
      this.next();
      this.expect("return");
      body = this.expr();
      if (this.peek(";")) this.next();
      this.expect("}");
    } else body = this.expr();
    if (this.i !== this.toks.length) throw new Error("trailing");
    return `lambda${pyParams.length > 0 ? " " + pyParams.join(", ") : ""}: ${strip(body)}`;
  }

  private fresh(base: string): string {
    let n = base;
    const used = new Set(this.names.values());
    for (let k = 2; used.has(n); k++) n = `${base}${k}`;
    return n;
  }

  private bind(p: string): string {
    if (p.startsWith("\u0000")) return p;
    const py = pyIdent(p, "x");
    this.names.set(p, py);
    return py;
  }

  private paramList(onDestructure?: (d: { name: string; parts: string[] }) => void): string[] {
    this.expect("(");
    const out: string[] = [];
    while (!this.peek(")")) {
      if (this.peek("[") && onDestructure && out.length === 0) {
        this.next();
        const parts: string[] = [];
        while (!this.peek("]")) {
          const t = this.next();
          if (t.t !== "id") throw new Error("pattern");
          parts.push(t.v);
          if (this.peek(",")) this.next();
        }
        this.next();
        const name = "\u0000destructured";
        onDestructure({ name, parts });
        out.push(name);
      } else {
        const t = this.next();
        if (t.t !== "id") throw new Error("param");
        out.push(t.v);
      }
      if (this.peek(",")) this.next();
      else if (!this.peek(")")) throw new Error("params");
    }
    this.next();
    return out;
  }

  private expr(): string {
    const c = this.or();
    if (this.peek("?")) {
      this.next();
      const a = this.expr();
      this.expect(":");
      const b = this.expr();
      return `(${strip(a)} if ${strip(c)} else ${strip(b)})`;
    }
    return c;
  }
  private binLevel(ops: Record<string, string>, sub: () => string): string {
    let left = sub();
    for (;;) {
      const t = this.toks[this.i];
      if (t === undefined || t.t !== "punct" || !(t.v in ops)) return left;
      this.next();
      const right = sub();
      left = `(${left} ${ops[t.v]} ${right})`;
    }
  }
  private or(): string {
    return this.binLevel({ "||": "or" }, () => this.and());
  }
  private and(): string {
    return this.binLevel({ "&&": "and" }, () => this.eq());
  }
  private eq(): string {
    return this.binLevel({ "===": "==", "!==": "!=", "==": "==", "!=": "!=" }, () => this.rel());
  }
  private rel(): string {
    return this.binLevel({ "<": "<", ">": ">", "<=": "<=", ">=": ">=" }, () => this.add());
  }
  private add(): string {
    return this.binLevel({ "+": "+", "-": "-" }, () => this.mul());
  }
  private mul(): string {
    return this.binLevel({ "*": "*", "/": "/", "%": "%" }, () => this.unary());
  }
  private unary(): string {
    if (this.peek("!")) {
      this.next();
      return `(not ${this.unary()})`;
    }
    if (this.peek("-")) {
      this.next();
      return `(-${this.unary()})`;
    }
    return this.postfix();
  }
  private postfix(): string {
    let e = this.primary();
    for (;;) {
      if (this.peek(".")) {
        this.next();
        const name = this.next();
        if (name.t !== "id") throw new Error("member");
        if (name.v === "length" && !this.peek("(")) {
          e = `len(${strip(e)})`;
          continue;
        }
        const args = this.peek("(") ? this.args() : null;
        if (args === null) throw new Error("property");
        if (name.v === "split") {
          const a = args[0];
          if (args.length !== 1 || a === undefined || !a.startsWith('"')) throw new Error("split");
          e = a === '""' ? `list(${strip(e)})` : `${e}.split(${a})`;
        } else if (name.v === "includes" && args.length === 1) {
          e = `(${strip(args[0] as string)} in ${e})`;
        } else {
          const m = STRING_METHODS[name.v];
          if (m === undefined || m.args !== args.length) throw new Error("method");
          e = `${e}.${m.py}(${args.map(strip).join(", ")})`;
        }
      } else if (this.peek("[")) {
        this.next();
        const idx = this.expr();
        this.expect("]");
        e = `${e}[${strip(idx)}]`;
      } else return e;
    }
  }
  private args(): string[] {
    this.expect("(");
    const out: string[] = [];
    while (!this.peek(")")) {
      out.push(this.expr());
      if (this.peek(",")) this.next();
      else if (!this.peek(")")) throw new Error("args");
    }
    this.next();
    return out;
  }
  private primary(): string {
    const t = this.next();
    if (t.t === "num") return pyNumber(Number(t.v));
    if (t.t === "str") return pyStr(t.v);
    if (t.t === "id") {
      if (t.v === "true") return "True";
      if (t.v === "false") return "False";
      if (t.v === "null" || t.v === "undefined") return "None";
      if (t.v === "Math" && this.peek(".")) {
        this.next();
        const f = this.next().v;
        const py = { max: "max", min: "min", abs: "abs" }[f];
        if (py === undefined) throw new Error("Math");
        return `${py}(${this.args().map(strip).join(", ")})`;
      }
      const n = this.names.get(t.v);
      if (n === undefined) throw new Error(`free variable ${t.v}`);
      return n;
    }
    if (t.v === "(") {
      const e = this.expr();
      this.expect(")");
      return e;
    }
    if (t.v === "[") {
      const items: string[] = [];
      while (!this.peek("]")) {
        items.push(strip(this.expr()));
        if (this.peek(",")) this.next();
        else if (!this.peek("]")) throw new Error("array");
      }
      this.next();
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    }
    throw new Error("primary");
  }
}

/** Drops one pair of outer parentheses when they enclose the whole expression. */
function strip(e: string): string {
  if (!e.startsWith("(") || !e.endsWith(")")) return e;
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (inStr) {
      if (c === "\\") i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0 && i < e.length - 1) return e;
    }
  }
  // A tuple keeps its parentheses.
  const inner = e.slice(1, -1);
  return topLevelComma(inner) || inner.endsWith(",") ? e : inner;
}

function topLevelComma(s: string): boolean {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === "\\") i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) return true;
  }
  return false;
}
