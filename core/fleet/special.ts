/**
 * Special functions for the sojourn-time distribution: log-gamma and the regularized lower
 * incomplete gamma function `P(k, x) = γ(k, x) / Γ(k)` (the CDF of Gamma(k, 1) at x).
 *
 * - `ln Γ(z)`: Lanczos approximation, g = 7, nine coefficients (Lanczos 1964; the coefficient set
 *   published by Godfrey 2001), relative error < 1e-14 for z > 0.5, reflection below.
 * - `P(k, x)`: power series `e^{−x} x^k Σ x^n / Γ(k + n + 1)` for x < k + 1, otherwise the
 *   continued fraction for `Q = 1 − P` evaluated by the modified Lentz method
 *   (Abramowitz & Stegun 6.5.29 and 6.5.31).
 *
 * @module
 */

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0. */
export function lnGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const x = z - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Regularized lower incomplete gamma P(k, x), k > 0, x ≥ 0. */
export function gammaP(k: number, x: number): number {
  if (!(x > 0)) return 0;
  if (x === Infinity) return 1;
  const lead = k * Math.log(x) - x - lnGamma(k);
  if (x < k + 1) {
    let term = 1 / k, sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (k + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = x + 1 - k, c = 1 / tiny, d = 1 / b, h = d;
  for (let n = 1; n < 1000; n++) {
    const an = -n * (n - k);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}
