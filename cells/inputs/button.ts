/**
 * Buttons. The value is the number of clicks, so each click re-runs the cells that read it;
 * `runButton` is the same, styled as the primary action, for `stop(run === 0, …)` gates.
 */
import { html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { InputElement, type InputOptions, inputSpec, inputStyles, register } from "./base.ts";

/** Options of `button` and `runButton`. */
export interface ButtonOptions extends Partial<InputOptions> {
  /** `primary` fills the button (run buttons are primary). */
  kind?: "neutral" | "primary";
}

/** The live `<syslab-button>`. */
export class ButtonElement extends InputElement<number> {
  static override properties = {
    ...InputElement.properties,
    value: { type: Number },
    kind: { type: String },
  };
  static override styles = inputStyles;
  declare kind: string;

  constructor() {
    super();
    this.value = 0;
    this.kind = "neutral";
  }

  #onClick(e: Event) {
    e.stopPropagation();
    this.emit(this.value + 1);
  }

  override render() {
    return html`
      <button type="button" class=${this.kind} ?disabled=${this.disabled}
        @click=${this.#onClick}>${this.label}</button>
    `;
  }
}
register("syslab-button", ButtonElement);

function buttonSpec(o: ButtonOptions, label: string, kind: string): InputSpec<number> {
  const what = `button "${label}"`;
  const coerce = (v: unknown): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new Error(`${what}: the value is a click count, not ${JSON.stringify(v)}`);
    }
    return v;
  };
  return inputSpec({
    tag: "syslab-button",
    value: 0,
    attributes: { label, kind, disabled: o.disabled },
    fallback: () => label,
    coerce,
    testid: o.testid,
  });
}

/** A button: `button({ label })` → click count. */
export function button(o: ButtonOptions & { label: string }): InputSpec<number> {
  return buttonSpec(o, o.label, o.kind ?? "neutral");
}

/** A run button (default label "Run ▶"): gate slow cells with `stop(run === 0, …)`. */
export function runButton(o: ButtonOptions = {}): InputSpec<number> {
  return buttonSpec(o, o.label ?? "Run ▶", "primary");
}
