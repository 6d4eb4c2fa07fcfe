/**
 * One training step of a DP × TP × PP (+ interleaving, SP, ZeRO) job: time, MFU/HFU, and where
 * the time goes. Per microbatch on the slowest (last) pipeline stage:
 *
 * - GEMMs: hardware FLOPs (`flops.ts`, incl. recomputation) of L/p layers ÷ t, at
 *   `peak · η_gemm`, plus the output layer (6·V·h per token ÷ t).
 * - memory-bound elementwise work (LayerNorm, GeLU, dropout, softmax, residual adds): bytes moved
 *   = `k_elem ×` the layer's no-recompute activation footprint (Korthikanti's sbh(…) with the
 *   same TP/SP split) per pass, 3 passes (forward, 2 × backward) + 1 for full recompute, at HBM
 *   bandwidth. This is what makes small-h models run at a lower MFU.
 * - tensor-parallel collectives: 4 all-reduces of b·s·h·2 bytes per layer (6 with full
 *   recompute; SP's all-gather + reduce-scatter pairs cost the same), on the node's fitted
 *   collective (`collectives.ts`); not overlapped unless `overlap.tp` says so.
 * Step: `(m + (p − 1)/v) · t_mb` (1F1B bubble, `pipeline.ts`) + 2·v point-to-point transfers per
 * microbatch (b·s·h/t bytes, across nodes when t·d ≥ GPUs per node: Megatron's rank order
 * TP → DP → PP) + the exposed data-parallel collective (all-reduce of the stage's fp32 grads,
 * ZeRO-1/2 reduce-scatter + all-gather, ZeRO-3 2–3 all-gathers + reduce-scatter) + the optimizer
 * step (memory-bound: read/write master and moments, read grads, write params).
 * Overlap: a fraction `o` of a collective may hide behind the step's compute; the exposed part is
 * `(1 − o)·c + max(0, o·c − compute)` (fully hidden only while compute lasts longer).
 *
 * MFU = model FLOPs ÷ (step time · GPUs · peak); HFU counts recomputation (Megatron README
 * definitions, S2). η_gemm and k_elem are fitted (`calibration.ts`).
 *
 * @module
 */
import type { ClusterSpec } from "../data/clusters.ts";
import { paramCounts } from "../params.ts";
import { asGpu, asTransformer } from "../registry.ts";
import type { TransformerSpec } from "../types.ts";
import { layerActivationBytes, type Recompute } from "./activations.ts";
import { ETA_GEMM, K_ELEMENTWISE, OPTIMIZER_BW_EFFICIENCY } from "./calibration.ts";
import { asCluster, fitOf } from "./clusters.ts";
import { type CollectiveFit, type CollectiveOp, collectiveTime } from "./collectives.ts";
import { hardwareFlopsPerToken, modelFlopsPerToken } from "./flops.ts";
import { asDtypes, type Convention, stateBytes, type StateDtypes } from "./states.ts";
import { dpCommElements, type ZeroStage } from "./zero.ts";

/** Parallel layout and batch of a training job. */
export interface ParallelConfig {
  tp: number;
  pp: number;
  dp: number;
  /** Interleaved model chunks per GPU (default 1). */
  vpp?: number;
  /** Sequence parallelism (default false). */
  sp?: boolean;
  seq: number;
  /** Sequences per microbatch (b). */
  microBatch: number;
  /** Sequences per step (B). Microbatches per pipeline m = B / (b · dp). */
  globalBatch: number;
  recompute: Recompute;
  zeroStage?: ZeroStage;
  /** State dtypes or a named convention (default "megatron-bf16-18"). */
  convention?: Convention | StateDtypes;
}

/** Input of {@link trainStep}. */
export interface TrainStepInput extends ParallelConfig {
  model: TransformerSpec | string;
  cluster: ClusterSpec | string;
  /** Fractions of each collective that may overlap compute (default tp 0, dp 0; ZeRO-3 dp 1). */
  overlap?: { tp?: number; dp?: number };
  /** Count the causal half of attention FLOPs in MFU (default false, Megatron 2024). */
  causal?: boolean;
  /** Override the fitted η_gemm / k_elem (`calibration.ts`); only for re-running the fit. */
  calibration?: { etaGemm?: number; kElementwise?: number };
}

