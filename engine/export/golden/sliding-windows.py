#!/usr/bin/env python3
# Sliding window counts
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Sliding window counts")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Sliding windows

# %% Cell 2
rate = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 10)
    .load()
)

# display(df) draws a live table in the playground; a script prints each micro-batch with the console sink.
query = (
    rate
    .withColumn("sensor", F.concat(F.lit("sensor-"), (F.col("value") % 3).cast("string")))
    .withWatermark("timestamp", "5 seconds")
    .groupBy(F.window(F.col("timestamp"), "10 seconds", "5 seconds"), "sensor")
    .count()
    .writeStream
    .format("console")
    .outputMode("complete")
    .start()
)

query.awaitTermination()
