/** The context toggle: two deployment contexts as a segmented control (the course's Rule 5). */
import type { InputSpec } from "../../runtime/input.ts";
import { radio } from "../inputs/radio.ts";
import { choices, type Options, type OptionValue } from "../util.ts";

/** Options of `contextToggle`. */
export interface ContextToggleOptions<T extends OptionValue> {
  /** Default "Deployment context". */
  label?: string;
  /** Exactly two contexts, e.g. `{ "Cloud (H100)": "cloud", "Edge (Jetson Orin NX)": "edge" }`. */
  options: Options<T>;
  /** Default: the first context. */
  value?: T;
  testid?: string;
}

/** A two-way context toggle; its value is the selected context. */
export function contextToggle<T extends OptionValue>(o: ContextToggleOptions<T>): InputSpec<T> {
  const label = o.label ?? "Deployment context";
  const list = choices(o.options, `context toggle "${label}"`);
  if (list.length !== 2) {
    throw new Error(
      `context toggle "${label}": a lab has exactly two deployment contexts, not ${list.length}`,
    );
  }
  return radio<T>({
    label,
    options: list,
    value: o.value ?? list[0].value,
    inline: true,
    variant: "segmented",
    testid: o.testid ?? "context-toggle",
  });
}
