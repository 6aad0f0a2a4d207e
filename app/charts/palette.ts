/**
 * Okabe–Ito: a palette that stays distinct for the common kinds of colour
 * blindness. Series also differ by dash or marker shape, so colour is never
 * the only channel.
 */
export const SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"] as const;
export const SERIES_DASHES = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4"] as const;
export const SERIES_SHAPES = ["circle", "square", "triangle", "diamond", "cross", "star", "wye"] as const;

export function seriesStyle(i: number) {
  return {
    colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!,
    dash: SERIES_DASHES[i % SERIES_DASHES.length]!,
    shape: SERIES_SHAPES[i % SERIES_SHAPES.length]!,
  };
}
