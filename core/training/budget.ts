/**
 * The whole per-GPU training memory stack, against the GPU's capacity (the training half's
 * analogue of serving's `memory.ts`). For a DP × TP × PP job with ZeRO stage z over a shard
 * group of N_d ranks (default N_d = dp), on the GPU holding Ψ = P/(t·p) parameters (uniform
 * split; the first/last stage's embedding and output layer are not singled out):
 *
 * | part | bytes per GPU | sharded over N_d from |
 * |---|---|---|
 * | weights | Ψ·b_p (+ frozen LoRA base Ψ_f·b_f) + stage-3 gather buffer 2·b_p·max(layer, embedding)/t | stage 3 |
 * | gradients | Ψ_train·b_g | stage 2 |
 * | master | Ψ_train·b_master (fp32 copy of mixed precision) | stage 1 |
 * | optimizer | Ψ_train·(moments + Megatron fp16's fp32 main-grad copy) | stage 1 |
 * | activations | peak of first/last pipeline stage (`activations.ts`) | never |
 * | reserve | an input (default 0): CUDA context, NCCL buffers, allocator fragmentation | – |
 *
 * The dtypes are a named convention or explicit (`states.ts`: 16 ZeRO / 18 Megatron-bf16 and HF /
 * 20 Megatron-fp16 / 8-bit Adam). ZeRO stages follow Rajbhandari et al. 2019 §5 and Fig. 1
 * (Ψ = 7.5 B, N_d = 64, K = 12 → 120 / 31.4 / 16.6 / 1.9 GB: stages 0–3), `zero.ts`. Activations
 * are Korthikanti et al. 2022 Eq. 1 / Table 2 / Eq. 5 (recompute none / selective / full, SP),
 * with the first stage holding min(p, m) in-flight microbatches of L/p layers and the interleave
 * factor 1 + (p − 1)/(p·v); this reproduces Korthikanti Fig. 1 (22B 59.25 / 9.56 GiB … 1T
 * 131.25 / 26.56 GiB) to the printed digit. Gradient accumulation only sets m (the microbatches
 * per step per pipeline); one microbatch per in-flight slot is live, so it does not change the
 * activations per microbatch. LoRA (Hu et al. 2021): the base weights are frozen (weights only,
 * at `frozenBytesPerParam`, QLoRA int4 = 0.5 B), the adapters `lora.ts` carry grads, master and
 * optimizer states; the adapters' own activations (rank r ≪ h) are not counted.
 *
 * The capacity defaults to the GPU's runtime memory (`runtimeMemoryBytes`: what
 * torch.cuda.mem_get_info reports; label GiB − 0.5 GiB, hardware.md); `capacityBytes` overrides.
 * "none" keeps the s² attention scores (Eq. 1's 5as/h term); FlashAttention never stores them,
 * so a FlashAttention run's memory is the "selective" row (Korthikanti's selective recompute is
 * the same idea). Under PP the uniform split can make ZeRO-3 cost more than ZeRO-2: the gather
 * buffer is sized by the embedding while Ψ shrinks with p (properties test runs at pp = 1).
 * Not modelled: temporary buffers (logits softmax copy, fused-kernel workspaces, DP
 * bucket buffers), expert parallelism (MoE experts are counted on every rank), CPU/NVMe offload.
 * Cross-check: Korthikanti Fig. 1 params + optimizer = 45.5625 GiB for 22B (t = 8) and 175B
 * (t = 8, p = 8); Eq. 2's P/(t·p) × 18 B gives 46.26 GiB (+1.5 %; P = 22.07e9 with the
 * embedding terms, not the 21.7e9 reference/training.md §1.1 quotes) and 45.74 GiB (+0.4 %).
 *
 * @module
 */
