#!/usr/bin/env python3
# Structured word count from a socket
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Structured word count from a socket")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Structured Network Word Count

# %% Cell 2
# The playground reads these lines from a WebSocket; Spark's socket source reads a TCP socket
# (`nc -lk 9999`, or a bridge from `npm run feed`: see the README, "Running on a real Spark cluster").
lines = (
    spark.readStream
    .format("socket")
    .option("host", "127.0.0.1")
    .option("port", 9999)
    .load()
)

query = (
    lines
    .select(F.explode(F.split(F.col("value"), " ")).alias("word"))
    .groupBy("word")
    .count()
    .writeStream
    .format("console")
    .outputMode("complete")
    .start()
)

query.awaitTermination()
