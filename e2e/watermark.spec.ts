import { expect, test, type Page } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

/** 2025-11-24 16:00:00 UTC: a manual clock with readable times. */
const START = 1_764_000_000_000;

const QUERY = `const events = spark.readStream.format("events")
  .option("eventsPerSecond", 20).option("keys", 3)
  .option("maxDelay", "4 seconds").option("lateFraction", 0.2).option("lateness", "8 seconds")
  .load();
const counts = events
  .withWatermark("eventTime", "3 seconds")
  .groupBy(F.window(F.col("eventTime"), "10 seconds"), F.col("key"))
  .agg(F.count("*").as("events"));
counts.writeStream.format("memory").queryName("late_data").outputMode("append")
  .trigger({ manual: true }).start();`;

const number = async (page: Page, testId: string) => Number((await page.getByTestId(testId).first().innerText()).replace(/,/g, ""));

/** Advances the manual clock by 5 s and runs one trigger, `n` times. */
async function stepBatches(page: Page, n: number) {
  for (let i = 0; i < n; i++) {
    const before = await page.getByTestId("batch-chip").count();
    await page.getByTestId("clock-advance-5000").click();
    await page.getByTestId("tab-batches").click();
    await page.getByTestId("step-batch").click();
    await expect.poll(() => page.getByTestId("batch-chip").count()).toBeGreaterThan(before);
  }
}

/** Σ numRowsDroppedByWatermark of the query's progress, read through Spark's own API in another cell. */
async function droppedBySparkApi(page: Page): Promise<number> {
  await codeCells(page).first().getByTestId("cell-add-code").click();
  await expect(codeCells(page)).toHaveCount(2);
  const cell = codeCells(page).nth(1);
  await setCode(
    page,
    `const q = spark.streams.active.find((s) => s.name === "late_data")!;
console.log("dropped=" + q.recentProgress.reduce((s, p) => s + p.stateOperators[0]!.numRowsDroppedByWatermark, 0));`,
    (await cell.getAttribute("data-cell-id")) ?? undefined,
  );
  await cell.getByTestId("run").click();
  const out = cell.getByTestId("console-output");
  await expect(out).toContainText("dropped=");
  const text = await out.innerText();
  return Number(/dropped=(\d+)/.exec(text)![1]);
}

