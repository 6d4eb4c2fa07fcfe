// Property tests: monotonicity, finiteness, and zod errors naming the field.
import fc from "fast-check";
import { ZodError } from "zod";
import { assert, assertThrows } from "./_assert.ts";
import {
  kvCache,
  listGpus,
  listTransformers,
  lookupGpu,
  maxUsers,
  NoPeakDataError,
  peakData,
  PRECISIONS,
  serve,
  type ServeResult,
  vllmCapacity,
  weightsMemory,
} from "../../core/mod.ts";
import { CapacityInputSchema, KvInputSchema, ServeInputSchema } from "../../core/schema/inputs.ts";

const modelIds = listTransformers().map((m) => m.id);
const gpuIds = listGpus().filter((g) => g.tier === "cloud").map((g) => g.id);
const model = fc.constantFrom(...modelIds);
const gpu = fc.constantFrom(...gpuIds);
const tp = fc.constantFrom(1, 2, 4, 8);
const batch = fc.integer({ min: 1, max: 512 });
const len = fc.integer({ min: 1, max: 65536 });
const precision = fc.constantFrom(...PRECISIONS);

function throwsNoPeak(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    return e instanceof NoPeakDataError;
  }
}

function finiteNonNeg(r: ServeResult): boolean {
  for (const k of Object.keys(r) as (keyof ServeResult)[]) {
    const v = r[k];
    if (typeof v === "number" && (!Number.isFinite(v) || v < 0)) return false;
  }
  return true;
}

