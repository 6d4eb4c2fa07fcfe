/** Checkbox and switch: a boolean. The switch is a checkbox with `role="switch"` and a track. */
import { css, html } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { InputElement, type InputOptions, inputSpec, inputStyles, register } from "./base.ts";

/** Options of `checkbox` and `switchInput`. */
export interface CheckboxOptions extends InputOptions {
  value?: boolean;
}

/** The live `<syslab-checkbox>` (and `<syslab-switch>`). */
export class CheckboxElement extends InputElement<boolean> {
  static override properties = {
    ...InputElement.properties,
    value: { type: Boolean },
    kind: { type: String },
  };
  static override styles = [
    inputStyles,
    css`
      label {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        cursor: pointer;
      }
      .track {
        display: none;
      }
      :host([kind="switch"]) input {
        position: absolute;
        opacity: 0;
        width: 1px;
        height: 1px;
      }
      :host([kind="switch"]) .track {
        display: inline-block;
        width: 2.2rem;
        height: 1.2rem;
        border-radius: 999px;
        background: var(--syslab-neutral-border, #94a3b8);
        position: relative;
        transition: background 0.15s;
      }
      :host([kind="switch"]) .track::after {
        content: "";
        position: absolute;
        top: 0.15rem;
        left: 0.15rem;
        width: 0.9rem;
        height: 0.9rem;
        border-radius: 50%;
        background: #fff;
        transition: left 0.15s;
      }
      :host([kind="switch"]) input:checked + .track {
        background: var(--syslab-primary, #006395);
      }
      :host([kind="switch"]) input:checked + .track::after {
        left: 1.15rem;
      }
      :host([kind="switch"]) input:focus-visible + .track {
        outline: 2px solid var(--syslab-focus, #1d4ed8);
        outline-offset: 2px;
      }
    `,
  ];
  declare kind: string;

  constructor() {
    super();
    this.value = false;
    this.kind = "checkbox";
  }

  override connectedCallback() {
    super.connectedCallback();
    this.setAttribute("kind", this.kind);
  }

  #onChange(e: Event) {
    this.swallow(e);
    this.emit((e.target as HTMLInputElement).checked);
  }

  override render() {
    const sw = this.kind === "switch";
    return html`<label><input type="checkbox" role=${sw ? "switch" : "checkbox"}
      .checked=${this.value} ?disabled=${this.disabled} @change=${this.#onChange}
      @input=${this.swallow}><span class="track" aria-hidden="true"></span><span class="label"
      >${this.label}</span></label>`;
  }
}
register("syslab-checkbox", CheckboxElement);

function booleanSpec(kind: "checkbox" | "switch", o: CheckboxOptions): InputSpec<boolean> {
  const what = `${kind} "${o.label}"`;
  const coerce = (v: unknown): boolean => {
    if (typeof v !== "boolean") throw new Error(`${what}: ${JSON.stringify(v)} is not true/false`);
    return v;
  };
  return inputSpec({
    tag: "syslab-checkbox",
    value: coerce(o.value ?? false),
    attributes: { label: o.label, kind, disabled: o.disabled },
    valueAttr: (v) => v,
    fallback: (v) => `${o.label}: ${v ? "on" : "off"}`,
    coerce,
    samples: [false, true],
    testid: o.testid,
  });
}

/** A checkbox: `checkbox({ label, value? })` → boolean. */
export function checkbox(o: CheckboxOptions): InputSpec<boolean> {
  return booleanSpec("checkbox", o);
}

/** A switch (an on/off toggle): `switchInput({ label, value? })` → boolean. */
export function switchInput(o: CheckboxOptions): InputSpec<boolean> {
  return booleanSpec("switch", o);
}
