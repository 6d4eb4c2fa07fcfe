/**
 * Queueing formulas for serving tail latency.
 *
 * M/M/c (Erlang 1917; Kleinrock, "Queueing Systems" Vol. 1 §3.5): offered load `a = λ/μ`,
 * utilisation `ρ = a/c`; the probability an arrival waits is Erlang C; the wait of those who wait
 * is exponential with rate `cμ − λ`, so `P(W > t) = C·e^{−(cμ−λ)t}`.
 *
 * @module
 */

/** Erlang B blocking probability for `c` servers and offered load `a` (stable recursion). */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = a * b / (k + a * b);
  return b;
}

/** Erlang C: probability an arrival must wait, `c` servers, offered load `a` (1 if a ≥ c). */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return b / (1 - (a / c) * (1 - b));
}

/** Result of {@link mmcWait}. Times in seconds. */
export interface WaitStats {
  /** ρ = λ / (cμ). */
  utilization: number;
  probWait: number;
  meanS: number;
  p50S: number;
  p99S: number;
  stable: boolean;
}

/** Quantile `q` of the M/M/c wait: `ln(C / (1 − q)) / (cμ − λ)`, 0 when C ≤ 1 − q. */
function waitQuantile(q: number, pw: number, rate: number): number {
  return pw > 1 - q ? Math.log(pw / (1 - q)) / rate : 0;
}

/**
 * Waiting time in an M/M/c queue with arrival rate `lambda` (1/s), `c` servers each serving at
 * `mu` (1/s). Unstable queues (λ ≥ cμ) return Infinity for every time.
 */
export function mmcWait(lambda: number, mu: number, c: number): WaitStats {
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) {
    return {
      utilization: rho,
      probWait: 1,
      meanS: Infinity,
      p50S: Infinity,
      p99S: Infinity,
      stable: false,
    };
  }
  const pw = erlangC(c, a);
  const rate = c * mu - lambda;
  return {
    utilization: rho,
    probWait: pw,
    meanS: pw / rate,
    p50S: waitQuantile(0.5, pw, rate),
    p99S: waitQuantile(0.99, pw, rate),
    stable: true,
  };
}

/** Smallest n with P(Poisson(mean) ≤ n) ≥ q. */
export function poissonQuantile(mean: number, q: number): number {
  let term = Math.exp(-mean);
  let cdf = term;
  let n = 0;
  while (cdf < q && n < 10000) {
    n++;
    term *= mean / n;
    cdf += term;
  }
  return n;
}
