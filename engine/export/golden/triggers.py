#!/usr/bin/env python3
# Triggers compared
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Triggers compared")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Triggers

# %% Cell 2
rate_micro_batch = (
    spark.readStream
    .format("rate-micro-batch")
    .option("rowsPerBatch", 3)
    .load()
)

every_2s_query = (
    rate_micro_batch
    .writeStream
    .format("console")
    .outputMode("append")
    .queryName("every_2s")
    .trigger(processingTime="2 seconds")
    .start()
)

# %% Cell 3
rate_micro_batch_2 = (
    spark.readStream
    .format("rate-micro-batch")
    .option("rowsPerBatch", 3)
    .load()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM once").
once_query = (
    rate_micro_batch_2
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("once")
    .trigger(once=True)
    .start()
)

# Wait for every query (one with trigger once or availableNow stops by itself).
for q in [every_2s_query, once_query]:
    q.awaitTermination()
