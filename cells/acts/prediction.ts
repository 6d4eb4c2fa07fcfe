/**
 * An act's prediction, built from the lesson's options: `choicePrediction` (four mental models, the
 * correct one computed from the physics) and `numberPrediction` (a bounded estimate, graded by its
 * ratio to the physics' number). Each returns a draft the runtime binds to its lab and act; the
 * bound prediction makes the lock widget, grades a commit, builds the reveal and names the texts
 * that would give the answer away before the commit (for `--check`'s leak check).
 *
 * @module
 */
import type { ActGrade, ActPrediction, ActSite, PredictionDraft } from "../../runtime/act.ts";
import { callout } from "../outputs/callout.ts";
import type { Content } from "../outputs/html.ts";
import { mdText } from "../outputs/md.ts";
import { closestOption, type Letter, LETTERS } from "../pedagogy/options.ts";
import { predictionLock } from "../pedagogy/prediction-lock.ts";
import { formatNumber } from "../util.ts";
import { orderFor } from "./order.ts";
import { revealCallout } from "./reveal.ts";

/** One option: a belief a student might hold, applied to the scenario. */
export interface OptionModel {
  /** The option's text (after its number when it has one). */
  text: string;
  /** The number this belief predicts, computed with core/ (shown as "≈ …"). */
  predicted?: number;
  /** Why a student might hold it, and what is right or wrong with it: shown after the commit. */
  why: string;
  /** For options without a number: whether the physics makes it the right one (computed). */
  correct?: boolean;
}

/** Options of {@link choicePrediction}. */
export interface ChoicePredictionOptions {
  question: string;
  /** The lock's heading (default "Prediction lock"). */
  title?: string;
  /** Exactly four. */
  options: readonly OptionModel[];
  /** The physics' number: the correct option is the one nearest it on a log scale. */
  answer?: number;
  /** Shows a number with its unit ("318 users"); default: thousands separators. */
  format?: (n: number) => string;
  /** Markdown shown in the reveal after the verdict: how the physics gets its number. */
  explain?: string;
  /**
   * More of what fixes the options' order (say, the deployment context), for a question that reads
   * the same in every context.
   */
  key?: string;
  testid?: string;
}

/** The letter a student committed, the option it names, and the computed right one. */
export interface ChoiceGrade extends ActGrade {
  readonly value: Letter;
  readonly picked: LetteredModel;
  readonly right: LetteredModel;
  /** The physics' number, when the options are numbers. */
  readonly answer?: number;
}

/** An option with its letter and label. */
export interface LetteredModel extends OptionModel {
  readonly value: Letter;
  readonly label: string;
}

/** The message a lock's gate shows while it is open. */
export const COMMIT_FIRST = "Commit your prediction to continue.";

