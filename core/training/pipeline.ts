/**
 * Pipeline-parallel schedule arithmetic (Narayanan et al. 2021 §2.2, reference/training.md §1.5).
 *
 * - Bubble of GPipe / 1F1B with p stages and m microbatches, relative to the ideal time:
 *   `(p − 1)/m`; interleaved 1F1B with v model chunks per GPU: `(p − 1)/(v·m)` (needs m a
 *   multiple of p; point-to-point traffic grows v-fold). Llama 3 writes the same `(PP − 1)/(V·M)`.
 * - As a fraction of the whole step (mlsysim's form): x/(1 + x), x = (p − 1)/(v·m).
 * - Point-to-point per microbatch per stage boundary and direction: b·s·h activations, b·s·h/t
 *   with Megatron's scatter/gather over the t tensor-parallel links.
 *
 * @module
 */

/** Bubble time relative to the ideal compute time: (p − 1)/(v·m). */
export function bubbleRatio(pp: number, microbatches: number, vpp = 1): number {
  if (pp <= 1) return 0;
  return (pp - 1) / (vpp * microbatches);
}

/** Bubble as a fraction of the whole pipelined step: x/(1 + x). */
export function bubbleFraction(pp: number, microbatches: number, vpp = 1): number {
  const x = bubbleRatio(pp, microbatches, vpp);
  return x / (1 + x);
}

/** Bytes one stage sends per microbatch per boundary and direction (scatter/gather: ÷ t). */
export function p2pBytes(
  seq: number,
  microBatch: number,
  hidden: number,
  tp = 1,
  scatterGather = true,
  activationBytes = 2,
): number {
  return seq * microBatch * hidden * activationBytes / (scatterGather ? tp : 1);
}

/**
 * Tensor-parallel bytes per layer per microbatch one GPU moves in all-reduces (Narayanan §3.3):
 * 2 all-reduces forward + 2 backward of b·s·h, each 2(t − 1)/t on the wire → 8·b·s·h·(t − 1)/t
 * elements; full recomputation repeats the forward pair (× 1.5).
 */
export function tpCommBytesPerLayer(
  seq: number,
  microBatch: number,
  hidden: number,
  tp: number,
  fullRecompute = false,
  activationBytes = 2,
): number {
  if (tp <= 1) return 0;
  return (fullRecompute ? 12 : 8) * seq * microBatch * hidden * (tp - 1) / tp * activationBytes;
}
