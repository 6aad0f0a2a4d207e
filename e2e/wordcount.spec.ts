import { expect, test } from "@playwright/test";
import { startFeedServer, type FeedServer } from "../scripts/feed";
import { DSTREAM_WORD_COUNT, STRUCTURED_WORD_COUNT } from "../app/examples/wordCount";
import { codeCells, openApp, setCode } from "./helpers";

let feed: FeedServer;
test.beforeEach(async () => {
  feed = await startFeedServer({ host: "127.0.0.1", port: 0, log: () => undefined });
});
test.afterEach(async () => {
  await feed.close();
});

/** The example's code, pointed at this test's feed server. */
function onFeedPort(code: string): string {
  return code.replaceAll("9999", String(feed.port));
}

test("Structured word count: asks before connecting, then counts the words sent to the feed", async ({ page }) => {
  const errors = await openApp(page);
  await setCode(page, onFeedPort(STRUCTURED_WORD_COUNT.cells[1]!.source));
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("host-approval-url")).toHaveText(`ws://127.0.0.1:${feed.port}`);
  await page.getByTestId("host-allow").click();
  await expect(page.getByTestId("socket-connection")).toHaveAttribute("data-state", "open");
  await feed.waitForClients(1);
  feed.send("apache spark\nspark streaming spark");
  const out = page.getByTestId("console-output");
  await expect(out).toContainText("|    spark|    3|");
  await expect(out).toContainText("|   apache|    1|");
  await page.screenshot({ path: "screenshots/structured-word-count.png", fullPage: true });
  await codeCells(page).first().getByTestId("stop").click();
  expect(errors).toEqual([]);
});

test("DStream word count: receiver blocks become batches; pprint prints Spark's format", async ({ page }) => {
  const errors = await openApp(page);
  await page.evaluate((url) => localStorage.setItem("streaming-playground:approved-socket-urls", JSON.stringify([url])), `ws://127.0.0.1:${feed.port}`);
  await setCode(page, onFeedPort(DSTREAM_WORD_COUNT.cells[1]!.source).replace("new StreamingContext(sc, 2)", "new StreamingContext(sc, 1)"));
  await codeCells(page).first().getByTestId("run").click();
  await feed.waitForClients(1);
  feed.send("to be or not to be");
  const out = page.getByTestId("console-output");
  await expect(out).toContainText("-------------------------------------------\nTime: ");
  await expect(out).toContainText("('to', 2)");
  await expect(out).toContainText("('be', 2)");
  await expect(page.locator('[data-testid="dstream-batch"]:not([data-records="0"])').first()).toBeVisible();
  // The windowed stream (6 s every 2 s, batches of 1 s): its windows over the batches, each covering up to 6 of them.
  const stream = page.getByTestId("dstream-window-stream");
  await expect(stream).toHaveAttribute("data-window-ms", "6000");
  await expect(stream).toHaveAttribute("data-slide-ms", "2000");
  await expect.poll(() => page.getByTestId("dstream-window").count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const covered = await page.getByTestId("dstream-window").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-batches"))));
  expect(Math.max(...covered)).toBeLessThanOrEqual(6);
  await page.screenshot({ path: "screenshots/dstream-word-count.png", fullPage: true });
  await codeCells(page).first().getByTestId("stop").click();
  await expect(codeCells(page).first().getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");
  expect(errors).toEqual([]);
});

test("a refused connection says so and runs nothing", async ({ page }) => {
  await openApp(page);
  await setCode(page, onFeedPort(STRUCTURED_WORD_COUNT.cells[1]!.source).replace('format("console")', 'format("memory").queryName("wc")'));
  await codeCells(page).first().getByTestId("run").click();
  await page.getByTestId("host-deny").click();
  await expect(page.getByTestId("socket-connection")).toHaveAttribute("data-state", "closed");
  await expect(page.getByTestId("socket-connection")).toContainText("was not allowed");
  expect(feed.clientCount).toBe(0);
});
