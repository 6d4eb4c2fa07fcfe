// Cost, cold start, chunked prefill and prefix caching.
import { assert, assertEquals, assertThrows, assertWithin } from "../_assert.ts";
import {
  chunkedPrefill,
  coldStart,
  costCrossover,
  GB,
  gpuHourPrice,
  lookupGpu,
  lookupTransformer,
  MissingPriceError,
  planCost,
  prefixCaching,
  prepare,
  UnknownTierError,
  usdPerMillionTokens,
} from "../../../core/mod.ts";

Deno.test("cost: $/1M tokens, sourced defaults, and the exact crossover of two plans", () => {
  // 8 GPUs at $3/h producing 10,000 tok/s: $24/h / 36M tok/h = $0.667 per 1M.
  assertWithin(usdPerMillionTokens(3, 8, 10_000), 24 / 36, 1e-12);
  assert(gpuHourPrice("h100-sxm").source.includes("2026"));
  assertThrows(() => gpuHourPrice("l4"), MissingPriceError);
  const a = { name: "H100", usdPerGpuHour: 3, gpusPerReplica: 1, maxQpsPerReplica: 10 };
  const b = { name: "A100", usdPerGpuHour: 1.3, gpusPerReplica: 1, maxQpsPerReplica: 4 };
  assertEquals(planCost(a, 25, 100).replicas, 3);
  const x = costCrossover(a, b, 40);
  // Every segment's verdict matches a direct comparison inside it (step costs: 3/h per 10 QPS
  // vs 1.3/h per 4 QPS swap places several times).
  for (const s of x.segments) {
    const q = (s.fromQps + s.toQps) / 2;
    const ca = planCost(a, q, 1).usdPerHour, cb = planCost(b, q, 1).usdPerHour;
    assertEquals(s.cheaper, ca === cb ? "tie" : ca < cb ? "a" : "b", `at ${q}`);
  }
  assert(x.crossoversQps.length > 0);
  // Fluid: slopes 0.3 vs 0.325 $/h per QPS and a $2/h fixed cost on A → cross at 80 QPS.
  const f = costCrossover({ ...a, fixedUsdPerHour: 2 }, b, 100);
  assertWithin(f.fluidCrossoverQps!, 2 / (0.325 - 0.3), 1e-9);
});

Deno.test("cold start: storage-bound from one NVMe, host-link-bound from the page cache", () => {
  const r = coldStart({ model: "llama-3.1-70b", tp: 8 });
  assertWithin(r.weightsBytes, 141.107e9, 1e-4);
  assertWithin(r.totalS, r.weightsBytes / (7.45 * GB), 1e-12);
  assertEquals(r.bound, "storage");
  const warm = coldStart({ model: "llama-3.1-8b", storage: "page-cache", hostLink: "pcie4-x16" });
  assertEquals(warm.bound, "host-link");
  assertWithin(warm.totalS, warm.weightsBytes / (31.5077e9 * 0.8), 1e-4);
  assertEquals(coldStart({ model: "llama-3.1-8b", initS: 20 }).totalS > 20, true);
  assertThrows(() => coldStart({ model: "llama-3.1-8b", storage: "floppy" }), UnknownTierError);
});

Deno.test("chunked prefill: smaller chunks lower the worst ITL and raise TTFT", () => {
  const p = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
  const r = chunkedPrefill(p, {
    prompt: 8192,
    batch: 32,
    ctx: 2000,
    chunks: [256, 512, 1024, 2048, 4096],
  });
  for (let i = 1; i < r.chunked.length; i++) {
    assert(r.chunked[i].worstItlS > r.chunked[i - 1].worstItlS, "ITL grows with chunk");
    assert(r.chunked[i].ttftS < r.chunked[i - 1].ttftS, "TTFT falls with chunk");
  }
  assert(r.whole.worstItlS > r.chunked[4].worstItlS);
  assert(r.whole.itlInflation > 10 && r.chunked[0].itlInflation < 1.1);
});

Deno.test("prefix caching: TTFT falls with the hit rate; no hits, no change", () => {
  const p = prepare(lookupTransformer("llama-3.1-8b"), lookupGpu("h100-sxm"), 1);
  const none = prefixCaching(p, 4096, 0);
  assertEquals([none.speedup, none.flopsSaved], [1, 0]);
  let prev = none.ttftS;
  for (const h of [0.25, 0.5, 0.75, 0.95]) {
    const r = prefixCaching(p, 4096, h);
    assert(r.ttftS < prev, `h=${h}`);
    prev = r.ttftS;
    // Attention of fresh tokens still reads the cached prefix: less saved than the hit rate.
    assert(r.flopsSaved < h && r.flopsSaved > h - 0.1, `flops saved ${r.flopsSaved} at ${h}`);
  }
});
