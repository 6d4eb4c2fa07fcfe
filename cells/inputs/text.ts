/** Text: a single-line field (text, password, email, url) or a multi-line area. */
import { html } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import type { InputSpec } from "../../runtime/input.ts";
import { InputElement, type InputOptions, inputSpec, inputStyles, register } from "./base.ts";

/** Options of `text`. */
export interface TextOptions extends InputOptions {
  value?: string;
  placeholder?: string;
  kind?: "text" | "password" | "email" | "url";
  maxLength?: number;
  /** Rows: more than 1 gives a multi-line area. */
  rows?: number;
  /** Emit after this many ms without typing (`true`: on blur or Enter). Default: every keystroke. */
  debounce?: boolean | number;
}

/** The live `<syslab-text>`. */
export class TextElement extends InputElement<string> {
  static override properties = {
    ...InputElement.properties,
    value: { type: String },
    placeholder: { type: String },
    kind: { type: String },
    maxLength: { type: Number },
    rows: { type: Number },
    debounce: { type: Number },
  };
  static override styles = inputStyles;
  declare placeholder: string;
  declare kind: string;
  declare maxLength: number;
  declare rows: number;
  declare debounce: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.value = "";
    this.placeholder = "";
    this.kind = "text";
    this.maxLength = -1;
    this.rows = 1;
    this.debounce = 0;
  }

  #onInput(e: Event) {
    this.swallow(e);
    const v = (e.target as HTMLInputElement).value;
    if (this.debounce < 0) return void (this.value = v);
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
    if (this.debounce < 0) this.emit((e.target as HTMLInputElement).value);
  }

  override render() {
    const ml = this.maxLength > 0 ? this.maxLength : undefined;
    const field = this.rows > 1
      ? html`
        <textarea id="t" rows=${this.rows} .value=${this.value}
          placeholder=${this.placeholder} maxlength=${ifDefined(ml)} ?disabled=${this.disabled}
          @input=${this.#onInput} @change=${this.#onChange}></textarea>
      `
      : html`
        <input id="t" type=${this.kind} .value=${this.value} placeholder=${this.placeholder}
          maxlength=${ifDefined(ml)} ?disabled=${this.disabled} @input=${this.#onInput}
          @change=${this.#onChange}>
      `;
    return html`<div class="row"><label class="label" for="t">${this.label}</label>${field}</div>`;
  }
}
register("syslab-text", TextElement);

/** A text field: `text({ label, value?, placeholder?, kind?, rows?, debounce? })` → string. */
export function text(o: TextOptions): InputSpec<string> {
  const what = `text "${o.label}"`;
  const coerce = (v: unknown): string => {
    if (typeof v !== "string") throw new Error(`${what}: ${JSON.stringify(v)} is not a string`);
    if (o.maxLength !== undefined && v.length > o.maxLength) {
      throw new Error(`${what}: longer than ${o.maxLength} characters`);
    }
    return v;
  };
  return inputSpec({
    tag: "syslab-text",
    value: coerce(o.value ?? ""),
    attributes: {
      label: o.label,
      placeholder: o.placeholder,
      kind: o.kind ?? "text",
      maxLength: o.maxLength,
      rows: o.rows ?? 1,
      debounce: o.debounce === true ? -1 : typeof o.debounce === "number" ? o.debounce : 0,
      disabled: o.disabled,
    },
    fallback: (v) => `${o.label}: ${v}`,
    coerce,
    testid: o.testid,
  });
}
