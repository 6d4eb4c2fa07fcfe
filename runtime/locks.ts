/**
 * The engine's record of what a commit made final: an act's lock input, and the inputs its
 * prediction read (the context, the scenario's knobs), frozen at the values it was made with.
 * `LabEngine.setInput` asks {@link InputLocks.check} first, so a committed prediction cannot be
 * re-taken from anywhere — a widget, a restored session, a test, the console. Only
 * {@link InputLocks.clear} ("start this lab over") releases them.
 *
 * @module
 */

/** A second commit of a locked input, or a change to an input frozen by a commit. */
export class InputLockedError extends Error {
  override name = "InputLockedError";
  constructor(readonly input: string, readonly held: unknown, readonly by: string) {
    super(
      by === input
        ? `"${input}" is committed (${
          JSON.stringify(held)
        }); a prediction is final — start the lab over to change it`
        : `"${input}" is frozen at ${
          JSON.stringify(held)
        } by the commit of "${by}"; start the lab over to change it`,
    );
  }
}

/** Locked inputs and their held values. */
export class InputLocks {
  #held = new Map<string, { value: unknown; by: string }>();
  #listeners = new Set<(input: string) => void>();

  /** Holds `input` at `value`, on behalf of the lock `by` (itself, for a lock). */
  freeze(input: string, value: unknown, by = input): void {
    if (this.#held.has(input)) return;
    this.#held.set(input, { value, by });
    for (const fn of this.#listeners) fn(input);
  }

  /** Throws {@link InputLockedError} when `input` is held at another value. */
  check(input: string, value: unknown): void {
    const h = this.#held.get(input);
    if (h && !sameValue(h.value, value)) throw new InputLockedError(input, h.value, h.by);
  }

  /** Whether `input` is held. */
  has(input: string): boolean {
    return this.#held.has(input);
  }

  /** The value `input` is held at (undefined when it is not held). */
  held(input: string): unknown {
    return this.#held.get(input)?.value;
  }

  /** The held inputs and values. */
  entries(): Array<[string, unknown]> {
    return [...this.#held].map(([k, h]) => [k, h.value]);
  }

  /** Calls `fn(input)` when an input becomes held; returns an unsubscribe function. */
  subscribe(fn: (input: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Releases every lock (the confirmed "start this lab over"). */
  clear(): void {
    this.#held.clear();
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
}
