/**
 * Walks a lab through its inputs' sample values headless. The exporter uses it to render ahead
 * what the page will show: every chart the lab can draw, and the markdown of the states a student
 * reaches first. The walk: the defaults; then each input through its samples one at a time, from
 * the defaults and again with every input at its first non-null sample. Acts' locks are left
 * open: what a commit reveals is never rendered ahead. An input that rejects a sample is left alone. Something only
 * a combination of inputs reveals is not guaranteed to be found (the page then does the work).
 */
import type { LabDefinition } from "../runtime/lab.ts";
import { HeadlessLab } from "../runtime/headless.ts";

/** Where the walk is: which input differs from its base state, and whether that is a choice. */
export interface WalkState {
  /**
   * `defaults`: every input at its initial value; `committed`: at its first non-null sample;
   * `locks`: every act's lock committed in turn — visited only so that the exporter can compile
   * the structure of the charts behind the locks (`ahead.ts` renders nothing else of it).
   */
  base: "defaults" | "committed" | "locks";
  /** The input set to a sample (null: the base state itself). */
  input: string | null;
  value?: unknown;
  /** The input picks among options (not a number along a range): a prediction, a toggle… */
  discrete: boolean;
}

/**
 * Runs the walk: `enter(state)` before each state is set up, `visit(value, cell, state)` for each
 * settled display cell after. Returns the number of states visited.
 */
export async function exploreLab(
  def: LabDefinition,
  visit: (value: unknown, cell: string, state: WalkState) => void,
  opts: { timeoutMs?: number; enter?: (state: WalkState) => void } = {},
): Promise<number> {
  const lab = new HeadlessLab(def);
  let states = 0;
  const read = async (state: WalkState) => {
    await lab.settled(opts.timeoutMs ?? 2000);
    states++;
    for (const c of def.cells) {
      if (!c.display) continue;
      const s = lab.state(c.name);
      if (s.status === "ok") visit(s.value, c.name, state);
    }
  };
  const trySet = (values: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(values)) {
      try {
        lab.set(k, v);
      } catch { /* a sample this input refuses in this state: skip it */ }
    }
  };
  try {
    const first: WalkState = { base: "defaults", input: null, discrete: true };
    opts.enter?.(first);
    await read(first);
    // An act's lock is never committed by the walk: nothing behind a lock is rendered ahead,
    // so an exported file holds no reveal in any form (the page computes it after the commit).
    const inputs = def.cells.filter((c) => c.kind === "input" && !c.lock).map((c) => c.name);
    const samples = new Map<string, readonly unknown[]>();
    for (const name of inputs) {
      const spec = lab.engine.inputSpec(name);
      if (spec?.samples?.length) samples.set(name, spec.samples);
    }
    const defaults = Object.fromEntries(inputs.map((n) => [n, lab.engine.inputSpec(n)?.value]));
    const committed = {
      ...defaults,
      ...Object.fromEntries(
        [...samples].map(([n, s]) => [n, s.find((v) => v !== null && v !== undefined)]),
      ),
    };
    for (const [base, values] of [["defaults", defaults], ["committed", committed]] as const) {
      for (const [input, list] of samples) {
        const discrete = !list.every((v) => typeof v === "number");
        for (const value of list) {
          const state: WalkState = { base, input, value, discrete };
          opts.enter?.(state);
          trySet({ ...values, [input]: value });
          await read(state);
        }
      }
    }
    // Every lock committed in act order (a lock's options exist once the act before it is).
    for (const lock of def.cells.filter((c) => c.lock)) {
      const spec = lab.engine.inputSpec(lock.name);
      const v = spec?.samples?.find((x) => x !== null && x !== undefined);
      if (v === undefined) continue;
      trySet({ [lock.name]: v });
      await lab.settled(opts.timeoutMs ?? 2000);
    }
    const locks: WalkState = { base: "locks", input: null, discrete: true };
    opts.enter?.(locks);
    await read(locks);
    return states;
  } finally {
    lab.dispose();
  }
}
