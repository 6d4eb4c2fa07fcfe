/**
 * Issue 8, core: 10,000 generated inputs per solver. Valid input → finite, non-negative numbers;
 * invalid input (negative, NaN, fractional, absurd sizes) → a ZodError naming the field; an
 * unknown id → UnknownIdError with near matches. Never a wrong number.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ZodError } from "zod";
import {
  checkedCapacity,
  checkedKv,
  checkedServe,
  checkedServingConfig,
} from "../../core/schema/checked.ts";
import {
  listGpus,
  listTransformers,
  lookupGpu,
  NoPeakDataError,
  peakData,
  type Precision,
  PRECISIONS,
  UnknownIdError,
} from "../../core/mod.ts";

const RUNS = 10_000;
const models = listTransformers().map((m) => m.id);
const gpus = listGpus().filter((g) => g.tier === "cloud").map((g) => g.id);
const model = fc.constantFrom(...models);
const gpu = fc.constantFrom(...gpus);
const precision = fc.constantFrom(...PRECISIONS);
const count = (max: number) => fc.integer({ min: 1, max });
const hasPeak = (g: string, p: Precision = "bf16") => peakData(lookupGpu(g), p).kind !== "none";

/** Every number in `r` (recursively) is finite and ≥ 0. */
function allFiniteNonNegative(r: unknown, path = "result"): string | null {
  if (typeof r === "number") return Number.isFinite(r) && r >= 0 ? null : `${path} = ${r}`;
  if (r && typeof r === "object") {
    for (const [k, v] of Object.entries(r)) {
      const bad = allFiniteNonNegative(v, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return null;
}

const valid = <T>(arb: fc.Arbitrary<T>, solve: (x: T) => unknown) =>
  fc.assert(
    fc.property(arb, (x) => {
      const bad = allFiniteNonNegative(solve(x));
      if (bad) throw new Error(`${JSON.stringify(x)} → ${bad}`);
    }),
    { numRuns: RUNS },
  );

/** Numbers no count may take: ≤ 0, NaN, ±∞, fractions, absurd sizes, non-numbers. */
const badCount = fc.oneof(
  fc.integer({ max: 0 }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e15, 2 ** 40, "8", null),
  fc.double({ min: 0.01, max: 1000, noInteger: true, noNaN: true }),
);

const invalid = (
  base: Record<string, unknown>,
  fields: string[],
  solve: (x: unknown) => unknown,
) =>
  fc.assert(
    fc.property(fc.constantFrom(...fields), badCount, (field, v) => {
      try {
        solve({ ...base, [field]: v });
      } catch (e) {
        if (!(e instanceof ZodError)) throw e;
        return e.issues.some((i) => i.path[0] === field);
      }
      throw new Error(`${field} = ${String(v)} was accepted`);
    }),
    { numRuns: RUNS },
  );

Deno.test("hardening kv: 10,000 valid inputs finite; 10,000 invalid → ZodError naming the field", () => {
  valid(
    fc.record({ model, seqLen: count(2 ** 27), batch: count(4096), kvPrecision: precision }),
    checkedKv,
  );
  invalid({ model: "llama-3.1-8b", seqLen: 4096 }, ["seqLen", "batch"], checkedKv);
});

Deno.test("hardening serve: 10,000 valid inputs finite; 10,000 invalid → ZodError naming the field", () => {
  valid(
    fc.record({
      model,
      gpu,
      tp: fc.constantFrom(1, 2, 4, 8),
      batch: count(1024),
      prompt: count(131072),
      output: count(16384),
      precision,
      kvPrecision: precision,
    }).filter((x) => hasPeak(x.gpu, x.precision)),
    checkedServe,
  );
  // No datasheet FP32 peak (TPU v5e/v5p, Gaudi 3): a named error, never a guessed number.
  assert.throws(
    () => checkedServe({ model: "llama-3.1-8b", gpu: "tpu-v5e", precision: "fp32" }),
    (e) => e instanceof NoPeakDataError && /no FP32 peak for Google TPU v5e/.test(e.message),
  );
  invalid(
    { model: "llama-3.1-8b", gpu: "h100-sxm" },
    ["tp", "batch", "prompt", "output"],
    checkedServe,
  );
});

Deno.test("hardening capacity: 10,000 valid inputs finite; 10,000 invalid → ZodError naming the field", () => {
  valid(
    fc.record({
      model,
      gpu,
      tp: fc.constantFrom(1, 2, 4, 8),
      gmu: fc.double({ min: 0.05, max: 1, noNaN: true }),
      maxModelLen: count(131072),
      precision,
      kvPrecision: precision,
    }),
    checkedCapacity,
  );
  invalid(
    { model: "llama-3.1-8b", gpu: "a100-40gb" },
    ["tp", "maxModelLen", "maxNumBatchedTokens", "blockSize"],
    checkedCapacity,
  );
  assert.throws(
    () => checkedCapacity({ model: "llama-3.1-8b", gpu: "a100-40gb", gmu: 1.5 }),
    (e) => e instanceof ZodError && e.issues[0].path[0] === "gmu",
  );
});

Deno.test("hardening servingConfig: 10,000 valid configs finite (TTFT unbounded only when the queue saturates; an OOM config has no latency and delivers 0)", () => {
  fc.assert(
    fc.property(
      fc.record({
        model: fc.constantFrom("llama-3.1-8b", "llama-3.1-70b", "llama-2-13b", "mixtral-8x7b"),
        gpu,
        gpus: fc.constantFrom(1, 2, 4, 8),
        maxBatch: count(256),
        maxSeqLen: fc.integer({ min: 2, max: 32768 }),
        mode: fc.constantFrom("static", "continuous", "speculative"),
        load: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      }),
      (x) => {
        const r = checkedServingConfig(x);
        const { ttftP50S, ttftP99S, itlS, ...rest } = r;
        const bad = allFiniteNonNegative(rest);
        if (bad) throw new Error(`${JSON.stringify(x)} → ${bad}`);
        if (r.oom) {
          assert.equal(r.status, "oom");
          assert.equal(r.throughputTokensPerS, 0);
          assert.deepEqual([ttftP50S, ttftP99S, itlS], [Infinity, Infinity, Infinity]);
          assert.match(r.message, /Out of memory/);
          return;
        }
        assert.ok(itlS > 0 && Number.isFinite(itlS), `${JSON.stringify(x)} → itl ${itlS}`);
        for (const t of [ttftP50S, ttftP99S]) {
          assert.ok(t > 0 && !Number.isNaN(t), `${JSON.stringify(x)} → ttft ${t}`);
          if (!Number.isFinite(t)) assert.equal(r.bound, "queueing");
        }
      },
    ),
    { numRuns: RUNS },
  );
  invalid(
    { model: "llama-3.1-70b", gpu: "h100-sxm", gpus: 8, maxSeqLen: 512, mode: "continuous" },
    ["gpus", "maxBatch"],
    checkedServingConfig,
  );
});

Deno.test("hardening ids: an unknown model or GPU lists near matches, never a number", () => {
  fc.assert(
    fc.property(fc.constantFrom(...models), fc.integer({ min: 0, max: 5 }), (id, i) => {
      const typo = id.slice(0, i) + "x" + id.slice(i + 1);
      if (models.includes(typo)) return true;
      try {
        checkedKv({ model: typo, seqLen: 1024 });
      } catch (e) {
        return e instanceof UnknownIdError && e.suggestions.length > 0;
      }
      return false;
    }),
    { numRuns: 2_000 },
  );
  assert.throws(() => checkedServe({ model: "llama-3.1-8b", gpu: "h100" + "x" }), UnknownIdError);
});
