/**
 * The prediction lock (the course's Rule 2): a question with exactly four options, or a bounded
 * number. Its value is `null` until the student clicks "Commit prediction"; then it is the
 * committed answer and the widget shows it locked (read-only, with a "Locked" badge). The widget
 * only: labs get it through an act (`choicePrediction` / `numberPrediction` in cells/acts/), whose
 * runtime structure makes the commit final and gates what it reveals.
 */
import { css, html } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { icon } from "../icons.ts";
import type { InputSpec } from "../../runtime/input.ts";
import { InputElement, inputSpec, inputStyles, register, spread } from "../inputs/base.ts";
import {
  type Choice,
  choices,
  formatNumber,
  oneOf,
  type Options,
  type OptionValue,
} from "../util.ts";

interface LockBase {
  question: string;
  /** Shown above the question (default "Prediction lock"). */
  title?: string;
  testid?: string;
}

/** A four-option prediction. */
export interface ChoiceLockOptions<T extends OptionValue> extends LockBase {
  options: Options<T>;
}

/** A bounded numeric prediction. */
export interface NumberLockOptions extends LockBase {
  min: number;
  max: number;
  step?: number;
  unit?: string;
}

/** The padlock shown once a prediction is committed (an icon, not the 🔒 emoji). */
const LOCK = unsafeHTML(icon("lock"));

/** "1 user", "5,001 users": a plural unit loses its "s" at exactly one. */
export function withUnit(n: number, unit?: string): string {
  if (!unit) return formatNumber(n);
  return `${formatNumber(n)} ${n === 1 && /[^s]s$/.test(unit) ? unit.slice(0, -1) : unit}`;
}

/** The live `<syslab-prediction-lock>`. */
export class PredictionLockElement extends InputElement<OptionValue | null> {
  static override properties = {
    ...InputElement.properties,
    question: { type: String },
    options: { type: Array },
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    unit: { type: String },
    value: { type: Object },
    draft: { state: true },
  };
  static override styles = [
    inputStyles,
    css`
      :host {
        border: 1px solid var(--syslab-border, #e2e8f0);
        border-left: 4px solid
          var(--syslab-cloud, #6366f1);
        border-radius: var(--syslab-radius-md, 12px);
        padding: 0.8rem 1.1rem;
        background: var(--syslab-surface, #fff);
      }
      .kicker {
        font-size: 0.72rem;
        font-weight: 700;
        letter-spacing: 0.1em;
        margin: 0 0 0.4rem;
        text-transform: uppercase;
        color: var(--syslab-text-sec, #475569);
      }
      .opts {
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
        margin: 0.5rem 0;
      }
      label.opt {
        display: flex;
        gap: 0.5rem;
        align-items: baseline;
        cursor: pointer;
      }
      .locked {
        display: inline-block;
        padding: 0.1rem 0.55rem;
        border-radius: 999px;
        font-size: 0.78rem;
        font-weight: 700;
        background: var(--syslab-neutral-bg, #f8fafc);
        color: var(--syslab-neutral-fg, #334155);
        border: 1px solid
          var(--syslab-neutral-border, #94a3b8);
        margin-right: 0.5rem;
      }
      .q {
        font-weight: 600;
        margin: 0 0 0.4rem;
      }
    `,
  ];
  declare question: string;
  declare options: Choice[];
  declare min: number;
  declare max: number;
  declare step: number;
  declare unit: string;
  declare draft: OptionValue | null;

  constructor() {
    super();
    this.label = "Prediction lock";
    this.question = "";
    this.options = [];
    this.min = 0;
    this.max = 100;
    this.step = 1;
    this.unit = "";
    this.value = null;
    this.draft = null;
  }

