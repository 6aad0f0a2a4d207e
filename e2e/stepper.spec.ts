import { expect, test } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

test("deterministic mode: a manual clock and a manual trigger, stepped one batch at a time", async ({ page }) => {
  const errors = await openApp(page, "/?seed=7&clock=manual");
  await expect(page.getByTestId("clock-now")).toHaveText("1970-01-01 00:00:00");
  await setCode(
    page,
    `spark.readStream.format("rate").option("rowsPerSecond", 2).load()
  .withWatermark("timestamp", "1 second")
  .groupBy(F.window(F.col("timestamp"), "2 seconds"))
  .count()
  .writeStream.format("memory").queryName("stepped").outputMode("append")
  .trigger({ manual: true }).start();`,
  );
  await codeCells(page).first().getByTestId("run").click();
  const step = page.getByTestId("step-batch");
  await expect(step).toBeVisible();

  // No time has passed, so the rate source has no row: a step runs no batch.
  await step.click();
  await expect(page.getByTestId("batch-chip")).toHaveCount(0);
  await page.getByTestId("clock-advance-5000").click();
  await expect(page.getByTestId("clock-now")).toHaveText("1970-01-01 00:00:05");
  await step.click();
  await expect(page.getByTestId("batch-details")).toHaveAttribute("data-batch-id", "0");
  await expect(page.getByTestId("batch-rows")).toContainText("10 in");
  await page.screenshot({ path: "screenshots/batch-stepper.png", fullPage: true });

  // The plan view: the operators, with the 10 rows the source produced in this batch.
  await page.getByTestId("tab-plan").click();
  await expect(page.getByTestId("plan-node").first()).toBeVisible();
  expect(await page.getByTestId("plan-node").count()).toBeGreaterThanOrEqual(3);
  await expect(page.locator('[data-testid="plan-node"][data-rows-out="10"]').first()).toBeVisible();
  await expect(page.getByTestId("plan-view")).toContainText("rows in state");
  await page.screenshot({ path: "screenshots/plan-view.png", fullPage: true });
  await page.getByTestId("tab-batches").click();

  // The watermark moved (max event time 4.5 s − 1 s): the next step is a no-data batch that emits the closed windows.
  await step.click();
  await expect(page.getByTestId("batch-details")).toHaveAttribute("data-batch-id", "1");
  await expect(page.getByTestId("no-data-batch")).toBeVisible();
  await expect(page.getByTestId("batch-watermark")).toContainText("1970-01-01T00:00:03.500Z");
  await page.getByTestId("tab-table").click();
  await expect(page.getByTestId("result-row")).toHaveCount(1);

  // An earlier batch can be inspected again.
  await page.getByTestId("tab-batches").click();
  await page.locator('[data-testid="batch-chip"][data-batch-id="0"]').click();
  await expect(page.getByTestId("batch-details")).toHaveAttribute("data-batch-id", "0");
  await expect(page.getByTestId("batch-watermark")).toContainText("→ 1970-01-01T00:00:03.500Z");
  expect(errors).toEqual([]);
});
