/**
 * Ports of Spark's streaming/src/test/scala/org/apache/spark/streaming/BasicOperationsSuite.scala:
 * each case's input and expected output sequences are Spark's, cited by test name.
 * Scala's Some(x)/None are x/null here; tuples are 2-element arrays.
 */
import { describe, expect, it } from "vitest";
import type { DStream } from "./DStream";
import type { Pair, RDD } from "./RDD";
import { asSet, runOperation } from "./testHarness";

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Spark's testOperation(input, operation, expectedOutput, useSet). */
async function testOperation<U, V>(
  input: U[][],
  operation: (s: DStream<U>) => DStream<V>,
  expected: V[][],
  useSet = false,
): Promise<void> {
  const out = await runOperation<V>([input], ([s]) => operation(s as DStream<U>), expected.length);
  expect(out.length).toBe(expected.length);
  if (useSet) expect(out.map(asSet)).toEqual(expected.map(asSet));
  else expect(out).toEqual(expected);
}

/** Spark's two-input testOperation(input1, input2, operation, expectedOutput, useSet). */
async function testOperation2<U1, U2, V>(
  input1: U1[][],
  input2: U2[][],
  operation: (s1: DStream<U1>, s2: DStream<U2>) => DStream<V>,
  expected: unknown[][],
): Promise<void> {
  const out = await runOperation<V>(
    [input1, input2],
    ([a, b]) => operation(a as DStream<U1>, b as DStream<U2>),
    expected.length,
  );
  expect(out.map(asSet)).toEqual(expected.map(asSet));
}

const wordCountsInput = [["a", "a", "b"], ["", ""], []];

