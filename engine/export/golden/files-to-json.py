#!/usr/bin/env python3
# Files in → JSON out
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]
#
# Notes on the export:
# - cell 3 stopped during the export (queries do not run while exporting, so reading their output fails): see the comment in that cell.

import argparse
import os

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Files in → JSON out")
parser.add_argument("--input-in-orders", dest="input_in_orders", default="in/orders", help="folder read by the csv source (the playground's virtual folder in/orders)")
parser.add_argument("--output-out-orders", dest="output_out_orders", default="out/orders", help="folder the json sink writes (the playground's virtual folder out/orders)")
parser.add_argument("--checkpoint-root", dest="checkpoint_root", default="checkpoints", help="directory (local, HDFS, S3…) under which each query keeps its checkpoint")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Files in, JSON out

# %% Cell 2
# (no streaming query started here: nothing to export)

# %% Cell 3
# During the export this cell stopped with AnalysisException: [PATH_NOT_FOUND] Path does not exist: out/orders.; what it started before that is exported.
# The playground's virtual folder "in/orders" → a path given to the script (--help).
csv_files = (
    spark.readStream
    .format("csv")
    .schema("id bigint, item string, amount double, _corrupt_record string")
    .option("header", True)
    .option("maxFilesPerTrigger", 1)
    .load(args.input_in_orders)
)

# The playground's virtual folder "out/orders" → a path given to the script (--help).
query = (
    csv_files
    .writeStream
    .format("json")
    .outputMode("append")
    .option("path", args.output_out_orders)
    .option("checkpointLocation", os.path.join(args.checkpoint_root, "cp/orders"))
    .trigger(availableNow=True)
    .start()
)

query.awaitTermination()
