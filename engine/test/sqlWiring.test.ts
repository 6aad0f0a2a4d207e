/**
 * The SQL frontend (engine/sql) plugged into the engine through registerSqlFrontend:
 * F.expr / selectExpr / filter(string) over streams, INTERVAL arithmetic and the string
 * and date functions the frontend lowers onto. (index.ts does not register it yet: the
 * lead wires it; this test registers it itself and unregisters afterwards.)
 */
import { expect, it } from "vitest";
import { F, ManualClock, MemoryStream, SparkSession, registerSqlFrontend, type Column, type DataFrame } from "../index";
import { createSqlFrontend } from "../sql";
it("SQL expressions run on streams and static data once the frontend is registered", async () => {
  registerSqlFrontend(createSqlFrontend<Column, DataFrame>(F));
  const spark = SparkSession.builder().clock(new ManualClock(0)).output(() => {}).getOrCreate();
  const input = new MemoryStream(spark, { value: "long", s: "string" });
  const q = input.toDF().selectExpr("value * 2 AS v", "upper(s) AS u", "s LIKE 'a%' AS l").filter("v > 2").writeStream.format("memory").queryName("sq").trigger({ manual: true }).start();
  input.addData({ value: 1, s: "ab" }, { value: 2, s: "ba" }, { value: 3, s: "abc" });
  await q.processAllAvailable();
  expect(await spark.table("sq").collect()).toEqual([{ v: 4, u: "BA", l: false }, { v: 6, u: "ABC", l: true }]);
  expect(() => input.toDF().filter("valu > 1")).toThrow(/valu/);
  const ts = spark.createDataFrame([{ t: 0 }], { t: "long" }).selectExpr("CAST(t AS TIMESTAMP) + INTERVAL 90 MINUTES AS x", "date_format(CAST(t AS TIMESTAMP), 'yyyy-MM-dd HH:mm') AS f", "substring('hello', 2, 3) AS sub");
  expect(await ts.collect()).toEqual([{ x: new Date(5_400_000), f: "1970-01-01 00:00", sub: "ell" }]);
  await spark.stop();
  registerSqlFrontend(null);
});
