/**
 * One scheduler iteration that mixes decode tokens with prefill tokens (chunked prefill,
 * Agrawal et al. 2024 "Sarathi-Serve"; vLLM V1's token-budget scheduler), built from the same
 * prepared numbers and calibrated efficiencies as the engine (core/engine.ts):
 *
 * - weights are read once for all `tokens = decodes + prefill tokens` (MoE: the experts those
 *   tokens touch); memory time = weights / (BW·η_bw) + lm_head / (BW·η_bw) + KV traffic / (BW·η_kv),
 *   KV traffic = decode sequences' caches at their context + cached prefix the chunks attend to
 *   (prefix-cache hits or earlier chunks) + the chunks' new KV written;
 * - FLOPs = 2·P_active per prefill token + lm_head per decode token and per finished prompt +
 *   attention (4·H·d_head per query per key, decode at the mean context, chunk queries on their
 *   keys; sliding-window layers count at most `window` keys for decodes);
 * - step = max(memory, compute) + 2·layers all-reduces (TP) + the calibrated per-step overhead.
 *
 * With no prefill tokens it equals `decodeStepTime`; a whole prompt as one chunk equals
 * `prefillTime(p, 1, prompt)` (tests/core/fleet/step.test.ts).
 *
 * @module
 */
import { computeEfficiency, ETA_KV } from "../calibration.ts";
import { allReduceTime } from "../comm.ts";
import { kvBytesHeld, newStep, type Prepared, type StepTime, touchedExperts } from "../engine.ts";

/** The prefill part of a mixed step. */
export interface PrefillWork {
  /** New prompt tokens computed in this step (all chunks). */
  tokens: number;
  /** Σ over those tokens of the keys each attends to (itself and everything before it). */
  keys: number;
  /** Already-cached tokens the chunks read (earlier chunks, prefix-cache hits). */
  prefixTokens: number;
  /** Prompts whose last chunk is in this step (they compute logits for one token). */
  finishing: number;
}

/** Keys attended by a chunk of `k` tokens that starts after `offset` cached tokens. */
export function chunkKeys(k: number, offset: number): number {
  return k * offset + k * (k + 1) / 2;
}

/**
 * Time of a step with `decodes` sequences at mean context `ctx` plus `pre` prefill work
 * (formula in the module doc). Writes into `out` and returns it.
 */
export function mixedStepTime(
  p: Prepared,
  decodes: number,
  ctx: number,
  pre: PrefillWork,
  out: StepTime = newStep(),
): StepTime {
  const tokens = decodes + pre.tokens;
  const wBytes = p.denseBytes +
    p.moeLayers * touchedExperts(p.experts, p.topK, tokens) * p.expertBytes;
  const kvBytes = kvBytesHeld(p, decodes, ctx) + kvBytesHeld(p, 1, pre.prefixTokens) +
    kvBytesHeld(p, 1, pre.tokens);
  const slidingCtx = ctx < p.window ? ctx : p.window;
  out.flops = pre.tokens * p.linearFlopsPerToken +
    (decodes + pre.finishing) * p.lmHeadFlopsPerToken +
    decodes * (p.linearFlopsPerToken + p.attnFlopsFull * ctx + p.attnFlopsSliding * slidingCtx) +
    pre.keys * (p.attnFlopsFull + p.attnFlopsSliding);
  out.bytes = wBytes + p.lmHeadBytes + kvBytes;
  out.memory = wBytes / (p.bandwidth * p.etaLayer) + p.lmHeadBytes / (p.bandwidth * p.etaLmHead) +
    kvBytes / (p.bandwidth * ETA_KV);
  out.compute = tokens > 0 ? out.flops / (p.peak * computeEfficiency(tokens)) : 0;
  out.comm = p.tp > 1
    ? 2 * p.layers * allReduceTime(tokens * p.allReduceBytesPerToken, p.tp, p.linkBandwidth)
    : 0;
  out.overhead = p.overhead;
  const core = out.compute > out.memory ? out.compute : out.memory;
  out.time = core + out.comm + out.overhead;
  out.bound = out.compute > out.memory ? "compute" : "bandwidth";
  let top = core;
  if (out.comm > top) {
    out.bound = "communication";
    top = out.comm;
  }
  if (out.overhead > top) out.bound = "overhead";
  return out;
}