import type { ClusterSpec } from "../data/clusters.ts";
import { paramCounts } from "../params.ts";
import { bytesPerElement } from "../precision.ts";
import { asGpu, asTransformer } from "../registry.ts";
import type { GpuSpec, TransformerSpec } from "../types.ts";
import { type ActivationMemory, activationMemory, type Recompute } from "./activations.ts";
import { asCluster } from "./clusters.ts";
import { loraParams, type LoraTargets } from "./lora.ts";
import { ParallelConfigError } from "./step.ts";
import {
  asDtypes,
  type Convention,
  type StateBytes,
  stateBytes,
  type StateDtypes,
} from "./states.ts";
import { modelStateMemory, type ZeroStage } from "./zero.ts";

/** LoRA fine-tuning: frozen base + rank-r adapters. */
export interface LoraConfig {
  rank: number;
  /** Default "qv" (the paper's W_q, W_v). */
  targets?: LoraTargets;
  /** Bytes per frozen base parameter (default the working params dtype; QLoRA int4: 0.5). */
  frozenBytesPerParam?: number;
}

/** Input of {@link trainingMemory}. */
export interface TrainingMemoryInput {
  model: TransformerSpec | string;
  /** The GPU (or give `cluster`, whose GPU is used). */
  gpu?: GpuSpec | string;
  cluster?: ClusterSpec | string;
  /** Capacity override, bytes (default the GPU's runtime memory). */
  capacityBytes?: number;
  /** Total parameter override (the ZeRO paper's round Ψ = 7.5e9); default from the config. */
  params?: number;
  tp?: number;
  pp?: number;
  dp?: number;
  /** Interleaved chunks per GPU (default 1). */
  vpp?: number;
  /** Sequence parallelism (default false). */
  sp?: boolean;
  seq: number;
  /** Sequences per microbatch (b). */
  microBatch: number;
  /** Sequences per step; sets m = B/(b·dp). Give this or `gradAccum`. */
  globalBatch?: number;
  /** Microbatches per step per pipeline (gradient accumulation steps); default pp. */
  gradAccum?: number;
  recompute: Recompute;
  zeroStage?: ZeroStage;
  /** Ranks the states are sharded over (FSDP HYBRID_SHARD: a node); default dp. */
  shardGroup?: number;
  /** State dtypes or a named convention (default "megatron-bf16-18", as `trainStep`). */
  convention?: Convention | StateDtypes;
  lora?: LoraConfig;
  /** Bytes per activation element (default the working params dtype's width). */
  activationBytes?: number;
  /** Framework / allocator reserve, bytes (an input; default 0). */
  reserveBytes?: number;
}

/** The stack's parts, bytes per GPU. */
export interface MemoryParts {
  weights: number;
  gradients: number;
  optimizer: number;
  master: number;
  activations: number;
  reserve: number;
}

/** Result of {@link trainingMemory}. */
export interface TrainingMemory {
  parts: MemoryParts;
  total: number;
  capacity: number;
  fits: boolean;
  /** max(0, capacity − total). */
  headroom: number;
  /** max(0, total − capacity). */
  oomBy: number;
  /** ZeRO's "model states": weights + gradients + master + optimizer, without the gather buffer. */
  modelStates: number;
  /** Stage-3 gathered working copies (inside `parts.weights`). */
  gatherBuffer: number;
  /** Parameters on this GPU (Ψ = P/(t·p)), trainable and frozen. */
  paramsPerGpu: number;
  trainableParamsPerGpu: number;
  bytesPerParam: StateBytes;
  /** Microbatches per step per pipeline (m) and how many are in flight on the first stage. */
  microbatches: number;
  inFlightMicrobatches: number;
  activation: ActivationMemory;
  gpu: string;
  capacitySource: string;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new ParallelConfigError(`${name} must be a positive integer, got ${v}`);
  }
  return v;
}

function resolveGpu(input: TrainingMemoryInput): GpuSpec {
  if (input.gpu !== undefined) return asGpu(input.gpu);
  if (input.cluster !== undefined) return asGpu(asCluster(input.cluster).gpu);
  throw new ParallelConfigError("trainingMemory needs a gpu or a cluster");
}

