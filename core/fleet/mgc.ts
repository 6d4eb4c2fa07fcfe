/**
 * M/G/c waiting time with service-time variability.
 *
 * Allen–Cunneen approximation (Allen 1990, "Probability, Statistics and Queueing Theory" §6;
 * Whitt 1993, "Approximations for the GI/G/m queue", Prod. Oper. Mgmt 2(2)):
 *
 * ```
 * E[W_q](G/G/c) ≈ E[W_q](M/M/c) · (c_a² + c_s²) / 2,   E[W_q](M/M/c) = C(c, a) / (cμ − λ)
 * ```
 * with Erlang C `C(c, a)` (core/queueing.ts), offered load `a = λ/μ`, and squared coefficients of
 * variation of inter-arrival (`c_a²`, 1 for Poisson) and service (`c_s²`) times.
 * For c = 1 this is Kingman's (1961) heavy-traffic formula, and with Poisson arrivals it is the
 * Pollaczek–Khinchine mean exactly, `λ E[S²] / (2(1 − ρ))` ({@link pollaczekKhinchineWait}):
 * so it reduces to M/M/c at c_s = 1 and to M/D/1 at c_s = 0, c = 1 (tests/core/fleet).
 *
 * The wait distribution: an arrival waits with probability `C(c, a)` (exact for M/M/c, and
 * P(wait) = ρ for every M/G/1); the wait of those who wait is taken as exponential with the mean
 * that matches E[W_q] (exact for M/M/c; for M/G/1 the tail is asymptotically exponential,
 * Cramér–Lundberg). Quantile: `t_q = ln(C / (1 − q)) · E[W_q|W_q>0]`, 0 when C ≤ 1 − q.
 *
 * @module
 */
import { erlangC } from "../queueing.ts";

/** Result of {@link mgcWait}. Times in seconds. */
export interface MgcWait {
  /** ρ = λ E[S] / c. */
  utilization: number;
  /** Probability an arrival waits (Erlang C). */
  probWait: number;
  /** E[W_q]. */
  meanS: number;
  /** E[W_q | W_q > 0]. */
  conditionalMeanS: number;
  /** 1 / E[W_q | W_q > 0] = (cμ − λ) · 2 / (c_a² + c_s²), 1/s. */
  drainRate: number;
  p50S: number;
  p95S: number;
  p99S: number;
  /** False when ρ ≥ 1 (every time is then Infinity). */
  stable: boolean;
}

/** Quantile `q` of the wait described by `w` (module doc). */
export function waitQuantile(w: Pick<MgcWait, "probWait" | "drainRate">, q: number): number {
  const pw = w.probWait;
  if (!(w.drainRate > 0)) return Infinity;
  return pw > 1 - q ? Math.log(pw / (1 - q)) / w.drainRate : 0;
}

/**
 * Waiting time in a G/G/c queue by Allen–Cunneen (module doc): arrival rate `lambda` (1/s),
 * mean service time `meanServiceS`, `c` servers, service CV `cvService` (1: exponential,
 * 0: deterministic), arrival CV `cvArrival` (default 1: Poisson).
 */
export function mgcWait(
  lambda: number,
  meanServiceS: number,
  c: number,
  cvService: number,
  cvArrival = 1,
): MgcWait {
  const mu = 1 / meanServiceS;
  const a = lambda / mu;
  const rho = a / c;
  if (!(rho < 1)) {
    return {
      utilization: rho,
      probWait: 1,
      meanS: Infinity,
      conditionalMeanS: Infinity,
      drainRate: 0,
      p50S: Infinity,
      p95S: Infinity,
      p99S: Infinity,
      stable: false,
    };
  }
  const pw = erlangC(c, a);
  const f = (cvArrival * cvArrival + cvService * cvService) / 2;
  const rate = c * mu - lambda;
  const w = { probWait: pw, drainRate: rate / f };
  return {
    utilization: rho,
    probWait: pw,
    meanS: pw / w.drainRate,
    conditionalMeanS: 1 / w.drainRate,
    drainRate: w.drainRate,
    p50S: waitQuantile(w, 0.5),
    p95S: waitQuantile(w, 0.95),
    p99S: waitQuantile(w, 0.99),
    stable: true,
  };
}

/**
 * Pollaczek–Khinchine mean wait of an M/G/1 queue (Kleinrock Vol. 1 §5.5):
 * `E[W_q] = λ E[S²] / (2(1 − ρ))`, `E[S²] = E[S]²(1 + c_s²)`. M/D/1: c_s = 0.
 */
export function pollaczekKhinchineWait(lambda: number, meanServiceS: number, cv: number): number {
  const rho = lambda * meanServiceS;
  if (!(rho < 1)) return Infinity;
  return lambda * meanServiceS * meanServiceS * (1 + cv * cv) / (2 * (1 - rho));
}
