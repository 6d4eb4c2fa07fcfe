/**
 * One optimizer step of a training job on a single GPU, with gradient accumulation: k
 * micro-batches of b sequences of s tokens run forward and backward one after the other, their
 * gradients summed in place, then one optimizer step. It is `trainStep` (`step.ts`) at
 * tp = pp = dp = 1 — no collectives, no bubble — for any GPU of the registry (no cluster
 * entry needed) and any compute precision:
 *
 * - per micro-batch: GEMMs `F_hw · b · s ÷ (peak(precision) · η_gemm)`, with F_hw the hardware
 *   FLOPs per token including recomputation (`flops.ts`: full recompute re-runs each layer's
 *   forward, +2·L·W + 4·L·s·q per token, ≈ +⅓; selective adds Korthikanti's 12·L·s·q), plus the
 *   memory-bound elementwise work `k_elem × passes ×` the no-recompute activation footprint ÷
 *   HBM bandwidth (3 passes, 4 with full recompute; 4-byte activations move twice the bytes);
 * - per step: `k ×` the micro-batch time, plus the optimizer step, which streams the states:
 *   `Ψ · (2·(master + moments + main-grad copy) + grads + params) ÷ (bandwidth · 0.8)`.
 *
 * Accumulating k micro-batches of b costs the same FLOPs as one batch of k·b; only the
 * optimizer step is amortised over more tokens. η_gemm and k_elem are the training fit
 * (`calibration.ts`, Narayanan Table 1 and Korthikanti Table 5 rows); applying η_gemm to FP32
 * (non-tensor-core) GEMMs is an assumption. PyTorch keeps FP32 matmuls off TF32 by default
 * (`torch.backends.cuda.matmul.allow_tf32 = False` since 1.12), so FP32 training runs at the
 * registry's FP32 peak. The elementwise bytes are the no-recompute footprint in every mode, as
 * in the fit (Megatron's 2022 kernels wrote the s² softmax to HBM); a fused (Flash) attention
 * kernel never moves those bytes, so for small-h models at long s on a low-bandwidth GPU (the
 * L4) this overstates the step — it does not change the order of the recomputation policies.
 *
 * @module
 */
import { peakFlops } from "../engine.ts";
import { paramCounts } from "../params.ts";
import { bytesPerElement, type Precision } from "../precision.ts";
import { asGpu, asTransformer } from "../registry.ts";
import type { GpuSpec, TransformerSpec } from "../types.ts";
import { layerActivationBytes, type Recompute } from "./activations.ts";
import { ETA_GEMM, K_ELEMENTWISE, OPTIMIZER_BW_EFFICIENCY } from "./calibration.ts";
import { hardwareFlopsPerToken, modelFlopsPerToken } from "./flops.ts";
import { asDtypes, type Convention, stateBytes, type StateDtypes } from "./states.ts";

/** Input of {@link singleGpuStep}. */
export interface SingleGpuStepInput {
  model: TransformerSpec | string;
  gpu: GpuSpec | string;
  seq: number;
  /** Sequences per micro-batch (b). */
  microBatch: number;
  /** Micro-batches per optimizer step (k ≥ 1); the effective batch is b·k. */
  accumulation: number;
  recompute: Recompute;
  /** State dtypes or a named convention (default "zero-16"). */
  convention?: Convention | StateDtypes;
  /** Precision the GEMMs and activations run in (default: the convention's params dtype). */
  compute?: Precision;
  /** Count only the causal half of the attention FLOPs (default false, as `flops.ts`). */
  causal?: boolean;
}

/** Where one optimizer step's time goes (seconds). */
export interface SingleGpuBreakdown {
  /** Forward + backward GEMMs (model FLOPs). */
  gemm: number;
  /** GEMM time spent re-running what recomputation discarded. */
  recompute: number;
  elementwise: number;
  optimizer: number;
}

/** Result of {@link singleGpuStep}. */
export interface SingleGpuStepResult {
  stepTimeS: number;
  microBatchTimeS: number;
  breakdown: SingleGpuBreakdown;
  tokensPerStep: number;
  tokensPerS: number;
  modelFlopsPerStep: number;
  hardwareFlopsPerStep: number;
  /** Hardware ÷ model FLOPs − 1: the work recomputation adds (0 without it). */
  recomputeOverhead: number;
  /** The dense peak the GEMMs run at (FLOP/s). */
  peakFlopsPerS: number;
  mfu: number;
  /** The largest term of the breakdown. */
  bound: keyof SingleGpuBreakdown;
}

/** Time of one optimizer step on one GPU (formulas in the module doc). */
export function singleGpuStep(input: SingleGpuStepInput): SingleGpuStepResult {
  const m = asTransformer(input.model);
  const gpu = asGpu(input.gpu);
  const { seq: s, microBatch: b, accumulation: k } = input;
  for (const [name, v] of [["seq", s], ["microBatch", b], ["accumulation", k]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${name} must be a whole number ≥ 1 (got ${v})`);
    }
  }
  const dtypes = asDtypes(input.convention ?? "zero-16");
  const compute = input.compute ?? dtypes.params;
  const peak = peakFlops(gpu, compute);
  const bytes = stateBytes(dtypes);
  const tokensMb = b * s;
  const modelTok = modelFlopsPerToken(m, s, input);
  const hwTok = hardwareFlopsPerToken(m, s, input.recompute, input);
  const perFlop = 1 / (peak * ETA_GEMM);
  const shape = {
    seq: s,
    microBatch: b,
    hidden: m.hidden,
    heads: m.heads,
    activationBytes: bytesPerElement(compute),
  };
  const passes = input.recompute === "full" ? 4 : 3;
  const elementwiseMb = m.layers * K_ELEMENTWISE * passes * layerActivationBytes(shape, "none") /
    gpu.bandwidth;
  const gemmMb = modelTok * tokensMb * perFlop;
  const recomputeMb = (hwTok - modelTok) * tokensMb * perFlop;
  const microBatchTimeS = gemmMb + recomputeMb + elementwiseMb;
  const psi = paramCounts(m).total;
  const optimizer = psi *
    (2 * (bytes.master + bytes.optimizer + bytes.mainGradCopy) + bytes.grads + bytes.params) /
    (gpu.bandwidth * OPTIMIZER_BW_EFFICIENCY);
  const breakdown: SingleGpuBreakdown = {
    gemm: k * gemmMb,
    recompute: k * recomputeMb,
    elementwise: k * elementwiseMb,
    optimizer,
  };
  const stepTimeS = k * microBatchTimeS + optimizer;
  const tokensPerStep = k * tokensMb;
  const modelFlopsPerStep = tokensPerStep * modelTok;
  const bound = (Object.keys(breakdown) as (keyof SingleGpuBreakdown)[])
    .reduce((a, key) => (breakdown[key] > breakdown[a] ? key : a));
  return {
    stepTimeS,
    microBatchTimeS,
    breakdown,
    tokensPerStep,
    tokensPerS: tokensPerStep / stepTimeS,
    modelFlopsPerStep,
    hardwareFlopsPerStep: tokensPerStep * hwTok,
    recomputeOverhead: hwTok / modelTok - 1,
    peakFlopsPerS: peak,
    mfu: modelFlopsPerStep / (stepTimeS * peak),
    bound,
  };
}
