/**
 * The letters of a prediction's options and `closestOption`, which picks the option the physics'
 * answer selects, so which option is correct is computed (used by cells/acts/prediction.ts).
 */

/** The four letters of a prediction lock's options. */
export const LETTERS = ["A", "B", "C", "D"] as const;
/** One of {@link LETTERS}. */
export type Letter = typeof LETTERS[number];

/** The option whose prediction is nearest `actual` on a log scale (ratios, not differences). */
export function closestOption<O extends { predicted: number }>(
  options: readonly O[],
  actual: number,
): O {
  if (!options.length) throw new Error("closestOption: no options");
  const dist = (p: number) => Math.abs(Math.log(Math.max(p, 1e-300) / Math.max(actual, 1e-300)));
  return options.reduce((best, o) => dist(o.predicted) < dist(best.predicted) ? o : best);
}
