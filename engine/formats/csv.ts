import type { StructField, StructType, Value } from "../expressions/types";
import { formatIso } from "../expressions/timestamps";
import { formatDouble } from "../expressions/cast";
import { ConversionError, fromCsv } from "./convert";
import { applyParseMode, BadRecord, dataFields, parseOptions } from "./parseMode";

/** CSV options as Spark names them (defaults: sep ",", quote '"', escape "\\", header false, nullValue ""). */
export interface CsvOptions {
  readonly sep: string;
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
  readonly nullValue: string;
  readonly comment: string | null;
}

/** Reads Spark's csv options ("sep" or "delimiter", "quote", "escape", "header", "nullValue", "comment"). */
export function csvOptions(opts: Readonly<Record<string, string>>): CsvOptions {
  return {
    sep: opts.sep ?? opts.delimiter ?? ",",
    quote: opts.quote ?? '"',
    escape: opts.escape ?? "\\",
    header: (opts.header ?? "false").toLowerCase() === "true",
    nullValue: opts.nullValue ?? "",
    comment: opts.comment === undefined || opts.comment === "" ? null : opts.comment,
  };
}

/**
 * Splits one CSV line into tokens: quoted fields may hold the separator and escaped quotes
 * (`\"`, or `""` inside quotes). An unquoted token equal to nullValue is null; a quoted
 * empty token is "". Throws BadRecord for an unterminated quote.
 */
export function tokenizeCsvLine(line: string, o: CsvOptions): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line[i] === o.quote) {
      let s = "";
      i++;
      let closed = false;
      while (i < n) {
        const c = line[i] as string;
        if (c === o.escape && i + 1 < n && (line[i + 1] === o.quote || line[i + 1] === o.escape) && o.escape !== o.quote) {
          s += line[i + 1];
          i += 2;
        } else if (c === o.quote) {
          if (line[i + 1] === o.quote) {
            s += o.quote;
            i += 2;
          } else {
            closed = true;
            i++;
            break;
          }
        } else {
          s += c;
          i++;
        }
      }
      if (!closed) throw new BadRecord(line, null);
      // Text after the closing quote up to the separator is kept, as univocity does.
      const next = line.indexOf(o.sep, i);
      const tail = next < 0 ? line.slice(i) : line.slice(i, next);
      out.push(s + tail);
      if (next < 0) break;
      i = next + o.sep.length;
    } else {
      const next = line.indexOf(o.sep, i);
      const tok = next < 0 ? line.slice(i) : line.slice(i, next);
      out.push(tok === o.nullValue ? null : tok);
      if (next < 0) break;
      i = next + o.sep.length;
    }
  }
  return out;
}

/** The records (lines) of a CSV file: blank lines and comment lines skipped, the header dropped when `header`. */
export function csvRecords(text: string, o: CsvOptions): string[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && (o.comment === null || !l.startsWith(o.comment)));
  return o.header ? lines.slice(1) : lines;
}

/**
 * Parses a CSV file against `schema` with Spark's parse modes: a record with a different
 * number of tokens or a token that does not convert is malformed (PERMISSIVE keeps the
 * partial row and `_corrupt_record`; DROPMALFORMED drops it; FAILFAST throws).
 */
export function parseCsv(text: string, schema: StructType, opts: Readonly<Record<string, string>>, onMalformed: () => void): Value[][] {
  const o = csvOptions(opts);
  const po = parseOptions(opts);
  const fields = dataFields(schema, po);
  const rows: Value[][] = [];
  for (const line of csvRecords(text, o)) {
    const row = applyParseMode(schema, po, line, () => parseCsvRecord(line, fields, o), onMalformed);
    if (row !== null) rows.push(row);
  }
  return rows;
}

function parseCsvRecord(line: string, fields: readonly StructField[], o: CsvOptions): Value[] {
  const tokens = tokenizeCsvLine(line, o);
  const row: Value[] = [];
  let bad = tokens.length !== fields.length;
  for (let i = 0; i < fields.length; i++) {
    try {
      row.push(fromCsv(tokens[i] ?? null, (fields[i] as StructField).dataType));
    } catch (e) {
      if (!(e instanceof ConversionError)) throw e;
      row.push(null);
      bad = true;
    }
  }
  if (bad) throw new BadRecord(line, row);
  return row;
}

/** Header names of a CSV file (`_c0`, `_c1`, … without a header), as Spark's inference names them. */
export function csvColumnNames(text: string, o: CsvOptions): string[] {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "" && (o.comment === null || !l.startsWith(o.comment)));
  if (first === undefined) return [];
  const toks = tokenizeCsvLine(first, o);
  return o.header ? toks.map((t, i) => t ?? `_c${i}`) : toks.map((_, i) => `_c${i}`);
}

function csvToken(v: Value, t: StructField["dataType"], o: CsvOptions): string {
  if (v === null) return o.nullValue;
  let s: string;
  if (t === "timestamp" && typeof v === "number") s = formatIso(v);
  else if (t === "double" && typeof v === "number") s = formatDouble(v);
  else if (typeof v === "object") s = JSON.stringify(v);
  else s = String(v);
  if (s === "" || s.includes(o.sep) || s.includes(o.quote) || s.includes("\n") || s.includes("\r")) {
    return o.quote + s.split(o.quote).join(o.escape + o.quote) + o.quote;
  }
  return s;
}

/** Writes rows as CSV (Spark's defaults: no header unless option header=true; nulls as nullValue). */
export function writeCsv(fields: readonly StructField[], rows: readonly (readonly Value[])[], opts: Readonly<Record<string, string>>): string {
  const o = csvOptions(opts);
  const lines: string[] = [];
  if (o.header) lines.push(fields.map((f) => csvToken(f.name, "string", o)).join(o.sep));
  for (const r of rows) lines.push(fields.map((f, i) => csvToken(r[i] ?? null, f.dataType, o)).join(o.sep));
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}
