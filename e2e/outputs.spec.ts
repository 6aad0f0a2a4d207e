import { expect, test } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

test("display() of a sliding-window aggregation shows a live chart with overlapping windows", async ({ page }) => {
  const errors = await openApp(page);
  await setCode(
    page,
    `const counts = spark.readStream.format("rate").option("rowsPerSecond", 20).load()
  .withColumn("key", F.col("value").mod(3).cast("string"))
  .withWatermark("timestamp", "2 seconds")
  .groupBy(F.window(F.col("timestamp"), "4 seconds", "2 seconds"), F.col("key"))
  .count();
await display(counts);
`,
  );
  await codeCells(page).first().getByTestId("run").click();
  const chart = page.getByTestId("window-chart");
  await expect(chart).toBeVisible();
  await expect.poll(async () => Number(await chart.getAttribute("data-series"))).toBe(3);
  // Sliding windows of 4 s every 2 s: each key soon has two overlapping windows.
  await expect.poll(async () => Number(await chart.getAttribute("data-windows")), { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
  await expect(page.getByTestId("window-segment").first()).toBeVisible();
  await page.screenshot({ path: "screenshots/display-window-chart.png", fullPage: true });

  await page.getByTestId("tab-progress").click();
  await expect(page.getByTestId("progress-panel")).toBeVisible();
  await expect(page.getByTestId("fact-watermark")).toBeVisible();
  await page.screenshot({ path: "screenshots/progress-panel.png", fullPage: true });
  await page.getByTestId("tab-json").click();
  await expect(page.getByTestId("progress-json")).toContainText('"stateOperators"');
  // The worker's traffic to the page (each batch's changed rows, by column), per second.
  await expect.poll(async () => Number(await page.getByTestId("wire-rate").getAttribute("data-bytes-per-second"))).toBeGreaterThan(0);
  await codeCells(page).first().getByTestId("stop").click();

  // Stopped, the chart holds still: hovering a window names its key, its [start, end) and its value.
  await page.getByTestId("tab-chart").click();
  await page.getByTestId("window-segment").last().hover({ force: true });
  await expect(page.getByTestId("window-hover")).toContainText(/\[\d{4}-\d\d-\d\d [\d:.]+, \d{4}-\d\d-\d\d [\d:.]+\)/);
  await expect(page.getByTestId("window-hover")).toContainText(/count: \d+/);
  await page.mouse.move(0, 0);
  await expect(page.getByTestId("window-hover")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("display() of a static DataFrame shows its rows", async ({ page }) => {
  await openApp(page);
  await setCode(page, 'await display(spark.createDataFrame([{ word: "<b>a</b>", n: 1 }, { word: "b", n: 2 }]));');
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("result-row")).toHaveCount(2);
  // Values are text, never HTML.
  await expect(page.getByTestId("result-row").first()).toContainText("<b>a</b>");
  await expect(codeCells(page).first().getByTestId("cell-status")).toHaveAttribute("data-status", "idle");
});

test("the console sink prints Spark's batch header and table under the cell", async ({ page }) => {
  await openApp(page);
  await setCode(
    page,
    `spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 2).load()
  .select(F.col("value"))
  .writeStream.format("console").trigger({ processingTime: "1 second" }).start();`,
  );
  await codeCells(page).first().getByTestId("run").click();
  const out = page.getByTestId("console-output");
  await expect(out).toContainText("Batch: 0");
  await expect(out).toContainText("+-----+\n|value|\n+-----+\n|    0|\n|    1|\n+-----+");
  await codeCells(page).first().getByTestId("stop").click();
});

test("the editor knows the engine's API: typing completes from the generated typings", async ({ page }) => {
  await openApp(page);
  await setCode(page, "");
  await codeCells(page).first().locator(".view-lines").click();
  await page.keyboard.type("spark.readS");
  const suggest = page.locator(".suggest-widget");
  await expect(suggest).toBeVisible({ timeout: 20_000 });
  await expect(suggest).toContainText("readStream");
  await page.keyboard.press("Escape");
  // A wrong method is an error in the editor before anything runs.
  await setCode(page, "spark.readStream.formatt('rate');");
  await expect(codeCells(page).first().locator(".squiggly-error").first()).toBeVisible({ timeout: 20_000 });
});

test("triggers compared: the cell's queries on one timeline", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("toggle-notebook-list").click();
  await page.locator('[data-example-id="triggers"] button').click();
  await page.getByTestId("run-all").click();
  const timeline = page.getByTestId("query-timeline");
  await expect(timeline).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("timeline-row")).toHaveCount(4);
  const batches = (query: string) => page.locator(`[data-testid="timeline-row"][data-query="${query}"]`).getAttribute("data-batches").then(Number);
  // One file per batch: four batches for the default trigger and availableNow, one for once.
  await expect.poll(() => batches("default_trigger"), { timeout: 15_000 }).toBe(4);
  await expect.poll(() => batches("available_now"), { timeout: 15_000 }).toBe(4);
  await expect.poll(() => batches("once")).toBe(1);
  // processingTime takes one file every 2 seconds.
  await expect.poll(() => batches("every_2_seconds"), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  // once and availableNow stop by themselves; the default trigger keeps waiting for files.
  await expect(page.locator('[data-query-id]').filter({ hasText: "available_now" }).locator(".chip--live")).toHaveCount(0);
  await expect(page.locator('[data-query-id]').filter({ hasText: "default_trigger" }).locator(".chip--live")).toHaveCount(1);
  await page.screenshot({ path: "screenshots/triggers-timeline.png", fullPage: true });
  await page.getByTestId("stop-all").click();
});

test("update mode changes a row in place, keyed by the aggregation's grouping column", async ({ page }) => {
  await openApp(page);
  await setCode(
    page,
    `const input = new MemoryStream(spark, { value: "long" });
const q = input.toDF().groupBy(F.col("value").mod(2).as("parity")).count()
  .writeStream.format("memory").queryName("parities").outputMode("update").trigger({ manual: true }).start();
input.addData(1, 2, 3);
await q.processAllAvailable();
input.addData(5);
await q.processAllAvailable();`,
  );
  await codeCells(page).first().getByTestId("run").click();
  // A manual-trigger query opens on its batches; the table is one tab away.
  await page.getByTestId("tab-table").click();
  await expect(page.getByTestId("row-count")).toContainText("3 rows received");
  const rows = page.getByTestId("result-row");
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-testid="result-row"].is-changed')).toHaveCount(1);
  await expect(page.locator('[data-testid="result-row"].is-changed')).toContainText("3");
});
