/**
 * Where one collective algorithm overtakes another as the message grows. On the α–β model each
 * algorithm is a line `t(S) = α + c·S` (c = F/B, F the nccl-tests factor, B the bus bandwidth;
 * `collectives.ts`), so two lines cross once, at
 *
 *   S* = (α₂ − α₁) / (c₁ − c₂)      (a real crossover only when S* > 0),
 *
 * the algebra of the α–β ("Hockney") model as used by NCCL's tuner and the standard collective
 * cost literature (Thakur, Rabenseifner & Gropp, "Optimization of Collective Communication
 * Operations in MPICH", IJHPCA 2005, §2). Below S* the smaller α wins (latency-bound), above it
 * the smaller c (bandwidth-bound). `collectiveTime` is a minimum over protocols (LL, Simple) and
 * so only piecewise linear: {@link collectiveCrossovers} finds every sign change of
 * t_A(S) − t_B(S) on a log grid and refines each by bisection.
 *
 * @module
 */
import { type CollectiveAlgorithm, type CollectiveInput, collectiveTime } from "./collectives.ts";

/** One α–β line `t = alpha + slope·S`. */
export interface AlphaBetaLine {
  alpha: number;
  slope: number;
}

/**
 * Message size S* (bytes) where two α–β lines take equal time: `(α₂ − α₁)/(c₁ − c₂)`. Null when
 * the lines are parallel or cross at S* ≤ 0 (one line is faster at every size).
 */
export function lineCrossoverBytes(a: AlphaBetaLine, b: AlphaBetaLine): number | null {
  const dc = a.slope - b.slope;
  if (dc === 0) return null;
  const s = (b.alpha - a.alpha) / dc;
  return s > 0 && Number.isFinite(s) ? s : null;
}

/** A crossover found by {@link collectiveCrossovers}. */
export interface Crossover {
  /** Message size (bytes) where the two algorithms take the same time. */
  bytes: number;
  /** Time of either algorithm there (s). */
  timeS: number;
  /** The algorithm that is faster just below `bytes`. */
  below: Exclude<CollectiveAlgorithm, "auto">;
  /** The algorithm that is faster just above `bytes`. */
  above: Exclude<CollectiveAlgorithm, "auto">;
}

/** Input of {@link collectiveCrossovers}: a collective without its size, two algorithms, a range. */
export interface CrossoverInput extends Omit<CollectiveInput, "bytes" | "algorithm"> {
  a: Exclude<CollectiveAlgorithm, "auto">;
  b: Exclude<CollectiveAlgorithm, "auto">;
  /** Smallest and largest message searched (bytes); default 1 KiB … 64 GiB. */
  minBytes?: number;
  maxBytes?: number;
}

/**
 * Every message size in [minBytes, maxBytes] where algorithms `a` and `b` of `collectiveTime`
 * swap places (sign changes of t_a − t_b on a 96-point log grid, each bisected 60 times in log
 * space). Throws if either algorithm is unavailable for the collective (as collectiveTime does).
 */
export function collectiveCrossovers(input: CrossoverInput): Crossover[] {
  const lo = input.minBytes ?? 1024, hi = input.maxBytes ?? 64 * 1024 ** 3;
  if (!(lo > 0) || !(hi > lo)) {
    throw new RangeError(`crossover range must satisfy 0 < minBytes < maxBytes (got ${lo}, ${hi})`);
  }
  const t = (alg: Exclude<CollectiveAlgorithm, "auto">, bytes: number) =>
    collectiveTime({ ...input, bytes, algorithm: alg }).timeS;
  const diff = (s: number) => t(input.a, s) - t(input.b, s);
  const N = 96, la = Math.log(lo), lb = Math.log(hi);
  const out: Crossover[] = [];
  let x0 = la, d0 = diff(lo);
  for (let i = 1; i <= N; i++) {
    const x1 = la + (lb - la) * i / N, d1 = diff(Math.exp(x1));
    if (d0 === 0 || d0 * d1 < 0) {
      let a = x0, b = x1, da = d0;
      for (let j = 0; j < 60 && d0 !== 0; j++) {
        const m = 0.5 * (a + b), dm = diff(Math.exp(m));
        if (da * dm <= 0) b = m;
        else [a, da] = [m, dm];
      }
      const bytes = Math.exp(d0 === 0 ? x0 : 0.5 * (a + b));
      out.push({
        bytes,
        timeS: t(input.a, bytes),
        below: d0 < 0 ? input.a : input.b,
        above: d0 < 0 ? input.b : input.a,
      });
    }
    [x0, d0] = [x1, d1];
  }
  return out;
}
