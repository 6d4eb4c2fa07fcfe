/** Number: a bounded numeric field; out-of-range text is flagged and not emitted. */
import { html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { formatNumber } from "../util.ts";
import {
  InputElement,
  type InputOptions,
  inputSpec,
  inputStyles,
  register,
  spread,
} from "./base.ts";

/** Options of `number`. */
export interface NumberOptions extends InputOptions {
  min: number;
  max: number;
  step?: number;
  value: number;
  /** A unit shown after the field. */
  unit?: string;
}

/** The live `<syslab-number>`. */
export class NumberElement extends InputElement<number> {
  static override properties = {
    ...InputElement.properties,
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    value: { type: Number },
    unit: { type: String },
    problem: { state: true },
  };
  static override styles = inputStyles;
  declare min: number;
  declare max: number;
  declare step: number;
  declare unit: string;
  declare problem: string;

  constructor() {
    super();
    this.min = -Infinity;
    this.max = Infinity;
    this.step = 1;
    this.value = 0;
    this.unit = "";
    this.problem = "";
  }

  #onInput(e: Event) {
    this.swallow(e);
    const el = e.target as HTMLInputElement;
    const n = el.value.trim() === "" ? NaN : Number(el.value);
    if (Number.isNaN(n)) this.problem = "Enter a number.";
    else if (n < this.min || n > this.max) {
      this.problem = `Enter a value from ${formatNumber(this.min)} to ${formatNumber(this.max)}.`;
    } else {
      this.problem = "";
      this.emit(n);
    }
  }

  override render() {
    return html`<div class="row">
      <label class="label" for="num">${this.label}</label>
      <input id="num" type="number" min=${this.min} max=${this.max} step=${this.step}
        .value=${String(this.value)} ?disabled=${this.disabled}
        aria-invalid=${this.problem ? "true" : "false"} aria-describedby="msg"
        @input=${this.#onInput} @change=${this.swallow} @wheel=${(e: Event) =>
      (e.target as HTMLElement).blur()}>
      ${this.unit ? html`<span class="hint">${this.unit}</span>` : ""}
      <span id="msg" class="error" role="status">${this.problem}</span>
    </div>`;
  }
}
register("syslab-number", NumberElement);

/** A bounded number field: `number({ label, min, max, step?, value, unit? })`. */
export function number(o: NumberOptions): InputSpec<number> {
  const what = `number "${o.label}"`;
  if (!(o.min <= o.max)) throw new Error(`${what}: min ${o.min} is above max ${o.max}`);
  const coerce = (v: unknown): number => {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof n !== "number" || Number.isNaN(n)) {
      throw new Error(`${what}: ${JSON.stringify(v)} is not a number`);
    }
    if (n < o.min || n > o.max) throw new Error(`${what}: ${n} is outside ${o.min}…${o.max}`);
    return n;
  };
  return inputSpec({
    tag: "syslab-number",
    value: coerce(o.value),
    attributes: {
      label: o.label,
      min: o.min,
      max: o.max,
      step: o.step ?? 1,
      unit: o.unit,
      disabled: o.disabled,
    },
    fallback: (v) => `${o.label}: ${formatNumber(v)}${o.unit ? ` ${o.unit}` : ""}`,
    coerce,
    samples: [...new Set([...spread(o.min, o.max, o.step ?? 1, 3), coerce(o.value)])],
    testid: o.testid,
  });
}
