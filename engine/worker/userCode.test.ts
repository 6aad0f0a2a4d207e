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

describe("notebook globals", () => {
  it("finds the names a cell declares at its top level", async () => {
    const { topLevelNames } = await import("./userCode");
    expect(topLevelNames("const a = 1, { b, c: [d] } = x; let [e, ...f] = y; function g() { const h = 1; } class K {} if (1) { var notTop = 1; }")).toEqual([
      "a",
      "b",
      "d",
      "e",
      "f",
      "g",
      "K",
    ]);
  });

  it("hands declared names to later cells; a later cell may declare the same name again", async () => {
    const globals: Record<string, unknown> = {};
    const first = compileCell("a", "const readings: number[] = [1, 2];\nconst total = readings.length;", []);
    await first.run({}, (v) => Object.assign(globals, v));
    expect(globals).toEqual({ readings: [1, 2], total: 2 });
    const seen: unknown[] = [];
    const second = compileCell("b", "const total = readings.length * 10;\nlog(total);", ["log", ...Object.keys(globals)]);
    await second.run({ log: (x: unknown) => seen.push(x), ...globals }, (v) => Object.assign(globals, v));
    expect(seen).toEqual([20]);
    expect(globals.total).toBe(20);
  });

  it("keeps line numbers with the export appended", async () => {
    const error = await compileCell("c", "const a = 1;\nnull!.x;", []).run({}).catch((e: unknown) => e);
    expect(toWireError(error, "c").line).toBe(2);
  });
});
