/**
 * JSON output of `deno task sim`: snake_case keys (made by the callers), sizes as whole bytes,
 * and no silent `null`s. A non-finite number is either an error ({@link NonFiniteResultError},
 * exit 1) or, for a result the CLI reports as infeasible (exit 2), printed as `null` beside the
 * reason.
 *
 * @module
 */

/** A solver returned NaN or ±Infinity where a number was expected (a bug, never an answer). */
export class NonFiniteResultError extends Error {
  constructor(fields: readonly string[]) {
    super(
      `internal error: non-finite result for ${fields.join(", ")}; nothing was printed. ` +
        "Please report the command line.",
    );
    this.name = "NonFiniteResultError";
  }
}

/** Keys holding byte counts: printed as whole bytes (a TP shard never holds a fraction). */
const BYTES_KEY = /(^|_)bytes($|_)/;

/**
 * Serialise `x` with 2-space indentation. Byte fields are rounded to integers. Non-finite
 * numbers throw {@link NonFiniteResultError} unless `allowNonFinite` (infeasible results, whose
 * command exits 2), where they print as `null`. `infinityAs` names a +Infinity that is a real
 * answer (a sliding-window model's context has no memory limit): it prints as that string.
 */
export function jsonOut(x: unknown, allowNonFinite = false, infinityAs?: string): string {
  const bad: string[] = [];
  const text = JSON.stringify(x, (k, v) => {
    if (typeof v !== "number") return v;
    if (v === Infinity && infinityAs !== undefined) return infinityAs;
    if (!Number.isFinite(v)) {
      bad.push(k || "value");
      return null;
    }
    return BYTES_KEY.test(k) && !k.endsWith("_per_s") ? Math.round(v) : v;
  }, 2);
  if (bad.length && !allowNonFinite) throw new NonFiniteResultError(bad);
  return text;
}
