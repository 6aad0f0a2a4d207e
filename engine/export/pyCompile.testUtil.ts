import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Test helper (Node only): checks exported scripts with python3. */

/** True when `python3` runs here; the py_compile tests are skipped (with this reason) otherwise. */
export const hasPython3 = spawnSync("python3", ["--version"], { encoding: "utf8" }).status === 0;

/** Runs `python3 -m py_compile` on each script; returns the failures (file and message). */
export function pyCompile(scripts: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "pyspark-export-"));
  try {
    const files = Object.entries(scripts).map(([name, text]) => {
      const f = join(dir, `${name}.py`);
      writeFileSync(f, text, "utf8");
      return f;
    });
    const failures: string[] = [];
    for (const f of files) {
      const r = spawnSync("python3", ["-m", "py_compile", f], { encoding: "utf8" });
      if (r.status !== 0) failures.push(`${f}: ${r.stderr}`);
    }
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/**
 * Runs each script with `python3` against the PySpark stand-in in ./mock_pyspark (no Spark
 * needed): the script must run to its end, and every PySpark name and keyword argument it
 * uses must exist. Returns the failures.
 */
export function runWithMockPySpark(scripts: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "pyspark-export-run-"));
  const mock = fileURLToPath(new URL("./mock_pyspark", import.meta.url));
  try {
    const failures: string[] = [];
    for (const [name, text] of Object.entries(scripts)) {
      const f = join(dir, `${name}.py`);
      writeFileSync(f, text, "utf8");
      const r = spawnSync("python3", [f], { encoding: "utf8", cwd: dir, env: { ...process.env, PYTHONPATH: mock, PYTHONDONTWRITEBYTECODE: "1" } });
      if (r.status !== 0) failures.push(`${name}: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    }
    return failures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
