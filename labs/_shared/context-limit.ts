/**
 * Flags for a context beyond a model's configured maximum (core's `contextCheck`), for the
 * tutorial notebooks: wherever a lab shows memory or latency for `seqLen` tokens of a model, a
 * context the model cannot serve says so beside the numbers (vLLM refuses such a max_model_len).
 */
import { callout, type Html } from "../../cells/mod.ts";
import { contextCheck, lookupTransformer } from "../../core/mod.ts";
import { tokens } from "./memory-wall.ts";

const TITLE = "Beyond the model's context window";

/** A warning callout when `seqLen` exceeds `model`'s maximum context; null within it. */
export function contextFlag(model: string, seqLen: number, testid: string): Html | null {
  const c = contextCheck(model, seqLen);
  return c.exceedsModel ? callout("warn", c.message, { title: TITLE, testid }) : null;
}

/**
 * A warning when a sweep over `contexts` runs past `model`'s maximum: from which point on its
 * numbers are memory arithmetic for contexts the model cannot serve; null when none does.
 */
export function sweepFlag(model: string, contexts: readonly number[], testid: string): Html | null {
  const m = lookupTransformer(model);
  const beyond = contexts.filter((n) => n > m.maxContext);
  if (!beyond.length) return null;
  return callout(
    "warn",
    `${m.name} is configured for at most ${tokens(m.maxContext)}: the sweep's points from ${
      tokens(beyond[0])
    } on are memory arithmetic for contexts the model cannot serve (vLLM refuses such a ` +
      `max_model_len).`,
    { title: TITLE, testid },
  );
}

/** `parts` without the nulls (a flag that did not fire). */
export function present<T>(parts: ReadonlyArray<T | null>): T[] {
  return parts.filter((p): p is T => p !== null);
}
