from pyspark._mock import Obj


class SparkSession:
    builder = Obj("SparkSessionBuilder")
