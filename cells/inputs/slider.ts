/** Slider: a labelled range with its shown value, optional explicit steps and debounce. */
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

/** Options of `slider`. */
export interface SliderOptions extends InputOptions {
  min?: number;
  max?: number;
  /** Step between values (default 1). Ignored when `steps` is given. */
  step?: number;
  /** An explicit list of allowed values (e.g. powers of two); the slider moves through them. */
  steps?: readonly number[];
  value: number;
  /** Formats the shown value and the ARIA value text (default: thousands separators). */
  format?: (v: number) => string;
  /** Emit on release (`true`) or after this many ms of stillness, instead of on every move. */
  debounce?: boolean | number;
}

/** The live `<syslab-slider>`. */
export class SliderElement extends InputElement<number> {
  static override properties = {
    ...InputElement.properties,
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    steps: { type: Array },
    value: { type: Number },
    debounce: { type: Number },
    format: { attribute: false },
  };
  static override styles = inputStyles;
  declare min: number;
  declare max: number;
  declare step: number;
  declare steps: number[] | null;
  declare debounce: number;
  declare format: ((v: number) => string) | null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.min = 0;
    this.max = 100;
    this.step = 1;
    this.steps = null;
    this.value = 0;
    this.debounce = 0;
    this.format = null;
  }

  #shown(v: number): string {
    return (this.format ?? formatNumber)(v);
  }

  #fromRange(raw: string): number {
    const n = Number(raw);
    return this.steps?.length ? this.steps[Math.round(n)] : n;
  }

  #onInput(e: Event) {
    this.swallow(e);
    const v = this.#fromRange((e.target as HTMLInputElement).value);
    if (this.debounce < 0) {
      this.value = v; // shown now, emitted on release
      return;
    }
    if (this.debounce > 0) {
      this.value = v;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.emit(this.value), this.debounce);
      return;
    }
    this.emit(v);
  }

  #onChange(e: Event) {
    this.swallow(e);
    if (this.debounce < 0) this.emit(this.#fromRange((e.target as HTMLInputElement).value));
  }

  override render() {
    const steps = this.steps?.length ? this.steps : null;
    const index = steps ? Math.max(0, steps.indexOf(this.value)) : this.value;
    return html`
      <div class="row">
        <label class="label" for="range">${this.label}</label>
        <input id="range" type="range" min=${steps ? 0 : this.min}
          max=${steps ? steps.length - 1 : this.max} step=${steps ? 1 : this.step}
          .value=${String(index)} ?disabled=${this.disabled}
          aria-valuetext=${this.#shown(this.value)}
          @input=${this.#onInput} @change=${this.#onChange}>
        <output for="range" aria-hidden="true">${this.#shown(this.value)}</output>
      </div>
    `;
  }
}
register("syslab-slider", SliderElement);

/** A slider: `slider({ label, min, max, step?, steps?, value, format?, debounce? })`. */
export function slider(o: SliderOptions): InputSpec<number> {
  const what = `slider "${o.label}"`;
  const steps = o.steps ? [...o.steps] : null;
  const min = steps ? Math.min(...steps) : o.min ?? 0;
  const max = steps ? Math.max(...steps) : o.max ?? 100;
  const step = o.step ?? 1;
  if (steps && steps.length === 0) throw new Error(`${what}: steps is empty`);
  if (!(min <= max)) throw new Error(`${what}: min ${min} is above max ${max}`);
  const coerce = (v: unknown): number => {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof n !== "number" || Number.isNaN(n)) {
      throw new Error(`${what}: ${JSON.stringify(v)} is not a number`);
    }
    if (steps) {
      if (!steps.includes(n)) {
        throw new Error(`${what}: ${n} is not one of the steps ${steps.join(", ")}`);
      }
      return n;
    }
    if (n < min || n > max) throw new Error(`${what}: ${n} is outside ${min}…${max}`);
    return n;
  };
  const value = coerce(o.value);
  const format = o.format ?? formatNumber;
  const debounce = o.debounce === true ? -1 : typeof o.debounce === "number" ? o.debounce : 0;
  return inputSpec({
    tag: "syslab-slider",
    value,
    attributes: { label: o.label, min, max, step, steps, debounce, disabled: o.disabled },
    props: { format: o.format ?? null },
    fallback: (v) => `${o.label}: ${format(v)}`,
    coerce,
    samples: steps ?? [...new Set([...spread(min, max, step), value])],
    testid: o.testid,
  });
}
