import { expect, test, type Page } from "@playwright/test";
import { codeCells, openApp, setCode } from "./helpers";

const QUERY = `spark.readStream.format("rate-micro-batch").option("rowsPerBatch", 5).load()
  .writeStream.format("json")
  .option("path", "out/nums")
  .option("checkpointLocation", "cp/nums")
  .trigger({ processingTime: "100 milliseconds" })
  .start();`;

const CHECK = `const rows = await (await spark.read.json("out/nums")).collect();
const values = rows.map((r) => Number(r.value)).sort((a, b) => a - b);
console.log(JSON.stringify({ n: values.length, distinct: new Set(values).size, max: values.at(-1) }));`;

async function lastBatchId(page: Page): Promise<number> {
  const text = (await page.getByTestId("query-progress").first().textContent()) ?? "";
  return Number(/batch (\d+)/.exec(text)?.[1] ?? -1);
}

test("a query killed mid-run resumes from IndexedDB after a reload: nothing lost, nothing duplicated", async ({ page }) => {
  await openApp(page);
  await setCode(page, QUERY);
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("query-checkpoint")).toHaveText("checkpoint: cp/nums");
  await expect.poll(() => lastBatchId(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

  // Kill the worker in the middle of the stream, then reload the tab.
  await page.getByTestId("restart-engine").click();
  const before = await lastBatchId(page);
  await page.reload();
  await page.waitForFunction(() => typeof window.playground?.getCode === "function");
  await expect.poll(() => page.evaluate(() => window.playground.getCode())).toContain("cp/nums");

  await codeCells(page).first().getByTestId("run").click();
  await expect.poll(() => lastBatchId(page), { timeout: 15_000 }).toBeGreaterThan(before + 2);
  // It resumed from the checkpoint in IndexedDB: its first batch after the reload follows the committed ones.
  await page.getByTestId("tab-batches").click();
  expect(Number(await page.getByTestId("batch-chip").first().getAttribute("data-batch-id"))).toBeGreaterThanOrEqual(before);
  // The checkpoint inspector shows Spark's layout, read back from IndexedDB.
  await page.getByTestId("tab-checkpoint").click();
  await expect(page.locator('[data-testid="checkpoint-file"][data-path="metadata"]')).toBeVisible();
  await expect(page.locator('[data-testid="checkpoint-file"][data-path="offsets/0"]')).toBeVisible();
  await expect(page.locator('[data-testid="checkpoint-file"][data-path="commits/0"]')).toBeVisible();
  await page.locator('[data-testid="checkpoint-file"][data-path="offsets/0"]').click();
  await expect(page.getByTestId("checkpoint-file-text")).toContainText("v1");
  await expect(page.getByTestId("checkpoint-file-text")).toContainText("batchWatermarkMs");
  await page.screenshot({ path: "screenshots/checkpoint-inspector.png", fullPage: true });
  await codeCells(page).first().getByTestId("stop").click();
  await expect(codeCells(page).first().getByTestId("cell-status")).toHaveAttribute("data-status", "stopped");

  await setCode(page, CHECK);
  await codeCells(page).first().getByTestId("run").click();
  const out = page.getByTestId("console-output");
  await expect(out).toContainText('"n":');
  const { n, distinct, max } = JSON.parse((await out.textContent())!.trim().split("\n").at(-1)!) as { n: number; distinct: number; max: number };
  // rate-micro-batch values are 0, 1, 2, … with no gap: every committed row once.
  expect(distinct).toBe(n);
  expect(max).toBe(n - 1);
  expect(n).toBeGreaterThan(5 * (before + 1));
});

test("one tab owns a checkpoint; a second tab is told so and may take over explicitly", async ({ page, context }) => {
  await openApp(page);
  await setCode(page, QUERY.replaceAll("nums", "owned"));
  await codeCells(page).first().getByTestId("run").click();
  await expect.poll(() => lastBatchId(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);

  const second = await context.newPage();
  await openApp(second);
  await setCode(second, QUERY.replaceAll("nums", "owned"));
  await codeCells(second).first().getByTestId("run").click();
  await expect(second.getByTestId("cell-error")).toContainText("CHECKPOINT_LOCKED");
  await second.getByTestId("take-over").click();
  await expect.poll(() => lastBatchId(second), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  // The first tab lost the checkpoint, and its query stopped.
  await expect(codeCells(page).first().getByTestId("query-panel").locator(".chip--live")).toHaveCount(0, { timeout: 15_000 });
  await codeCells(second).first().getByTestId("stop").click();
});

test("files: upload into a folder, read them with a file source, download the output", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("toggle-files").click();
  await page.getByTestId("upload-folder").fill("in/people");
  await page.getByTestId("upload-files").setInputFiles([
    { name: "a.json", mimeType: "application/json", buffer: Buffer.from('{"name":"ada","age":36}\n{"name":"alan","age":41}\n') },
    { name: "b.json", mimeType: "application/json", buffer: Buffer.from('{"name":"grace","age":85}\nnot json\n') },
  ]);
  await expect(page.getByTestId("files-message")).toContainText("Uploaded 2 files");
  await expect(page.locator('[data-testid="file-item"][data-path="in/people/a.json"]')).toBeVisible();
  await page.getByLabel("Close the files").click();

  await setCode(
    page,
    `const people = spark.readStream.format("json").schema({ name: "string", age: "long", _corrupt_record: "string" }).load("in/people");
const q = people.writeStream.format("json").option("path", "out/people").option("checkpointLocation", "cp/people").trigger({ availableNow: true }).start();
await q.awaitTermination();
console.log("done", q.lastProgress?.sources[0]?.metrics?.numMalformedRecords ?? 0);`,
  );
  await codeCells(page).first().getByTestId("run").click();
  await expect(page.getByTestId("console-output")).toContainText("done");
  await page.getByTestId("toggle-files").click();
  await page.getByRole("button", { name: "Refresh" }).click();
  const part = page.locator('[data-testid="file-item"][data-path^="out/people/part-"]').first();
  await expect(part).toBeVisible();
  const download = page.waitForEvent("download");
  await part.locator("button").click();
  const text = await (await (await download).createReadStream()).toArray();
  expect(Buffer.concat(text as Buffer[]).toString()).toContain('"name":"ada"');
  await page.screenshot({ path: "screenshots/files-panel.png", fullPage: true });
});
