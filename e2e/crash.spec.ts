import { expect, test } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

test("crash now: the worker is killed mid-batch; the re-run batch comes from the offset log and the sink has no row twice", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = await openApp(page);
  await setCode(
    page,
    `spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 5).load()
  .writeStream.format("json")
  .option("path", "out/crash-now")
  .option("checkpointLocation", "cp/crash-now")
  .trigger({ processingTime: "300 milliseconds" })
  .start();`,
  );
  const cell = codeCells(page).first();
  await cell.getByTestId("run").click();
  await expect(cell.getByTestId("query-progress")).toContainText(/batch [2-9]/, { timeout: 20_000 });

  await cell.getByTestId("crash-now").click();
  const notice = cell.getByTestId("cell-notice");
  await expect(notice).toContainText("Crash now: the engine was killed in the middle of batch", { timeout: 20_000 });
  const halted = Number(/middle of batch (\d+)/.exec(await notice.innerText())![1]);

  // The new run found offsets/N without commits/N and ran batch N again with the same offsets.
  const info = cell.getByTestId("recovery-info");
  await expect(info).toHaveAttribute("data-rerun-batch", String(halted), { timeout: 20_000 });
  await expect(cell.getByTestId("recovery-rerun")).toContainText(`Batch ${halted} was re-run from the offset log`);
  await expect(info).toContainText(`batches 0–${halted - 1} were committed`);

  // Read back through _spark_metadata: every row once.
  const check = cell.getByTestId("sink-check");
  await expect(check).toHaveAttribute("data-duplicates", "0", { timeout: 20_000 });
  const rows = Number(await check.getAttribute("data-rows"));
  expect(rows).toBeGreaterThanOrEqual(5 * (halted + 1));
  expect(Number(await check.getAttribute("data-distinct"))).toBe(rows);
  await page.screenshot({ path: "screenshots/crash-now.png", fullPage: true });

  // The checkpoint inspector shows the re-run batch committed now.
  await cell.getByTestId("tab-checkpoint").click();
  await expect(cell.getByTestId("checkpoint-inspector")).toContainText(`commits/${halted}`, { timeout: 20_000 });
  await cell.getByTestId("stop").click();
  expect(errors).toEqual([]);
});
