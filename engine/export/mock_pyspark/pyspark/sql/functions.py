from pyspark._mock import Obj

_NAMES = set("""col column lit expr window session_window window_time count sum avg mean min max first last collect_list collect_set
count_distinct countDistinct sum_distinct approx_count_distinct split explode lower upper length current_timestamp to_timestamp coalesce abs
concat struct substring trim concat_ws regexp_replace date_format hour minute second year month dayofmonth unix_timestamp from_unixtime when
asc desc""".split())


def __getattr__(name):
    if name not in _NAMES:
        raise AttributeError(f"pyspark.sql.functions has no function {name!r}")

    def fn(*args, **kwargs):
        allowed = {"first": {"ignorenulls"}, "last": {"ignorenulls"}, "approx_count_distinct": {"rsd"}}.get(name, set())
        if set(kwargs) - allowed:
            raise TypeError(f"functions.{name}() got unexpected keyword arguments {sorted(set(kwargs) - allowed)}")
        return Obj("Column")

    return fn
