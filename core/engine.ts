/**
 * The serving hot path: a model × accelerator × TP × precision pair is resolved once into plain
 * numbers ({@link prepare}); prefill and decode step times are then a few dozen arithmetic
 * operations with no allocation ({@link prefillTime}, {@link decodeStepTime}).
 *
 * Per step, per GPU (Pope et al. 2022 "Efficiently Scaling Transformer Inference"; DESIGN §6):
 * - memory time  = weights read / (BW · η_bw(layer bytes)) + KV read / (BW · η_kv)
 * - compute time = FLOPs / (peak · η_c(tokens in the step))
 * - step time    = max(memory, compute) + 2·layers all-reduces (TP) + per-step overhead
 *
 * Decode reads the active weights once (MoE: the experts the batch touches) plus every sequence's
 * KV at its current length; FLOPs are 2·P_active per token plus attention 4·H·d_head per cached
 * token per layer. Prefill FLOPs are 2·P_active·tokens plus the causal attention term
 * 2·H·d_head·p(p+1) per layer (each query attends to itself and the tokens before it), and logits
 * for the last token only.
 *
 * @module
 */
import { bandwidthEfficiency, computeEfficiency, ETA_KV, stepOverhead } from "./calibration.ts";
import { allReduceTime } from "./comm.ts";
import { kvBytesPerTokenPerLayer, slidingLayers } from "./kv.ts";
import { paramCounts } from "./params.ts";
import { tpLayout } from "./tp.ts";
import { bytesPerElement, computeKey, type Precision } from "./precision.ts";
import type { GpuSpec, TransformerSpec } from "./types.ts";

/** Which resource bounds a step. */
export type StepBound = "compute" | "bandwidth" | "overhead" | "communication";

/** Everything the hot path needs, as plain numbers (per GPU unless noted). */
export interface Prepared {
  model: TransformerSpec;
  gpu: GpuSpec;
  tp: number;
  precision: Precision;
  kvPrecision: Precision;
  layers: number;
  hidden: number;
  /** Weight bytes read every step regardless of batch (attention, dense MLPs, shared experts, norms). */
  denseBytes: number;
  /** Bytes of one routed expert in one layer, per GPU (0 for dense models). */
  expertBytes: number;
  experts: number;
  topK: number;
  moeLayers: number;
  /** lm_head bytes per GPU (the embedding matrix when tied). */
  lmHeadBytes: number;
  /** Resident weight bytes per GPU. */
  residentBytes: number;
  /** η_bw of one layer's weights, of the lm_head. */
  etaLayer: number;
  etaLmHead: number;
  /** KV bytes per token per GPU in full-attention layers, and in sliding-window layers. */
  kvFullPerToken: number;
  kvSlidingPerToken: number;
  window: number;
  /** FLOPs per token per GPU in the layers (2 · active layer params / tp). */
  linearFlopsPerToken: number;
  /** FLOPs per token per GPU of the lm_head. */
  lmHeadFlopsPerToken: number;
  /** Attention FLOPs per query per cached token per GPU, full and sliding layers. */
  attnFlopsFull: number;
  attnFlopsSliding: number;
  /** Dense peak FLOP/s per GPU at the compute precision, and HBM bandwidth (bytes/s). */
  peak: number;
  bandwidth: number;
  linkBandwidth: number;
  /** Activation bytes all-reduced per token (hidden × 2 B). */
  allReduceBytesPerToken: number;
  /** Fixed per-step overhead, s. */
  overhead: number;
}

/**
 * Dense peak FLOP/s of `gpu` at the compute precision of weight precision `p`, from the registry
 * (datasheets). FP8/INT8 on a part without such matrix units run at the BF16 peak (the weights
 * are upcast: that is what the hardware does). FP32 without a datasheet figure is NaN — "no
 * data", never a guess (see {@link peakData}); every GPU computes in FP32, at a rate the
 * registry must cite.
 */
export function peakFlops(gpu: GpuSpec, p: Precision): number {
  const k = computeKey(p);
  if (k === "fp32") return gpu.peak.fp32 ?? NaN;
  if (k === "fp8") return gpu.peak.fp8 ?? gpu.peak.bf16;
  if (k === "int8") return gpu.peak.int8 ?? gpu.peak.bf16;
  return gpu.peak.bf16;
}

/** Thrown when a solver needs a peak the registry has no datasheet figure for. */
export class NoPeakDataError extends Error {
  readonly gpu: string;
  readonly precision: Precision;
  constructor(gpu: GpuSpec, precision: Precision) {
    super(
      `The registry has no ${computeKey(precision).toUpperCase()} peak for ${gpu.name} ` +
        `(its datasheet gives none); pick another precision (bf16 has one on every device).`,
    );
    this.name = "NoPeakDataError";
    this.gpu = gpu.id;
    this.precision = precision;
  }
}

