// The mixed (chunked-prefill) step reduces to the engine's decode and prefill steps.
import { assertEquals, assertWithin } from "../_assert.ts";
import {
  chunkKeys,
  decodeStepTime,
  lookupGpu,
  lookupTransformer,
  mixedStepTime,
  prefillTime,
  prepare,
} from "../../../core/mod.ts";

const configs = [
  ["llama-3.1-8b", "h100-sxm", 1],
  ["llama-3.1-70b", "h100-sxm", 8],
  ["mixtral-8x7b", "h100-sxm", 2],
  ["qwen2.5-7b", "a100-80gb", 1],
] as const;

Deno.test("mixed step with no prefill tokens equals decodeStepTime", () => {
  for (const [m, g, tp] of configs) {
    const p = prepare(lookupTransformer(m), lookupGpu(g), tp);
    for (const [b, ctx] of [[1, 100], [32, 2048], [200, 8000]]) {
      const d = decodeStepTime(p, b, ctx);
      const x = mixedStepTime(p, b, ctx, { tokens: 0, keys: 0, prefixTokens: 0, finishing: 0 });
      assertWithin(x.time, d.time, 1e-12, `${m} b=${b}`);
      assertEquals(x.bound, d.bound);
    }
  }
});

Deno.test("mixed step with one whole prompt equals prefillTime(p, 1, prompt)", () => {
  for (const [m, g, tp] of configs) {
    const p = prepare(lookupTransformer(m), lookupGpu(g), tp);
    for (const n of [16, 512, 4096]) {
      const pf = prefillTime(p, 1, n);
      const x = mixedStepTime(p, 0, 0, {
        tokens: n,
        keys: chunkKeys(n, 0),
        prefixTokens: 0,
        finishing: 1,
      });
      assertWithin(x.time, pf.time, 1e-12, `${m} prompt ${n}`);
      assertWithin(x.flops, pf.flops, 1e-12, "flops");
    }
  }
});
