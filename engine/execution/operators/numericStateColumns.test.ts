import { describe, expect, it } from "vitest";
import { WINDOW_TYPE } from "../../expressions/types";
import { NumericStateTable } from "../../state/NumericStateTable";
import { getValue } from "../ColumnarBatch";
import { TypedWindowColumn } from "../TypedWindowColumn";
import { gatherRecords, windowColumn } from "./numericStateColumns";

/** A table of (window start, window end, key) → count, with the given rows inserted. */
function tableOf(rows: readonly (readonly [number | null, number | null, number])[]): { table: NumericStateTable; es: number[] } {
  const table = new NumericStateTable(3, 1);
  const es = rows.map(([s, e, k]) => {
    const key = Float64Array.from([s ?? 0, e ?? 0, k]);
    const nulls = Uint8Array.from([s === null ? 1 : 0, e === null ? 1 : 0, 0]);
    return table.insert(key, nulls, table.hashOf(key, nulls));
  });
  return { table, es };
}

describe("windowColumn", () => {
  it("emits the windows typed, as TypedWindowColumn, in the order of the entries asked for", () => {
    const { table, es } = tableOf([
      [0, 60, 1],
      [60, 120, 2],
      [0, 60, 3],
    ]);
    const c = windowColumn(table, [es[2]!, es[1]!, es[0]!], 0, 1, 0, WINDOW_TYPE);
    expect(c).toBeInstanceOf(TypedWindowColumn);
    expect([...(c as TypedWindowColumn).starts]).toEqual([0, 60, 0]);
    expect([...(c as TypedWindowColumn).ends]).toEqual([60, 120, 60]);
    expect(c.values).toEqual([
      { start: 0, end: 60 },
      { start: 60, end: 120 },
      { start: 0, end: 60 },
    ]);
  });

  it("keeps null windows (a null event time) as nulls, in an object column", () => {
    const { table, es } = tableOf([
      [0, 60, 1],
      [null, null, 2],
    ]);
    const c = windowColumn(table, es, 0, 1, 0, WINDOW_TYPE);
    expect(c).not.toBeInstanceOf(TypedWindowColumn);
    expect([getValue(c, 0), getValue(c, 1)]).toEqual([{ start: 0, end: 60 }, null]);
  });
});

describe("gatherRecords", () => {
  it("reads the asked slots of each entry, in the order of the entries, for 4 slots and for others", () => {
    const { table, es } = tableOf([
      [0, 60, 1],
      [60, 120, 2],
      [0, 60, 3],
    ]);
    es.forEach((e, i) => (table.data[table.valueOffset(e)] = 10 * (i + 1)));
    const order = [es[2]!, es[0]!, es[1]!];
    expect(gatherRecords(table, order, [0, 1, 2, 3]).map((c) => [...c])).toEqual([
      [0, 0, 60],
      [60, 60, 120],
      [3, 1, 2],
      [30, 10, 20],
    ]);
    expect(gatherRecords(table, order, [2, 3]).map((c) => [...c])).toEqual([
      [3, 1, 2],
      [30, 10, 20],
    ]);
    expect(gatherRecords(table, [], [0, 1, 2, 3]).map((c) => c.length)).toEqual([0, 0, 0, 0]);
  });
});
