/** Radio: one of a few options, as a native radio group (arrow keys move the choice). */
import { css, html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import type { Options, OptionValue } from "../util.ts";
import { type InputOptions, inputStyles, register } from "./base.ts";
import { ChoiceElement, choiceSpec } from "./choice.ts";

/** Options of `radio`. */
export interface RadioOptions<T extends OptionValue> extends InputOptions {
  options: Options<T>;
  /** Options on one line (default true for up to 4 options). */
  inline?: boolean;
  /** `segmented`: a two-to-four-way toggle look (the context toggle uses it). */
  variant?: "list" | "segmented";
}

/** The live `<syslab-radio>`. */
export class RadioElement extends ChoiceElement<OptionValue | null> {
  static override properties = {
    ...ChoiceElement.properties,
    inline: { type: Boolean },
    variant: { type: String },
  };
  static override styles = [
    inputStyles,
    css`
      .opts {
        display: flex;
        flex-direction: column;
        gap: 0.3rem;
        margin-top: 0.3rem;
      }
      :host([inline]) .opts {
        flex-direction: row;
        flex-wrap: wrap;
        gap: 0.4rem 1.2rem;
      }
      label.opt {
        display: flex;
        align-items: baseline;
        gap: 0.45rem;
        cursor: pointer;
      }
      :host([variant="segmented"]) .opts {
        flex-direction: row;
        gap: 0;
        display: inline-flex;
        border: 1px solid var(--syslab-primary, #006395);
        border-radius: var(--syslab-radius-sm, 8px);
        overflow: hidden;
      }
      :host([variant="segmented"]) label.opt {
        padding: 0.4rem 1rem;
        gap: 0;
      }
      :host([variant="segmented"]) label.opt + label.opt {
        border-left: 1px solid var(--syslab-primary, #006395);
      }
      :host([variant="segmented"]) input {
        position: absolute;
        opacity: 0;
        width: 1px;
        height: 1px;
      }
      :host([variant="segmented"]) label.opt.on {
        background: var(--syslab-primary, #006395);
        color: var(--syslab-on-primary, #fff);
      }
      :host([variant="segmented"]) label.opt:focus-within {
        outline: 2px solid var(--syslab-focus, #1d4ed8);
        outline-offset: -4px;
      }
    `,
  ];
  declare inline: boolean;
  declare variant: string;

  constructor() {
    super();
    this.inline = false;
    this.variant = "list";
  }

  override connectedCallback() {
    super.connectedCallback();
    // Reflect for styling; set as attributes so `:host([...])` rules apply.
    this.toggleAttribute("inline", this.inline);
    this.setAttribute("variant", this.variant);
  }

  #onChange(e: Event, i: number) {
    this.swallow(e);
    this.emit(this.options[i].value);
  }

  override render() {
    const at = this.selectedIndex();
    return html`
      <fieldset ?disabled=${this.disabled}>
        <legend>${this.label}</legend>
        <div class="opts">
              ${this.options.map((c, i) =>
                html`<label class="opt ${i === at ? "on" : ""}"><input type="radio" name="r"
          .checked=${i === at} @change=${(e: Event) => this.#onChange(e, i)}
          @input=${this.swallow}><span>${c.label}</span></label>`
              )}
            </div>
      </fieldset>
    `;
  }
}
register("syslab-radio", RadioElement);

/** A radio group with a preset value. */
export function radio<T extends OptionValue>(o: RadioOptions<T> & { value: T }): InputSpec<T>;
/** A radio group with nothing picked yet: the value is `null` until the student picks. */
export function radio<T extends OptionValue>(
  o: RadioOptions<T> & { value?: null },
): InputSpec<T | null>;
export function radio<T extends OptionValue>(
  o: RadioOptions<T> & { value?: T | null },
): InputSpec<T | null> {
  const n = Array.isArray(o.options) ? o.options.length : Object.keys(o.options).length;
  return choiceSpec<T, T | null>("syslab-radio", "radio", o, o.value ?? null, {
    inline: o.inline ?? n <= 4,
    variant: o.variant ?? "list",
  });
}
