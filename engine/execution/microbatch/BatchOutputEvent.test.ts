import { describe, expect, it } from "vitest";
import { BatchOutputEvent } from "./BatchOutputEvent";

describe("BatchOutputEvent", () => {
  const data = { numRows: 1, columns: [{ dataType: "long" as const, length: 1, values: Float64Array.from([7]), nulls: null }] };
  const make = (onRows: () => void) =>
    new BatchOutputEvent("id-1", "run-1", "q", 3, "append", "memory", [{ name: "n", type: "long", nullable: false }], () => (onRows(), [{ n: 7 }]), data);

  it("builds its rows only when read", () => {
    let built = 0;
    const e = make(() => built++);
    expect(built).toBe(0);
    expect(e.rows).toEqual([{ n: 7 }]);
    expect(built).toBe(1);
  });

  it("shows every field, rows included, when logged as JSON (a cell's console.log), and can be structured-cloned", () => {
    const e = make(() => {});
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      id: "id-1",
      runId: "run-1",
      name: "q",
      batchId: 3,
      outputMode: "append",
      sink: "memory",
      schema: [{ name: "n", type: "long", nullable: false }],
      rows: [{ n: 7 }],
      data: { numRows: 1, columns: [{ dataType: "long", length: 1, values: { "0": 7 }, nulls: null }] },
    });
    expect(Object.keys(e)).not.toContain("getRows");
    expect(() => structuredClone(e)).not.toThrow();
  });
});
