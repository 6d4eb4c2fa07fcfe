/**
 * Calibrated efficiency factors and per-step overheads. Each constant names the measured rows
 * it comes from (`reference/calibration.md`); the fit is written down here so it can be re-done.
 *
 * ## The fit
 *
 * Memory-bound GEMM efficiency grows with the size of the weight matrices a layer reads (Vidur
 * rule of thumb 1). From Vidur's `mlp.csv` medians, all non-attention ops per layer, TP1, 1 token:
 *
 * | per-layer weight bytes | measured | this model |
 * |---|---|---|
 * | Llama-2-7B, 404 MB (H100 / A100-80) | 0.69 / 0.68 | 0.69 |
 * | Llama-3-8B, 436 MB (A100-80) | 0.71 | 0.70 |
 * | Llama-2-70B, 1.71 GB (H100) | 0.82 | 0.82 |
 * | Llama-2-7B TP4, 101 MB per GPU (H100) | ≈ 0.55 (GEMM 0.60 − elementwise) | 0.57 |
 *
 * `η_bw(b) = 0.70 + 0.202 · log10(b / 436 MB)`, clamped to [0.40, 0.90]: two anchors (8B and 70B
 * rows), checked on the 7B and TP4 rows it was not fitted to.
 *
 * Compute-bound GEMMs at 2048–4096 tokens sustain 0.67–0.88 of dense peak (Vidur rows: 7B H100
 * 0.70–0.88, 70B H100 0.60–0.76, 7B A100 0.67–0.75; mean ≈ 0.72). Smaller token counts fill fewer
 * 128-row GEMM tiles: `η_c(M) = 0.72 · M / (M + 64)` (half a tile, our assumption); at 128 tokens
 * this makes the 7B H100 layer memory-bound at ≈ 0.33 of peak FLOPs, as Vidur measured (0.32).
 *
 * The fixed per-step cost (scheduler, sampling, kernel-launch gaps) is what is left between the
 * kernel-level model and end-to-end measurements. Two parameters, least squares in log space over
 * three measured rows (C5 ITL, C6 TP1 decode, C6 TP2 decode), constrained to be ≥ 0 (the kernel
 * model alone already overshoots C6 TP1 by 4 %, so the fit balances C6 against C5):
 * `t_overhead = 0.35 ms + 20 µs × layers`. Result (tests/core/calibration.test.ts):
 * C5 ITL 7.65 vs 8 ms (−4 %), C6 decode 24.1 vs 22.0 ms (+10 %), C6 TP2 decode 14.1 vs 13.5 ms
 * (+4 %); C5 TTFT 22.7 vs 23 ms and C6 prefill 66.2 vs 63.2 ms (+5 %) follow without extra
 * constants. C6 TP2 prefill (45.45 ms measured) is under-predicted by 20 %: the 5 MB all-reduces
 * cost nothing on NVLink, so the FasterTransformer run probably used a slower link.
 *
 * @module
 */

/** Reference per-layer weight bytes for {@link ETA_BW_REF} (Llama-3-8B layer, BF16). */
export const ETA_BW_REF_BYTES = 436e6;
/** Memory-bound efficiency at {@link ETA_BW_REF_BYTES} (Vidur 7B/8B rows: 0.68–0.71). */
export const ETA_BW_REF = 0.70;
/** Efficiency gained per decade of per-layer bytes (Vidur 8B → 70B rows: 0.70 → 0.82). */
export const ETA_BW_SLOPE = 0.202;
/** Clamp for {@link bandwidthEfficiency} (no kernel reads HBM below 40 % or above 90 %). */
export const ETA_BW_MIN = 0.40;
/** Upper clamp; Vidur's best single GEMM (70B gate+up, H100) reached 0.90. */
export const ETA_BW_MAX = 0.90;

/**
 * Efficiency of decode attention reading the KV cache. Vidur's attention CSVs are not in the
 * stored snapshot (calibration.md), so we assume the 8B-scale GEMM figure.
 */
export const ETA_KV = 0.70;

/** Sustained fraction of dense peak for large compute-bound GEMMs (Vidur, mean of rows: 0.72). */
export const ETA_COMPUTE_MAX = 0.72;
/** Tokens at which GEMM efficiency is half of {@link ETA_COMPUTE_MAX} (half a 128-row tile). */
export const ETA_COMPUTE_HALF_TOKENS = 64;

/** Fixed cost per forward step: scheduling, sampling, launch of the step (fitted, see above). */
export const STEP_OVERHEAD_S = 0.35e-3;
/** Per-layer gaps between kernels in one step (fitted, see above). */
export const LAYER_OVERHEAD_S = 20e-6;

/**
 * Fraction of a link's one-direction bandwidth NCCL all-reduce reaches (bus bandwidth); NCCL
 * tests on NVLink reach ~80 % (our assumption from typical nccl-tests busbw).
 */
export const ETA_LINK = 0.80;
/** Latency per tree hop of a small all-reduce (NCCL on NVLink, ≈ 5–15 µs total; assumption). */
export const ALLREDUCE_HOP_LATENCY_S = 5e-6;

/** Memory-bound efficiency for a kernel reading `bytes` of weights (formula in the module doc). */
export function bandwidthEfficiency(bytes: number): number {
  if (!(bytes > 0)) return ETA_BW_MIN;
  const e = ETA_BW_REF + ETA_BW_SLOPE * Math.log10(bytes / ETA_BW_REF_BYTES);
  return e < ETA_BW_MIN ? ETA_BW_MIN : e > ETA_BW_MAX ? ETA_BW_MAX : e;
}

/** Compute efficiency for GEMMs with `tokens` rows: `η_c(M) = 0.72 · M / (M + 64)`. */
export function computeEfficiency(tokens: number): number {
  return ETA_COMPUTE_MAX * tokens / (tokens + ETA_COMPUTE_HALF_TOKENS);
}

/** Per-step fixed overhead for a model of `layers` layers: 0.35 ms + 20 µs × layers. */
export function stepOverhead(layers: number): number {
  return STEP_OVERHEAD_S + LAYER_OVERHEAD_S * layers;
}