Deno.test("serve: never NaN, Infinity or negative for valid input", () => {
  fc.assert(
    fc.property(
      model,
      gpu,
      tp,
      batch,
      len,
      fc.integer({ min: 1, max: 4096 }),
      precision,
      precision,
      (m, g, t, b, p, o, pr, kp) => {
        const q = { model: m, gpu: g, tp: t, batch: b, prompt: p, output: o, precision: pr };
        if (peakData(lookupGpu(g), pr).kind === "none") {
          return throwsNoPeak(() => serve({ ...q, kvPrecision: kp }));
        }
        const r = serve({ ...q, kvPrecision: kp });
        return finiteNonNeg(r) && r.ttftS > 0 && r.itlS > 0;
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("serve: ITL, TTFT and memory grow with batch; throughput does not fall below batch 1", () => {
  fc.assert(
    fc.property(
      model,
      gpu,
      tp,
      batch,
      fc.integer({ min: 1, max: 64 }),
      len,
      (m, g, t, b, db, p) => {
        const a = serve({ model: m, gpu: g, tp: t, batch: b, prompt: p, output: 64 });
        const c = serve({ model: m, gpu: g, tp: t, batch: b + db, prompt: p, output: 64 });
        return c.itlS >= a.itlS && c.ttftS >= a.ttftS && c.kvCacheBytes > a.kvCacheBytes &&
          c.totalMemoryBytes > a.totalMemoryBytes;
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("serve: ITL, TTFT and KV grow with sequence length", () => {
  fc.assert(
    fc.property(model, gpu, batch, len, fc.integer({ min: 1, max: 8192 }), (m, g, b, p, dp) => {
      const a = serve({ model: m, gpu: g, batch: b, prompt: p, output: 32 });
      const c = serve({ model: m, gpu: g, batch: b, prompt: p + dp, output: 32 });
      return c.itlS >= a.itlS && c.ttftS > a.ttftS && c.kvCacheBytes >= a.kvCacheBytes;
    }),
    { numRuns: 200 },
  );
});

Deno.test("narrower precision never needs more memory; decode is never slower along fp32 → bf16 → fp8", () => {
  const order = ["fp32", "bf16", "fp8", "int8", "int4"] as const;
  fc.assert(
    fc.property(
      model,
      gpu,
      batch,
      len,
      fc.integer({ min: 0, max: order.length - 2 }),
      (m, g, b, p, i) => {
        const q = { model: m, gpu: g, batch: b, prompt: p, output: 16 };
        if (peakData(lookupGpu(g), order[i]).kind === "none") return true;
        const wide = serve({ ...q, precision: order[i], kvPrecision: order[i] });
        const narrow = serve({ ...q, precision: order[i + 1], kvPrecision: order[i + 1] });
        const memOk = narrow.weightsBytes <= wide.weightsBytes &&
          narrow.kvCacheBytes <= wide.kvCacheBytes;
        // fp8 and int8 share the same peak on every registry GPU that has both; int4 is
        // weight-only (W4A16) and computes at the BF16 rate, so it is exempt from the speed order.
        const speedOk = i >= 2 || narrow.itlS <= wide.itlS * (1 + 1e-9);
        return memOk && speedOk;
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("smaller can be slower: weight-only int4 decodes slower than W8A8 int8 once compute binds", () => {
  const q = {
    model: "llama-3.1-8b",
    gpu: "h100-sxm",
    batch: 512,
    prompt: 256,
    output: 16,
  } as const;
  const i8 = serve({ ...q, precision: "int8" });
  const i4 = serve({ ...q, precision: "int4" });
  assert(i4.weightsBytes < i8.weightsBytes);
  assert(i4.itlS > i8.itlS, `${i4.itlS} vs ${i8.itlS}`);
  assert(i4.decodeBound === "compute");
});

Deno.test("KV cache is linear in batch and monotone in length; weights monotone in precision", () => {
  fc.assert(
    fc.property(model, len, batch, (m, s, b) => {
      const one = kvCache({ model: m, seqLen: s }).perRequestBytes;
      const r = kvCache({ model: m, seqLen: s, batch: b });
      const longer = kvCache({ model: m, seqLen: s + 1 }).perRequestBytes;
      return r.totalBytes === one * b && longer >= one && one > 0;
    }),
  );
  for (const m of modelIds) {
    const w = PRECISIONS.map((p) => weightsMemory(m, p).totalBytes);
    for (let i = 1; i < w.length; i++) assert(w[i] <= w[i - 1]);
  }
});

Deno.test("capacity: more gmu → more blocks; longer max_num_batched_tokens → fewer; never NaN", () => {
  fc.assert(
    fc.property(model, gpu, tp, fc.double({ min: 0.5, max: 0.95, noNaN: true }), (m, g, t, gmu) => {
      const a = vllmCapacity({ model: m, gpu: g, tp: t, gmu, maxModelLen: 8192 });
      const b = vllmCapacity({ model: m, gpu: g, tp: t, gmu: gmu + 0.04, maxModelLen: 8192 });
      const c = vllmCapacity({
        model: m,
        gpu: g,
        tp: t,
        gmu,
        maxModelLen: 8192,
        maxNumBatchedTokens: 16384,
      });
      return b.numBlocks >= a.numBlocks && c.numBlocks <= a.numBlocks &&
        Number.isFinite(a.kvCacheBytes) &&
        a.numBlocks >= 0 && Number.isFinite(a.maxConcurrency);
    }),
    { numRuns: 200 },
  );
});

Deno.test("max users fall as context grows", () => {
  fc.assert(
    fc.property(
      model,
      gpu,
      fc.integer({ min: 1, max: 8 }),
      len,
      (m, g, n, s) =>
        maxUsers({ model: m, gpu: g, gpus: n, seqLen: s * 2 }).maxUsers <=
          maxUsers({ model: m, gpu: g, gpus: n, seqLen: s }).maxUsers,
    ),
    { numRuns: 200 },
  );
});

Deno.test("invalid input → ZodError naming the field", () => {
  const bad = fc.oneof(
    fc.integer({ max: 0 }),
    fc.constant(Number.NaN),
    fc.constant(Infinity),
    fc.double({ min: 0.1, max: 100, noInteger: true }),
  );
  fc.assert(
    fc.property(fc.constantFrom("batch", "prompt", "output", "tp"), bad, (field, v) => {
      const e = assertThrows(
        () => ServeInputSchema.parse({ model: "llama-3.1-8b", gpu: "h100-sxm", [field]: v }),
        ZodError,
      );
      return e.issues.some((i) => i.path[0] === field);
    }),
  );
  const e = assertThrows(
    () => CapacityInputSchema.parse({ model: "x", gpu: "y", gmu: 1.5 }),
    ZodError,
  );
  assert(e.issues[0].path[0] === "gmu");
  const k = assertThrows(
    () => KvInputSchema.parse({ model: "x", seqLen: 8, kvPrecision: "fp4" }),
    ZodError,
  );
  assert(k.issues[0].path[0] === "kvPrecision");
});
