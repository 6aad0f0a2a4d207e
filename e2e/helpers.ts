import { expect, type Page } from "@playwright/test";

/**
 * Opens the app on a fresh notebook store (each Playwright test has its own
 * browser context, so IndexedDB starts empty) and waits for the editor.
 * Collects uncaught page errors: a test ends by asserting there were none.
 */
export async function openApp(page: Page, path = "/"): Promise<Error[]> {
  const pageErrors: Error[] = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  await page.goto(path);
  await page.waitForFunction(() => typeof window.playground?.getCode === "function");
  await expect(page.getByTestId("cell").first()).toBeVisible();
  return pageErrors;
}

/** The code cells, in order. */
export function codeCells(page: Page) {
  return page.locator('[data-testid="cell"][data-kind="code"]');
}

/** Sets a code cell's text through the test hook (Monaco cannot be `.fill()`ed). */
export async function setCode(page: Page, code: string, cellId?: string): Promise<void> {
  await expect(codeCells(page).first().locator(".monaco-editor")).toBeVisible();
  await page.evaluate(([c, id]) => window.playground.setCode(c!, id ?? undefined), [code, cellId ?? null] as const);
}
