/**
 * The two graphs the runtime figures time, built twice: as a syslab lab and as bare
 * `@observablehq/runtime` variables, so the engine's overhead can be timed against its peer.
 */
import { lab, type LabDefinition } from "../runtime/mod.ts";
import type { InputSpec } from "../runtime/mod.ts";
import { Runtime } from "../runtime/observable.ts";

/** The shape of the benchmark graph: a chain of `n` cells, or `n` readers of one input. */
export type Shape = "chain" | "fanout";

const num = (value: number): InputSpec<number> => ({ value, html: (v) => String(v) });

/** The lab: input `x`, then `c0 = x + 1, c1 = c0 + 1, …` (chain) or `ri = x + i` (fan-out). */
export function labOf(shape: Shape, n: number): LabDefinition {
  // deno-lint-ignore no-explicit-any
  let L: any = lab({ id: `bench-${shape}`, title: shape }).input("x", () => num(0));
  for (let i = 0; i < n; i++) {
    const src = shape === "fanout"
      ? `({ x }) => x + ${i}`
      : i === 0
      ? `({ x }) => x + 1`
      : `({ c${i - 1} }) => c${i - 1} + 1`;
    L = L.cell(shape === "fanout" ? `r${i}` : `c${i}`, new Function(`return ${src}`)());
  }
  return L;
}

/** The same graph on a bare Observable runtime; `set(x)` resolves when every cell has run. */
export interface BareGraph {
  set(x: number): Promise<void>;
  dispose(): void;
}

/**
 * Builds the bare peer: one observed variable per cell, the input a constant redefined per
 * update. It computes in a microtask, as the engine does (the package's default waits for a
 * frame, which would time the scheduler rather than the graph).
 */
export function bareOf(shape: Shape, n: number): BareGraph {
  const rt = new Runtime();
  const proto = rt as unknown as { _computeSoon(): Promise<void>; _computeNow(): Promise<void> };
  proto._computeSoon = function () {
    return Promise.resolve().then(() => this._computeNow());
  };
  const m = rt.module();
  let left = 0;
  let done: () => void = () => {};
  const observer = {
    fulfilled() {
      if (--left === 0) done();
    },
    rejected(e: unknown) {
      throw e;
    },
  };
  const input = m.variable(observer);
  input.define("x", [], () => 0);
  for (let i = 0; i < n; i++) {
    const [name, ref] = shape === "fanout"
      ? [`r${i}`, "x"]
      : [`c${i}`, i === 0 ? "x" : `c${i - 1}`];
    const body = shape === "fanout" ? `${ref} + ${i}` : `${ref} + 1`;
    m.variable(observer).define(name, [ref], new Function(ref, `return ${body}`) as () => number);
  }
  const settle = () =>
    new Promise<void>((r) => {
      left = n + 1;
      done = r;
    });
  let first: Promise<void> | null = settle();
  return {
    async set(x: number) {
      if (first) await first, first = null;
      const p = settle();
      input.define("x", [], () => x);
      await p;
    },
    dispose: () => rt.dispose(),
  };
}
