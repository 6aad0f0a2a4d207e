import { describe, expect, it } from "vitest";
import { pyRepr, pyStr } from "./pyRepr";
import { SparkContext } from "./SparkContext";

const sc = new SparkContext("local[2]", "rdd-test");

describe("SparkContext.parallelize", () => {
  it("slices as Spark's ParallelCollectionRDD and defaults to defaultParallelism", () => {
    expect(sc.parallelize([1, 2, 3, 4, 5], 2).glom().collect()).toEqual([[1, 2], [3, 4, 5]]);
    expect(sc.parallelize([1, 2, 3]).getNumPartitions()).toBe(2);
    expect(sc.parallelize([], 3).glom().collect()).toEqual([[], [], []]);
    expect(() => sc.parallelize([1], 0)).toThrow("Positive number of partitions required");
  });
});

describe("RDD", () => {
  const words = sc.parallelize(["a b", "b c", "b"], 2).flatMap((l) => l.split(" "));

  it("actions: collect, count, take, first, isEmpty, reduce, fold, sum, countByValue", () => {
    expect(words.collect()).toEqual(["a", "b", "b", "c", "b"]);
    expect(words.count()).toBe(5);
    expect(words.take(2)).toEqual(["a", "b"]);
    expect(words.first()).toBe("a");
    expect(words.isEmpty()).toBe(false);
    expect(sc.emptyRDD<number>().isEmpty()).toBe(true);
    expect(sc.parallelize([1, 2, 3, 4]).reduce((a, b) => a + b)).toBe(10);
    expect(sc.parallelize([1, 2, 3, 4], 2).fold(0, (a, b) => a + b)).toBe(10);
    expect(sc.parallelize([1, 2, 3]).sum()).toBe(6);
    expect([...words.countByValue()]).toEqual([["a", 1], ["b", 3], ["c", 1]]);
    expect(() => sc.emptyRDD<number>().reduce((a, b) => a + b)).toThrow("empty collection");
    expect(() => sc.emptyRDD<number>().first()).toThrow("empty collection");
  });

  it("pair operations compare keys by value (tuples as keys)", () => {
    const pairs = sc.parallelize<[number, string], number>([[[1, "x"], 1], [[1, "x"], 2], [[2, "y"], 5]]);
    expect(pairs.reduceByKey((a, b) => a + b).sortByKey().collect()).toEqual([[[1, "x"], 3], [[2, "y"], 5]]);
  });

  it("reduceByKey, groupByKey, mapValues, keys, values, countByKey, collectAsMap, distinct, sortBy", () => {
    const counts = words.map((w) => [w, 1]).reduceByKey((a, b) => a + b, 3);
    expect(counts.getNumPartitions()).toBe(3);
    expect(counts.sortByKey().collect()).toEqual([["a", 1], ["b", 3], ["c", 1]]);
    expect(words.map((w) => [w, 1]).groupByKey().sortByKey().collect()).toEqual([["a", [1]], ["b", [1, 1, 1]], ["c", [1]]]);
    expect(counts.mapValues((v) => v * 10).sortByKey(false).values().collect()).toEqual([10, 30, 10]);
    expect(counts.keys().sortBy((k) => k).collect()).toEqual(["a", "b", "c"]);
    expect([...words.map((w) => [w, 0]).countByKey()].sort()).toEqual([["a", 1], ["b", 3], ["c", 1]]);
    expect(counts.collectAsMap().get("b")).toBe(3);
    expect(words.distinct().sortBy((x) => x).collect()).toEqual(["a", "b", "c"]);
    expect(sc.parallelize([3, 1, 2]).sortBy((x) => x, false).collect()).toEqual([3, 2, 1]);
  });

  it("joins", () => {
    const a = sc.parallelize<string, number>([["k", 1], ["l", 2]]);
    const b = sc.parallelize<string, string>([["k", "x"], ["m", "y"]]);
    expect(a.join(b).collect()).toEqual([["k", [1, "x"]]]);
    expect(a.leftOuterJoin(b).sortByKey().collect()).toEqual([["k", [1, "x"]], ["l", [2, null]]]);
    expect(a.rightOuterJoin(b).sortByKey().collect()).toEqual([["k", [1, "x"]], ["m", [null, "y"]]]);
    expect(a.fullOuterJoin(b).sortByKey().collect()).toEqual([["k", [1, "x"]], ["l", [2, null]], ["m", [null, "y"]]]);
    expect(a.cogroup(b).sortByKey().collect()).toEqual([["k", [[1], ["x"]]], ["l", [[2], []]], ["m", [[], ["y"]]]]);
    expect(a.union(a).count()).toBe(4);
  });
});

describe("pyRepr / pyStr (PySpark's printed forms)", () => {
  it("prints tuples, strings, None, booleans, lists, dicts as Python does", () => {
    expect(pyStr(["a", 1])).toBe("('a', 1)");
    expect(pyStr(["a", [1, "x"]])).toBe("('a', (1, 'x'))");
    expect(pyStr(["a", [null, true]])).toBe("('a', (None, True))");
    expect(pyStr("plain")).toBe("plain");
    expect(pyStr(42)).toBe("42");
    expect(pyStr(1.5)).toBe("1.5");
    expect(pyStr([1, 2, 3])).toBe("[1, 2, 3]");
    expect(pyStr(["k", [1, 1, 1]])).toBe("('k', [1, 1, 1])");
    expect(pyStr({ a: 1, b: "x" })).toBe("{'a': 1, 'b': 'x'}");
    expect(pyRepr("it's")).toBe(`"it's"`);
    expect(pyRepr("a\nb")).toBe("'a\\nb'");
    expect(pyStr(NaN)).toBe("nan");
  });
});