describe("BasicOperationsSuite (ported)", () => {
  it("map", async () => {
    const input = [range(1, 4), range(5, 8), range(9, 12)];
    await testOperation(input, (r) => r.map((x) => String(x)), input.map((b) => b.map(String)));
  });

  it("flatMap", async () => {
    const input = [range(1, 4), range(5, 8), range(9, 12)];
    await testOperation(input, (r) => r.flatMap((x) => [x, x * 2]), input.map((b) => b.flatMap((x) => [x, x * 2])));
  });

  it("filter", async () => {
    const input = [range(1, 4), range(5, 8), range(9, 12)];
    await testOperation(input, (r) => r.filter((x) => x % 2 === 0), input.map((b) => b.filter((x) => x % 2 === 0)));
  });

  it("glom (2 input partitions)", async () => {
    const input = [range(1, 4), range(5, 8), range(9, 12)];
    await testOperation(input, (r) => r.glom(), [
      [[1, 2], [3, 4]],
      [[5, 6], [7, 8]],
      [[9, 10], [11, 12]],
    ]);
  });

  it("mapPartitions", async () => {
    const input = [range(1, 4), range(5, 8), range(9, 12)];
    await testOperation(input, (r) => r.mapPartitions((it) => [it.reduce((a, b) => a + b, 0)]), [[3, 7], [11, 15], [19, 23]], true);
  });

  it("repartition (more partitions)", async () => {
    const input = [range(1, 100), range(101, 200), range(201, 300)];
    const out = await runOperation<number[]>([input], ([s]) => (s as DStream<number>).repartition(5).glom(), 3);
    expect(out.map((b) => b.length)).toEqual([5, 5, 5]);
    expect(out.map((b) => b.flat().sort((x, y) => x - y))).toEqual(input);
  });

  it("groupByKey", async () => {
    await testOperation(
      wordCountsInput,
      (s) => s.map((x) => [x, 1]).groupByKey(),
      [[["a", [1, 1]], ["b", [1]]], [["", [1, 1]]], []],
      true,
    );
  });

  it("reduceByKey", async () => {
    await testOperation(
      wordCountsInput,
      (s) => s.map((x) => [x, 1]).reduceByKey((a, b) => a + b),
      [[["a", 2], ["b", 1]], [["", 2]], []],
      true,
    );
  });

  it("reduce", async () => {
    await testOperation([range(1, 4), range(5, 8), range(9, 12)], (s) => s.reduce((a, b) => a + b), [[10], [26], [42]]);
  });

  it("count", async () => {
    await testOperation([[], range(1, 1), range(1, 2), range(1, 3), range(1, 4)], (s) => s.count(), [[0], [1], [2], [3], [4]]);
  });

  it("countByValue", async () => {
    await testOperation(
      [range(1, 1), [1, 1, 1], range(1, 2), [1, 1, 2, 2]],
      (s) => s.countByValue(),
      [[[1, 1]], [[1, 3]], [[1, 1], [2, 1]], [[2, 2], [1, 2]]],
      true,
    );
  });

  it("mapValues", async () => {
    await testOperation(
      wordCountsInput,
      (s) => s.map((x) => [x, 1]).reduceByKey((a, b) => a + b).mapValues((v) => v + 10),
      [[["a", 12], ["b", 11]], [["", 12]], []],
      true,
    );
  });

  it("flatMapValues", async () => {
    await testOperation(
      wordCountsInput,
      (s) => s.map((x) => [x, 1]).reduceByKey((a, b) => a + b).flatMapValues((x) => [x, x + 10]),
      [[["a", 2], ["a", 12], ["b", 1], ["b", 11]], [["", 2], ["", 12]], []],
      true,
    );
  });

  it("union", async () => {
    await testOperation(
      [range(1, 4), range(101, 104), range(201, 204)],
      (s) => s.union(s.map((x) => x + 4)),
      [range(1, 8), range(101, 108), range(201, 208)],
    );
  });

  it("StreamingContext.union", async () => {
    await testOperation(
      [range(1, 4), range(101, 104), range(201, 204)],
      (s) => s.context().union([s, s.map((x) => x + 4), s.map((x) => x + 8)]),
      [range(1, 12), range(101, 112), range(201, 212)],
    );
  });

  it("transform", async () => {
    const input = [range(1, 4), range(5, 8), range(9, 12)];
    await testOperation(input, (r) => r.transform((rdd) => rdd.map((x) => String(x))), input.map((b) => b.map(String)));
  });

  it("transform with NULL", async () => {
    await expect(
      testOperation([range(1, 4)], (r) => r.transform(() => null as unknown as RDD<number>), [[]]),
    ).rejects.toThrow(
      "Transform function must not return null. Return SparkContext.emptyRDD() instead to represent no element as the result of transformation.",
    );
  });

  it("transformWith", async () => {
    await testOperation2(
      [["a", "b"], ["a", ""], [""], []],
      [["a", "b"], ["b", ""], [], [""]],
      (s1, s2) => {
        const t1 = s1.map((x) => [x, 1]);
        const t2 = s2.map((x) => [x, "x"]);
        return t1.transformWith(t2, (r1, r2) => r1.join(r2));
      },
      [[["a", [1, "x"]], ["b", [1, "x"]]], [["", [1, "x"]]], [], []],
    );
  });

  it("StreamingContext.transform", async () => {
    await testOperation(
      [range(1, 4), range(101, 104), range(201, 204)],
      (s) =>
        s.context().transform([s, s.map((x) => x + 4), s.map((x) => x + 8)] as DStream<unknown>[], (rdds) =>
          (rdds[0] as RDD<unknown>).context.union(rdds as RDD<number>[]),
        ) as DStream<number>,
      [range(1, 12), range(101, 112), range(201, 212)],
    );
  });

  const in1 = [["a", "b"], ["a", ""], [""], []];
  const in2 = [["a", "b"], ["b", ""], [], [""]];

  it("cogroup", async () => {
    await testOperation2(
      [["a", "a", "b"], ["a", ""], [""], []],
      [["a", "a", "b"], ["b", ""], [], []],
      (s1, s2) => s1.map((x) => [x, 1]).cogroup(s2.map((x) => [x, "x"])),
      [
        [["a", [[1, 1], ["x", "x"]]], ["b", [[1], ["x"]]]],
        [["a", [[1], []]], ["b", [[], ["x"]]], ["", [[1], ["x"]]]],
        [["", [[1], []]]],
        [],
      ],
    );
  });

  it("join", async () => {
    await testOperation2(in1, in2, (s1, s2) => s1.map((x) => [x, 1]).join(s2.map((x) => [x, "x"])), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]]],
      [],
      [],
    ]);
  });

  it("leftOuterJoin", async () => {
    await testOperation2(in1, in2, (s1, s2) => s1.map((x) => [x, 1]).leftOuterJoin(s2.map((x) => [x, "x"])), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]], ["a", [1, null]]],
      [["", [1, null]]],
      [],
    ]);
  });

  it("rightOuterJoin", async () => {
    await testOperation2(in1, in2, (s1, s2) => s1.map((x) => [x, 1]).rightOuterJoin(s2.map((x) => [x, "x"])), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]], ["b", [null, "x"]]],
      [],
      [["", [null, "x"]]],
    ]);
  });

  it("fullOuterJoin", async () => {
    await testOperation2(in1, in2, (s1, s2) => s1.map((x) => [x, 1]).fullOuterJoin(s2.map((x) => [x, "x"])), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]], ["a", [1, null]], ["b", [null, "x"]]],
      [["", [1, null]]],
      [["", [null, "x"]]],
    ]);
  });

  const stateInput = [["a"], ["a", "b"], ["a", "b", "c"], ["a", "b"], ["a"], []];

  it("updateStateByKey", async () => {
    await testOperation(
      stateInput,
      (s) =>
        s.map((x) => [x, 1]).updateStateByKey((values: number[], state: number | undefined) =>
          values.reduce((a, b) => a + b, 0) + (state ?? 0),
        ),
      [
        [["a", 1]],
        [["a", 2], ["b", 1]],
        [["a", 3], ["b", 2], ["c", 1]],
        [["a", 4], ["b", 3], ["c", 1]],
        [["a", 5], ["b", 3], ["c", 1]],
        [["a", 5], ["b", 3], ["c", 1]],
      ],
      true,
    );
  });

  it("updateStateByKey - simple with initial value RDD", async () => {
    const initial: Pair<string, number>[] = [["a", 1], ["c", 2]];
    await testOperation(
      stateInput,
      (s) =>
        s
          .map((x) => [x, 1])
          .updateStateByKey(
            (values: number[], state: number | undefined) => values.reduce((a, b) => a + b, 0) + (state ?? 0),
            2,
            s.context().sparkContext.parallelize(initial),
          ),
      [
        [["a", 2], ["c", 2]],
        [["a", 3], ["b", 1], ["c", 2]],
        [["a", 4], ["b", 2], ["c", 3]],
        [["a", 5], ["b", 3], ["c", 3]],
        [["a", 6], ["b", 3], ["c", 3]],
        [["a", 6], ["b", 3], ["c", 3]],
      ],
      true,
    );
  });

  it("updateStateByKey - returning undefined removes a key (Spark's None)", async () => {
    // A key lives while it keeps receiving values (Spark's "object lifecycle" idea).
    await testOperation(
      [["a", "b"], ["a"], [], ["b"]],
      (s) =>
        s.map((x) => [x, 1]).updateStateByKey((values: number[], state: number | undefined) =>
          values.length === 0 ? undefined : values.length + (state ?? 0),
        ),
      [[["a", 1], ["b", 1]], [["a", 2]], [], [["b", 1]]],
      true,
    );
  });
});
