import { describe, expect, it } from "vitest";
import { formatTimestamp, formatValue } from "./formatValue";

describe("formatValue", () => {
  it("prints timestamps as Spark does, in UTC", () => {
    expect(formatTimestamp(0)).toBe("1970-01-01 00:00:00");
    expect(formatTimestamp(1500)).toBe("1970-01-01 00:00:01.5");
    expect(formatValue(10_000, "timestamp")).toBe("1970-01-01 00:00:10");
  });

  it("prints a window struct with its timestamps", () => {
    expect(formatValue({ start: 0, end: 5000 }, "struct<start:timestamp,end:timestamp>")).toBe(
      "{1970-01-01 00:00:00, 1970-01-01 00:00:05}",
    );
  });

  it("prints null, arrays and scalars", () => {
    expect(formatValue(null, "long")).toBe("NULL");
    expect(formatValue([1, 2], "array<long>")).toBe("[1, 2]");
    expect(formatValue("<b>x</b>", "string")).toBe("<b>x</b>");
  });
});
