#!/usr/bin/env python3
# Watermarks and late data
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Watermarks and late data")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Watermarks and late data

# %% Cell 2
# The playground's "events" source (out-of-order events for watermark demos) has no Spark
# counterpart: a rate source with the same key and delay expressions stands in for it
# (eventsPerSecond=20, maxDelay=4000 ms, lateFraction=0.1, lateness=30000 ms, seed=7).
events = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 20)
    .load()
    .selectExpr(
        "timestamp_millis(unix_millis(timestamp) - CAST(floor(rand(7) * 4001) AS BIGINT) - IF(rand(8) < 0.1, 30000, 0)) AS eventTime",
        "concat('k', CAST(floor(rand(9) * 3) AS STRING)) AS key",
        "value",
        "timestamp AS arrivalTime",
    )
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM late_data").
late_data_query = (
    events
    .withWatermark("eventTime", "10 seconds")
    .groupBy(F.window(F.col("eventTime"), "10 seconds"), "key")
    .agg(F.count("*").alias("events"), F.sum(F.col("value")).alias("total"))
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("late_data")
    .start()
)

late_data_query.awaitTermination()
