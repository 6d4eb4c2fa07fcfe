/**
 * Runtime figures, headless: recompute time after one input change in a 1000-cell chain and a
 * 1000-reader fan-out (target ≤ 2 ms each), with the re-run count (must equal the descendants),
 * and the engine's time over the bare Observable runtime's on the same graphs (`overhead.ts`).
 */
import { type LabDefinition, runLab } from "../runtime/mod.ts";
import { labOf } from "./graphs.ts";
import { overhead } from "./overhead.ts";

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

/** One process's figures. */
async function benchOnce(): Promise<Record<string, number>> {
  const c = await measure(labOf("chain", 1000), 200);
  const f = await measure(labOf("fanout", 1000), 200);
  const vs: Record<string, number> = {};
  for (const shape of ["chain", "fanout"] as const) {
    const o = await overhead(shape);
    vs[`${shape}_1000_bare_median_ms`] = round(o.bare_ms);
    vs[`${shape}_1000_engine_median_ms`] = round(o.engine_ms);
    vs[`${shape}_1000_engine_over_bare`] = round(o.ratio);
    vs[`${shape}_1000_engine_over_bare_p25`] = round(o.ratio_p25);
    vs[`${shape}_1000_engine_over_bare_p75`] = round(o.ratio_p75);
  }
  return {
    chain_1000_recompute_median_ms: round(c.median),
    chain_1000_recompute_p95_ms: round(c.p95),
    chain_1000_reruns: c.reruns,
    fanout_1000_recompute_median_ms: round(f.median),
    fanout_1000_recompute_p95_ms: round(f.p95),
    fanout_1000_reruns: f.reruns,
    ...vs,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

const PROCESSES = 3;

/**
 * Runs the runtime benchmarks in three fresh processes and reports each figure's median: on a
 * shared 2-core VM one process's median moves by up to ±40 % from run to run (JIT, heap layout,
 * neighbours), and the median of three damps that.
 */
export async function benchRuntime(): Promise<Record<string, number>> {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, "--once"],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("the runtime bench process failed");
    runs.push(JSON.parse(new TextDecoder().decode(out.stdout)));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const out = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, med(runs.map((r) => r[k]))]));
  // The ratio's spread between processes, beside the within-process quartiles.
  for (const k of Object.keys(runs[0]).filter((k) => k.endsWith("_over_bare"))) {
    out[`${k}_min`] = Math.min(...runs.map((r) => r[k]));
    out[`${k}_max`] = Math.max(...runs.map((r) => r[k]));
  }
  return out;
}

if (import.meta.main) {
  const figures = Deno.args.includes("--once") ? await benchOnce() : await benchRuntime();
  console.log(JSON.stringify(figures));
}
