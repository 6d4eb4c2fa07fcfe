/**
 * Form: a group of inputs whose combined value changes only when the student submits (marimo's
 * `form`). Edits inside stay local until "Submit"; a note says when there are unsubmitted changes.
 */
import { css, html } from "lit";
import type { InputSpec, ViewElement } from "../../runtime/input.ts";
import { escapeHTML } from "../../runtime/render.ts";
import { attrs } from "../util.ts";
import { InputElement, inputStyles, register } from "./base.ts";

// deno-lint-ignore no-explicit-any
type Fields = Record<string, InputSpec<any>>;
/** The value of a form: each field's submitted value. */
export type FormValue<F extends Fields> = { [K in keyof F]: F[K]["value"] };

/** Options of `form`. */
export interface FormOptions<F extends Fields> {
  label: string;
  fields: F;
  submitLabel?: string;
  testid?: string;
}

/** The live `<syslab-form>`: children are the fields' live elements (light DOM, slotted). */
export class FormElement extends InputElement<Record<string, unknown>> {
  static override properties = {
    ...InputElement.properties,
    value: { type: Object },
    submitLabel: { type: String },
    dirty: { state: true },
  };
  static override styles = [
    inputStyles,
    css`
      fieldset {
        border: 1px solid var(--syslab-border, #e2e8f0);
        border-radius: var(--syslab-radius-md, 12px);
        padding: 0.6rem 1rem;
      }
      .actions {
        display: flex;
        gap: 1rem;
        align-items: center;
        margin-top: 0.5rem;
      }
    `,
  ];
  declare submitLabel: string;
  declare dirty: boolean;
  /** The live field elements by name (set by `form().create`). */
  fields: Record<string, ViewElement<unknown>> = {};

  constructor() {
    super();
    this.value = {};
    this.submitLabel = "Submit";
    this.dirty = false;
    // Field edits are not the form's value: keep them from reaching the page.
    this.addEventListener("input", (e) => {
      if (e.target !== this) {
        e.stopImmediatePropagation();
        this.dirty = true;
      }
    });
  }

  #submit(e: Event) {
    e.preventDefault();
    const v: Record<string, unknown> = {};
    for (const [k, el] of Object.entries(this.fields)) v[k] = el.value;
    this.dirty = false;
    this.emit(v);
  }

  override render() {
    return html`
      <form @submit=${this.#submit}>
        <fieldset ?disabled=${this.disabled}>
          <legend>${this.label}</legend>
          <slot></slot>
          <div class="actions">
            <button type="submit" class="primary">${this.submitLabel}</button>
            <span class="hint" role="status">${this.dirty ? "Unsubmitted changes" : ""}</span>
          </div>
        </fieldset>
      </form>
    `;
  }
}
register("syslab-form", FormElement);

/** A submit-gated group: `form({ label, fields: { a: slider(…), b: dropdown(…) } })`. */
export function form<F extends Fields>(o: FormOptions<F>): InputSpec<FormValue<F>> {
  const names = Object.keys(o.fields);
  const submitLabel = o.submitLabel ?? "Submit";
  const initial = Object.fromEntries(names.map((k) => [k, o.fields[k].value])) as FormValue<F>;
  const coerce = (v: unknown): FormValue<F> => {
    if (typeof v !== "object" || v === null) {
      throw new Error(`form "${o.label}": the value is an object of its fields`);
    }
    const src = v as Record<string, unknown>;
    for (const k of Object.keys(src)) {
      if (!names.includes(k)) {
        throw new Error(`form "${o.label}": no field "${k}"; fields: ${names.join(", ")}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of names) {
      const f = o.fields[k];
      out[k] = k in src ? (f.coerce ? f.coerce(src[k]) : src[k]) : f.value;
    }
    return out as FormValue<F>;
  };
  return {
    value: initial,
    html(value) {
      const kids = names.map((k) => o.fields[k].html(value[k])).join("");
      return `<syslab-form${
        attrs({ label: o.label, submitLabel, "data-testid": o.testid })
      }><span class="syslab-fallback-control" slot="fallback">${
        escapeHTML(o.label)
      }</span>${kids}</syslab-form>`;
    },
    create(value) {
      const el = document.createElement("syslab-form") as FormElement;
      el.label = o.label;
      el.submitLabel = submitLabel;
      el.value = value;
      if (o.testid) el.dataset.testid = o.testid;
      for (const k of names) {
        const f = o.fields[k];
        const child = f.create!(value[k]);
        child.dataset.field = k;
        el.fields[k] = child;
        el.append(child);
      }
      return el as unknown as ViewElement<FormValue<F>>;
    },
    coerce,
  };
}
