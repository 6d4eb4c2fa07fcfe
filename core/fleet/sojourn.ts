/**
 * Sojourn (response) time `T = W_q + S` of a queue whose wait `W_q` is described by
 * {@link MgcWait} and whose service time is `S = shift + Y`, `Y` from the gamma family with mean
 * `meanY` and coefficient of variation `cvY` (cv 0: constant, 1: exponential), independent of
 * the wait (true for FCFS M/G/c: a request's own service does not delay its start).
 *
 * With `W = 0` w.p. `1 − C`, else exponential with rate θ (mgc.ts):
 * `P(T ≤ t) = (1 − C)·F_Y(t − shift) + C · Σ_j p_j (1 − e^{−θ(t − shift − y_j)})⁺`, `F_Y` the exact
 * gamma CDF and the convolution over {@link CELLS} equal-width cells of `Y` up to its 1 − 10⁻⁷
 * point (`p_j` the cell's probability, `y_j` its conditional mean, both from the incomplete
 * gamma function). Quantiles by bisection. For cv = 0 the quantile is exact:
 * `shift + meanY + t_q(W)`.
 *
 * @module
 */
import { type MgcWait, waitQuantile } from "./mgc.ts";
import { gammaP } from "./special.ts";

/** Cells of the service-time discretisation (error ≲ ½ cell ≈ 1 % of the mean at cv = 1). */
export const CELLS = 256;

/** The service-time law of {@link sojournQuantile}: `shift + Y`, Y ~ gamma(meanY, cvY). */
export interface ServiceLaw {
  shiftS: number;
  meanYS: number;
  cvY: number;
}

/** Discretised sojourn distribution (build once, query many quantiles). */
export interface Sojourn {
  wait: Pick<MgcWait, "probWait" | "drainRate">;
  law: ServiceLaw;
  /** Cell midpoints of Y and their probabilities (empty when cv = 0). */
  y: Float64Array;
  p: Float64Array;
  /** Gamma shape and scale of Y (0 when cv = 0). */
  k: number;
  scale: number;
}

/** Build the discretised distribution of `T = W + shift + Y`. */
export function sojourn(wait: Pick<MgcWait, "probWait" | "drainRate">, law: ServiceLaw): Sojourn {
  if (law.cvY === 0 || law.meanYS === 0) {
    return { wait, law, y: new Float64Array(0), p: new Float64Array(0), k: 0, scale: 0 };
  }
  const k = 1 / (law.cvY * law.cvY), scale = law.meanYS / k;
  // Upper end: grow until the gamma tail beyond it is below 1e-7.
  let top = law.meanYS * (1 + 4 * law.cvY);
  while (1 - gammaP(k, top / scale) > 1e-7) top *= 1.5;
  const y = new Float64Array(CELLS), p = new Float64Array(CELLS);
  const w = top / CELLS;
  // E[Y; Y ≤ x] = meanY · P(k + 1, x/scale).
  let prev = 0, prevM = 0;
  for (let j = 0; j < CELLS; j++) {
    const last = j === CELLS - 1;
    const cdf = last ? 1 : gammaP(k, (j + 1) * w / scale);
    const m = last ? 1 : gammaP(k + 1, (j + 1) * w / scale);
    p[j] = cdf - prev;
    y[j] = p[j] > 0 ? law.meanYS * (m - prevM) / p[j] : (j + 0.5) * w;
    prev = cdf;
    prevM = m;
  }
  return { wait, law, y, p, k, scale };
}

function waitCdf(w: Pick<MgcWait, "probWait" | "drainRate">, t: number): number {
  if (t < 0) return 0;
  return 1 - w.probWait * Math.exp(-t * w.drainRate);
}

/** P(T ≤ t). */
export function sojournCdf(s: Sojourn, t: number): number {
  const base = t - s.law.shiftS;
  if (s.y.length === 0) return waitCdf(s.wait, base - s.law.meanYS);
  const c = s.wait.probWait, th = s.wait.drainRate;
  let sum = 0;
  for (let j = 0; j < s.y.length; j++) {
    const r = base - s.y[j];
    if (r < 0) break;
    sum += s.p[j] * (1 - Math.exp(-th * r));
  }
  return (1 - c) * gammaP(s.k, base / s.scale) + c * sum;
}

/** Mean of T. */
export function sojournMean(s: Sojourn): number {
  return s.law.shiftS + s.law.meanYS + s.wait.probWait / s.wait.drainRate;
}

/** Quantile `q` of T (bisection to 1e-9 relative; exact when cv = 0). */
export function sojournQuantile(s: Sojourn, q: number): number {
  if (!(s.wait.drainRate > 0)) return Infinity;
  if (s.y.length === 0) return s.law.shiftS + s.law.meanYS + waitQuantile(s.wait, q);
  let lo = s.law.shiftS, hi = s.law.shiftS + s.y[s.y.length - 1] + waitQuantile(s.wait, q) + 1e-9;
  while (sojournCdf(s, hi) < q) hi = lo + 2 * (hi - lo);
  for (let i = 0; i < 60 && hi - lo > 1e-9 * hi; i++) {
    const m = 0.5 * (lo + hi);
    if (sojournCdf(s, m) < q) lo = m;
    else hi = m;
  }
  return hi;
}
