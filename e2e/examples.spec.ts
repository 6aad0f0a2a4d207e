import { expect, test } from "@playwright/test";
import { EXAMPLES, NEEDS_FEED } from "../app/examples";
import { codeCells, openApp } from "./helpers";

// Every example of the gallery opens and runs offline: no cell fails, and every code cell shows output.
// The socket examples need the feed server: wordcount.spec.ts runs them against one.
for (const example of EXAMPLES.filter((e) => !NEEDS_FEED.has(e.id))) {
  test(`example "${example.title}" runs`, async ({ page }) => {
    const errors = await openApp(page);
    await page.getByTestId("toggle-notebook-list").click();
    await page.locator(`[data-example-id="${example.id}"] button`).click();
    await expect(page.getByTestId("notebook-title")).toHaveValue(example.title);
    const cells = codeCells(page);
    await expect(cells).toHaveCount(example.cells.filter((c) => c.kind === "code").length);
    await page.getByTestId("run-all").click();
    for (const cell of await cells.all()) {
      await expect(cell.locator('[data-testid="query-panel"], [data-testid="console-output"]').first()).toBeVisible({ timeout: 20_000 });
      await expect(cell.getByTestId("cell-error")).toHaveCount(0);
    }
    await page.screenshot({ path: `screenshots/example-${example.id}.png`, fullPage: true });
    await page.getByTestId("stop-all").click();
    expect(errors).toEqual([]);
  });
}
