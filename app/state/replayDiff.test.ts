import { describe, expect, it } from "vitest";
import type { WireField } from "../../engine/worker/protocol";
import { diffResults } from "./replayDiff";

const schema: WireField[] = [
  { name: "window", type: "struct<start:timestamp,end:timestamp>", nullable: false },
  { name: "key", type: "string", nullable: true },
  { name: "events", type: "long", nullable: false },
];
const w = (s: number) => ({ start: s, end: s + 10 });

describe("diffResults", () => {
  it("lines rows up by the grouping columns and marks what differs", () => {
    const d = diffResults(schema, ["window", "key"], [[w(0), "a", 2], [w(0), "b", 1], [w(10), "a", 5]], [[w(0), "a", 3], [w(0), "b", 1], [w(20), "a", 1]]);
    expect(d.counts).toEqual({ same: 1, changed: 1, "only-left": 1, "only-right": 1 });
    expect(d.rows.map((r) => r.kind)).toEqual(["changed", "same", "only-left", "only-right"]);
    expect(d.keyColumns).toEqual(["window", "key"]);
  });
  it("never merges rows with the same key: they are matched in order", () => {
    const num: WireField[] = [
      { name: "window", type: "struct<start:timestamp,end:timestamp>", nullable: false },
      { name: "user", type: "long", nullable: false },
      { name: "n", type: "long", nullable: false },
    ];
    const d = diffResults(num, null, [[w(0), 1, 5], [w(0), 2, 7]], [[w(0), 1, 5], [w(0), 2, 8]]);
    expect(d.rows).toHaveLength(2);
    expect(d.counts).toEqual({ same: 1, changed: 1, "only-left": 0, "only-right": 0 });
  });
  it("keys by the non-numeric columns when the grouping columns are unknown", () => {
    const d = diffResults(schema, null, [[w(0), "a", 2]], [[w(0), "a", 4]]);
    expect(d.keyColumns).toEqual(["window", "key"]);
    expect(d.counts.changed).toBe(1);
  });
});
