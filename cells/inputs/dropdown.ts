/** Dropdown: one of many options, as a native `<select>`. */
import { html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { choices, type Options, type OptionValue } from "../util.ts";
import { type InputOptions, inputStyles, register } from "./base.ts";
import { ChoiceElement, choiceSpec } from "./choice.ts";

/** Options of `dropdown`. */
export interface DropdownOptions<T extends OptionValue> extends InputOptions {
  options: Options<T>;
  /** The selected value (default: the first option). */
  value?: T;
}

/** The live `<syslab-dropdown>`. */
export class DropdownElement extends ChoiceElement<OptionValue> {
  static override styles = inputStyles;

  #onChange(e: Event) {
    this.swallow(e);
    this.emit(this.options[Number((e.target as HTMLSelectElement).value)].value);
  }

  override render() {
    const at = this.selectedIndex();
    return html`
      <div class="row">
        <label class="label" for="sel">${this.label}</label>
        <select id="sel" ?disabled=${this.disabled} @change=${this.#onChange}
          @input=${this.swallow}>
              ${this.options.map((c, i) =>
                html`<option value=${i} ?selected=${i === at}>${c.label}</option>`
              )}
            </select>
      </div>
    `;
  }
}
register("syslab-dropdown", DropdownElement);

/** A dropdown: `dropdown({ label, options, value? })`; options as a list or `{ label: value }`. */
export function dropdown<T extends OptionValue>(o: DropdownOptions<T>): InputSpec<T> {
  const first = choices(o.options, `dropdown "${o.label}"`)[0].value;
  return choiceSpec<T, T>("syslab-dropdown", "dropdown", o, o.value ?? first);
}
