#!/usr/bin/env python3
# Stream-static join
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Stream-static join")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Stream-static join

# %% Cell 2
rate = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 4)
    .load()
)

static_df = spark.createDataFrame(
    [
        ("s0", "kitchen"),
        ("s1", "hall"),
        ("s2", "attic"),
    ],
    "sensor string, room string",
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM inner_join").
inner_join_query = (
    rate
    .withColumn("sensor", F.concat(F.lit("s"), (F.col("value") % 4).cast("string")))
    .join(static_df, ["sensor"], "inner")
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("inner_join")
    .start()
)

# %% Cell 3
# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM left_outer_join").
left_outer_join_query = (
    rate
    .withColumn("sensor", F.concat(F.lit("s"), (F.col("value") % 4).cast("string")))
    .join(static_df, ["sensor"], "left_outer")
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("left_outer_join")
    .start()
)

# Wait for every query (one with trigger once or availableNow stops by itself).
for q in [inner_join_query, left_outer_join_query]:
    q.awaitTermination()
