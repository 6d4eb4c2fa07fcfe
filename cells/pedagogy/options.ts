/**
 * Prediction options from mental models: each option is a belief a student might hold, applied to
 * the lab's scenario with core's functions, so every option's number is computed. `letterOptions`
 * sorts four of them and letters them A–D; `closestOption` picks the one the physics' answer
 * selects, so which option is correct is computed too.
 */

/** The four letters of a prediction lock's options. */
export const LETTERS = ["A", "B", "C", "D"] as const;
/** One of {@link LETTERS}. */
export type Letter = typeof LETTERS[number];

/** A mental model: what it predicts, how the option reads, and why a student might hold it. */
export interface MentalModel {
  predicted: number;
  /** The option's text after its number ("only the weights move"). */
  text: string;
  /** Feedback shown after the lock: why this belief is right or wrong. */
  why: string;
}

/** A lettered option, ready for `predictionLock({ options })` (it reads `label` and `value`). */
export interface LetteredOption extends MentalModel {
  value: Letter;
  label: string;
}

/**
 * Sorts exactly four mental models by their prediction and letters them A–D; `format` shows the
 * number in the label (`A) ≈ 29% of peak — …`). Throws when two predictions show the same.
 */
export function letterOptions(
  models: readonly MentalModel[],
  format: (n: number) => string,
): LetteredOption[] {
  if (models.length !== LETTERS.length) {
    throw new Error(`letterOptions: a prediction lock has 4 options, not ${models.length}`);
  }
  const sorted = [...models].sort((a, b) => a.predicted - b.predicted);
  const shown = sorted.map((m) => format(m.predicted));
  if (new Set(shown).size !== shown.length) {
    throw new Error(`letterOptions: two options read the same (${shown.join(", ")})`);
  }
  return sorted.map((m, i) => ({
    ...m,
    value: LETTERS[i],
    label: `${LETTERS[i]}) ≈ ${shown[i]} — ${m.text}`,
  }));
}

/** The option whose prediction is nearest `actual` on a log scale (ratios, not differences). */
export function closestOption<O extends { predicted: number }>(
  options: readonly O[],
  actual: number,
): O {
  if (!options.length) throw new Error("closestOption: no options");
  const dist = (p: number) => Math.abs(Math.log(Math.max(p, 1e-300) / Math.max(actual, 1e-300)));
  return options.reduce((best, o) => dist(o.predicted) < dist(best.predicted) ? o : best);
}
