/**
 * Runtime figures, headless: recompute time after one input change in a 1000-cell chain and a
 * 1000-reader fan-out (target ≤ 2 ms each), with the re-run count (must equal the descendants).
 */
import { lab, type LabDefinition, runLab } from "../runtime/mod.ts";
import type { InputSpec } from "../runtime/mod.ts";

const num = (value: number): InputSpec<number> => ({ value, html: (v) => String(v) });

function chain(n: number): LabDefinition {
  // deno-lint-ignore no-explicit-any
  let L: any = lab({ id: "bench-chain", title: "chain" }).input("x", () => num(0));
  L = L.cell("c0", ({ x }: { x: number }) => x + 1);
  for (let i = 1; i < n; i++) {
    L = L.cell(`c${i}`, new Function(`return ({ c${i - 1} }) => c${i - 1} + 1`)());
  }
  return L;
}

function fanOut(n: number): LabDefinition {
  // deno-lint-ignore no-explicit-any
  let L: any = lab({ id: "bench-fan", title: "fan" }).input("x", () => num(0));
  for (let i = 0; i < n; i++) L = L.cell(`r${i}`, new Function(`return ({ x }) => x + ${i}`)());
  return L;
}

async function measure(def: LabDefinition, rounds: number, warmup = 100) {
  const h = await runLab(def);
  const times: number[] = [];
  let reruns = 0;
  // Steady state: let the JIT settle on the hot paths before timing.
  for (let i = 1; i <= warmup; i++) {
    h.set("x", -i);
    await h.settled();
  }
  for (let i = 1; i <= rounds; i++) {
    const t0 = performance.now();
    h.set("x", i);
    await h.settled();
    times.push(performance.now() - t0);
    reruns = h.traces.at(-1)!.runs.length;
  }
  h.dispose();
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    p95: times[Math.floor(times.length * 0.95)],
    reruns,
  };
}

/** Runs the runtime benchmarks. */
export async function benchRuntime(): Promise<Record<string, number>> {
  const c = await measure(chain(1000), 200);
  const f = await measure(fanOut(1000), 200);
  return {
    chain_1000_recompute_median_ms: round(c.median),
    chain_1000_recompute_p95_ms: round(c.p95),
    chain_1000_reruns: c.reruns,
    fanout_1000_recompute_median_ms: round(f.median),
    fanout_1000_recompute_p95_ms: round(f.p95),
    fanout_1000_reruns: f.reruns,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

if (import.meta.main) console.log(JSON.stringify(await benchRuntime(), null, 2));
