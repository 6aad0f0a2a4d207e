import { describe, expect, it } from "vitest";
import { addUnit, formatDuration, intervalUnit, parseIntervalString, ZERO_INTERVAL } from "./interval";

describe("intervals", () => {
  it("knows singular and plural units, case-insensitively", () => {
    expect(intervalUnit("MINUTES")).toBe("minute");
    expect(intervalUnit("hour")).toBe("hour");
    expect(intervalUnit("fortnight")).toBeNull();
  });

  it("parses the string form into months, days and microseconds", () => {
    expect(parseIntervalString("1 hour 30 minutes")).toEqual({ kind: "interval", months: 0, days: 0, microseconds: 5_400_000_000 });
    expect(parseIntervalString("interval 2 years 1 month 3 weeks 1 day")).toEqual({ kind: "interval", months: 25, days: 22, microseconds: 0 });
    expect(parseIntervalString("-5 seconds 10 milliseconds")).toEqual({ kind: "interval", months: 0, days: 0, microseconds: -4_990_000 });
  });

  it("allows fractions for hours and smaller units only", () => {
    expect(addUnit(ZERO_INTERVAL, "1.5", "second")).toEqual({ kind: "interval", months: 0, days: 0, microseconds: 1_500_000 });
    expect(addUnit(ZERO_INTERVAL, "1.5", "day")).toEqual({ kind: "error", subClass: "INVALID_FRACTION", detail: "day cannot have fractional part." });
  });

  it("reports bad units, missing units, bad numbers and empty strings", () => {
    expect(parseIntervalString("1 fortnight")).toMatchObject({ subClass: "INVALID_UNIT", detail: "Invalid unit fortnight." });
    expect(parseIntervalString("5")).toMatchObject({ subClass: "MISSING_UNIT" });
    expect(parseIntervalString("x minutes")).toMatchObject({ subClass: "INVALID_VALUE", detail: "Invalid value x." });
    expect(parseIntervalString("  ")).toMatchObject({ subClass: "INPUT_IS_EMPTY" });
  });

  it("formats durations for window sizes", () => {
    expect(formatDuration({ kind: "interval", months: 0, days: 0, microseconds: 300_000_000 })).toBe("5 minutes");
    expect(formatDuration({ kind: "interval", months: 0, days: 1, microseconds: 5_400_000_000 })).toBe("1 days 1 hours 30 minutes");
    expect(formatDuration(ZERO_INTERVAL)).toBe("0 seconds");
  });
});
