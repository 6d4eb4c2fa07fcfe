/**
 * Registry entry types. Plain data, no zod here (schemas live in `core/schema/`).
 *
 * @module
 */
import type { Precision } from "./precision.ts";

/** Mixture-of-experts block (replaces the dense MLP in MoE layers). */
export interface MoeSpec {
  /** Routed experts per MoE layer. */
  experts: number;
  /** Routed experts each token activates. */
  topK: number;
  /** Intermediate size of one expert (gated: 3 matrices of hidden × this). */
  expertIntermediate: number;
  /** Always-active shared experts (DeepSeek). */
  sharedExperts: number;
  /** The first N layers are dense (DeepSeek-V3: 3), using `intermediate`. */
  denseLayers: number;
  /** Router has a per-expert bias vector (DeepSeek-V3 e_score_correction_bias). */
  routerBias: boolean;
}

/** Multi-head latent attention (DeepSeek-V2/V3). */
export interface MlaSpec {
  qLoraRank: number;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

/** Sliding-window attention: which layers only see the last `window` tokens. */
export interface SlidingWindowSpec {
  window: number;
  /** "all": every layer (Mistral-7B-v0.1); "alternate": every other layer (Gemma-2). */
  layers: "all" | "alternate";
}

/** A decoder-only transformer, config-exact. */
export interface TransformerSpec {
  kind: "transformer";
  id: string;
  name: string;
  /** mlsysim-style and other alternative names accepted by lookup. */
  aliases: readonly string[];
  /** Where the numbers come from. */
  source: string;
  layers: number;
  hidden: number;
  heads: number;
  /** Key/value heads (GQA/MQA); equals `heads` for MHA. Unused for MLA. */
  kvHeads: number;
  /** Explicit head dim; not always hidden/heads (Gemma-2). */
  headDim: number;
  /** Dense MLP intermediate size. */
  intermediate: number;
  vocab: number;
  /** max_position_embeddings of the config. */
  maxContext: number;
  tiedEmbeddings: boolean;
  /** Bias on the Q/K/V projections (Qwen2/2.5). */
  qkvBias: boolean;
  /** Bias on every linear layer (GPT-3). */
  linearBias: boolean;
  /** RMSNorm has a weight only; LayerNorm has weight and bias. */
  norm: "rmsnorm" | "layernorm";
  /** Norms per layer (Llama 2, Gemma-2 4). */
  normsPerLayer: number;
  /** Gated MLP (SwiGLU/GeGLU, 3 matrices) or plain (2 matrices). */
  mlp: "gated" | "plain";
  /** Learned absolute position embeddings (GPT-3: 2048 positions); 0 for rotary. */
  positionEmbeddings: number;
  moe?: MoeSpec;
  mla?: MlaSpec;
  slidingWindow?: SlidingWindowSpec;
  /** The checkpoint's native weight precision. */
  nativePrecision: Precision;
  /** A published total that differs from config arithmetic, kept for reference. */
  publishedParams?: number;
}

/** A CNN used only for rooflines: parameter count and FLOPs per inference. */
export interface CnnSpec {
  kind: "cnn";
  id: string;
  name: string;
  aliases: readonly string[];
  source: string;
  params: number;
  /** FLOPs per inference (2 × multiply-accumulates). */
  flopsPerInference: number;
  layers: number;
  /** Input resolution the FLOPs are quoted at. */
  inputResolution: number;
  nativePrecision: Precision;
}

/** Any registry model. */
export type ModelSpec = TransformerSpec | CnnSpec;

/** Dense peak matrix throughput per precision, FLOP/s (or OP/s for int8). */
export interface PeakFlops {
  fp32?: number;
  bf16: number;
  fp8?: number;
  int8?: number;
}

/** An accelerator's datasheet facts. */
export interface GpuSpec {
  id: string;
  name: string;
  aliases: readonly string[];
  vendor: string;
  /** cloud / edge / mobile / tiny, the labs' deployment contexts. */
  tier: "cloud" | "edge" | "mobile" | "tiny";
  /** Dense (non-sparse) peaks. */
  peak: PeakFlops;
  /** Sparse headline figures, kept apart from dense. */
  sparsePeak?: PeakFlops;
  /** Capacity as the datasheet labels it (decimal GB, i.e. `memoryGB × 1e9` bytes). */
  memoryBytes: number;
  /** The label the vendor prints ("80 GB"). */
  memoryLabel: string;
  /** Memory the runtime sees (torch.cuda.mem_get_info total), bytes. */
  runtimeMemoryBytes: number;
  /** How `runtimeMemoryBytes` was obtained. */
  runtimeMemorySource: string;
  /** Peak memory bandwidth, bytes/s. */
  bandwidth: number;
  /** Board power, W; null when the vendor does not publish it (TPUs). */
  tdpW: number | null;
  /** Scale-up link, one direction, bytes/s (0 if none). */
  linkBandwidth: number;
  /** Human description of the link. */
  linkLabel: string;
  memoryType: string;
  source: string;
  /** True when hardware.md marks the row "not re-read". */
  unverified?: boolean;
}
