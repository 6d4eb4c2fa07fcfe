/**
 * The inputs contract. An input cell returns an `InputSpec`: its initial value, its markup, and
 * (in a browser) a live element that follows the view contract: it exposes `.value` and
 * dispatches `input` whenever the value changes. Headless, inputs are set by name and checked by
 * `coerce`, so the same lab runs with and without a DOM.
 */
import type { Renderable } from "./render.ts";

/** A live input element: `.value` plus `input` events. */
export interface ViewElement<T> extends HTMLElement {
  value: T;
}

/** What an input cell returns (cells/ builds these: slider, dropdown, prediction lock…). */
export interface InputSpec<T> {
  /** The initial value. */
  readonly value: T;
  /** Markup showing the input at `value` (pre-render, headless HTML); no script needed to read it. */
  html(value: T): string;
  /** Browser only: a new live element showing `value`. */
  create?(value: T): ViewElement<T>;
  /** Checks a value set from outside (headless or a restored state); throws when invalid. */
  coerce?(value: unknown): T;
  /**
   * A few representative values: every option of a choice, a slider's ends and middle, both
   * states of a switch. The exporter visits them to find every chart the lab can draw
   * (`export/explore.ts`); without them only `value` is visited.
   */
  readonly samples?: readonly T[];
}

/** The `$name` value of an input: renders the live element wherever a cell places it. */
export interface InputView<T> extends Renderable {
  readonly input: string;
  readonly spec: InputSpec<T>;
}
