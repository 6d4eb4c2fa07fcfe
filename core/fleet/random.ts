/**
 * A small seeded pseudo-random generator for the fleet simulation, so a run is reproducible
 * from its seed on every platform (no `Math.random`).
 *
 * - Uniforms: mulberry32 (Tommy Ettinger's 32-bit generator; period 2³², passes PractRand to
 *   32 GB), enough for 10⁵–10⁶ draws per run.
 * - Exponential: inversion, `−ln(1 − U)/rate`.
 * - Gamma(shape k, scale 1): Marsaglia & Tsang (2000), "A simple method for generating gamma
 *   variables", ACM TOMS 26(3); for k < 1 the boost `Gamma(k+1) · U^{1/k}` (same paper, §6).
 *   Normals by Box–Muller.
 *
 * @module
 */

/** A seeded stream of random numbers. */
export class Rng {
  #state: number;
  #spare = NaN;

  /** `seed` is any integer; equal seeds give equal streams. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform on [0, 1) (mulberry32). */
  uniform(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Exponential with rate `rate` (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /** Standard normal (Box–Muller, the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.#spare)) {
      const s = this.#spare;
      this.#spare = NaN;
      return s;
    }
    const u = 1 - this.uniform(), v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Gamma with shape `k` > 0 and scale 1 (mean k, variance k). */
  gamma(k: number): number {
    if (k < 1) return this.gamma(k + 1) * Math.pow(1 - this.uniform(), 1 / k);
    const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x, v;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /**
   * A positive variate with mean `mean` and coefficient of variation `cv` from the gamma family
   * (cv 0: the constant; cv 1: exponential; otherwise Gamma(1/cv², mean·cv²)).
   */
  gammaMeanCv(mean: number, cv: number): number {
    if (cv === 0) return mean;
    if (cv === 1) return this.exponential(1 / mean);
    const k = 1 / (cv * cv);
    return this.gamma(k) * mean / k;
  }
}
