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
 * k step 0.02) finds the optimum: η_gemm = 0.735, k_elem = 2.34; rounded to 0.74 / 2.3
 * (tests/core/training/step-fit.test.ts re-runs the grid). Re-fitted after the collectives
 * stopped picking the tree inside a node (issue 18): the TP all-reduces (24–100 MiB on 8 A100)
 * now run the measured ring/LL128 rate, not the tree's: TP communication per step changes by
 * −34 % (A2, 12 MiB, formerly the Simple line) to +29 % (A4, 24 MiB, formerly the tree), +8 %
 * on A10 (100 MiB); η_gemm rises from the former optimum 0.7225 (0.72) to compensate.
 *
 * Result (training.test.ts and step-fit.test.ts re-compute every number):
 * A1 −5 %, A2 −2 %, A3 +8 %, A4 +11 %, A5 0 %, A6 −5 %, A7 −2 %, A8 −7 %, A9 −6 %, A10 −2 %;
 * C1 +1 / −7 %, C2 0 / −4 %, C3 +3 / −1 %, C4 +5 / +4 % (full / SP+selective). Median |error|
 * ≈ 4.2 %, worst A4 +10.9 % (before: median ≈ 4 %, worst A3 +9.5 %).
 *
 * Held out (not fitted): Table 2 PTD-P B7–B12 within 9 % (model 2.8–8.7 % optimistic in
 * TFLOP/s; before 2.6–7.0 %); BLOOM-176B (H1) 103.7 s vs 104.7 s (−0.9 %; before +1.5 %). ZeRO-3 B1–B6 are **not** reproduced: measured 144 → 88 → 44 TFLOP/s as GPUs double
 * at a fixed batch, while bandwidth physics (3–4 all-gathers of Ψ per microbatch at the NIC
 * rate) still hides behind compute at 384–1536 GPUs; the 2021 DeepSpeed collapse is a
 * per-bucket latency / implementation effect this model does not contain (see docs).
 *
 * η_gemm = 0.74 is close to the serving calibration's sustained GEMM fraction (0.72, Vidur
 * rows), which was fitted independently.
 *
 * @module
 */

/** Sustained fraction of dense peak for training GEMMs (fit above: 0.735). */
export const ETA_GEMM = 0.74;
/** Memory-bound bytes per byte of the no-recompute activation footprint, per pass (fit: 2.34). */
export const K_ELEMENTWISE = 2.3;
/**
 * Fraction of HBM bandwidth the optimizer step reaches: a streaming elementwise kernel
 * (assumed 0.8; the optimizer is ≤ 5 % of every fitted row's step, so the fit is insensitive).
 */
export const OPTIMIZER_BW_EFFICIENCY = 0.8;
