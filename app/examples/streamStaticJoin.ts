import type { Example } from "./Example";

export const STREAM_STATIC_JOIN: Example = {
  id: "stream-static-join",
  title: "Stream-static join",
  summary: "Enrich each event with a lookup table: an inner and a left outer join against a static DataFrame.",
  cells: [
    {
      kind: "markdown",
      source: `# Stream-static join

A stream joined with a static DataFrame: each micro-batch joins its new rows against the whole table, so no state is kept. Spark supports **inner** and **left outer** (stream on the left) and **left semi** joins this way; a full outer join with a static side is rejected.

Sensor \`s3\` has no row in the lookup table: the inner join drops its events, the left outer join keeps them with \`NULL\` columns.`,
    },
    {
      kind: "code",
      source: `const sensors = spark.createDataFrame([
  { sensor: "s0", room: "kitchen" },
  { sensor: "s1", room: "hall" },
  { sensor: "s2", room: "attic" },
]);

const readings = spark.readStream.format("rate").option("rowsPerSecond", 4).load()
  .withColumn("sensor", F.concat(F.lit("s"), F.col("value").mod(4).cast("string")));

readings.join(sensors, "sensor", "inner")
  .writeStream.format("memory").queryName("inner_join").start();
`,
    },
    {
      kind: "code",
      source: `readings.join(sensors, "sensor", "left_outer")
  .writeStream.format("memory").queryName("left_outer_join").start();
`,
    },
  ],
};