/** A four-option prediction whose correct option is computed. */
export function choicePrediction(o: ChoicePredictionOptions): PredictionDraft<ChoiceGrade> {
  const what = `choicePrediction "${o.question}"`;
  if (o.options.length !== 4) {
    throw new Error(`${what}: needs exactly 4 options, not ${o.options.length}`);
  }
  const f = o.format ?? formatNumber;
  const numeric = o.answer !== undefined;
  if (numeric) {
    if (!Number.isFinite(o.answer)) {
      throw new Error(`${what}: the physics gives ${o.answer}, not a finite number`);
    }
    const missing = o.options.filter((m) => !Number.isFinite(m.predicted));
    if (missing.length) {
      throw new Error(`${what}: "${missing[0].text}" has no finite predicted number`);
    }
    const shown = o.options.map((m) => f(m.predicted!));
    if (new Set(shown).size !== shown.length) {
      throw new Error(`${what}: two options read the same (${shown.join(", ")})`);
    }
  } else {
    const marked = o.options.filter((m) => m.correct === true).length;
    if (marked !== 1) {
      throw new Error(
        `${what}: ${marked} options are marked correct; give an answer number, or compute exactly one`,
      );
    }
  }
  return {
    bind(site: ActSite): ActPrediction<ChoiceGrade> {
      const key = [site.lab, site.act, o.key ?? "", o.question, ...o.options.map((m) => m.text)]
        .join("\u0000");
      const lettered: LetteredModel[] = orderFor(o.options, key).map((m, i) => ({
        ...m,
        value: LETTERS[i],
        label: `${LETTERS[i]}) ${numeric ? `≈ ${f(m.predicted!)} — ` : ""}${m.text}`,
      }));
      const right = numeric
        ? closestOption(lettered as Array<LetteredModel & { predicted: number }>, o.answer!)
        : lettered.find((m) => m.correct)!;
      const input = predictionLock<Letter>({
        title: o.title,
        question: o.question,
        options: lettered.map(({ value, label }) => ({ value, label })),
        testid: o.testid,
      });
      return {
        input: input as ActPrediction["input"],
        waiting: callout("warn", COMMIT_FIRST, { testid: "gate" }),
        grade(value) {
          const picked = lettered.find((m) => m.value === value);
          if (!picked) throw new Error(`${what}: "${value}" is not one of A–D`);
          return {
            value: picked.value,
            shown: picked.label,
            correct: picked.value === right.value,
            picked,
            right,
            answer: o.answer,
          };
        },
        reveal(g, extra) {
          const why = g.correct ? g.picked.why : `${g.picked.why} ${g.right.why}`;
          const verdict = g.correct
            ? "**Correct.**"
            : `**Not quite: the physics picks ${g.right.label.split(")")[0]}.**`;
          return revealCallout({
            correct: g.correct,
            compare: numeric
              ? { predicted: g.picked.predicted!, actual: o.answer!, format: f }
              : null,
            pick: g.picked.label,
            body: [mdText(`${verdict} ${why}${o.explain ? `\n\n${o.explain}` : ""}`)],
            extra: extra as Content | undefined,
            testid: o.testid ? `${o.testid}-reveal` : `${site.act}-reveal`,
          });
        },
        leaks: numeric ? [f(o.answer!), f(right.predicted!)] : [],
      };
    },
  };
}

/** Options of {@link numberPrediction}. */
export interface NumberPredictionOptions {
  question: string;
  title?: string;
  min: number;
  max: number;
  step?: number;
  unit?: string;
  /** The physics' number. */
  answer: number;
  /** Within this fraction of the answer counts as correct (default 0.3, the course's rule). */
  within?: number;
  format?: (n: number) => string;
  explain?: string;
  testid?: string;
}

/** A bounded numeric estimate, graded by its ratio to the physics' number. */
export function numberPrediction(o: NumberPredictionOptions): PredictionDraft<NumberGrade> {
  const f = o.format ?? ((n: number) => `${formatNumber(n)}${o.unit ? ` ${o.unit}` : ""}`);
  const within = o.within ?? 0.3;
  return {
    bind(site: ActSite): ActPrediction<NumberGrade> {
      const input = predictionLock({
        title: o.title,
        question: o.question,
        min: o.min,
        max: o.max,
        step: o.step,
        unit: o.unit,
        testid: o.testid,
      });
      return {
        input: input as ActPrediction["input"],
        waiting: callout("warn", COMMIT_FIRST, { testid: "gate" }),
        grade(value) {
          const v = Number(value);
          const ratio = v === 0 ? (o.answer === 0 ? 1 : Infinity) : o.answer / v;
          return {
            value: v,
            shown: f(v),
            correct: Number.isFinite(ratio) && Math.abs(ratio - 1) < within,
            answer: o.answer,
          };
        },
        reveal(g, extra) {
          return revealCallout({
            correct: g.correct,
            compare: { predicted: g.value, actual: o.answer, format: f, within },
            pick: f(g.value),
            body: o.explain ? [mdText(o.explain)] : [],
            extra: extra as Content | undefined,
            testid: o.testid ? `${o.testid}-reveal` : `${site.act}-reveal`,
          });
        },
        leaks: [f(o.answer)],
      };
    },
  };
}

/** A graded numeric estimate. */
export interface NumberGrade extends ActGrade {
  readonly value: number;
  readonly answer: number;
}