/** Result of {@link peakData}. */
export interface PeakData {
  /** Dense peak FLOP/s ({@link peakFlops}); NaN when the registry has no figure. */
  flopsPerS: number;
  /** "native": the registry lists this precision; "bf16": it runs at the BF16 peak (no such
   * matrix units); "none": no datasheet figure on record. */
  kind: "native" | "bf16" | "none";
  /** A short phrase for the page ("dense FP8 peak", "no FP8 units: runs at the BF16 peak",
   * "no FP32 figure on record"). */
  note: string;
}

/** Where a precision's peak comes from on `gpu` (for captions and CLI errors). */
export function peakData(gpu: GpuSpec, p: Precision): PeakData {
  const k = computeKey(p);
  const name = k.toUpperCase();
  const flops = peakFlops(gpu, p);
  if (gpu.peak[k] !== undefined) {
    return { flopsPerS: flops, kind: "native", note: `dense ${name} peak` };
  }
  if (k === "fp32") {
    return { flopsPerS: NaN, kind: "none", note: `no ${name} figure on record for ${gpu.name}` };
  }
  return { flopsPerS: flops, kind: "bf16", note: `no ${name} units: runs at the BF16 peak` };
}

/** Resolve a model × GPU × TP × precision to plain numbers for the hot path. */
export function prepare(
  model: TransformerSpec,
  gpu: GpuSpec,
  tp = 1,
  precision: Precision = model.nativePrecision,
  kvPrecision: Precision = "bf16",
): Prepared {
  const peak = peakFlops(gpu, precision);
  if (Number.isNaN(peak)) throw new NoPeakDataError(gpu, precision);
  const pc = paramCounts(model);
  const bpe = bytesPerElement(precision);
  const moe = model.moe;
  const moeLayers = moe ? model.layers - moe.denseLayers : 0;
  const routedTotal = moe ? moeLayers * moe.experts * pc.perExpert : 0;
  const lmHeadParams = model.tiedEmbeddings ? model.vocab * model.hidden : pc.lmHead;
  // Everything in the layers that is read every step: layers minus routed experts.
  const denseLayerParams = pc.layers - routedTotal;
  const activeLayerParams = pc.activeLayers;
  const perLayerActiveBytes = activeLayerParams * bpe / model.layers / tp;
  const kvLayer = kvBytesPerTokenPerLayer(model, kvPrecision);
  // Whole KV heads per rank, vLLM's layout (tp.ts): partitioned, replicated when there are fewer
  // KV heads than ranks; MLA's latent is replicated on every rank.
  const kvShare = tpLayout(model, tp).kvShare;
  const sw = slidingLayers(model);
  const qkDim = model.mla ? model.mla.qkNopeHeadDim + model.mla.qkRopeHeadDim : model.headDim;
  const vDim = model.mla ? model.mla.vHeadDim : model.headDim;
  // QKᵀ and PV: 2 FLOPs per multiply-add, per head, per cached token.
  const attnPerLayer = 2 * model.heads * (qkDim + vDim) / tp;
  return {
    model,
    gpu,
    tp,
    precision,
    kvPrecision,
    layers: model.layers,
    hidden: model.hidden,
    denseBytes: denseLayerParams * bpe / tp,
    expertBytes: moe ? pc.perExpert * bpe / tp : 0,
    experts: moe ? moe.experts : 0,
    topK: moe ? moe.topK : 0,
    moeLayers,
    lmHeadBytes: lmHeadParams * bpe / tp,
    residentBytes: pc.total * bpe / tp,
    etaLayer: bandwidthEfficiency(perLayerActiveBytes),
    etaLmHead: bandwidthEfficiency(lmHeadParams * bpe / tp),
    kvFullPerToken: kvLayer * (model.layers - sw) * kvShare,
    kvSlidingPerToken: kvLayer * sw * kvShare,
    window: model.slidingWindow ? model.slidingWindow.window : Infinity,
    linearFlopsPerToken: 2 * activeLayerParams / tp,
    lmHeadFlopsPerToken: 2 * lmHeadParams / tp,
    attnFlopsFull: attnPerLayer * (model.layers - sw),
    attnFlopsSliding: attnPerLayer * sw,
    peak,
    bandwidth: gpu.bandwidth,
    linkBandwidth: gpu.linkBandwidth,
    allReduceBytesPerToken: model.hidden * 2,
    overhead: stepOverhead(model.layers),
  };
}

