/**
 * Distribution of the time to first token of one continuous-batching replica (whole-prompt,
 * prefill-first scheduling; the replica model of replica.ts), not just its mean.
 *
 * `TTFT = W + Q + R + t_pf + t_step`, the parts taken as independent:
 *
 * - `W`, the wait for a slot: 0 w.p. `1 − C`, else exponential with rate θ (M/G/c, mgc.ts);
 * - `Q`, the wait behind prompts queued before it: prefills are an M/D/1 queue of load
 *   `ρ = λ·t_pf` (every prompt the same length), so `Q` = 0 w.p. `1 − ρ`, else exponential with
 *   the Pollaczek–Khinchine conditional mean `t_pf / (2(1 − ρ))` (mgcWait(λ, t_pf, 1, 0); the
 *   M/D/1 tail is asymptotically exponential, Cramér–Lundberg);
 * - `R`, the rest of the decode iteration in flight at arrival: 0 w.p. `1 − u`, else uniform on
 *   `[0, t_step]` (the residual of a fixed-length iteration; `u` the share of time decoding);
 * - then its own prefill and the iteration that emits the token.
 *
 * Its mean is replica.ts's `TTFT₀ + E[W]` exactly. Using only that mean for every percentile
 * (`P99 = TTFT₀ + P99(W)`) put the light-load P99 at the mean: with no slot wait, every request
 * was modelled as equally lucky, while in the simulation (des.ts) a few per cent arrive behind a
 * prefill or a full decode step (tests/core/fleet/ttft_law.test.ts compares the two).
 *
 * CDF: `W + Q` in closed form (atom-plus-exponential mixtures; the hypoexponential for both
 * positive), averaged over `R` with {@link R_POINTS} midpoints; quantiles by bisection.
 *
 * @module
 */
import type { MgcWait } from "./mgc.ts";

/** Midpoints of the uniform residual `R` in the CDF (error ≪ 1 % of t_step). */
export const R_POINTS = 64;

/** The parts of {@link ttftQuantile}'s law. */
export interface TtftLaw {
  /** Slot wait W. */
  slot: Pick<MgcWait, "probWait" | "drainRate">;
  /** Prefill-queue wait Q. */
  prefillQueue: Pick<MgcWait, "probWait" | "drainRate">;
  /** Probability a decode iteration is in flight at arrival, and its length, s. */
  decodingShare: number;
  stepS: number;
  /** Deterministic part: own prefill + the emitting iteration, s. */
  fixedS: number;
}

/** P(X ≤ x) for X = 0 w.p. 1 − a, else Exp(α). */
function mix(a: number, alpha: number, x: number): number {
  return x < 0 ? 0 : 1 - a * Math.exp(-alpha * x);
}

/** P(W + Q ≤ x), both atom-plus-exponential (module doc). */
function waitsCdf(l: TtftLaw, x: number): number {
  if (x < 0) return 0;
  const a = l.slot.probWait, al = l.slot.drainRate;
  const b = l.prefillQueue.probWait, be = l.prefillQueue.drainRate;
  // Both positive: hypoexponential CDF.
  let both: number;
  if (Math.abs(al - be) < 1e-9 * Math.max(al, be)) {
    both = 1 - Math.exp(-al * x) * (1 + al * x);
  } else {
    both = 1 - (be * Math.exp(-al * x) - al * Math.exp(-be * x)) / (be - al);
  }
  return (1 - a) * (1 - b) + (1 - b) * a * mix(1, al, x) + (1 - a) * b * mix(1, be, x) +
    a * b * both;
}

/** P(TTFT ≤ t). */
export function ttftCdf(l: TtftLaw, t: number): number {
  const y = t - l.fixedS;
  if (y < 0) return 0;
  const u = l.decodingShare;
  if (!(u > 0) || !(l.stepS > 0)) return waitsCdf(l, y);
  let avg = 0;
  for (let i = 0; i < R_POINTS; i++) avg += waitsCdf(l, y - (i + 0.5) / R_POINTS * l.stepS);
  return (1 - u) * waitsCdf(l, y) + u * avg / R_POINTS;
}

/** Mean TTFT: `fixed + u·t_step/2 + E[Q] + E[W]`. */
export function ttftMean(l: TtftLaw): number {
  const w = (m: Pick<MgcWait, "probWait" | "drainRate">) =>
    m.probWait > 0 ? m.probWait / m.drainRate : 0;
  return l.fixedS + l.decodingShare * l.stepS / 2 + w(l.prefillQueue) + w(l.slot);
}

/** Quantile `q` of TTFT (bisection to 1e-9 relative). */
export function ttftQuantile(l: TtftLaw, q: number): number {
  for (const m of [l.slot, l.prefillQueue]) {
    if (m.probWait > 0 && !(m.drainRate > 0)) return Infinity;
  }
  let lo = l.fixedS, hi = l.fixedS + l.stepS + 1e-9;
  while (ttftCdf(l, hi) < q) hi = lo + 2 * (hi - lo);
  for (let i = 0; i < 80 && hi - lo > 1e-9 * hi; i++) {
    const m = 0.5 * (lo + hi);
    if (ttftCdf(l, m) < q) lo = m;
    else hi = m;
  }
  return hi;
}
