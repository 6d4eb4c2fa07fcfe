/**
 * Shared by inputs that pick one of several options (radio, dropdown, tabs, context toggle,
 * prediction lock, reflection): the element base holding `{ label, value }` choices, and the
 * spec builder that checks values against the options.
 */
import type { PropertyDeclarations } from "lit";
import type { InputSpec } from "../../runtime/input.ts";
import { type Choice, choices, oneOf, type Options, type OptionValue } from "../util.ts";
import { InputElement, inputSpec } from "./base.ts";

/** Base of option-picking elements; the value is an option's value (or null: none picked). */
export class ChoiceElement<T extends OptionValue | null> extends InputElement<T> {
  static override properties: PropertyDeclarations = {
    ...InputElement.properties,
    options: { type: Array },
    value: { type: Object },
  };
  declare options: Choice[];

  constructor() {
    super();
    this.options = [];
    this.value = null as T;
  }

  /** The index of the current value among the options (-1: none). */
  protected selectedIndex(): number {
    return this.options.findIndex((c) => Object.is(c.value, this.value));
  }
}

/** Builds the spec of an option-picking input. */
export function choiceSpec<T extends OptionValue, V extends T | null>(
  tag: string,
  kind: string,
  o: { label: string; options: Options<T>; testid?: string; disabled?: boolean },
  value: V,
  extra: Record<string, unknown> = {},
): InputSpec<V> {
  const what = `${kind} "${o.label}"`;
  const list = choices(o.options, what);
  const allowNull = value === null;
  const coerce = (v: unknown): V => {
    if (v === null && allowNull) return null as V;
    return oneOf(v, list, what) as V;
  };
  return inputSpec<V>({
    tag,
    value: coerce(value),
    attributes: { label: o.label, options: list, disabled: o.disabled, ...extra },
    valueAttr: (v) => JSON.stringify(v),
    fallback: (v) => {
      const hit = list.find((c) => Object.is(c.value, v));
      return `${o.label}: ${hit ? hit.label : "(none selected)"}`;
    },
    coerce,
    samples: list.map((c) => c.value as V),
    testid: o.testid,
  });
}
