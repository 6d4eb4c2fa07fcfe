/**
 * Engine overhead: one update of a 1000-cell chain and a 1000-reader fan-out, timed on the bare
 * `@observablehq/runtime` and on syslab's engine in the same process, interleaved (A/B, B/A,
 * …) after a warm-up, so a neighbour's load or a JIT phase falls on both alike. The figure is
 * the ratio of the medians; its spread is the 25th–75th percentile of the per-pair ratios.
 */
import { runLab } from "../runtime/mod.ts";
import { bareOf, labOf, type Shape } from "./graphs.ts";

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
};

/** Times `rounds` interleaved updates of both; returns the medians and the ratio's spread. */
export async function overhead(shape: Shape, n = 1000, rounds = 300, warmup = 150) {
  const bare = bareOf(shape, n);
  const h = await runLab(labOf(shape, n));
  const engine = async (x: number) => {
    h.set("x", x);
    await h.settled();
  };
  const time = async (f: (x: number) => Promise<void>, x: number) => {
    const t0 = performance.now();
    await f(x);
    return performance.now() - t0;
  };
  const a: number[] = [], b: number[] = [], ratio: number[] = [];
  for (let i = 1; i <= warmup + rounds; i++) {
    // Alternate who goes first, so neither always runs on the other's warm caches.
    let ta: number, tb: number;
    if (i % 2) (ta = await time(bare.set, i), tb = await time(engine, i));
    else (tb = await time(engine, i), ta = await time(bare.set, i));
    if (i <= warmup) continue;
    a.push(ta), b.push(tb), ratio.push(tb / ta);
  }
  const ran = h.traces.at(-1)!.runs.length;
  const last = h.value(shape === "chain" ? `c${n - 1}` : `r${n - 1}`);
  const want = warmup + rounds + (shape === "chain" ? n : n - 1);
  bare.dispose();
  h.dispose();
  if (ran !== n) throw new Error(`the engine re-ran ${ran} cells of ${n}`);
  if (last !== want) throw new Error(`the engine's last cell reads ${last}, not ${want}`);
  const bareMs = quantile(a, 0.5), engineMs = quantile(b, 0.5);
  return {
    bare_ms: bareMs,
    engine_ms: engineMs,
    ratio: engineMs / bareMs,
    ratio_p25: quantile(ratio, 0.25),
    ratio_p75: quantile(ratio, 0.75),
  };
}
