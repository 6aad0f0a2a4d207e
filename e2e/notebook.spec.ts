import { expect, test } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

test("cells: add code and Markdown cells, move and delete them", async ({ page }) => {
  const errors = await openApp(page);
  const cells = page.getByTestId("cell");
  await expect(cells).toHaveCount(2);
  await codeCells(page).first().getByTestId("cell-add-markdown").click();
  await expect(cells).toHaveCount(3);
  await page.keyboard.insertText("## Notes\n\nSome *text*.");
  await cells.nth(2).getByTestId("markdown-done").click();
  await expect(cells.nth(2).getByTestId("markdown-rendered")).toContainText("Notes");
  await expect(cells.nth(2).locator("h2")).toHaveText("Notes");

  await cells.nth(2).getByTestId("cell-move-up").click();
  await expect(cells.nth(1)).toHaveAttribute("data-kind", "markdown");
  await expect(cells.nth(1).locator("h2")).toHaveText("Notes");

  await cells.nth(1).getByTestId("cell-delete").click();
  await expect(cells).toHaveCount(2);
  expect(errors).toEqual([]);
});

test("Markdown never renders raw HTML", async ({ page }) => {
  await openApp(page);
  await codeCells(page).first().getByTestId("cell-add-markdown").click();
  await page.keyboard.insertText('<img src=x onerror="window.__pwned=1"> <b>bold?</b>');
  await page.getByTestId("markdown-done").click();
  await expect(page.getByTestId("cell").nth(2).locator("img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("Shift+Enter runs the cell and moves to a new cell below", async ({ page }) => {
  await openApp(page);
  await setCode(page, 'console.log("hello from the cell");');
  await codeCells(page).first().locator(".view-lines").click();
  await page.keyboard.press("Shift+Enter");
  await expect(page.getByTestId("console-output")).toContainText("hello from the cell");
  await expect(codeCells(page)).toHaveCount(2);
  // The new cell has focus: typing goes into it.
  await page.keyboard.insertText("// second");
  await expect.poll(() => page.evaluate(() => window.playground.getCode())).toContain("hello from the cell");
  await expect(codeCells(page).nth(1)).toContainText("// second");
});

test("notebooks autosave and come back after a reload", async ({ page }) => {
  await openApp(page);
  await setCode(page, "// saved across reloads\nconsole.log(1);");
  await page.getByTestId("notebook-title").fill("My stream");
  await page.getByTestId("notebook-title").press("Enter");
  await page.waitForTimeout(800); // autosave is debounced by 400 ms
  await page.reload();
  await page.waitForFunction(() => typeof window.playground?.getCode === "function");
  await expect(page.getByTestId("notebook-title")).toHaveValue("My stream");
  await expect.poll(() => page.evaluate(() => window.playground.getCode())).toContain("saved across reloads");
});

test("the notebook list: new, duplicate, open, delete", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("toggle-notebook-list").click();
  await expect(page.getByTestId("notebook-item")).toHaveCount(1);
  await page.getByTestId("duplicate-notebook").click();
  await expect(page.getByTestId("notebook-title")).toHaveValue(/\(copy\)/);
  await page.getByTestId("toggle-notebook-list").click();
  await expect(page.getByTestId("notebook-item")).toHaveCount(2);
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("delete-notebook").first().click();
  await expect(page.getByTestId("notebook-item")).toHaveCount(1);
  await page.getByTestId("new-notebook").click();
  await expect(page.getByTestId("cell")).toHaveCount(1);
});

test("a share link opens the notebook and runs nothing until Run", async ({ page, context }) => {
  await openApp(page);
  await setCode(page, 'console.log("ran!");');
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByTestId("share").click();
  await expect(page.getByTestId("toast")).toContainText("Share link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain("#code/");

  const other = await context.newPage();
  await openApp(other, link.replace(/^https?:\/\/[^/]+/, ""));
  await expect(other.getByTestId("share-banner")).toBeVisible();
  await expect.poll(() => other.evaluate(() => window.playground.getCode())).toContain("ran!");
  await other.waitForTimeout(500);
  await expect(other.getByTestId("console-output")).toHaveCount(0);
  await codeCells(other).first().getByTestId("run").click();
  await expect(other.getByTestId("console-output")).toContainText("ran!");
});

test("export and import a notebook as a JSON file", async ({ page }) => {
  await openApp(page);
  await setCode(page, "// exported code");
  await page.waitForTimeout(500);
  const download = page.waitForEvent("download");
  await page.getByTestId("export").click();
  const file = await (await download).path();
  await page.getByTestId("toggle-notebook-list").click();
  await page.getByTestId("new-notebook").click();
  await expect(page.getByTestId("cell")).toHaveCount(1);
  await page.getByTestId("import-file").setInputFiles(file);
  await expect.poll(() => page.evaluate(() => window.playground.getCode())).toContain("// exported code");

  await page.getByTestId("import-file").setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"format":"nope"}') });
  await expect(page.getByTestId("storage-error")).toContainText("Not a notebook file");
});

test("Stop on a cell stuck in a loop restarts the engine and says so", async ({ page }) => {
  const errors = await openApp(page);
  await setCode(page, "while (true) {}");
  await codeCells(page).first().getByTestId("run").click();
  await expect(codeCells(page).first().getByTestId("cell-status")).toHaveAttribute("data-status", "starting");
  await codeCells(page).first().getByTestId("stop").click();
  await expect(page.getByTestId("cell-notice")).toContainText("restarted", { timeout: 10_000 });
  // The fresh engine works.
  await setCode(page, 'console.log("alive");');
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("console-output")).toContainText("alive");
  expect(errors).toEqual([]);
});

test("Restart engine stops every query", async ({ page }) => {
  await openApp(page);
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("result-row").first()).toBeVisible();
  await page.getByTestId("restart-engine").click();
  await expect(codeCells(page).first().getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");
  await expect(page.getByTestId("cell-notice")).toContainText("restarted");
});

test("cells share their top-level names, as in a Jupyter notebook", async ({ page }) => {
  await openApp(page);
  await setCode(page, "const greeting: string = 'hello';\nfunction shout(s: string) { return s.toUpperCase(); }");
  await codeCells(page).first().getByTestId("cell-add-code").click();
  await expect(codeCells(page)).toHaveCount(2);
  const second = await codeCells(page).nth(1).getAttribute("data-cell-id");
  await setCode(page, "console.log(shout(greeting + ' notebook'));", second!);
  await page.getByTestId("run-all").click();
  await expect(codeCells(page).nth(1).getByTestId("console-output")).toContainText("HELLO NOTEBOOK");
  // The editor knows the other cell's names: no error is marked.
  await page.waitForTimeout(1500);
  await expect(codeCells(page).nth(1).locator(".squiggly-error")).toHaveCount(0);
});

test("Export to PySpark shows a runnable script, to copy or download", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("export-pyspark").click();
  const script = page.getByTestId("pyspark-script");
  await expect(script).toContainText("from pyspark.sql import SparkSession");
  await expect(script).toContainText('.format("rate")');
  await expect(script).toContainText("awaitTermination()");
  const download = page.waitForEvent("download");
  await page.getByTestId("pyspark-download").click();
  expect((await download).suggestedFilename()).toBe("Rate_source_basics.py");
  await page.screenshot({ path: "screenshots/pyspark-export.png", fullPage: true });
  await page.getByTestId("pyspark-close").click();
  await expect(page.getByTestId("pyspark-export")).toHaveCount(0);
});
