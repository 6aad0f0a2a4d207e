/**
 * Ports of Spark's streaming/src/test/scala/org/apache/spark/streaming/WindowOperationsSuite.scala
 * (batch duration 1 s): inputs and expected outputs are Spark's, cited by test name.
 * numBatches = expectedOutput.size × slide / batch, as in Spark's helpers.
 */
import { describe, expect, it } from "vitest";
import type { DStream } from "./DStream";
import type { Pair } from "./RDD";
import { asSet, runOperation } from "./testHarness";

type KV = Pair<string, number>;

async function testOperation<U, V>(
  input: U[][],
  operation: (s: DStream<U>) => DStream<V>,
  expected: unknown[][],
  slideSeconds = 1,
): Promise<void> {
  const out = await runOperation<V>([input], ([s]) => operation(s as DStream<U>), expected.length * slideSeconds);
  expect(out.map(asSet)).toEqual(expected.map(asSet));
}

const largerSlideInput: KV[][] = [[["a", 1]], [["a", 2]], [["a", 3]], [["a", 4]], [["a", 5]], [["a", 6]], [], []];
const largerSlideReduceOutput = [[["a", 3]], [["a", 10]], [["a", 18]], [["a", 11]]];

const bigInput: KV[][] = [
  [["a", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1], ["b", 1], ["c", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1]],
  [],
  [["a", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1], ["b", 1], ["c", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1]],
  [],
];

const bigGroupByOutput = [
  [["a", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1]]],
  [["a", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1]]],
];

const bigReduceOutput = [
  [["a", 1]],
  [["a", 2], ["b", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1]],
  [["a", 1]],
  [["a", 1]],
  [["a", 2], ["b", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1]],
  [["a", 1]],
];

// With an inverse function but no filter, keys stay in the window with value 0 (Spark's comment).
const bigReduceInvOutput = [
  [["a", 1]],
  [["a", 2], ["b", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1], ["c", 0]],
  [["a", 1], ["b", 0], ["c", 0]],
  [["a", 1], ["b", 0], ["c", 0]],
  [["a", 2], ["b", 1], ["c", 0]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1], ["c", 0]],
  [["a", 1], ["b", 0], ["c", 0]],
];

const six = [[0], [1], [2], [3], [4], [5]];

describe("WindowOperationsSuite (ported)", () => {
  it("window - basic window", async () => {
    await testOperation(six, (s) => s.window(2, 1), [[0], [0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
  });
  it("window - tumbling window", async () => {
    await testOperation(six, (s) => s.window(2, 2), [[0, 1], [2, 3], [4, 5]], 2);
  });
  it("window - larger window", async () => {
    await testOperation(six, (s) => s.window(4, 2), [[0, 1], [0, 1, 2, 3], [2, 3, 4, 5], [4, 5]], 2);
  });
  it("window - non-overlapping window", async () => {
    await testOperation(six, (s) => s.window(2, 3), [[1, 2], [4, 5]], 3);
  });

  const naive = (w = 2, sl = 1) => (s: DStream<KV>) => s.reduceByKeyAndWindow((x, y) => x + y, null, w, sl);
  const inverse = (w = 2, sl = 1) => (s: DStream<KV>) =>
    s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, w, sl).checkpoint(100);

  const cases: [string, KV[][], unknown[][], unknown[][]][] = [
    ["basic reduction", [[["a", 1], ["a", 3]]], [[["a", 4]]], [[["a", 4]]]],
    [
      "key already in window and new value added into window",
      [[["a", 1]], [["a", 1]]],
      [[["a", 1]], [["a", 2]]],
      [[["a", 1]], [["a", 2]]],
    ],
    [
      "new key added into window",
      [[["a", 1]], [["a", 1], ["b", 1]]],
      [[["a", 1]], [["a", 2], ["b", 1]]],
      [[["a", 1]], [["a", 2], ["b", 1]]],
    ],
    [
      "key removed from window",
      [[["a", 1]], [["a", 1]], [], []],
      [[["a", 1]], [["a", 2]], [["a", 1]], []],
      [[["a", 1]], [["a", 2]], [["a", 1]], [["a", 0]]],
    ],
    ["big test", bigInput, bigReduceOutput, bigReduceInvOutput],
  ];
  for (const [name, input, expectedNaive, expectedInverse] of cases) {
    it(`reduceByKeyAndWindow - ${name}`, async () => {
      await testOperation(input, naive(), expectedNaive);
    });
    it(`reduceByKeyAndWindow with inverse function - ${name}`, async () => {
      await testOperation(input, inverse(), expectedInverse);
    });
  }
  it("reduceByKeyAndWindow - larger slide time", async () => {
    await testOperation(largerSlideInput, naive(4, 2), largerSlideReduceOutput, 2);
  });
  it("reduceByKeyAndWindow with inverse function - larger slide time", async () => {
    await testOperation(largerSlideInput, inverse(4, 2), largerSlideReduceOutput, 2);
  });
  it("reduceByKeyAndWindow with inverse and filter functions - big test", async () => {
    await testOperation(
      bigInput,
      (s: DStream<KV>) => s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1, undefined, ([, v]) => v !== 0).persist(),
      bigReduceOutput,
    );
  });
  it("groupByKeyAndWindow", async () => {
    await testOperation(bigInput, (s: DStream<KV>) => s.groupByKeyAndWindow(2, 1), bigGroupByOutput);
  });
  it("countByWindow", async () => {
    await testOperation([[1], [1], [1, 2], [0], [], []], (s) => s.countByWindow(2, 1), [[1], [2], [3], [3], [1], [0]]);
  });
  it("countByValueAndWindow", async () => {
    await testOperation([["a"], ["b", "b"], ["a", "b"]], (s) => s.countByValueAndWindow(2, 1), [
      [["a", 1]],
      [["a", 1], ["b", 2]],
      [["a", 1], ["b", 3]],
    ]);
  });
  it("reduceByWindow with and without inverse (same results)", async () => {
    const input = [[1], [2], [3], [4]];
    const expected = [[1], [3], [5], [7]];
    await testOperation(input, (s: DStream<number>) => s.reduceByWindow((a, b) => a + b, null, 2, 1), expected);
    await testOperation(input, (s: DStream<number>) => s.reduceByWindow((a, b) => a + b, (a, b) => a - b, 2, 1), expected);
  });
  it("durations may be interval strings", async () => {
    await testOperation(six, (s) => s.window("2 seconds", "2 seconds"), [[0, 1], [2, 3], [4, 5]], 2);
  });
});
