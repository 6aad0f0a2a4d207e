import { expect, test, type Page } from "@playwright/test";

async function openPage(page: Page) {
  const pageErrors: Error[] = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  await page.goto("/");
  await expect(page.getByTestId("code-editor").locator(".monaco-editor")).toBeVisible();
  await page.waitForFunction(() => typeof window.playground?.getCode === "function");
  return pageErrors;
}

async function rowCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("result-table").first().getAttribute("data-rows"));
}

test("runs the rate query: rows arrive and grow, then Stop stops it", async ({ page }) => {
  const pageErrors = await openPage(page);
  expect(await page.evaluate(() => window.playground.getCode())).toContain('format("rate")');

  await page.getByTestId("run").click();
  await expect(page.getByTestId("cell-status")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("result-row").first()).toBeVisible();
  await expect(page.getByTestId("result-table")).toContainText("timestamp");
  const first = await rowCount(page);
  expect(first).toBeGreaterThan(0);
  await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("query-progress")).toContainText("rows/s");

  await page.screenshot({ path: "test-results/screenshots/running-query.png", fullPage: true });

  await page.getByTestId("stop").click();
  await expect(page.getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");
  const stoppedAt = await rowCount(page);
  await page.waitForTimeout(1500);
  expect(await rowCount(page)).toBe(stoppedAt);
  expect(pageErrors).toEqual([]);
});

test("a runtime error in the cell shows its message and line, and the page stays", async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => window.playground.setCode('const a = 1;\nconst b: any = null;\nb.nothing();\n'));
  await page.getByTestId("run").click();
  await expect(page.getByTestId("cell-error")).toBeVisible();
  await expect(page.getByTestId("cell-error")).toHaveAttribute("data-line", "3");
  await expect(page.getByTestId("cell-error")).toContainText("TypeError");
  await expect(page.getByTestId("cell-status")).toHaveAttribute("data-status", "failed");
  await expect(page.getByTestId("run")).toBeVisible();
});

test("a syntax error shows its line, and an engine error its Spark message", async ({ page }) => {
  await openPage(page);
  await page.evaluate(() => window.playground.setCode("const ok = 1;\n\nconst broken = (;\n"));
  await page.keyboard.press("Escape");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("cell-error")).toHaveAttribute("data-line", "3");
  await expect(page.getByTestId("cell-error")).toContainText("SyntaxError");

  await page.evaluate(() =>
    window.playground.setCode('spark.readStream.format("rate").option("rowsPerSecond", -1).load();\n'),
  );
  await page.getByTestId("run").click();
  await expect(page.getByTestId("cell-error")).toContainText("rowsPerSecond");
  await expect(page.getByTestId("cell-error")).toHaveAttribute("data-line", "1");
});

test("Ctrl+Enter in the editor runs the cell", async ({ page }) => {
  await openPage(page);
  await page.getByTestId("code-editor").locator(".view-lines").click();
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("result-row").first()).toBeVisible();
  await page.getByTestId("stop").click();
  await expect(page.getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");
});
