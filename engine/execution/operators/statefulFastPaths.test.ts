/**
 * The typed fast paths of the stateful operators (numeric keys) give the same rows and state
 * metrics as the general paths (the same keys as strings), over batches with disorder, late
 * rows, duplicates and a final watermark flush.
 */
import { afterEach, describe, expect, it } from "vitest";
import { F, MemoryStream, SparkSession, type DataFrame, type Row } from "../../index";
import { mulberry32 } from "../../util/prng";

let spark: SparkSession | null = null;
afterEach(async () => {
  await spark?.stop();
  spark = null;
});

interface Data {
  eventTime: Float64Array;
  key: Int32Array;
  value: Int32Array;
}

function makeData(n: number, keys: number, seed: number): Data {
  const r = mulberry32(seed);
  const eventTime = new Float64Array(n);
  const key = new Int32Array(n);
  const value = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let t = 1_000_000 + i * 37;
    const u = r();
    if (u < 0.1) t -= Math.floor(r() * 9_000); // out of order within the delay
    else if (u < 0.13) t -= 10_000 + Math.floor(r() * 60_000); // late
    if (r() < 0.1 && i > 0) {
      // an exact copy of an earlier row's (key, time)
      const j = Math.max(0, i - 1 - Math.floor(r() * 50));
      eventTime[i] = eventTime[j] as number;
      key[i] = key[j] as number;
    } else {
      eventTime[i] = t;
      key[i] = Math.floor(r() * keys) - (r() < 0.02 ? keys : 0);
    }
    value[i] = Math.floor(r() * 1000);
  }
  return { eventTime, key, value };
}

/** Runs `build` over `data` in batches, then a flush row an hour later; returns every output row (as strings, sorted) and the metrics per batch. */
async function run(data: Data, batch: number, stringKeys: boolean, build: (df: DataFrame) => DataFrame, fields: (r: Row) => unknown[], mode = "append"): Promise<{ rows: string[]; totals: number[] }> {
  spark ??= SparkSession.builder().appName("fast-paths").getOrCreate();
  const input = new MemoryStream(spark, { eventTime: "timestamp", key: "int", value: "int" });
  let df = input.toDF();
  if (stringKeys) df = df.withColumn("key", F.col("key").cast("string"));
  const out: DataFrame[] = [];
  const query = await build(df)
    .writeStream.outputMode(mode)
    .trigger({ manual: true })
    .foreachBatch((b) => {
      out.push(b);
    })
    .start();
  const totals: number[] = [];
  const n = data.eventTime.length;
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    input.addColumns({ eventTime: data.eventTime.subarray(s, e), key: data.key.subarray(s, e), value: data.value.subarray(s, e) });
    await query.step();
    for (const o of query.lastProgress?.stateOperators ?? []) totals.push(o.numRowsTotal, o.numRowsRemoved, o.numRowsUpdated, o.numRowsDroppedByWatermark);
  }
  input.addColumns({ eventTime: new Float64Array([1_000_000 + n * 37 + 3_600_000]), key: new Int32Array([1]), value: new Int32Array([1]) });
  await query.step();
  await query.processAllAvailable();
  if (query.exception) throw query.exception;
  await query.stop();
  const rows: string[] = [];
  for (const b of out) for (const r of await b.collect()) rows.push(JSON.stringify(fields(r).map((v) => (v instanceof Date ? v.getTime() : v === null ? null : Number(v)))));
  rows.sort();
  return { rows, totals };
}

const cases: { name: string; build: (df: DataFrame) => DataFrame; fields: (r: Row) => unknown[]; mode?: string }[] = [
  {
    name: "session windows",
    build: (df) => df.withWatermark("eventTime", "10 seconds").groupBy(F.sessionWindow(F.col("eventTime"), "2 seconds"), F.col("key")).agg(F.count("*").as("n"), F.max("value").as("m")),
    fields: (r) => {
      const w = r.session_window as { start: Date; end: Date };
      return [r.key, w.start, w.end, r.n, r.m];
    },
  },
  {
    name: "dropDuplicates(key, eventTime)",
    build: (df) => df.withWatermark("eventTime", "10 seconds").dropDuplicates(["key", "eventTime"]),
    fields: (r) => [r.key, r.eventTime, r.value],
  },
  {
    name: "sliding count",
    build: (df) => df.withWatermark("eventTime", "10 seconds").groupBy(F.window(F.col("eventTime"), "6 seconds", "2 seconds"), F.col("key")).count(),
    fields: (r) => {
      const w = r.window as { start: Date; end: Date };
      return [r.key, w.start, w.end, r.count];
    },
  },
  {
    name: "sliding count, update mode",
    mode: "update",
    build: (df) => df.withWatermark("eventTime", "10 seconds").groupBy(F.window(F.col("eventTime"), "6 seconds", "2 seconds"), F.col("key")).count(),
    fields: (r) => {
      const w = r.window as { start: Date; end: Date };
      return [r.key, w.start, w.end, r.count];
    },
  },
  {
    name: "sliding count and max, offset windows",
    build: (df) => df.withWatermark("eventTime", "10 seconds").groupBy(F.window(F.col("eventTime"), "5 seconds", "2 seconds", "1 second"), F.col("key")).agg(F.count("*").as("n"), F.max("value").as("m")),
    fields: (r) => {
      const w = r.window as { start: Date; end: Date };
      return [r.key, w.start, w.end, r.n, r.m];
    },
  },
  {
    name: "tumbling count",
    build: (df) => df.withWatermark("eventTime", "10 seconds").groupBy(F.window(F.col("eventTime"), "5 seconds"), F.col("key")).count(),
    fields: (r) => {
      const w = r.window as { start: Date; end: Date };
      return [r.key, w.start, w.end, r.count];
    },
  },
];

describe("stateful fast paths agree with the general paths", () => {
  for (const c of cases) {
    for (const [batch, keys] of [
      [997, 50],
      [5000, 3000],
    ] as const) {
      it(`${c.name}: batches of ${batch}, ${keys} keys`, async () => {
        const data = makeData(20_000, keys, batch + keys);
        const fast = await run(data, batch, false, c.build, c.fields, c.mode);
        const general = await run(data, batch, true, c.build, c.fields, c.mode);
        expect(fast.rows.length).toBeGreaterThan(0);
        expect(fast.rows).toEqual(general.rows);
        expect(fast.totals).toEqual(general.totals);
      });
    }
  }
});
