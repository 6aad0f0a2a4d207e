import type { EngineOptions } from "../../engine/worker/protocol";

/**
 * The deterministic mode, from the page's URL: `?seed=7` seeds the generators,
 * `?clock=manual` gives the engine a manual clock (starting at `?clockStart=`
 * epoch ms, default 0) that the page advances by hand. Test authors use both
 * so a notebook gives the same rows every run.
 */
export function engineOptionsFromUrl(params: URLSearchParams): EngineOptions {
  const options: EngineOptions = {};
  const seed = params.get("seed");
  if (seed !== null && /^-?\d+$/.test(seed)) options.seed = Number(seed);
  if (params.get("clock") === "manual") {
    options.manualClock = true;
    const start = params.get("clockStart");
    if (start !== null && /^\d+$/.test(start)) options.clockStartMs = Number(start);
  }
  return options;
}
