/**
 * Walks a lab through its inputs' sample values headless and collects what its cells show. The
 * exporter uses it to precompile every chart a lab can draw. The walk: the defaults; then each
 * input through its samples one at a time, from the defaults and again with every input at its
 * first non-null sample (which commits prediction locks, so gated sections run too). An input
 * that rejects a sample is left alone; a chart a combination of inputs would reveal is not
 * guaranteed to be found (the page then compiles it itself).
 */
import type { LabDefinition } from "../runtime/lab.ts";
import { HeadlessLab } from "../runtime/headless.ts";

/** What the walk did. */
export interface Exploration {
  /** States visited (each is one settled update). */
  states: number;
}

/** Runs the walk, calling `visit` with each settled cell value after each state. */
export async function exploreLab(
  def: LabDefinition,
  visit: (value: unknown, cell: string) => void,
  opts: { timeoutMs?: number } = {},
): Promise<Exploration> {
  const lab = new HeadlessLab(def);
  let states = 0;
  const read = async () => {
    await lab.settled(opts.timeoutMs ?? 2000);
    states++;
    for (const c of def.cells) {
      if (!c.display) continue;
      const s = lab.state(c.name);
      if (s.status === "ok") visit(s.value, c.name);
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
    await read();
    const inputs = def.cells.filter((c) => c.kind === "input").map((c) => c.name);
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
    for (const base of [defaults, committed]) {
      for (const [name, values] of samples) {
        for (const v of values) {
          trySet({ ...base, [name]: v });
          await read();
        }
      }
    }
    return { states };
  } finally {
    lab.dispose();
  }
}