  #answerText(v: OptionValue): string {
    const c = this.options.find((o) => Object.is(o.value, v));
    return c ? c.label : withUnit(Number(v), this.unit);
  }

  #commit(e: Event) {
    e.stopPropagation();
    if (this.draft === null) return;
    this.emit(this.draft);
  }

  #onNumber(e: Event) {
    this.swallow(e);
    const el = e.target as HTMLInputElement;
    const n = el.value.trim() === "" ? NaN : Number(el.value);
    this.draft = Number.isFinite(n) && n >= this.min && n <= this.max ? n : null;
  }

  #field() {
    if (this.options.length) {
      return html`
        <fieldset>
          <legend class="q">${this.question}</legend>
          <div class="opts">${this.options.map((c) =>
            html`<label class="opt"><input type="radio" name="p" .checked=${
              Object.is(this.draft, c.value)
            } @change=${(e: Event) => (this.swallow(e), this.draft = c.value)}
              @input=${this.swallow}>${c.label}</label>`
          )}</div>
        </fieldset>
      `;
    }
    return html`
      <label class="q" for="n">${this.question}</label>
      <div class="row"><input id="n" type="number" min=${this.min} max=${this.max}
              step=${this.step} @input=${this.#onNumber} @change=${this.swallow}>
              <span class="hint">${this.unit} (${formatNumber(this.min)}–${formatNumber(
                this.max,
              )})</span></div>
    `;
  }

  override render() {
    const kicker = html`<p class="kicker">${this.label}</p>`;
    if (this.value !== null && this.value !== undefined) {
      return html`<div role="group" aria-label=${this.label}>${kicker}
        <p class="q">${this.question}</p>
        <p><span class="locked">${LOCK}Locked</span>Your prediction: <strong>${
        this.#answerText(this.value)
      }</strong></p></div>`;
    }
    return html`
      ${kicker}${this.#field()}
            <div class="row">
        <button type="button" class="primary" ?disabled=${this.draft === null}
          @click=${this.#commit}>Commit prediction</button>
        <span class="hint">Once committed, it cannot be changed.</span>
      </div>
    `;
  }
}
register("syslab-prediction-lock", PredictionLockElement);

/** A four-option prediction lock; the value is `null` until committed. */
export function predictionLock<T extends OptionValue>(o: ChoiceLockOptions<T>): InputSpec<T | null>;
/** A bounded numeric prediction lock; the value is `null` until committed. */
export function predictionLock(o: NumberLockOptions): InputSpec<number | null>;
export function predictionLock<T extends OptionValue>(
  o: ChoiceLockOptions<T> | NumberLockOptions,
): InputSpec<T | number | null> {
  const title = o.title ?? "Prediction lock";
  const what = `prediction lock "${o.question}"`;
  let list: Choice<T>[] = [];
  let coerce: (v: unknown) => T | number | null;
  let attributes: Record<string, unknown>;
  let answer: (v: T | number) => string;
  let samples: (T | number | null)[];
  if ("options" in o) {
    list = choices(o.options, what);
    if (list.length !== 4) {
      throw new Error(`${what}: needs exactly 4 options (one correct), not ${list.length}`);
    }
    coerce = (v) => v === null ? null : oneOf(v, list, what);
    attributes = { label: title, question: o.question, options: list };
    answer = (v) => list.find((c) => Object.is(c.value, v))!.label;
    samples = [null, ...list.map((c) => c.value)];
  } else {
    const { min, max } = o;
    if (!(min <= max)) throw new Error(`${what}: min ${min} is above max ${max}`);
    coerce = (v) => {
      if (v === null) return null;
      if (typeof v !== "number" || Number.isNaN(v)) {
        throw new Error(`${what}: ${JSON.stringify(v)} is not a number`);
      }
      if (v < min || v > max) throw new Error(`${what}: ${v} is outside ${min}…${max}`);
      return v;
    };
    attributes = {
      label: title,
      question: o.question,
      min,
      max,
      step: o.step ?? 1,
      unit: o.unit,
    };
    answer = (v) => withUnit(Number(v), o.unit);
    samples = [null, ...spread(min, max, o.step ?? 1, 3)];
  }
  return inputSpec<T | number | null>({
    tag: "syslab-prediction-lock",
    value: null,
    attributes,
    valueAttr: (v) => JSON.stringify(v),
    fallback: (v) =>
      v === null
        ? `${title}: ${o.question} ${list.map((c) => `○ ${c.label}`).join(" ")}`
        : `${title} · Locked. ${o.question} Your prediction: ${answer(v)}`,
    coerce,
    samples,
    testid: o.testid,
  });
}
