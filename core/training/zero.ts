/**
 * Per-GPU model-state memory under data parallelism with ZeRO stages 0–3 (= PyTorch FSDP
 * NO_SHARD / SHARD_GRAD_OP / FULL_SHARD; HYBRID_SHARD = stage 3 inside a shard group), and the
 * per-step data-parallel communication volume.
 *
 * With Ψ trainable parameters per model-parallel rank, N_d the shard-group size and the bytes of
 * {@link stateBytes} (p params, g grads, K = master + moments + main-grad copy):
 * - stage 0: (p + g + K)Ψ
 * - stage 1 (P_os, Megatron distributed optimizer): (p + g)Ψ + KΨ/N_d
 * - stage 2 (P_os+g): pΨ + (g + K)Ψ/N_d
 * - stage 3 (P_os+g+p): (p + g + K)Ψ/N_d, plus gathered full-precision working copies of the
 *   largest layer (current + one prefetched: 2 · p · largest layer; DeepSpeed's estimator keeps
 *   4 B × largest layer, the same for 2-byte params).
 * Source: Rajbhandari et al. 2019 (ZeRO) §5 and Fig. 1 (Ψ = 7.5 B, N_d = 64, K = 12 →
 * 120 / 31.4 / 16.6 / 1.9 GB), reference/training.md §1.2. Frozen parameters (LoRA, see
 * `lora.ts`) hold only their weights (sharded at stage 3), no grads or optimizer state.
 *
 * Communication per step (elements of the gradient/parameter vector): stages 0–2 move 2Ψ
 * (all-reduce, or reduce-scatter + all-gather); stage 3 moves 3Ψ (all-gather forward and
 * backward + reduce-scatter), plus one more all-gather when full recomputation re-runs the
 * forward (ZeRO §7).
 *
 * @module
 */
import type { StateBytes } from "./states.ts";
import { totalStateBytes } from "./states.ts";

/** ZeRO stage (FSDP: 0 NO_SHARD, 2 SHARD_GRAD_OP, 3 FULL_SHARD). */
export type ZeroStage = 0 | 1 | 2 | 3;

/** FSDP sharding strategies mapped to ZeRO stages. */
export const FSDP_STAGE = {
  NO_SHARD: 0,
  SHARD_GRAD_OP: 2,
  FULL_SHARD: 3,
  HYBRID_SHARD: 3,
} as const satisfies Record<string, ZeroStage>;

/** Input of {@link modelStateMemory}. */
export interface ModelStateInput {
  /** Trainable parameters held by this model-parallel rank (Ψ). */
  trainableParams: number;
  /** Frozen parameters held by this rank (LoRA base weights); default 0. */
  frozenParams?: number;
  /** Bytes per frozen parameter (QLoRA int4: 0.5); default `bytes.params`. */
  frozenBytesPerParam?: number;
  bytes: StateBytes;
  zeroStage: ZeroStage;
  /** Ranks the states are sharded over (N_d; FSDP HYBRID_SHARD: the node). */
  shardGroup: number;
  /** Largest layer's parameters (for the stage-3 gather buffer); default 0. */
  largestLayerParams?: number;
}

/** Per-GPU model-state bytes by component. */
export interface ModelStateMemory {
  params: number;
  grads: number;
  /** Master weights + optimizer moments + main-grad copy. */
  optimizer: number;
  /** Stage-3 gathered working copies (0 for stages 0–2). */
  gatherBuffer: number;
  /** params + grads + optimizer (ZeRO's model states; excludes the gather buffer). */
  modelStates: number;
  total: number;
  /** modelStates ÷ trainable parameters (16 for unsharded ZeRO Adam). */
  bytesPerParam: number;
}

/** Per-GPU model-state memory (formulas in the module doc). */
export function modelStateMemory(input: ModelStateInput): ModelStateMemory {
  const b = input.bytes, n = Math.max(1, input.shardGroup), s = input.zeroStage;
  const psi = input.trainableParams;
  const frozen = (input.frozenParams ?? 0) * (input.frozenBytesPerParam ?? b.params);
  const k = b.master + b.optimizer + b.mainGradCopy;
  const params = (psi * b.params + frozen) / (s >= 3 ? n : 1);
  const grads = psi * b.grads / (s >= 2 ? n : 1);
  const optimizer = psi * k / (s >= 1 ? n : 1);
  const gatherBuffer = s >= 3 ? 2 * b.params * (input.largestLayerParams ?? 0) : 0;
  const modelStates = params + grads + optimizer;
  return {
    params,
    grads,
    optimizer,
    gatherBuffer,
    modelStates,
    total: modelStates + gatherBuffer,
    bytesPerParam: psi > 0 ? modelStates / psi : 0,
  };
}

/** Unsharded bytes per parameter (convenience: ZeRO baseline (2 + 2 + K)). */
export function baselineBytesPerParam(b: StateBytes): number {
  return totalStateBytes(b);
}

/**
 * Elements each rank's data-parallel collectives move per step, as multiples of Ψ (ZeRO §7):
 * 2 for stages 0–2, 3 for stage 3, 4 for stage 3 with full recomputation (a third all-gather).
 */
export function dpCommElements(stage: ZeroStage, fullRecompute = false): number {
  return stage >= 3 ? (fullRecompute ? 4 : 3) : 2;
}
