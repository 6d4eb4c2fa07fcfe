/** `gate`: stops a cell (and so everything below it) until a prediction is committed. */
import { stop } from "../../runtime/stop.ts";
import { callout } from "../outputs/callout.ts";

/** The default message of a gate. */
export const GATE_MESSAGE = "Select your prediction to continue.";

/**
 * `gate(prediction)` stops the calling cell with a warn callout while `prediction` is null or
 * undefined; afterwards TypeScript knows it is set.
 */
export function gate<T>(
  prediction: T | null | undefined,
  message = GATE_MESSAGE,
): asserts prediction is T {
  if (prediction === null || prediction === undefined) {
    stop(true, callout("warn", message, { testid: "gate" }));
  }
}
