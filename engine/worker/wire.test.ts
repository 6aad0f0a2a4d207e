import { describe, expect, it } from "vitest";
import { ColumnBuilder } from "../execution/ColumnarBatch";
import { estimateBytes, toWireColumns, wireColumnsToRows } from "./wire";

describe("toWireColumns", () => {
  it("sends numbers in transferable Float64Arrays and other values as arrays, from a row on", () => {
    const n = new ColumnBuilder("long", 4);
    const s = new ColumnBuilder("string", 4);
    for (const [v, w] of [[1, "a"], [null, "b"], [3, null], [4, "d"]] as const) {
      n.append(v);
      s.append(w);
    }
    const { columns, transfer, bytes } = toWireColumns({ numRows: 4, columns: [n.build(), s.build()] }, 1);
    expect(columns[0]!.kind).toBe("f64");
    expect(columns[1]).toEqual({ kind: "values", values: ["b", null, "d"] });
    expect(transfer.length).toBeGreaterThanOrEqual(1);
    expect(transfer[0]!.byteLength).toBe(3 * 8); // a copy of the rows sent, not the whole column
    expect(bytes).toBeGreaterThan(24);
    expect(wireColumnsToRows(columns, 3)).toEqual([[null, "b"], [3, null], [4, "d"]]);
  });
  it("estimates what structured clone carries", () => {
    expect(estimateBytes(new Float64Array(10))).toBe(80);
    expect(estimateBytes("abc")).toBe(10);
    expect(estimateBytes([1, 2])).toBe(24);
  });
});