/** Where one step's time goes (seconds, critical path). */
export interface StepBreakdown {
  gemm: number;
  elementwise: number;
  tpComm: number;
  bubble: number;
  p2p: number;
  dpComm: number;
  optimizer: number;
}

/** Result of {@link trainStep}. */
export interface TrainStepResult {
  stepTimeS: number;
  breakdown: StepBreakdown;
  gpus: number;
  microbatches: number;
  tokensPerStep: number;
  tokensPerS: number;
  modelFlopsPerStep: number;
  hardwareFlopsPerStep: number;
  /** Achieved model FLOP/s per GPU. */
  modelFlopsPerGpuS: number;
  mfu: number;
  hfu: number;
  /** Bytes of one DP collective per GPU (grads or params moved per step). */
  dpCommBytes: number;
  tpCommBytesPerStep: number;
  /** The largest term of the breakdown. */
  bound: keyof StepBreakdown;
}

/** Thrown when a parallel layout cannot run (batch not divisible, TP beyond a node, …). */
export class ParallelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParallelConfigError";
  }
}

/** Microbatches per pipeline; throws {@link ParallelConfigError} when B is not a multiple of b·d. */
export function microbatchCount(c: ParallelConfig): number {
  const m = c.globalBatch / (c.microBatch * c.dp);
  if (!Number.isInteger(m) || m < 1) {
    throw new ParallelConfigError(
      `global batch ${c.globalBatch} is not a multiple of microBatch ${c.microBatch} × dp ${c.dp}; ` +
        `choose a global batch divisible by ${c.microBatch * c.dp}`,
    );
  }
  return m;
}

function exposed(comm: number, overlap: number, compute: number): number {
  return comm * (1 - overlap) + Math.max(0, comm * overlap - compute);
}

function coll(op: CollectiveOp, bytes: number, ranks: number, perNode: number, fit: CollectiveFit) {
  return collectiveTime({ op, bytes, ranks, ranksPerNode: perNode, fit }).timeS;
}

