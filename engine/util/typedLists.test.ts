import { describe, expect, it } from "vitest";
import { F64List, IntList } from "./typedLists";

describe("IntList and F64List", () => {
  it("grow past their capacity, keep every value in order, and start over on clear()", () => {
    const ints = new IntList(2);
    const doubles = new F64List(2);
    for (let i = 0; i < 1000; i++) {
      ints.push(i - 500);
      doubles.push(i + 0.25);
    }
    expect(ints.length).toBe(1000);
    expect([...ints.view()]).toEqual(Array.from({ length: 1000 }, (_, i) => i - 500));
    expect(doubles.data[999]).toBe(999.25);
    const storage = ints.data;
    ints.clear();
    doubles.clear();
    expect(ints.length).toBe(0);
    expect(ints.view().length).toBe(0);
    // Cleared lists keep their storage for the next batch.
    ints.push(7);
    expect(ints.data).toBe(storage);
    expect([...ints.view()]).toEqual([7]);
  });
});
