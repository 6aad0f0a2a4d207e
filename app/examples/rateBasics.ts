/** The query the page opens with: a rate source, a projection, a memory sink. */
export const RATE_BASICS = `// A rate source emits (timestamp, value) rows, like Spark's.
const rates = spark.readStream
  .format("rate")
  .option("rowsPerSecond", 5)
  .load();

// A projection: keep the columns and flag the even values.
const flagged = rates.select(
  F.col("timestamp"),
  F.col("value"),
  F.col("value").mod(2).eq(0).as("even"),
);

// The memory sink keeps every row in a table named by queryName.
const query = flagged.writeStream
  .format("memory")
  .queryName("rates")
  .outputMode("append")
  .start();
`;
