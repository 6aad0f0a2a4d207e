import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXAMPLES } from "../../app/examples/index";
import { exportNotebookToPySpark } from "./notebook";
import { hasPython3, pyCompile, runWithMockPySpark } from "./pyCompile.testUtil";

/**
 * Golden files: every example notebook's export, compared exactly with
 * engine/export/golden/<example-id>.py. After an intended change, regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run engine/export/golden.test.ts
 * and review the diff.
 */

const GOLDEN = fileURLToPath(new URL("./golden", import.meta.url));
const update = process.env.UPDATE_GOLDEN === "1";

describe("export of the example notebooks", () => {
  for (const ex of EXAMPLES) {
    it(`${ex.id} matches golden/${ex.id}.py`, async () => {
      const script = await exportNotebookToPySpark(ex.cells, { title: ex.title });
      const file = join(GOLDEN, `${ex.id}.py`);
      if (update) writeFileSync(file, script, "utf8");
      if (!existsSync(file)) throw new Error(`No golden file ${file}: run UPDATE_GOLDEN=1 npx vitest run engine/export/golden.test.ts and review it.`);
      expect(script).toBe(readFileSync(file, "utf8"));
    });
  }

  it.skipIf(!hasPython3)(hasPython3 ? "every golden file passes python3 -m py_compile" : "SKIPPED: python3 is not installed (py_compile of the golden files)", () => {
    const scripts = Object.fromEntries(EXAMPLES.map((ex) => [ex.id, readFileSync(join(GOLDEN, `${ex.id}.py`), "utf8")]));
    expect(pyCompile(scripts)).toEqual([]);
  });

  it.skipIf(!hasPython3)(hasPython3 ? "every golden file runs to its end on a PySpark stand-in (names and keywords checked)" : "SKIPPED: python3 is not installed (mock PySpark run)", () => {
    const scripts = Object.fromEntries(EXAMPLES.map((ex) => [ex.id.replace(/-/g, "_"), readFileSync(join(GOLDEN, `${ex.id}.py`), "utf8")]));
    expect(runWithMockPySpark(scripts)).toEqual([]);
  });

  it("exports a query or a StreamingContext from every example", async () => {
    for (const ex of EXAMPLES) {
      const script = await exportNotebookToPySpark(ex.cells, { title: ex.title });
      expect(script, ex.id).toMatch(/\.start\(\)/);
      expect(script, ex.id).toMatch(/awaitTermination\(\)\n$/);
    }
  });
});
