/**
 * Small helpers shared by every cells/ module: attribute markup, element registration that is
 * harmless without a DOM, number formatting, and ids for label/control pairs.
 */
import { escapeHTML } from "../runtime/render.ts";

/** One HTML attribute: ` name="value"` (escaped); `true` gives a bare attribute, nullish/false nothing. */
export function attr(name: string, value: unknown): string {
  if (value === undefined || value === null || value === false) return "";
  if (value === true) return ` ${name}`;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return ` ${name}="${escapeHTML(text)}"`;
}

/** Several attributes at once, in key order. */
export function attrs(map: Record<string, unknown>): string {
  return Object.entries(map).map(([k, v]) => attr(k, v)).join("");
}

/** Registers a custom element once; a no-op where there is no custom-element registry. */
export function defineElement(tag: string, cls: CustomElementConstructor): void {
  if (typeof customElements === "undefined" || customElements.get(tag)) return;
  customElements.define(tag, cls);
}

/** Is there a real DOM (a browser page, not Deno headless)? */
export function hasDOM(): boolean {
  return typeof document !== "undefined" && typeof document.createElement === "function";
}

/**
 * Default number display: thousands separators, at most 3 decimals, trailing zeros dropped
 * (`131072` → `131,072`, `0.12345` → `0.123`). Hand-written: the first `Intl.NumberFormat` in a
 * page costs about 20 ms (ICU data), more than everything else a cold page formats.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Math.abs(n) >= 1e21 ? String(n) : n.toFixed(3).replace(/\.?0+$/, "");
  const [int, frac] = fixed.replace(/^-/, "").split(".");
  const sign = fixed.startsWith("-") && fixed !== "-0" ? "-" : "";
  return sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac ? `.${frac}` : "");
}

let counter = 0;
/** A fresh id for tying a label to its control in generated markup. */
export function uid(prefix = "syslab"): string {
  counter = (counter + 1) % 1_000_000_000;
  return `${prefix}-${counter.toString(36)}`;
}

/** A JSON-safe option value: what radio, dropdown, tabs and prediction locks accept. */
export type OptionValue = string | number | boolean;

/** One choice of a radio/dropdown/tabs: the text shown and the value it stands for. */
export interface Choice<T extends OptionValue = OptionValue> {
  label: string;
  value: T;
}

/** Options as a list of values, a `{ label: value }` map, or `{ label, value }` pairs. */
export type Options<T extends OptionValue> =
  | readonly T[]
  | Readonly<Record<string, T>>
  | readonly Choice<T>[];

/** Normalises any options form to `{ label, value }` pairs; rejects empty and duplicate values. */
export function choices<T extends OptionValue>(options: Options<T>, what: string): Choice<T>[] {
  let out: Choice<T>[];
  if (Array.isArray(options)) {
    out = (options as readonly (T | Choice<T>)[]).map((o) =>
      typeof o === "object" && o !== null ? { label: String(o.label), value: o.value } : {
        label: String(o),
        value: o,
      }
    );
  } else {
    out = Object.entries(options as Record<string, T>).map(([label, value]) => ({ label, value }));
  }
  if (out.length === 0) throw new Error(`${what}: needs at least one option`);
  const seen = new Set<unknown>();
  for (const c of out) {
    if (seen.has(c.value)) {
      throw new Error(`${what}: option value ${JSON.stringify(c.value)} appears twice`);
    }
    seen.add(c.value);
  }
  return out;
}

/** Checks that `v` is one of the option values; the message names the input and the options. */
export function oneOf<T extends OptionValue>(v: unknown, list: Choice<T>[], what: string): T {
  const hit = list.find((c) => Object.is(c.value, v));
  if (hit) return hit.value;
  throw new Error(
    `${what}: ${JSON.stringify(v)} is not an option; the options are ${
      list.map((c) => JSON.stringify(c.value)).join(", ")
    }`,
  );
}
