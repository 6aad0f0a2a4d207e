import { describe, expect, it } from "vitest";
import { engineOptionsFromUrl } from "./engineOptions";

describe("engineOptionsFromUrl", () => {
  it("reads the seed and the manual clock", () => {
    expect(engineOptionsFromUrl(new URLSearchParams("seed=7&clock=manual&clockStart=1000"))).toEqual({ seed: 7, manualClock: true, clockStartMs: 1000 });
  });
  it("ignores what it does not understand", () => {
    expect(engineOptionsFromUrl(new URLSearchParams("seed=x&clock=fast"))).toEqual({});
  });
});
