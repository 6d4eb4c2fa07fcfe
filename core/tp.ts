/**
 * How tensor parallelism splits attention heads, the way vLLM does it
 * (`vllm/model_executor/models/llama.py` `LlamaAttention.__init__`, and
 * `ModelConfig.verify_with_parallel_config`):
 *
 * - the query heads must divide evenly: `heads % tp == 0`;
 * - with at least as many KV heads as ranks they are partitioned (`kv_heads % tp == 0`);
 *   with fewer they are replicated (`tp % kv_heads == 0`), so every rank holds
 *   `max(1, kv_heads / tp)` whole KV heads;
 * - an MLA latent (DeepSeek-V3) is not split by heads: every rank caches the whole latent.
 *
 * A layout vLLM refuses (e.g. 8 KV heads on 3 GPUs) is reported by {@link tpLayout}; the solvers
 * still evaluate it with the largest shard, `ceil(kv_heads / tp)` heads, so no rank ever holds a
 * fraction of a head.
 *
 * @module
 */
import type { TransformerSpec } from "./types.ts";

/** Result of {@link tpLayout}. */
export interface TpLayout {
  tp: number;
  /** KV heads each rank caches (whole heads). */
  kvHeadsPerGpu: number;
  /** Copies of each KV head across the ranks (1 when partitioned, tp / kv_heads when replicated). */
  kvReplication: number;
  /** Per-rank KV bytes ÷ the model's full per-token KV bytes (1 for MLA). */
  kvShare: number;
  /** vLLM accepts this layout. */
  valid: boolean;
  /** Why vLLM refuses it (empty when valid). */
  reason: string;
}

/** The KV-head layout of `m` on `tp` tensor-parallel ranks (rules in the module doc). */
export function tpLayout(m: TransformerSpec, tp: number): TpLayout {
  const problems: string[] = [];
  if (m.heads % tp !== 0) {
    problems.push(`its ${m.heads} attention heads do not divide by --tp ${tp}`);
  }
  if (m.mla) {
    return {
      tp,
      kvHeadsPerGpu: 1,
      kvReplication: tp,
      kvShare: 1,
      valid: problems.length === 0,
      reason: problems.join("; "),
    };
  }
  const kv = m.kvHeads;
  if (kv >= tp ? kv % tp !== 0 : tp % kv !== 0) {
    problems.push(
      `its ${kv} KV heads can neither be split evenly over ${tp} GPUs nor replicated onto them`,
    );
  }
  const perGpu = Math.max(1, Math.ceil(kv / tp));
  return {
    tp,
    kvHeadsPerGpu: perGpu,
    kvReplication: perGpu * tp / kv,
    kvShare: perGpu / kv,
    valid: problems.length === 0,
    reason: problems.join("; "),
  };
}

/** Thrown for a tensor-parallel size vLLM would refuse for this model. */
export class TensorParallelError extends Error {
  readonly tp: number;
  constructor(model: TransformerSpec, layout: TpLayout) {
    const ok = validTpSizes(model, 64).join(", ");
    super(
      `${model.name} cannot run with tensor parallelism ${layout.tp}: ${layout.reason} ` +
        `(vLLM refuses this). Valid sizes up to 64: ${ok}.`,
    );
    this.name = "TensorParallelError";
    this.tp = layout.tp;
  }
}

/** The tensor-parallel sizes 1..max vLLM accepts for `m`. */
export function validTpSizes(m: TransformerSpec, max = 64): number[] {
  const out: number[] = [];
  for (let tp = 1; tp <= max; tp++) if (tpLayout(m, tp).valid) out.push(tp);
  return out;
}
