/**
 * Tabs as an input: a tab strip whose value is the selected tab (cells below show what fits it).
 * ARIA tabs with a roving tabindex: arrow keys move and select, Home/End jump.
 */
import { css, html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { choices, type Options, type OptionValue } from "../util.ts";
import { type InputOptions, inputStyles, register } from "./base.ts";
import { ChoiceElement, choiceSpec } from "./choice.ts";

/** Options of `tabsInput`. */
export interface TabsInputOptions<T extends OptionValue> extends InputOptions {
  options: Options<T>;
  value?: T;
}

/** The live `<syslab-tabs-input>`. */
export class TabsInputElement extends ChoiceElement<OptionValue> {
  static override styles = [
    inputStyles,
    css`
      [role="tablist"] {
        display: flex;
        gap: 0.25rem;
        border-bottom: 1px solid
          var(--syslab-border, #e2e8f0);
        margin-top: 0.3rem;
        flex-wrap: wrap;
      }
      [role="tab"] {
        border: none;
        border-bottom: 3px solid transparent;
        border-radius: 0;
        background: none;
        color: var(--syslab-text-sec, #475569);
        padding: 0.4rem 0.9rem;
      }
      [role="tab"][aria-selected="true"] {
        color: var(--syslab-primary, #006395);
        border-bottom-color: var(--syslab-primary, #006395);
      }
    `,
  ];

  #select(i: number, focus: boolean) {
    this.emit(this.options[i].value);
    if (focus) {
      this.updateComplete.then(() =>
        this.renderRoot.querySelectorAll<HTMLButtonElement>("[role=tab]")[i]?.focus()
      );
    }
  }

  #onKey(e: KeyboardEvent) {
    const n = this.options.length;
    const at = Math.max(0, this.selectedIndex());
    const to = e.key === "ArrowRight"
      ? (at + 1) % n
      : e.key === "ArrowLeft"
      ? (at - 1 + n) % n
      : e.key === "Home"
      ? 0
      : e.key === "End"
      ? n - 1
      : -1;
    if (to < 0) return;
    e.preventDefault();
    this.#select(to, true);
  }

  override render() {
    const at = Math.max(0, this.selectedIndex());
    return html`
      <div class="label" id="lbl">${this.label}</div>
      <div role="tablist" aria-labelledby="lbl" @keydown=${this.#onKey}>
              ${this.options.map((c, i) =>
                html`
                  <button type="button" role="tab" aria-selected=${i === at ? "true" : "false"}
                    tabindex=${i === at ? 0 : -1} ?disabled=${this.disabled}
                    @click=${(e: Event) => (e.stopPropagation(), this.#select(i, false))}>${c
                      .label}</button>
                `
              )}
            </div>
    `;
  }
}
register("syslab-tabs-input", TabsInputElement);

/** A tab strip input: `tabsInput({ label, options, value? })` → the selected tab's value. */
export function tabsInput<T extends OptionValue>(o: TabsInputOptions<T>): InputSpec<T> {
  const first = choices(o.options, `tabs "${o.label}"`)[0].value;
  return choiceSpec<T, T>("syslab-tabs-input", "tabs", o, o.value ?? first);
}
