import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell, toWireError } from "./userCode";

describe("compileCell", () => {
  it("runs TypeScript with the scope's names and top-level await", async () => {
    const seen: unknown[] = [];
    const cell = compileCell("c1", "const n: number = await Promise.resolve(41);\nlog(n + 1);", ["log"]);
    await cell.run({ log: (v: unknown) => seen.push(v) });
    expect(seen).toEqual([42]);
  });

  it("reports a syntax error at its line and column", () => {
    expect(() => compileCell("c1", "const a = 1;\nconst b = (;\n", [])).toThrow(CellSyntaxError);
    try {
      compileCell("c1", "const a = 1;\nconst b = (;\n", []);
    } catch (e) {
      const wire = toWireError(e, "c1");
      expect(wire.name).toBe("SyntaxError");
      expect(wire.line).toBe(2);
      expect(wire.message).toMatch(/Unexpected token/);
    }
  });

  it("maps a runtime error to the cell's line", async () => {
    const cell = compileCell("c7", "// one\nconst x: { y: number } | null = null;\nx!.y;", []);
    const error = await cell.run({}).then(
      () => null,
      (e: unknown) => e,
    );
    const wire = toWireError(error, "c7");
    expect(wire.name).toBe("TypeError");
    expect(wire.line).toBe(3);
  });

  it("keeps types out of line numbers: a multi-line interface does not shift lines", async () => {
    const code = "interface A {\n  a: string;\n  b: number;\n}\nthrow new Error('boom');";
    const error = await compileCell("c2", code, []).run({}).catch((e: unknown) => e);
    expect(toWireError(error, "c2")).toMatchObject({ message: "boom", line: 5 });
  });

  it("carries the engine's error class across", () => {
    const e = Object.assign(new Error("bad"), { errorClass: "STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION" });
    expect(toWireError(e).errorClass).toBe("STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION");
  });
});
