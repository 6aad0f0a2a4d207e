import { expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, type PlanGraphNode } from "../index";

function flatten(n: PlanGraphNode): PlanGraphNode[] {
  return [n, ...n.children.flatMap(flatten)];
}

it("the plan graph counts each operator's rows in and out for the last batch, and state rows", async () => {
  const spark = SparkSession.builder().clock(new ManualClock(0)).output(() => undefined).getOrCreate();
  const input = new MemoryStream(spark, { value: "long" });
  const q = input.toDF().filter(F.col("value").gt(2)).groupBy(F.col("value").mod(2).as("parity")).count()
    .writeStream.format("memory").queryName("plan_graph").outputMode("complete").trigger({ manual: true }).start();
  expect(q.planGraph()).not.toBeNull(); // starts counting
  input.addData(1, 2, 3, 4, 5, 6);
  await q.processAllAvailable();
  const nodes = flatten(q.planGraph()!);
  const filter = nodes.find((n) => n.name === "Filter")!;
  expect(filter.rowsIn).toBe(6);
  expect(filter.rowsOut).toBe(4);
  const stateful = nodes.find((n) => n.stateRows !== null)!;
  expect(stateful.stateRows).toBe(2);
  expect(nodes[0]!.rowsOut).toBe(2);
  await spark.stop();
});

it("knows an aggregation's grouping columns by name, numeric ones too", () => {
  const spark = SparkSession.builder().clock(new ManualClock(0)).output(() => undefined).getOrCreate();
  const input = new MemoryStream(spark, { value: "long" });
  const q = input.toDF().groupBy(F.col("value").mod(10).as("bucket")).agg(F.count("*").as("n"), F.max("value").as("top"))
    .writeStream.format("memory").queryName("keys_of").outputMode("update").trigger({ manual: true }).start();
  expect(q.groupingColumns()).toEqual(["bucket"]);
  const plain = input.toDF().select(F.col("value")).writeStream.format("memory").queryName("no_keys").trigger({ manual: true }).start();
  expect(plain.groupingColumns()).toBeNull();
  void spark.stop();
});
