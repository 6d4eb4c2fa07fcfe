/**
 * Chunked prefill's trade-off (Agrawal et al. 2024, "Sarathi-Serve"): a prompt of `P` tokens
 * arrives while `batch` sequences decode at context `ctx`.
 *
 * - Whole prompt (no chunking): one prefill iteration of `P` tokens; every running sequence
 *   waits for it, so one of their inter-token gaps grows to `t_pf(P) + t_decode`.
 *   TTFT = `t_pf(P)` + one decode iteration (the token is emitted when the next one ends).
 * - Chunks of `k` tokens: `⌈P/k⌉` iterations, each carrying the running decodes plus one chunk
 *   (mixed step, step.ts; chunk `j` attends to the `j·k` tokens before it); every decode
 *   keeps producing a token per iteration, but each iteration is longer than a pure decode.
 *   TTFT = Σ mixed iterations + one decode iteration; worst ITL = the longest mixed iteration.
 * Small chunks protect ITL and cost TTFT (weights re-read, per-step overhead paid per chunk).
 *
 * @module
 */
import { decodeStepTime, type Prepared } from "../engine.ts";
import { prefillWithCache } from "./replica.ts";
import { chunkKeys, mixedStepTime } from "./step.ts";

/** One chunk size's outcome. Seconds. */
export interface ChunkedPrefillPoint {
  /** Chunk tokens (the prompt length for "no chunking"). */
  chunk: number;
  chunks: number;
  ttftS: number;
  /** Longest gap between two tokens of a running sequence while the prompt is prefilled. */
  worstItlS: number;
  /** ITL with no prompt in flight. */
  decodeItlS: number;
  /** worstItl / decodeItl. */
  itlInflation: number;
}

/** Input of {@link chunkedPrefill}. */
export interface ChunkedPrefillInput {
  prompt: number;
  /** Running decode sequences. */
  batch: number;
  /** Their mean context. */
  ctx: number;
  /** Chunk sizes to evaluate, tokens. */
  chunks: readonly number[];
}

/** TTFT and worst ITL of a whole-prompt prefill and of each chunk size (module doc). */
export function chunkedPrefill(p: Prepared, o: ChunkedPrefillInput): {
  whole: ChunkedPrefillPoint;
  chunked: ChunkedPrefillPoint[];
} {
  const decode = o.batch > 0 ? decodeStepTime(p, o.batch, o.ctx).time : 0;
  const emit = decodeStepTime(p, o.batch + 1, o.ctx).time;
  const pf = prefillWithCache(p, o.prompt, 0);
  const whole: ChunkedPrefillPoint = {
    chunk: o.prompt,
    chunks: 1,
    ttftS: pf + emit,
    worstItlS: pf + decode,
    decodeItlS: decode,
    itlInflation: decode > 0 ? (pf + decode) / decode : Infinity,
  };
  const chunked = o.chunks.map((k): ChunkedPrefillPoint => {
    const n = Math.ceil(o.prompt / k);
    let sum = 0, worst = 0;
    for (let j = 0; j < n; j++) {
      const size = Math.min(k, o.prompt - j * k);
      const t = mixedStepTime(p, o.batch, o.ctx, {
        tokens: size,
        keys: chunkKeys(size, j * k),
        prefixTokens: j * k,
        finishing: j === n - 1 ? 1 : 0,
      }).time;
      sum += t;
      if (t > worst) worst = t;
    }
    return {
      chunk: k,
      chunks: n,
      ttftS: sum + emit,
      worstItlS: worst,
      decodeItlS: decode,
      itlInflation: decode > 0 ? worst / decode : Infinity,
    };
  });
  return { whole, chunked };
}
