// M/G/c (Allen–Cunneen) reduces exactly to M/M/c at cv = 1 and to M/D/1 (Pollaczek–Khinchine)
// at cv = 0, c = 1; the sojourn distribution and the special functions behind it.
import { assert, assertEquals, assertWithin } from "../_assert.ts";
import { gammaP, lnGamma } from "../../../core/fleet/special.ts";
import {
  mgcWait,
  mmcWait,
  pollaczekKhinchineWait,
  sojourn,
  sojournCdf,
  sojournMean,
  sojournQuantile,
} from "../../../core/mod.ts";

Deno.test("M/G/c at cv = 1 is exactly M/M/c (Erlang C): probability, mean and quantiles", () => {
  for (const c of [1, 2, 4, 8, 32, 128]) {
    for (const rho of [0.1, 0.5, 0.8, 0.95, 0.99]) {
      const s = 0.25, lambda = rho * c / s;
      const g = mgcWait(lambda, s, c, 1);
      const m = mmcWait(lambda, 1 / s, c);
      assertEquals(
        [g.probWait, g.meanS, g.p50S, g.p99S, g.stable],
        [m.probWait, m.meanS, m.p50S, m.p99S, m.stable],
        `c=${c} ρ=${rho}`,
      );
    }
  }
});

Deno.test("M/G/1 at cv = 0 is M/D/1: Pollaczek–Khinchine ρS/(2(1−ρ)), P(wait) = ρ", () => {
  for (const rho of [0.05, 0.3, 0.7, 0.9, 0.999]) {
    const s = 0.04, lambda = rho / s;
    const g = mgcWait(lambda, s, 1, 0);
    const pk = pollaczekKhinchineWait(lambda, s, 0);
    const closed = rho * s / (2 * (1 - rho));
    assertWithin(g.meanS, pk, 1e-12, `ρ=${rho} vs P–K`);
    assertWithin(g.meanS, closed, 1e-12, `ρ=${rho} vs closed form`);
    assertWithin(g.probWait, rho, 1e-12, "P(wait)");
    // M/D/1 waits half as long as M/M/1 at the same load.
    assertWithin(g.meanS, mmcWait(lambda, 1 / s, 1).meanS / 2, 1e-12, "half of M/M/1");
  }
  // With Poisson arrivals every M/G/1 mean is P–K (cv = 2: 2.5 × the M/M/1 wait).
  assertWithin(mgcWait(10, 0.05, 1, 2).meanS, pollaczekKhinchineWait(10, 0.05, 2), 1e-12);
});

Deno.test("M/G/c: wait grows with service variability and load; unstable is Infinity", () => {
  let prev = 0;
  for (const cv of [0, 0.5, 1, 1.5, 2]) {
    const w = mgcWait(30, 0.25, 8, cv).meanS;
    assert(w > prev, `cv ${cv}`);
    prev = w;
  }
  const u = mgcWait(40, 0.25, 8, 1);
  assertEquals([u.stable, u.meanS, u.p99S], [false, Infinity, Infinity]);
  assert(mgcWait(31, 0.25, 8, 1).p99S > mgcWait(30, 0.25, 8, 1).p99S);
});

Deno.test("special functions: ln Γ and the regularized incomplete gamma", () => {
  assertWithin(lnGamma(5), Math.log(24), 1e-13);
  assertWithin(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
  for (const x of [0.01, 0.5, 1, 3, 10, 40]) {
    assertWithin(gammaP(1, x), 1 - Math.exp(-x), 1e-12, `P(1, ${x})`);
    // P(2, x) = 1 − (1 + x)e^{−x}
    assertWithin(gammaP(2, x), 1 - (1 + x) * Math.exp(-x), 1e-10, `P(2, ${x})`);
  }
  assertEquals(gammaP(3, 0), 0);
});

Deno.test("sojourn: cv = 0 quantiles are exact; cv = 1 matches the M/M/c hypoexponential", () => {
  const lambda = 26, s = 0.25, c = 8; // θ = cμ − λ = 6 ≠ μ = 4
  const w0 = mgcWait(lambda, s, c, 0);
  const d = sojourn(w0, { shiftS: 0.01, meanYS: s, cvY: 0 });
  assertEquals(sojournQuantile(d, 0.99), 0.01 + s + w0.p99S);
  // M/M/c: T = W + S, S ~ Exp(μ), W = 0 w.p. 1 − C else Exp(θ = cμ − λ).
  const w1 = mgcWait(lambda, s, c, 1);
  const mu = 1 / s, th = c * mu - lambda, C = w1.probWait;
  const exact = (t: number) =>
    1 - (1 - C) * Math.exp(-mu * t) -
    C * (th * Math.exp(-mu * t) - mu * Math.exp(-th * t)) / (th - mu);
  const e = sojourn(w1, { shiftS: 0, meanYS: s, cvY: 1 });
  for (const t of [0.05, 0.2, 0.5, 1, 2]) {
    assert(
      Math.abs(sojournCdf(e, t) - exact(t)) < 2e-3,
      `t=${t}: ${sojournCdf(e, t)} vs ${exact(t)}`,
    );
  }
  const q = sojournQuantile(e, 0.99);
  assert(Math.abs(exact(q) - 0.99) < 1e-3, `P99 ${q}`);
  assertWithin(sojournMean(e), s + w1.meanS, 1e-12);
});
