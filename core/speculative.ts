/**
 * Speculative decoding (Leviathan, Kalman & Matias 2023, "Fast Inference from Transformers via
 * Speculative Decoding", Eq. 1 and Thm 3.8): with per-token acceptance rate α and draft length k,
 * one target verification step yields `E = (1 − α^(k+1)) / (1 − α)` tokens in expectation; with a
 * draft step costing `c` target steps, the walltime speedup is `E / (k·c + 1)`.
 *
 * @module
 */

/** Expected tokens per verification step: `(1 − α^(k+1)) / (1 − α)`, `k + 1` at α = 1. */
export function expectedTokensPerStep(alpha: number, k: number): number {
  if (alpha >= 1) return k + 1;
  return (1 - Math.pow(alpha, k + 1)) / (1 - alpha);
}

/** Input of {@link speculativeDecoding}. */
export interface SpeculativeInput {
  /** Probability a draft token is accepted, 0 ≤ α ≤ 1. */
  alpha: number;
  /** Draft tokens proposed per step, k ≥ 1. */
  k: number;
  /** Cost of one draft step in target-step units (e.g. draft bytes / target bytes). */
  draftCostRatio: number;
}

/** Result of {@link speculativeDecoding}. */
export interface SpeculativeResult {
  expectedTokensPerStep: number;
  /** Cost of one speculate+verify round, in target steps: `k·c + 1`. */
  costPerStep: number;
  /** Walltime speedup over plain decoding: `E / (k·c + 1)`. */
  speedup: number;
  /** "overhead" when the draft cost outweighs the accepted tokens (speedup < 1). */
  bound: "bandwidth" | "overhead";
}

/** Speedup of speculative decoding (formula in the module doc). */
export function speculativeDecoding(input: SpeculativeInput): SpeculativeResult {
  const e = expectedTokensPerStep(input.alpha, input.k);
  const cost = input.k * input.draftCostRatio + 1;
  const speedup = e / cost;
  return {
    expectedTokensPerStep: e,
    costPerStep: cost,
    speedup,
    bound: speedup < 1 ? "overhead" : "bandwidth",
  };
}

/**
 * The best draft length in `1..kMax` for acceptance α and draft cost c (maximises
 * `E(α,k) / (k·c + 1)`).
 */
export function optimalDraftLength(alpha: number, draftCostRatio: number, kMax = 16): number {
  let best = 1, bestS = -Infinity;
  for (let k = 1; k <= kMax; k++) {
    const s = expectedTokensPerStep(alpha, k) / (k * draftCostRatio + 1);
    if (s > bestS) {
      bestS = s;
      best = k;
    }
  }
  return best;
}
