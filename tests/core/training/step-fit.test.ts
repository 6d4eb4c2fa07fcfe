/**
 * Re-runs the step-time fit of core/training/calibration.ts on its rows, so the documented
 * constants cannot drift from the collectives and rows they were fitted with: least squares on
 * log(predicted / measured) iteration time over the 18 values of Narayanan Table 1 A1–A10 and
 * Korthikanti Table 5 C1–C4 (full recompute, and SP + selective), on a grid of η_gemm (step
 * 0.0025) × k_elem (step 0.02). The constants must equal the optimum rounded to 0.01 / 0.1.
 *
 * @module
 */
import { assert } from "../_assert.ts";
import { KORTHIKANTI_ITERATIONS, MEGATRON_WEAK_SCALING } from "../../../core/data/training-rows.ts";
import { ETA_GEMM, K_ELEMENTWISE, trainStep } from "../../../core/training/mod.ts";

const ROWS = [...MEGATRON_WEAK_SCALING, ...KORTHIKANTI_ITERATIONS];

/** Σ log²(predicted / measured) at one (η, k). */
function loss(etaGemm: number, kElementwise: number): number {
  let s = 0;
  for (const r of ROWS) {
    const t = trainStep({ ...r, calibration: { etaGemm, kElementwise } }).stepTimeS;
    s += Math.log(t / r.stepTimeS) ** 2;
  }
  return s;
}

/** Grid optimum (η in 0.60…0.85, k in 1.50…3.50). */
export function fitStepConstants(): { etaGemm: number; kElementwise: number; loss: number } {
  let best = { etaGemm: NaN, kElementwise: NaN, loss: Infinity };
  for (let i = 240; i <= 340; i++) {
    for (let j = 75; j <= 175; j++) {
      const etaGemm = i * 0.0025, kElementwise = j * 0.02;
      const l = loss(etaGemm, kElementwise);
      if (l < best.loss) best = { etaGemm, kElementwise, loss: l };
    }
  }
  return best;
}

Deno.test("step fit: η_gemm and k_elem are the rounded grid optimum on A1–A10, C1–C4", () => {
  assert(ROWS.length === 18, `${ROWS.length} rows`);
  const f = fitStepConstants();
  console.log(
    `step fit optimum: η_gemm ${f.etaGemm.toFixed(4)}, k_elem ${f.kElementwise.toFixed(2)}`,
  );
  assert(Math.abs(ETA_GEMM - f.etaGemm) <= 0.005 + 1e-9, `η_gemm ${ETA_GEMM} vs fit ${f.etaGemm}`);
  assert(
    Math.abs(K_ELEMENTWISE - f.kElementwise) <= 0.05 + 1e-9,
    `k_elem ${K_ELEMENTWISE} vs fit ${f.kElementwise}`,
  );
  const errs = ROWS.map((r) =>
    `${r.row} ${(100 * (trainStep({ ...r }).stepTimeS / r.stepTimeS - 1)).toFixed(1)} %`
  );
  console.log(errs.join(", "));
});
