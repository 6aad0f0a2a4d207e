#!/usr/bin/env python3
# Session windows
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Session windows")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Session windows

# %% Cell 2
# The playground's "events" source (out-of-order events for watermark demos) has no Spark
# counterpart: a rate source with the same key and delay expressions stands in for it
# (eventsPerSecond=3, maxDelay=1000 ms, lateFraction=0, lateness=30000 ms, seed=42).
events = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 3)
    .load()
    .selectExpr(
        "timestamp_millis(unix_millis(timestamp) - CAST(floor(rand(42) * 1001) AS BIGINT) - IF(rand(43) < 0.0, 30000, 0)) AS eventTime",
        "element_at(array('ana', 'bo', 'cy'), CAST(floor(rand(44) * 3) AS INT) + 1) AS key",
        "value",
        "timestamp AS arrivalTime",
    )
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM sessions").
sessions_query = (
    events
    .withWatermark("eventTime", "2 seconds")
    .groupBy(F.session_window(F.col("eventTime"), "3 seconds"), "key")
    .count()
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("sessions")
    .start()
)

# %% Cell 3
# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM sessions_per_user_gap").
sessions_per_user_gap_query = (
    events
    .withWatermark("eventTime", "2 seconds")
    .groupBy(
        F.session_window(F.col("eventTime"), F.when(F.col("key") == "ana", F.lit("2 seconds")).otherwise(F.lit("5 seconds"))),
        "key",
    )
    .count()
    .writeStream
    .format("memory")
    .outputMode("complete")
    .queryName("sessions_per_user_gap")
    .start()
)

# Wait for every query (one with trigger once or availableNow stops by itself).
for q in [sessions_query, sessions_per_user_gap_query]:
    q.awaitTermination()