/** The per-GPU training memory stack and whether it fits (formulas in the module doc). */
export function trainingMemory(input: TrainingMemoryInput): TrainingMemory {
  const m = asTransformer(input.model);
  const gpu = resolveGpu(input);
  const t = positiveInt("tp", input.tp ?? 1), p = positiveInt("pp", input.pp ?? 1);
  const d = positiveInt("dp", input.dp ?? 1), v = positiveInt("vpp", input.vpp ?? 1);
  const b = positiveInt("microBatch", input.microBatch), s = positiveInt("seq", input.seq);
  const stage = input.zeroStage ?? 0;
  if (m.heads % t !== 0) {
    throw new ParallelConfigError(
      `tp ${t} does not divide the model's ${m.heads} attention heads; pick a divisor of ${m.heads}`,
    );
  }
  if (p * v > m.layers) {
    throw new ParallelConfigError(
      `pp ${p} × vpp ${v} exceeds the model's ${m.layers} layers; use pp·vpp ≤ ${m.layers}`,
    );
  }
  let micro: number;
  if (input.globalBatch !== undefined) {
    micro = input.globalBatch / (b * d);
    if (!Number.isInteger(micro) || micro < 1) {
      throw new ParallelConfigError(
        `global batch ${input.globalBatch} is not a multiple of microBatch ${b} × dp ${d}; ` +
          `choose a global batch divisible by ${b * d}`,
      );
    }
  } else micro = positiveInt("gradAccum", input.gradAccum ?? p);
  const n = positiveInt("shardGroup", input.shardGroup ?? d);
  const dtypes = asDtypes(input.convention ?? "megatron-bf16-18");
  const bytes = stateBytes(dtypes);
  const counts = paramCounts(m);
  const total = input.params ?? counts.total;
  const psi = total / (t * p);
  const lora = input.lora;
  const trainable = lora ? loraParams(m, lora.rank, lora.targets ?? "qv") / (t * p) : psi;
  const frozen = lora ? psi : 0;
  const frozenBytes = lora?.frozenBytesPerParam ?? bytes.params;
  const largestLayer = Math.max(counts.layers / m.layers, counts.embedding) / t;
  const ms = modelStateMemory({
    trainableParams: trainable,
    frozenParams: frozen,
    frozenBytesPerParam: frozenBytes,
    bytes,
    zeroStage: stage,
    shardGroup: n,
    largestLayerParams: n > 1 ? largestLayer : 0,
  });
  // Stage-3 gathers whatever the forward reads: frozen LoRA bases at their own width.
  const gatherBuffer = lora && ms.gatherBuffer > 0
    ? ms.gatherBuffer * frozenBytes / bytes.params
    : ms.gatherBuffer;
  const master = trainable * bytes.master / (stage >= 1 ? n : 1);
  const act = activationMemory({
    seq: s,
    microBatch: b,
    hidden: m.hidden,
    heads: m.heads,
    tp: t,
    sp: input.sp ?? false,
    activationBytes: input.activationBytes ?? bytesPerElement(dtypes.params),
    layers: m.layers,
    vocab: m.vocab,
    recompute: input.recompute,
    pp: p,
    vpp: v,
    microbatches: micro,
  });
  const parts: MemoryParts = {
    weights: ms.params + gatherBuffer,
    gradients: ms.grads,
    optimizer: ms.optimizer - master,
    master,
    activations: act.peak,
    reserve: input.reserveBytes ?? 0,
  };
  const sum = parts.weights + parts.gradients + parts.optimizer + parts.master +
    parts.activations + parts.reserve;
  const capacity = input.capacityBytes ?? gpu.runtimeMemoryBytes;
  return {
    parts,
    total: sum,
    capacity,
    fits: sum <= capacity,
    headroom: Math.max(0, capacity - sum),
    oomBy: Math.max(0, sum - capacity),
    modelStates: ms.modelStates,
    gatherBuffer,
    paramsPerGpu: psi,
    trainableParamsPerGpu: trainable,
    bytesPerParam: bytes,
    microbatches: micro,
    inFlightMicrobatches: Math.min(p, micro),
    activation: act,
    gpu: gpu.id,
    capacitySource: input.capacityBytes !== undefined
      ? "capacityBytes input"
      : `${gpu.id} runtime memory (${gpu.runtimeMemorySource})`,
  };
}
