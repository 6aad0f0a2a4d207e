#!/usr/bin/env python3
# DStream network word count
#
# Exported from Streaming Playground. Run it on Spark with:
#   spark-submit <this file>.py [--help for the paths it takes]

import argparse

from pyspark import SparkContext
from pyspark.streaming import StreamingContext

parser = argparse.ArgumentParser(description="DStream network word count")
args = parser.parse_args()

sc = SparkContext("local[2]", "NetworkWordCount")

## Network Word Count with DStreams

# %% Cell 2
ssc = StreamingContext(sc, 2)
lines = ssc.socketTextStream("127.0.0.1", 9999)
lines.flatMap(lambda line: line.split(" ")).map(lambda word: (word, 1)).reduceByKey(lambda a, b: a + b).pprint()
lines.window(6, 2).count().pprint()

ssc.start()

ssc.awaitTermination()
