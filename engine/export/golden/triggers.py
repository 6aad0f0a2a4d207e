#!/usr/bin/env python3
# Triggers compared
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Triggers compared")
parser.add_argument("--input-in-triggers", dest="input_in_triggers", default="in/triggers", help="folder read by the json source (the playground's virtual folder in/triggers)")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Triggers

# %% Cell 2
# The playground's virtual folder "in/triggers" → a path given to the script (--help).
json_files = (
    spark.readStream
    .format("json")
    .schema("n bigint")
    .option("maxFilesPerTrigger", 1)
    .load(args.input_in_triggers)
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM default_trigger").
default_trigger_query = (
    json_files
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("default_trigger")
    .start()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM every_2_seconds").
every_2_seconds_query = (
    json_files
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("every_2_seconds")
    .trigger(processingTime="2 seconds")
    .start()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM available_now").
available_now_query = (
    json_files
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("available_now")
    .trigger(availableNow=True)
    .start()
)

# The memory sink keeps the result table in the driver: spark.sql("SELECT * FROM once").
once_query = (
    json_files
    .writeStream
    .format("memory")
    .outputMode("append")
    .queryName("once")
    .trigger(once=True)
    .start()
)

# Wait for every query (one with trigger once or availableNow stops by itself).
for q in [default_trigger_query, every_2_seconds_query, available_now_query, once_query]:
    q.awaitTermination()
