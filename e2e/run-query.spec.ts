import { expect, test, type Page } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

async function rowCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("result-table").first().getAttribute("data-rows"));
}

test("runs the rate query: rows arrive and grow, then Stop stops it", async ({ page }) => {
  const pageErrors = await openApp(page);
  expect(await page.evaluate(() => window.playground.getCode())).toContain('format("rate")');
  const cell = codeCells(page).first();

  await cell.getByTestId("run").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("result-row").first()).toBeVisible();
  await expect(page.getByTestId("result-table")).toContainText("timestamp");
  const first = await rowCount(page);
  expect(first).toBeGreaterThan(0);
  await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("query-progress")).toContainText("rows/s");

  await page.screenshot({ path: "screenshots/running-query.png", fullPage: true });

  await cell.getByTestId("stop").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");
  const stoppedAt = await rowCount(page);
  await page.waitForTimeout(1500);
  expect(await rowCount(page)).toBe(stoppedAt);
  expect(pageErrors).toEqual([]);
});

test("a runtime error in the cell shows its message and line, and the page stays", async ({ page }) => {
  await openApp(page);
  await setCode(page, "const a = 1;\nconst b: any = null;\nb.nothing();\n");
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("cell-error")).toBeVisible();
  await expect(page.getByTestId("cell-error")).toHaveAttribute("data-line", "3");
  await expect(page.getByTestId("cell-error")).toContainText("TypeError");
  await expect(codeCells(page).first().getByTestId("cell-status")).toHaveAttribute("data-status", "failed");
  // The error is marked at its line in the editor too.
  await expect(codeCells(page).first().locator(".squiggly-error").first()).toBeVisible();
});

test("a syntax error shows its line, and an engine error its Spark message", async ({ page }) => {
  await openApp(page);
  await setCode(page, "const ok = 1;\n\nconst broken = (;\n");
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("cell-error")).toHaveAttribute("data-line", "3");
  await expect(page.getByTestId("cell-error")).toContainText("SyntaxError");

  await setCode(page, 'spark.readStream.format("rate").option("rowsPerSecond", -1).load();\n');
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("cell-error")).toContainText("rowsPerSecond");
  await expect(page.getByTestId("cell-error")).toHaveAttribute("data-line", "1");
});

test("Ctrl+Enter in the editor runs the cell", async ({ page }) => {
  await openApp(page);
  const cell = codeCells(page).first();
  await cell.locator(".view-lines").click();
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("result-row").first()).toBeVisible();
  await cell.getByTestId("stop").click();
  await expect(cell.getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");
});
