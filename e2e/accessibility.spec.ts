import { expect, test } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

test("light and dark themes; the choice is remembered", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("theme-toggle").click();
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  expect(["light", "dark"]).toContain(theme);
  await page.reload();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  if (theme !== "dark") await page.getByTestId("theme-toggle").click();
  await expect(page.locator(".monaco-editor.vs-dark").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/dark-theme.png", fullPage: true });
});

test("keyboard only: Tab reaches Run, and Enter runs the cell", async ({ page }) => {
  await openApp(page);
  await setCode(page, 'console.log("from the keyboard");');
  const run = codeCells(page).first().getByTestId("run");
  await run.focus();
  await expect(run).toBeFocused();
  // Focus is visible: the outline is drawn.
  const outline = await run.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("console-output")).toContainText("from the keyboard");
});

for (const width of [1024, 768]) {
  test(`the layout fits ${width} px without sideways scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await openApp(page);
    await codeCells(page).first().getByTestId("run").click();
    await expect(page.getByTestId("result-row").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `screenshots/layout-${width}.png`, fullPage: true });
    await codeCells(page).first().getByTestId("stop").click();
  });
}
