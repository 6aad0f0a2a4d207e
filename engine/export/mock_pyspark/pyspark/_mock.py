"""A stand-in for PySpark used by the export tests (engine/export/*.test.ts): it runs an
exported script end to end without Spark and fails on any name or keyword argument that
PySpark's API does not have. Method lists follow pyspark.sql / pyspark.streaming (3.5)."""

KINDS = {
    "SparkSessionBuilder": {"appName": "SparkSessionBuilder", "master": "SparkSessionBuilder", "config": "SparkSessionBuilder", "getOrCreate": "SparkSession"},
    "SparkSession": {"sql": "DataFrame", "table": "DataFrame", "createDataFrame": "DataFrame", "stop": None},
    "DataStreamReader": {"format": "DataStreamReader", "option": "DataStreamReader", "options": "DataStreamReader", "schema": "DataStreamReader",
                         "load": "DataFrame", "json": "DataFrame", "csv": "DataFrame", "text": "DataFrame", "parquet": "DataFrame", "orc": "DataFrame", "table": "DataFrame"},
    "DataFrame": {n: "DataFrame" for n in ["select", "selectExpr", "filter", "where", "withColumn", "withColumns", "withColumnRenamed", "drop", "withWatermark",
                                          "dropDuplicates", "dropDuplicatesWithinWatermark", "join", "crossJoin", "union", "unionAll", "unionByName",
                                          "orderBy", "sort", "limit", "distinct"]},
    "GroupedData": {n: "DataFrame" for n in ["agg", "count", "sum", "avg", "mean", "min", "max"]},
    "DataStreamWriter": {"format": "DataStreamWriter", "outputMode": "DataStreamWriter", "queryName": "DataStreamWriter", "option": "DataStreamWriter",
                         "options": "DataStreamWriter", "trigger": "DataStreamWriter", "foreachBatch": "DataStreamWriter", "foreach": "DataStreamWriter",
                         "partitionBy": "DataStreamWriter", "start": "StreamingQuery"},
    "StreamingQuery": {"awaitTermination": None, "stop": None, "processAllAvailable": None},
    "StreamingQueryManager": {"awaitAnyTermination": None},
    "Column": {n: "Column" for n in ["alias", "name", "cast", "astype", "getField", "getItem", "isNull", "isNotNull", "like", "rlike", "eqNullSafe", "asc", "desc",
                                     "asc_nulls_first", "asc_nulls_last", "desc_nulls_first", "desc_nulls_last", "when", "otherwise", "between", "isin",
                                     "startswith", "endswith", "contains", "substr"]},
    "SparkContext": {"parallelize": "RDD", "stop": None, "setLogLevel": None},
    "StreamingContext": {"socketTextStream": "DStream", "textFileStream": "DStream", "queueStream": "DStream", "union": "DStream", "checkpoint": None,
                         "remember": None, "start": None, "awaitTermination": None, "awaitTerminationOrTimeout": None, "stop": None},
    "DStream": {n: "DStream" for n in ["map", "flatMap", "filter", "mapPartitions", "glom", "repartition", "union", "transform", "count", "countByValue",
                                       "reduce", "reduceByKey", "groupByKey", "combineByKey", "mapValues", "flatMapValues", "cogroup", "join", "leftOuterJoin",
                                       "rightOuterJoin", "fullOuterJoin", "window", "reduceByWindow", "countByWindow", "countByValueAndWindow",
                                       "reduceByKeyAndWindow", "groupByKeyAndWindow", "updateStateByKey", "cache", "persist", "checkpoint"]},
    "RDD": {},
}
KINDS["DataFrame"].update({"show": None, "printSchema": None, "explain": None, "collect": None})
KINDS["DStream"].update({"pprint": None, "foreachRDD": None, "saveAsTextFiles": None})
KWARGS = {
    ("DataStreamWriter", "trigger"): {"processingTime", "once", "continuous", "availableNow"},
    ("DataStreamWriter", "start"): {"path", "format", "outputMode", "partitionBy", "queryName"},
    ("SparkSession", "createDataFrame"): {"schema"},
}


class Obj:
    def __init__(self, kind):
        object.__setattr__(self, "_kind", kind)

    def __getattr__(self, name):
        kind = self._kind
        if kind == "DataFrame" and name == "writeStream":
            return Obj("DataStreamWriter")
        if kind == "DataFrame" and name == "groupBy":
            return lambda *a: Obj("GroupedData")
        if kind == "SparkSession" and name == "readStream":
            return Obj("DataStreamReader")
        if kind == "SparkSession" and name == "streams":
            return Obj("StreamingQueryManager")
        if kind == "SparkSession" and name == "sparkContext":
            return Obj("SparkContext")
        methods = KINDS[kind]
        if name not in methods:
            raise AttributeError(f"PySpark's {kind} has no attribute {name!r}")
        allowed = KWARGS.get((kind, name), set())

        def call(*args, **kwargs):
            bad = set(kwargs) - allowed
            if bad:
                raise TypeError(f"{kind}.{name}() got unexpected keyword arguments {sorted(bad)}")
            if kind == "DataStreamWriter" and name == "trigger" and len(kwargs) != 1:
                raise ValueError("trigger() takes exactly one trigger")
            result = methods[name]
            return None if result is None else Obj(result)

        return call

    def __getitem__(self, key):
        return Obj("Column")

    def _op(self, *other):
        return Obj("Column")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _op
    __mod__ = __rmod__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _op
    __and__ = __rand__ = __or__ = __ror__ = __invert__ = __neg__ = _op

    def __bool__(self):
        raise ValueError("Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not'")

    __hash__ = object.__hash__
