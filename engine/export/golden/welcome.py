#!/usr/bin/env python3
# Rate source basics
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Rate source basics")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Rate source basics

# %% Cell 2
rate = (
    spark.readStream
    .format("rate")
    .option("rowsPerSecond", 5)
    .load()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM rates").
rates_query = (
    rate
    .withColumn("even", (F.col("value") % 2) == 0)
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("rates")
    .start()
)

rates_query.awaitTermination()
