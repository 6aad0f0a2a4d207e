#!/usr/bin/env python3
# Deduplication
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Deduplication")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Deduplication

# %% Cell 2
rate = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 6)
    .load()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM dedup_with_watermark").
dedup_with_watermark_query = (
    rate
    .withColumn("id", (F.col("value") / 2).cast("bigint"))
    .withWatermark("timestamp", "3 seconds")
    .dropDuplicates(["id", "timestamp"])
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("dedup_with_watermark")
    .start()
)

# %% Cell 3
# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM dedup_within_watermark").
dedup_within_watermark_query = (
    rate
    .withColumn("id", (F.col("value") / 2).cast("bigint"))
    .withWatermark("timestamp", "3 seconds")
    .dropDuplicatesWithinWatermark(["id"])
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("dedup_within_watermark")
    .start()
)

# Wait for every query (one with trigger once or availableNow stops by itself).
for q in [dedup_with_watermark_query, dedup_within_watermark_query]:
    q.awaitTermination()