/** Scratch output of a step evaluation (reused by the hot path to avoid allocation). */
export interface StepTime {
  /** Total step time, s. */
  time: number;
  compute: number;
  memory: number;
  comm: number;
  overhead: number;
  flops: number;
  bytes: number;
  bound: StepBound;
}

/** A fresh {@link StepTime}. */
export function newStep(): StepTime {
  return {
    time: 0,
    compute: 0,
    memory: 0,
    comm: 0,
    overhead: 0,
    flops: 0,
    bytes: 0,
    bound: "bandwidth",
  };
}

/** Expected distinct experts `tokens` top-k routings touch: `E·(1 − (1 − k/E)^tokens)`. */
export function touchedExperts(experts: number, topK: number, tokens: number): number {
  if (experts === 0) return 0;
  return experts * (1 - Math.pow(1 - topK / experts, tokens));
}

function finish(out: StepTime, p: Prepared, tokens: number): StepTime {
  out.comm = p.tp > 1
    ? 2 * p.layers * allReduceTime(tokens * p.allReduceBytesPerToken, p.tp, p.linkBandwidth)
    : 0;
  out.overhead = p.overhead;
  const core = out.compute > out.memory ? out.compute : out.memory;
  out.time = core + out.comm + out.overhead;
  let bound: StepBound = out.compute > out.memory ? "compute" : "bandwidth";
  let top = core;
  if (out.comm > top) {
    bound = "communication";
    top = out.comm;
  }
  if (out.overhead > top) bound = "overhead";
  out.bound = bound;
  return out;
}

function weightsRead(p: Prepared, tokens: number): number {
  return p.denseBytes + p.moeLayers * touchedExperts(p.experts, p.topK, tokens) * p.expertBytes;
}

/** Cached KV bytes (per GPU) of one sequence at context `ctx`. */
function kvSeq(p: Prepared, ctx: number): number {
  return p.kvFullPerToken * ctx + p.kvSlidingPerToken * (ctx < p.window ? ctx : p.window);
}

/**
 * One decode step for `batch` sequences whose mean cached context is `ctx` tokens (formula in
 * the module doc). Writes into `out` (default: a new object) and returns it.
 */
export function decodeStepTime(
  p: Prepared,
  batch: number,
  ctx: number,
  out: StepTime = newStep(),
): StepTime {
  const wBytes = weightsRead(p, batch);
  const kvBytes = batch * kvSeq(p, ctx);
  const attnCtxFull = ctx, attnCtxSliding = ctx < p.window ? ctx : p.window;
  out.flops = batch *
    (p.linearFlopsPerToken + p.lmHeadFlopsPerToken + p.attnFlopsFull * attnCtxFull +
      p.attnFlopsSliding * attnCtxSliding);
  out.bytes = wBytes + p.lmHeadBytes + kvBytes;
  out.memory = wBytes / (p.bandwidth * p.etaLayer) + p.lmHeadBytes / (p.bandwidth * p.etaLmHead) +
    kvBytes / (p.bandwidth * ETA_KV);
  out.compute = out.flops / (p.peak * computeEfficiency(batch));
  return finish(out, p, batch);
}

/** Causal attention key count for a prompt of `n` tokens under window `w`: Σ_i min(i, w). */
function causalKeys(n: number, w: number): number {
  if (n <= w) return n * (n + 1) / 2;
  return w * (w + 1) / 2 + (n - w) * w;
}

/**
 * Prefill of `batch` prompts of `prompt` tokens each, in one step: FLOPs
 * `2·P_active·tokens + causal attention + lm_head for the last token of each prompt`; bytes =
 * weights touched + KV written. Writes into `out` and returns it.
 */
export function prefillTime(
  p: Prepared,
  batch: number,
  prompt: number,
  out: StepTime = newStep(),
): StepTime {
  const tokens = batch * prompt;
  const wBytes = weightsRead(p, tokens);
  const kvWrite = batch * kvSeq(p, prompt);
  out.flops = tokens * p.linearFlopsPerToken + batch * p.lmHeadFlopsPerToken +
    batch * (p.attnFlopsFull * causalKeys(prompt, Infinity) +
        p.attnFlopsSliding * causalKeys(prompt, p.window));
  out.bytes = wBytes + p.lmHeadBytes + kvWrite;
  out.memory = wBytes / (p.bandwidth * p.etaLayer) + p.lmHeadBytes / (p.bandwidth * p.etaLmHead) +
    kvWrite / (p.bandwidth * ETA_KV);
  out.compute = out.flops / (p.peak * computeEfficiency(tokens));
  return finish(out, p, tokens);
}

/** KV bytes per GPU held by `batch` sequences at `ctx` tokens. */
export function kvBytesHeld(p: Prepared, batch: number, ctx: number): number {
  return batch * kvSeq(p, ctx);
}
