from pyspark._mock import Obj


def StreamingContext(sparkContext, batchDuration):
    if not isinstance(batchDuration, (int, float)):
        raise TypeError("batchDuration is a number of seconds")
    return Obj("StreamingContext")
