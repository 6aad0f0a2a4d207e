import type { DataType, StructField, StructType } from "../expressions/types";
import { csvColumnNames, csvOptions, csvRecords, tokenizeCsvLine } from "./csv";
import { jsonRecords } from "./json";
import { malformedRecordError, parseOptions } from "./parseMode";

/** Spark's JSON type inference of one value (integers → long, other numbers → double). */
function jsonType(v: unknown): DataType {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "double";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return { type: "array", elementType: v.reduce<DataType>((t, x) => merge(t, jsonType(x)), "null") };
  return objectType(v as Record<string, unknown>);
}

function objectType(o: Record<string, unknown>): StructType {
  return {
    type: "struct",
    fields: Object.keys(o)
      .sort()
      .map((k) => ({ name: k, dataType: jsonType(o[k]), nullable: true })),
  };
}

/** Spark's compatibleType: null widens to anything, long+double → double, structs merge by name, else string. */
function merge(a: DataType, b: DataType): DataType {
  if (a === "null") return b;
  if (b === "null") return a;
  if (typeof a === "string" && typeof b === "string") {
    if (a === b) return a;
    if ((a === "long" || a === "double" || a === "int") && (b === "long" || b === "double" || b === "int")) return a === "double" || b === "double" ? "double" : "long";
    return "string";
  }
  if (typeof a !== "string" && typeof b !== "string") {
    if (a.type === "array" && b.type === "array") return { type: "array", elementType: merge(a.elementType, b.elementType) };
    if (a.type === "struct" && b.type === "struct") {
      const names = [...new Set([...a.fields.map((f) => f.name), ...b.fields.map((f) => f.name)])].sort();
      return {
        type: "struct",
        fields: names.map((n) => ({
          name: n,
          dataType: merge(a.fields.find((f) => f.name === n)?.dataType ?? "null", b.fields.find((f) => f.name === n)?.dataType ?? "null"),
          nullable: true,
        })),
      };
    }
  }
  return "string";
}

function finish(t: DataType): DataType {
  if (t === "null") return "string";
  if (typeof t === "string") return t;
  if (t.type === "array") return { type: "array", elementType: finish(t.elementType) };
  return { type: "struct", fields: t.fields.map((f) => ({ ...f, dataType: finish(f.dataType) })) };
}

/**
 * Spark's JsonInferSchema over the files' records: fields sorted by name, types merged;
 * a malformed line adds the corrupt-record column (PERMISSIVE), is skipped (DROPMALFORMED)
 * or fails (FAILFAST).
 */
export function inferJsonSchema(texts: readonly string[], opts: Readonly<Record<string, string>>): StructType {
  const po = parseOptions(opts);
  let t: DataType = { type: "struct", fields: [] };
  let corrupt = false;
  for (const text of texts) {
    for (const line of jsonRecords(text)) {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = undefined;
      }
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        if (po.mode === "FAILFAST") throw malformedRecordError(line);
        if (po.mode === "PERMISSIVE") corrupt = true;
        continue;
      }
      t = merge(t, objectType(v as Record<string, unknown>));
    }
  }
  const fields = [...(finish(t) as StructType).fields];
  if (corrupt && !fields.some((f) => f.name === po.columnNameOfCorruptRecord)) {
    fields.push({ name: po.columnNameOfCorruptRecord, dataType: "string", nullable: true });
    fields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return { type: "struct", fields };
}

function csvTokenType(tok: string | null): DataType {
  if (tok === null) return "null";
  const s = tok.trim();
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    return n <= 2147483647 && n >= -2147483648 ? "int" : "long";
  }
  if (s !== "" && !Number.isNaN(Number(s))) return "double";
  if (s.toLowerCase() === "true" || s.toLowerCase() === "false") return "boolean";
  return "string";
}

function mergeCsv(a: DataType, b: DataType): DataType {
  if (a === "null") return b;
  if (b === "null") return a;
  if (a === b) return a;
  const num = ["int", "long", "double"];
  if (num.includes(a as string) && num.includes(b as string)) return num[Math.max(num.indexOf(a as string), num.indexOf(b as string))] as DataType;
  return "string";
}

/**
 * Spark's CSV inference: column names from the header (or `_c0`, `_c1`, …); types all
 * string unless option inferSchema=true (then int, long, double, boolean, else string).
 */
export function inferCsvSchema(texts: readonly string[], opts: Readonly<Record<string, string>>): StructType {
  const o = csvOptions(opts);
  const first = texts.find((t) => t.trim() !== "");
  if (first === undefined) return { type: "struct", fields: [] };
  const names = csvColumnNames(first, o);
  const infer = (opts.inferSchema ?? "false").toLowerCase() === "true";
  const types: DataType[] = names.map(() => (infer ? "null" : "string"));
  if (infer) {
    for (const text of texts) {
      for (const rec of csvRecords(text, o)) {
        let toks: (string | null)[];
        try {
          toks = tokenizeCsvLine(rec, o);
        } catch {
          continue;
        }
        toks.forEach((tok, i) => {
          if (i < types.length) types[i] = mergeCsv(types[i] as DataType, csvTokenType(tok));
        });
      }
    }
  }
  const fields: StructField[] = names.map((n, i) => ({ name: n, dataType: finish(types[i] as DataType), nullable: true }));
  return { type: "struct", fields };
}
