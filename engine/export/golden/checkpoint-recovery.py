#!/usr/bin/env python3
# Checkpoint and recovery
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse
import os

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="Checkpoint and recovery")
parser.add_argument("--output-out-recovery", dest="output_out_recovery", default="out/recovery", help="folder the json sink writes (the playground's virtual folder out/recovery)")
parser.add_argument("--checkpoint-root", dest="checkpoint_root", default="checkpoints", help="directory (local, HDFS, S3…) under which each query keeps its checkpoint")
args = parser.parse_args()

spark = (
    SparkSession.builder
    .appName("StreamingPlayground")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

## Checkpoint and recovery

# %% Cell 2
rate_micro_batch = (
    spark.readStream
    .format("rate-micro-batch")
    .option("rowsPerBatch", 5)
    .load()
)

# The playground's virtual folder "out/recovery" → a path given to the script (--help).
query = (
    rate_micro_batch
    .writeStream
    .format("json")
    .outputMode("append")
    .option("path", args.output_out_recovery)
    .option("checkpointLocation", os.path.join(args.checkpoint_root, "cp/recovery"))
    .trigger(processingTime="500 milliseconds")
    .start()
)

# %% Cell 3
# (no streaming query started here: nothing to export)

query.awaitTermination()
