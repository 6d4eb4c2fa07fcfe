/**
 * What every input shares: the lit base class (label, disabled, the view contract: `.value` plus
 * a bubbling `input` event per change), the shared scoped styles, and `inputSpec`, which builds
 * the runtime's `InputSpec` from a tag, its attributes, a fallback text and a coerce function.
 */
import { css, LitElement, type PropertyDeclarations } from "lit";
import type { InputSpec, ViewElement } from "../../runtime/input.ts";
import { escapeHTML } from "../../runtime/render.ts";
import { attrs, defineElement } from "../util.ts";

/** Options every input constructor takes. */
export interface InputOptions {
  /** The visible label (also the accessible name). */
  label: string;
  /** Stable test hook, set as `data-testid` on the element. */
  testid?: string;
  disabled?: boolean;
}

/** Scoped styles shared by input elements (they read the page's `--syslab-*` tokens). */
export const inputStyles = css`
  :host {
    display: block;
    margin: 0.4rem 0;
    color: var(--syslab-text, #0f172a);
    font-family: var(--syslab-font, system-ui, sans-serif);
  }
  /* A disabled (committed or frozen) input keeps its text readable: no dimming, which fails
    WCAG contrast; its controls are disabled and the cursor says so. */
  :host([disabled]) {
    cursor: not-allowed;
  }
  .label,
  legend {
    font-weight: 600;
    font-size: 0.9rem;
  }
  .row {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    flex-wrap: wrap;
  }
  output,
  .shown {
    font-family: var(--syslab-mono, ui-monospace, monospace);
    font-weight: 700;
    color: var(--syslab-primary, #006395);
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
    color: inherit;
  }
  input[type="number"],
  input[type="text"],
  input[type="password"],
  input[type="email"],
  input[type="url"],
  select,
  textarea {
    background: var(--syslab-surface, #fff);
    border: 1px solid var(--syslab-neutral-border, #94a3b8);
    border-radius: var(--syslab-radius-sm, 8px);
    padding: 0.3rem 0.5rem;
  }
  input[type="range"] {
    accent-color: var(--syslab-primary, #006395);
    width: min(24rem, 100%);
  }
  select,
  input[type="text"],
  textarea {
    max-width: 100%; /* a long option never widens the page on a phone */
    min-width: 0;
  }
  input[type="radio"],
  input[type="checkbox"] {
    accent-color: var(--syslab-primary, #006395);
  }
  :focus-visible {
    outline: 2px solid var(--syslab-focus, #1d4ed8);
    outline-offset: 2px;
  }
  button {
    cursor: pointer;
    border-radius: var(--syslab-radius-sm, 8px);
    padding: 0.35rem 0.9rem;
    border: 1px solid var(--syslab-primary, #006395);
    background: var(--syslab-surface, #fff);
    color: var(--syslab-primary, #006395);
    font-weight: 600;
  }
  button.primary {
    background: var(--syslab-primary, #006395);
    color: var(--syslab-on-primary, #fff);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  [aria-invalid="true"] {
    border-color: var(--syslab-danger-border, #cb202d);
  }
  .error {
    color: var(--syslab-danger-fg, #9b1620);
    font-size: 0.85rem;
  }
  .hint {
    color: var(--syslab-text-sec, #475569);
    font-size: 0.85rem;
  }
`;

/** Base class of syslab inputs: the view contract plus label and disabled. */
export class InputElement<T> extends LitElement {
  static override properties: PropertyDeclarations = {
    label: { type: String },
    disabled: { type: Boolean, reflect: true },
  };
  declare label: string;
  declare disabled: boolean;
  declare value: T;

  constructor() {
    super();
    this.label = "";
    this.disabled = false;
  }

  /** Sets the value and tells the page (a bubbling, composed `input` event). */
  protected emit(value: T): void {
    this.value = value;
    this.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  }

  /** Keeps native events of inner controls from leaking out as the element's own. */
  protected swallow(e: Event): void {
    e.stopPropagation();
  }
}

/** How a constructor describes its input; `inputSpec` turns it into the runtime's InputSpec. */
export interface SpecParts<T> {
  tag: string;
  value: T;
  /** Attributes describing the element at a value (no `value`: it is added from the value). */
  attributes: Record<string, unknown>;
  /** Readable text for the pre-render (shown until the live element replaces it). */
  fallback(value: T): string;
  /** The attribute form of a value (default: the value itself, JSON for non-strings). */
  valueAttr?(value: T): unknown;
  /** Properties to set on the live element (functions, arrays…). */
  props?: Record<string, unknown>;
  coerce(value: unknown): T;
  /** Representative values (see `InputSpec.samples`). */
  samples?: readonly T[];
  testid?: string;
}

/** Builds an InputSpec: `html(value)` pre-renders the tag, `create(value)` makes it live. */
export function inputSpec<T>(p: SpecParts<T>): InputSpec<T> {
  return {
    value: p.value,
    html(value: T) {
      const v = p.valueAttr ? p.valueAttr(value) : value;
      return `<${p.tag}${attrs({ ...p.attributes, value: v, "data-testid": p.testid })}>` +
        `<span class="syslab-fallback-control">${escapeHTML(p.fallback(value))}</span></${p.tag}>`;
    },
    create(value: T) {
      const el = document.createElement(p.tag) as ViewElement<T>;
      Object.assign(el, p.attributes, p.props ?? {});
      el.value = value;
      if (p.testid) el.dataset.testid = p.testid;
      return el;
    },
    coerce: p.coerce,
    samples: p.samples,
  };
}

/** Up to `n` values spread evenly over `min…max` on the grid `min + k·step`, ends included. */
export function spread(min: number, max: number, step: number, n = 5): number[] {
  if (!(max > min)) return [min];
  const out = new Set<number>();
  for (let i = 0; i < n; i++) {
    const raw = min + ((max - min) * i) / (n - 1);
    const snapped = step > 0 ? min + Math.round((raw - min) / step) * step : raw;
    out.add(Math.min(max, Math.max(min, Number(snapped.toPrecision(12)))));
  }
  return [...out];
}

/** Registers an input element class under its tag (once; harmless headless). */
export function register(tag: string, cls: CustomElementConstructor): void {
  defineElement(tag, cls);
}
