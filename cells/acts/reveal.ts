/**
 * The reveal behind an act's lock: the student's pick next to the physics (with the exact ratio
 * actual / pick for numbers), the verdict and why, then what the act adds. Worded so that no
 * fixed phrase of it gives an answer away in a page's source.
 *
 * @module
 */
import { callout } from "../outputs/callout.ts";
import { type Content, html } from "../outputs/html.ts";

/** How close a prediction must be (|ratio − 1| below this) to count as calibrated. */
export const CALIBRATED_WITHIN = 0.3;

/** Options of {@link revealCallout}. */
export interface RevealOptions {
  correct: boolean;
  /** Numbers to compare (null for a choice without numbers). */
  compare: {
    predicted: number;
    actual: number;
    format: (n: number) => string;
    /** The tolerance the verdict names (default 0.3, the course's rule). */
    within?: number;
  } | null;
  /** The commit as the student saw it. */
  pick: string;
  body: Content[];
  extra?: Content;
  testid: string;
}

/**
 * The ratio's verdict, never contradicting the grade: a wrong pick within the tolerance is close
 * but not the nearest option; a right pick outside it is the nearest of options that are all far.
 */
function verdictText(correct: boolean, close: boolean, pct: string): string {
  if (close) {
    return correct
      ? `within ${pct}: well calibrated.`
      : `within ${pct}, but another option is nearer.`;
  }
  return correct
    ? `the nearest option, though off by more than ${pct}.`
    : `off by more than ${pct}.`;
}

/** The reveal callout. */
export function revealCallout(o: RevealOptions): ReturnType<typeof callout> {
  const parts: Content[] = [];
  if (o.compare) {
    const { predicted, actual, format } = o.compare;
    const ratio = predicted === 0 ? (actual === 0 ? 1 : Infinity) : actual / predicted;
    const within = o.compare.within ?? CALIBRATED_WITHIN;
    const pct = `${Math.round(within * 100)}%`;
    const close = Number.isFinite(ratio) && Math.abs(ratio - 1) < within;
    const r = Number.isFinite(ratio) ? `${ratio.toPrecision(3)}×` : "∞";
    parts.push(
      html`<p>Your pick: <strong>${o.pick}</strong>. Physics: <strong>${
        format(actual)
      }</strong>. Ratio physics / pick = <span class="syslab-overlay-ratio">${r}</span> — ${
        verdictText(o.correct, close, pct)
      }</p>`,
    );
  } else {
    parts.push(html`<p>Your pick: <strong>${o.pick}</strong>.</p>`);
  }
  parts.push(...o.body);
  if (o.extra !== undefined && o.extra !== null) parts.push(o.extra);
  return callout(o.correct ? "success" : "warn", parts, {
    title: o.correct ? "Prediction vs reality: correct" : "Prediction vs reality: not quite",
    testid: o.testid,
  });
}
