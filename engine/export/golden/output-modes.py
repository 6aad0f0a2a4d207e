#!/usr/bin/env python3
# The three output modes side by side
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="The three output modes side by side")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Output modes

# %% Cell 2
rate = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 4)
    .load()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM complete_counts").
complete_counts_query = (
    rate
    .withWatermark("timestamp", "2 seconds")
    .groupBy(F.window(F.col("timestamp"), "5 seconds"))
    .count()
    .writeStream
    .format("memory")
    .outputMode("complete")
    .queryName("complete_counts")
    .start()
)

# %% Cell 3
rate_2 = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 4)
    .load()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM update_counts").
update_counts_query = (
    rate_2
    .withWatermark("timestamp", "2 seconds")
    .groupBy(F.window(F.col("timestamp"), "5 seconds"))
    .count()
    .writeStream
    .format("memory")
    .outputMode("update")
    .queryName("update_counts")
    .start()
)

# %% Cell 4
rate_3 = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 4)
    .load()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM append_counts").
append_counts_query = (
    rate_3
    .withWatermark("timestamp", "2 seconds")
    .groupBy(F.window(F.col("timestamp"), "5 seconds"))
    .count()
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("append_counts")
    .start()
)

# Wait for every query (one with trigger once or availableNow stops by itself).
for q in [complete_counts_query, update_counts_query, append_counts_query]:
    q.awaitTermination()