test("the watermark view: every row marked by what the aggregation did with it, counts equal to Spark's", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = await openApp(page, `/?seed=7&clock=manual&clockStart=${START}`);
  await setCode(page, QUERY);
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("step-batch")).toBeVisible();
  await stepBatches(page, 10);

  await page.getByTestId("tab-watermark").click();
  const view = page.getByTestId("watermark-view");
  await expect(view).toBeVisible();
  await expect(view.getByTestId("watermark-line")).toBeVisible();
  expect(await view.getByTestId("window-band").count()).toBeGreaterThan(3);

  // Every status appears, and the drawn points are the counted rows (no sampling at 20 rows/s).
  await expect(page.getByTestId("wm-sampling")).toContainText("Every row is drawn");
  const onTime = await number(page, "wm-count-on-time");
  const lateCounted = await number(page, "wm-count-late-counted");
  const dropped = await number(page, "wm-count-dropped");
  expect(onTime).toBeGreaterThan(100);
  expect(lateCounted).toBeGreaterThan(0);
  expect(dropped).toBeGreaterThan(0);
  await expect(view.locator('[data-status="on-time"]')).toHaveCount(onTime);
  await expect(view.locator('[data-status="late-counted"]')).toHaveCount(lateCounted);
  await expect(view.locator('[data-status="dropped"]')).toHaveCount(dropped);

  // Spark counts late (key, window) groups: the groups the drawn points missed, batch by batch,
  // are exactly numRowsDroppedByWatermark as progress reports it.
  const progressDropped = await number(page, "wm-progress-dropped");
  expect(progressDropped).toBeGreaterThan(0);
  expect(await number(page, "wm-expected-dropped")).toBe(progressDropped);
  const groupsFromPoints = await view.locator("[data-group]").evaluateAll((els) => {
    const seen = new Set<string>();
    for (const el of els) for (const g of el.getAttribute("data-group")!.split(" ")) seen.add(`${el.getAttribute("data-batch")}:${g}`);
    return seen.size;
  });
  expect(groupsFromPoints).toBe(progressDropped);

  // Hovering a dropped row tells its batch, the watermark it met and the window it missed.
  await view.locator('[data-status="dropped"]').first().hover({ force: true });
  const hover = page.getByTestId("wm-hover");
  await expect(hover).toContainText("dropped");
  await expect(hover).toContainText("Watermark it met");
  await expect(hover).toContainText("missed");
  await expect(hover).toContainText("key");
  await page.screenshot({ path: "screenshots/watermark-view.png", fullPage: true });
  await view.screenshot({ path: "screenshots/watermark-view-only.png" });
  await page.mouse.move(0, 0);

  // Make late data happen: 30 s behind the watermark, with the form; the next batch drops it.
  await page.getByTestId("inject-offset").fill("-30");
  await page.getByTestId("inject-key").fill("by-hand");
  await page.getByTestId("inject-submit").click();
  await expect(page.getByTestId("inject-message")).toContainText("30 s behind the watermark");
  await expect(view.getByTestId("wm-pending")).toHaveCount(1);
  const batchesBefore = await page.getByTestId("batch-chip").count();
  await page.getByTestId("tab-batches").click();
  await page.getByTestId("step-batch").click();
  await expect.poll(() => page.getByTestId("batch-chip").count()).toBeGreaterThan(batchesBefore);
  await page.getByTestId("tab-watermark").click();
  await expect.poll(() => number(page, "wm-count-dropped")).toBeGreaterThan(dropped);
  const handRow = view.locator('[data-status="dropped"]').last();
  await handRow.hover({ force: true });
  await expect(page.getByTestId("wm-hover")).toContainText("by-hand");
  await page.mouse.move(0, 0);

  // A click in the chart adds an event at the event time under the pointer.
  const plot = view.getByTestId("watermark-plot");
  const box = (await plot.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.95);
  await expect(page.getByTestId("inject-message")).toContainText("behind the watermark");

  // The metric counted by the engine agrees with the view after the new batch too.
  const after = await number(page, "wm-progress-dropped");
  expect(await number(page, "wm-expected-dropped")).toBe(after);
  expect(await droppedBySparkApi(page)).toBe(after);
  expect(errors).toEqual([]);
});

test("replay with another watermark delay: the same input, side by side, differences marked", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = await openApp(page, `/?seed=7&clock=manual&clockStart=${START}`);
  await setCode(page, QUERY);
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("step-batch")).toBeVisible();
  await stepBatches(page, 14);
  await page.getByTestId("tab-watermark").click();
  const progressDropped = await number(page, "wm-progress-dropped");
  expect(progressDropped).toBeGreaterThan(0);

  // 40 s covers the 30 s lateness plus the 4 s delay: nothing is dropped, fewer windows are final yet.
  await page.getByTestId("replay-slider").fill("40");
  await expect(page.getByTestId("replay-delay")).toHaveText("40 s");
  await page.getByTestId("replay-button").click();
  await expect(page.getByTestId("replay-compare")).toBeVisible({ timeout: 20_000 });
  // The replay with the query's own delay is the live run, to the row.
  expect(await number(page, "replay-left-dropped")).toBe(progressDropped);
  expect(await number(page, "replay-right-dropped")).toBe(0);
  const rows = page.getByTestId("replay-row");
  expect(await rows.count()).toBeGreaterThan(0);
  expect(await page.locator('[data-testid="replay-row"][data-diff="only-left"]').count()).toBeGreaterThan(0);
  await page.getByTestId("replay-compare").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "screenshots/watermark-replay.png", fullPage: true });
  // The view in the dark theme.
  await page.getByTestId("theme-toggle").click();
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== "dark") await page.getByTestId("theme-toggle").click();
  await page.getByTestId("watermark-view").screenshot({ path: "screenshots/watermark-view-dark.png" });
  expect(errors).toEqual([]);
});
