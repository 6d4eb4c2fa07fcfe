/**
 * Fitted training efficiencies, each with the rows it came from (reference/training.md §2),
 * as `core/calibration.ts` does for serving. The collective constants are in
 * `collective-fits.ts` (rows J1–J10).
 *
 * ## Step-time fit (`step.ts`)
 *
 * Two constants, least squares on log(predicted / measured) iteration time over 18 values:
 * Narayanan Table 1 weak scaling A1–A10 (full recompute; microBatch 1 and vpp 3 where L/p allows,
 * else 1 — assumptions, `data/training-rows.ts`) and Korthikanti Table 5 C1–C4 (full recompute,
 * and SP + selective). The model is linear in 1/η_gemm and k_elem, so a grid (η step 0.0025,
 * k step 0.02) finds the optimum: η_gemm = 0.7225, k_elem = 2.32; rounded to 0.72 / 2.3.
 *
 * Result (tests/core/training/step.test.ts re-computes every number):
 * A1 −4 %, A2 +2 %, A3 +9 %, A4 +7 %, A5 −2 %, A6 −5 %, A7 −2 %, A8 −6 %, A9 −4 %, A10 −1 %;
 * C1 +1 / −6 %, C2 0 / −4 %, C3 +4 / +1 %, C4 +7 / +6 % (full / SP+selective). Median |error|
 * ≈ 4 %, worst A3 ≈ 9.5 %.
 *
 * Held out (not fitted): Table 2 PTD-P B7–B12 within 7 % (model 2.5–6.6 % optimistic);
 * BLOOM-176B (H1) 106.2 s vs 104.7 s (+1.4 %). ZeRO-3 B1–B6 are **not** reproduced: measured 144 → 88 → 44 TFLOP/s as GPUs double
 * at a fixed batch, while bandwidth physics (3–4 all-gathers of Ψ per microbatch at the NIC
 * rate) still hides behind compute at 384–1536 GPUs; the 2021 DeepSpeed collapse is a
 * per-bucket latency / implementation effect this model does not contain (see docs).
 *
 * η_gemm = 0.72 equals the serving calibration's sustained GEMM fraction (Vidur rows), which
 * was fitted independently.
 *
 * @module
 */

/** Sustained fraction of dense peak for training GEMMs (fit above: 0.7225). */
export const ETA_GEMM = 0.74;
/** Memory-bound bytes per byte of the no-recompute activation footprint, per pass (fit: 2.32). */
export const K_ELEMENTWISE = 2.3;
/**
 * Fraction of HBM bandwidth the optimizer step reaches: a streaming elementwise kernel
 * (assumed 0.8; the optimizer is ≤ 5 % of every fitted row's step, so the fit is insensitive).
 */
export const OPTIMIZER_BW_EFFICIENCY = 0.8;
