// Property tests of the training half: monotonicity of the memory stack, collectives, bubbles.
import fc from "fast-check";
import { assert } from "../_assert.ts";
import { listTransformers } from "../../../core/registry.ts";
import {
  bubbleFraction,
  busBwFactor,
  COLLECTIVE_OPS,
  type CollectiveAlgorithm,
  collectiveTime,
  CONVENTION_NAMES,
  fitOf,
  listClusters,
  type Recompute,
  timeToTrain,
  trainingMemory,
  type TrainingMemoryInput,
  type ZeroStage,
} from "../../../core/training/mod.ts";

const RUNS = 300;
const dense = listTransformers().filter((m) => !m.moe).map((m) => m.id);
const model = fc.constantFrom(...dense, "megatron-gpt-175b", "megatron-gpt-22b", "bloom-176b");
const pow2 = (max: number) => fc.integer({ min: 0, max }).map((k) => 2 ** k);
const recompute = fc.constantFrom<Recompute>("none", "selective", "full");
const stage = fc.constantFrom<ZeroStage>(0, 1, 2, 3);

/** A valid layout: tp divides the heads, pp ≤ layers. */
const job = fc.record({
  model,
  tp: pow2(3),
  pp: pow2(3),
  dp: pow2(6),
  sp: fc.boolean(),
  seq: fc.integer({ min: 1, max: 32768 }),
  microBatch: fc.integer({ min: 1, max: 16 }),
  gradAccum: fc.integer({ min: 1, max: 64 }),
  recompute,
  zeroStage: stage,
  convention: fc.constantFrom(...CONVENTION_NAMES),
}).map((x) => ({ ...x, gpu: "h100-sxm" }) as TrainingMemoryInput).filter((x) => {
  try {
    trainingMemory(x);
    return true;
  } catch {
    return false;
  }
});

const total = (x: TrainingMemoryInput) => trainingMemory(x).total;

Deno.test("memory is non-decreasing in micro-batch and in sequence length", () => {
  fc.assert(
    fc.property(
      job,
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 4096 }),
      (x, db, ds) => {
        assert(total({ ...x, microBatch: x.microBatch + db }) >= total(x));
        assert(total({ ...x, seq: x.seq + ds }) >= total(x));
      },
    ),
    { numRuns: RUNS },
  );
});

Deno.test("memory is non-increasing in ZeRO stage and in DP under ZeRO ≥ 1 (pp = 1)", () => {
  // With PP the uniform split Ψ = P/(t·p) can fall below the stage-3 gather buffer (sized by the
  // embedding), so stage 3 may cost more than stage 2 there; budget.ts documents it.
  fc.assert(
    fc.property(job, (x0) => {
      const x = { ...x0, pp: 1 };
      const byStage = ([0, 1, 2, 3] as const).map((zeroStage) => total({ ...x, zeroStage }));
      for (let i = 1; i < 4; i++) assert(byStage[i] <= byStage[i - 1] * (1 + 1e-12), `${byStage}`);
      const dp = x.dp ?? 1;
      if ((x.zeroStage ?? 0) >= 1) assert(total({ ...x, dp: dp * 2 }) <= total(x) * (1 + 1e-12));
      else assert(total({ ...x, dp: dp * 2 }) === total(x));
    }),
    { numRuns: RUNS },
  );
});

Deno.test("recompute: full ≤ selective ≤ none", () => {
  fc.assert(
    fc.property(job, (x) => {
      const [n, s, f] = (["none", "selective", "full"] as const).map((recompute) =>
        trainingMemory({ ...x, recompute }).parts.activations
      );
      assert(f <= s && s <= n, `${f} ${s} ${n}`);
    }),
    { numRuns: RUNS },
  );
});

const clusters = listClusters();
const coll = fc.record({
  cluster: fc.constantFrom(...clusters),
  op: fc.constantFrom(...COLLECTIVE_OPS),
  algorithm: fc.constantFrom<CollectiveAlgorithm>("auto", "ring", "tree", "hierarchical"),
  ranks: fc.integer({ min: 2, max: 4096 }),
  bytes: fc.double({ min: 1, max: 2 ** 36, noNaN: true }),
  grow: fc.double({ min: 1, max: 1e4, noNaN: true }),
});

interface CollCase {
  cluster: (typeof clusters)[number];
  op: (typeof COLLECTIVE_OPS)[number];
  algorithm: CollectiveAlgorithm;
  ranks: number;
  bytes: number;
}

function time(c: CollCase) {
  return collectiveTime({
    op: c.op,
    bytes: c.bytes,
    ranks: c.ranks,
    ranksPerNode: Math.min(c.ranks, c.cluster.gpusPerNode),
    fit: fitOf(c.cluster),
    algorithm: c.algorithm,
  });
}

function available(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

Deno.test("collective time is non-decreasing in bytes; busbw = algbw × nccl-tests factor", () => {
  fc.assert(
    fc.property(coll, (c) => {
      fc.pre(available(() => time(c)));
      const a = time(c), b = time({ ...c, bytes: c.bytes * c.grow });
      assert(b.timeS >= a.timeS * (1 - 1e-12), `${a.timeS} ${b.timeS}`);
      assert(Number.isFinite(a.timeS) && a.timeS > 0);
      const F = busBwFactor(c.op, c.ranks);
      assert(Math.abs(a.busBw / a.algBw - F) < 1e-12 * F);
      assert(Math.abs(a.algBw - c.bytes / a.timeS) <= 1e-9 * a.algBw);
    }),
    { numRuns: RUNS },
  );
});

Deno.test("bus-bandwidth factor: 2(n−1)/n all-reduce, (n−1)/n others, 1 broadcast, 0 at n = 1", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 1 << 20 }), (n) => {
      const ar = busBwFactor("all-reduce", n);
      assert(ar >= 1 && ar < 2);
      for (const op of ["all-gather", "reduce-scatter", "all-to-all"] as const) {
        assert(Math.abs(busBwFactor(op, n) * 2 - ar) < 1e-15);
      }
      assert(busBwFactor("broadcast", n) === 1);
      assert(busBwFactor("all-reduce", 1) === 0);
    }),
    { numRuns: RUNS },
  );
});

Deno.test("bubble fraction in [0, 1), decreasing in microbatches (and in vpp)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 128 }),
      fc.integer({ min: 1, max: 4096 }),
      fc.integer({ min: 1, max: 8 }),
      (p, m, v) => {
        const f = bubbleFraction(p, m, v);
        assert(f >= 0 && f < 1, `${f}`);
        const g = bubbleFraction(p, m + 1, v);
        if (p > 1) assert(g < f && bubbleFraction(p, m, v + 1) < f);
        else assert(f === 0 && g === 0);
      },
    ),
    { numRuns: RUNS },
  );
});

Deno.test("time to train: linear in tokens, inverse in MFU", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...dense),
      fc.double({ min: 1e9, max: 1e13, noNaN: true }),
      fc.double({ min: 0.05, max: 0.5, noNaN: true }),
      (m, tokens, mfu) => {
        const base = { model: m, tokens, seq: 4096, gpus: 64, gpu: "h100-sxm", mfu };
        const a = timeToTrain(base);
        const b = timeToTrain({ ...base, tokens: 2 * tokens, mfu: 2 * mfu });
        assert(Math.abs(b.seconds / a.seconds - 1) < 1e-9);
        assert(a.hfu >= a.mfu * (1 - 1e-12) && a.gpuHours > 0);
      },
    ),
    { numRuns: RUNS },
  );
});
