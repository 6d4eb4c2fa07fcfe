/**
 * Prefix caching (vLLM automatic prefix caching, SGLang RadixAttention): prompt tokens whose KV
 * is already cached — a shared system prompt, earlier turns of a chat — are not recomputed.
 * With a token hit rate `h` (vLLM reports the share of queried prompt tokens found in the
 * cache), a prompt of `P` tokens prefills `P − ⌊hP⌉` fresh tokens that attend to all `P`:
 * `t_pf(h)` from the mixed step (step.ts) with the cached tokens read as prefix.
 * TTFT at low load = `t_pf(h)` + one decode iteration; the cached KV still occupies memory.
 *
 * @module
 */
import { decodeStepTime, prefillTime, type Prepared } from "../engine.ts";
import { prefillWithCache } from "./replica.ts";

/** Result of {@link prefixCaching}. Seconds. */
export interface PrefixCachingResult {
  hitRate: number;
  cachedTokens: number;
  freshTokens: number;
  prefillS: number;
  prefillNoCacheS: number;
  ttftS: number;
  ttftNoCacheS: number;
  /** ttftNoCache / ttft. */
  speedup: number;
  /** Share of prefill FLOPs skipped. */
  flopsSaved: number;
}

/** TTFT of a `prompt`-token request with token hit rate `hitRate` (module doc). */
export function prefixCaching(p: Prepared, prompt: number, hitRate: number): PrefixCachingResult {
  const cached = Math.min(prompt - 1, Math.round(prompt * hitRate));
  const pf = prefillWithCache(p, prompt, hitRate);
  const full = prefillWithCache(p, prompt, 0);
  const emit = decodeStepTime(p, 1, prompt + 1).time;
  const fullFlops = prefillTime(p, 1, prompt).flops;
  const fresh = prompt - cached;
  // FLOPs of the fresh tokens: linear part + their attention over the whole prompt.
  const freshFlops = fresh * p.linearFlopsPerToken + p.lmHeadFlopsPerToken +
    (fresh * cached + fresh * (fresh + 1) / 2) * (p.attnFlopsFull + p.attnFlopsSliding);
  return {
    hitRate,
    cachedTokens: cached,
    freshTokens: fresh,
    prefillS: pf,
    prefillNoCacheS: full,
    ttftS: pf + emit,
    ttftNoCacheS: full + emit,
    speedup: (full + emit) / (pf + emit),
    flopsSaved: Math.max(0, 1 - freshFlops / fullFlops),
  };
}
