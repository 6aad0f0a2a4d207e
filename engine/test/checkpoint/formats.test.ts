/**
 * The file formats on their own: CSV tokenizing and quoting, JSON writing (Spark's
 * ignoreNullFields and ISO timestamps), text's single-column rule, and that the browser
 * entry (engine/index.ts) never reaches a Node-only module.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { csvOptions, parseCsv, tokenizeCsvLine, writeCsv } from "../../formats/csv";
import { inferCsvSchema, inferJsonSchema } from "../../formats/inferSchema";
import { parseJson, writeJson } from "../../formats/json";
import { writeText } from "../../formats/text";
import type { StructField } from "../../expressions/types";

describe("csv", () => {
  it("tokenizes quotes, escaped quotes and nulls as Spark's defaults", () => {
    const o = csvOptions({});
    expect(tokenizeCsvLine('a,"b,c","say \\"hi\\"",,""', o)).toEqual(["a", "b,c", 'say "hi"', null, ""]);
  });
  it("round-trips values that need quoting", () => {
    const fields: StructField[] = [
      { name: "s", dataType: "string", nullable: true },
      { name: "n", dataType: "double", nullable: true },
    ];
    const text = writeCsv(fields, [["a,b", 1], ['q"x', null], ["", 2.5]], {});
    expect(text).toBe('"a,b",1.0\n"q\\"x",\n"",2.5\n');
    expect(parseCsv(text, { type: "struct", fields }, {}, () => undefined)).toEqual([
      ["a,b", 1],
      ['q"x', null],
      ["", 2.5],
    ]);
  });
  it("infers names from the header and types with inferSchema", () => {
    const schema = inferCsvSchema(["id,score,ok,name\n1,2.5,true,x\n3000000000,3,false,y\n"], { header: "true", inferSchema: "true" });
    expect(schema.fields.map((f) => [f.name, f.dataType])).toEqual([
      ["id", "long"],
      ["score", "double"],
      ["ok", "boolean"],
      ["name", "string"],
    ]);
  });
});

describe("json", () => {
  it("writes without null fields, timestamps as ISO-8601 UTC", () => {
    const fields: StructField[] = [
      { name: "t", dataType: "timestamp", nullable: true },
      { name: "x", dataType: "long", nullable: true },
    ];
    expect(writeJson(fields, [[1_700_000_000_000, null]])).toBe('{"t":"2023-11-14T22:13:20.000Z"}\n');
  });
  it("a value of the wrong type is malformed; PERMISSIVE keeps the fields that parsed", () => {
    const schema = {
      type: "struct" as const,
      fields: [
        { name: "a", dataType: "long" as const, nullable: true },
        { name: "b", dataType: "string" as const, nullable: true },
        { name: "_corrupt_record", dataType: "string" as const, nullable: true },
      ],
    };
    let bad = 0;
    expect(parseJson('{"a":"x","b":"ok"}\n', schema, {}, () => bad++)).toEqual([[null, "ok", '{"a":"x","b":"ok"}']]);
    expect(bad).toBe(1);
  });
  it("infers sorted fields and widens long + double to double", () => {
    expect(inferJsonSchema(['{"z":1,"a":"s"}\n{"z":1.5}\n'], {}).fields.map((f) => [f.name, f.dataType])).toEqual([
      ["a", "string"],
      ["z", "double"],
    ]);
  });
});

describe("text", () => {
  it("rejects more than one column with Spark's message", () => {
    expect(() =>
      writeText(
        [
          { name: "a", dataType: "string", nullable: true },
          { name: "b", dataType: "string", nullable: true },
        ],
        [],
      ),
    ).toThrow("Text data source supports only a single column, and you have 2 columns.");
  });
});

describe("the browser entry", () => {
  it("engine/index.ts never imports a Node-only module (node:*), directly or transitively", () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../index.ts");
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"|^import\s+"([^"]+)"/gms)) {
        const spec = (m[1] ?? m[2]) as string;
        if (spec.startsWith("node:")) offenders.push(`${file} → ${spec}`);
        if (!spec.startsWith(".")) continue;
        const base = join(dirname(file), spec);
        for (const cand of [base, `${base}.ts`, join(base, "index.ts")]) {
          try {
            if (readFileSync(cand)) {
              visit(cand);
              break;
            }
          } catch {
            /* not this candidate */
          }
        }
      }
    };
    visit(root);
    expect(offenders).toEqual([]);
    expect(seen.size).toBeGreaterThan(30);
  });
});