/** Time, MFU and breakdown of one training step (formulas in the module doc). */
export function trainStep(input: TrainStepInput): TrainStepResult {
  const m = asTransformer(input.model);
  const cl = asCluster(input.cluster);
  const gpu = asGpu(cl.gpu);
  const fit = fitOf(cl);
  const { tp: t, pp: p, dp: d, seq: s, microBatch: b } = input;
  const v = input.vpp ?? 1, stage = input.zeroStage ?? 0;
  if (t > cl.gpusPerNode) {
    throw new ParallelConfigError(
      `tp ${t} spans more than one ${cl.id} node (${cl.gpusPerNode} GPUs); use tp ≤ ${cl.gpusPerNode}`,
    );
  }
  if (p * v > m.layers) {
    throw new ParallelConfigError(
      `pp ${p} × vpp ${v} exceeds the model's ${m.layers} layers; use pp·vpp ≤ ${m.layers}`,
    );
  }
  const M = microbatchCount(input);
  const gpus = t * p * d;
  const peak = gpu.peak.bf16;
  const tokensMb = b * s;
  const logitsFlopsToken = 6 * m.vocab * m.hidden;
  const layerFlopsToken = (hardwareFlopsPerToken(m, s, input.recompute, input) - logitsFlopsToken) /
    m.layers;
  // Uneven splits (BLOOM: 70 layers on 12 stages) are bound by the fullest stage.
  const layersPerStage = Math.ceil(m.layers / (p * v)) * v;
  const gemm = (layersPerStage * layerFlopsToken + logitsFlopsToken) * tokensMb / t /
    (peak * (input.calibration?.etaGemm ?? ETA_GEMM));
  const shape = { seq: s, microBatch: b, hidden: m.hidden, heads: m.heads, tp: t, sp: input.sp };
  const passes = input.recompute === "full" ? 4 : 3;
  const elementwise = layersPerStage * (input.calibration?.kElementwise ?? K_ELEMENTWISE) * passes *
    layerActivationBytes(shape, "none") /
    gpu.bandwidth;
  const msg = tokensMb * m.hidden * 2;
  const nAr = input.recompute === "full" ? 6 : 4;
  const tpPerMb = t > 1 ? layersPerStage * nAr * coll("all-reduce", msg, t, t, fit) : 0;
  const tpOverlap = input.overlap?.tp ?? 0;
  const computeMb = gemm + elementwise;
  const tMb = computeMb + exposed(tpPerMb, tpOverlap, computeMb);
  const bubble = (p - 1) / v * tMb;
  // Point-to-point: across nodes when a pipeline neighbour is t·d ranks away.
  const p2pB = tokensMb * m.hidden * 2 / t;
  const crossNode = t * d >= cl.gpusPerNode;
  const p2pOne = crossNode
    ? 2 * fit.inter!.hopLatency + p2pB / fit.inter!.perGpuBw
    : fit.ll.alpha / 2 + p2pB / fit.simple.busBw;
  const p2p = p > 1 ? 2 * v * M * p2pOne : 0;
  const pipe = M * tMb + bubble + p2p;
  // Data-parallel collective over d ranks; ranks per node in a DP group = ⌊node / t⌋.
  const bytes = stateBytes(asDtypes(input.convention ?? "megatron-bf16-18"));
  const psiStage = paramCounts(m).total / (t * p);
  const perNode = Math.max(1, Math.min(d, Math.floor(cl.gpusPerNode / t)));
  let dpRaw = 0, dpBytes = 0;
  if (d > 1) {
    if (stage === 0) {
      dpBytes = psiStage * bytes.grads;
      dpRaw = coll("all-reduce", dpBytes, d, perNode, fit);
    } else if (stage < 3) {
      dpBytes = psiStage * bytes.grads;
      dpRaw = coll("reduce-scatter", dpBytes, d, perNode, fit) +
        coll("all-gather", psiStage * bytes.params, d, perNode, fit);
    } else {
      dpBytes = psiStage * bytes.params;
      const gathers = dpCommElements(3, input.recompute === "full") - 1;
      // ZeRO-3 gathers the weights again for every microbatch and reduce-scatters its grads.
      dpRaw = M * (gathers * coll("all-gather", dpBytes, d, perNode, fit) +
        coll("reduce-scatter", psiStage * bytes.grads, d, perNode, fit));
    }
  }
  const dpOverlap = input.overlap?.dp ?? (stage >= 3 ? 1 : 0);
  const dpComm = exposed(dpRaw, dpOverlap, pipe);
  const optBytes = psiStage * (2 * (bytes.master + bytes.optimizer + bytes.mainGradCopy) +
    bytes.grads + bytes.params) /
    (stage >= 1 ? d : 1);
  const optimizer = optBytes / (gpu.bandwidth * OPTIMIZER_BW_EFFICIENCY);
  const stepTimeS = pipe + dpComm + optimizer;
  const tokensPerStep = input.globalBatch * s;
  const modelFlopsPerStep = tokensPerStep * modelFlopsPerToken(m, s, input);
  const hardwareFlopsPerStep = tokensPerStep * hardwareFlopsPerToken(m, s, input.recompute, input);
  const breakdown: StepBreakdown = {
    gemm: M * gemm,
    elementwise: M * elementwise,
    tpComm: M * (tMb - computeMb),
    bubble,
    p2p,
    dpComm,
    optimizer,
  };
  const bound = (Object.keys(breakdown) as (keyof StepBreakdown)[])
    .reduce((a, k) => (breakdown[k] > breakdown[a] ? k : a));
  return {
    stepTimeS,
    breakdown,
    gpus,
    microbatches: M,
    tokensPerStep,
    tokensPerS: tokensPerStep / stepTimeS,
    modelFlopsPerStep,
    hardwareFlopsPerStep,
    modelFlopsPerGpuS: modelFlopsPerStep / stepTimeS / gpus,
    mfu: modelFlopsPerStep / (stepTimeS * gpus * peak),
    hfu: hardwareFlopsPerStep / (stepTimeS * gpus * peak),
    dpCommBytes: dpBytes,
    tpCommBytesPerStep: t > 1 ? M * layersPerStage * nAr * msg * 2 * (t - 1) / t : 0,
    bound,
  };
}
