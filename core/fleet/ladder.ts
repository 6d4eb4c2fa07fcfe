/**
 * The optimization ladder (lab v2-09): what each classic inference optimization changes in one
 * step's time breakdown — compute, memory, communication, overhead — and when to stop climbing.
 *
 * The top of the ladder (fused kernels, FlashAttention, CUDA graphs) is the calibrated engine
 * step of core/engine.ts; the bottom adds back what an unoptimized eager implementation pays:
 *
 * - **No FlashAttention-style fusion**: attention scores go through HBM. Standard attention
 *   (Dao et al. 2022, Algorithm 0) writes S = QKᵀ, reads it for the softmax, writes P, reads it
 *   for PV: {@link SCORE_ACCESSES} = 4 accesses of 2-byte elements per score; eager prefill
 *   computes the full prompt × prompt square and masks it; decode has `ctx` scores per head.
 * - **No kernel fusion**: RMSNorm, residual adds, rotary and SwiGLU run as separate kernels that
 *   each read and write activations. Extra element accesses per token per layer, our count of
 *   eager vs fused (vLLM's fused_add_rms_norm, fused rotary, silu_and_mul) kernels:
 *   `10·hidden + 10·(q + kv dims)/tp + 2·intermediate/tp`; and {@link KERNELS_UNFUSED} instead of
 *   {@link KERNELS_FUSED} launches per layer.
 * - **No CUDA graphs**: every kernel pays the eager CPU launch cost {@link EAGER_LAUNCH_S}
 *   instead of the calibrated per-layer gap (core/calibration.ts: 20 µs per layer of 9 kernels).
 *
 * The rungs above the engine: **FP8** re-prepares the model at FP8 (1-byte weights, the FP8
 * dense peak where the GPU has one), and **communication overlap** hides the all-reduces under
 * the step's compute/memory time (ideal overlap: exposed = max(0, comm − core)).
 *
 * Step time at every rung: `max(compute, memory) + exposed comm + overhead` (the engine's rule).
 * Amdahl: a rung that speeds its target component by `s` while that component is a share `f` of
 * the critical path gains at most `1 / (1 − f + f/s)`. Stop rule: stop at the first rung whose
 * bound is below `1 + minGain` (default 5 %) — the binding resource has moved elsewhere.
 *
 * @module
 */
import { ETA_KV, LAYER_OVERHEAD_S, STEP_OVERHEAD_S } from "../calibration.ts";
import {
  decodeStepTime,
  peakFlops,
  prefillTime,
  prepare,
  type Prepared,
  type StepBound,
} from "../engine.ts";
import { bytesPerElement } from "../precision.ts";

/** Accesses per attention-score element in unfused attention (Dao et al. 2022, Alg. 0). */
export const SCORE_ACCESSES = 4;
/** Bytes per score element in eager BF16/FP16 attention. */
export const SCORE_BYTES = 2;
/**
 * Kernels per decoder layer, eager (our count of a Llama layer in PyTorch eager: RMSNorm 6 × 2,
 * Q/K/V 3, rotary 6, attention 1, O 1, residual adds 2, gate, up, SiLU, mul, down 5 = 30).
 */
export const KERNELS_UNFUSED = 30;
/** Kernels per layer when fused (vLLM Llama: add+norm 2, QKV, rotary, attention, O, gate_up, silu_and_mul, down = 9). */
export const KERNELS_FUSED = 9;
/**
 * CPU cost of launching one kernel from eager PyTorch, s. Fitted: PyTorch's gpt-fast blog
 * ("Accelerating Generative AI with PyTorch II", 2023) measures 25.5 tok/s for eager Llama-2-7B
 * at batch 1 on an A100-80GB; our engine's kernel time for that step is 9.39 ms (ctx 100), so
 * `(1/25.5 s − 9.39 ms − 0.35 ms) / (32 layers × 30 kernels) = 30.7 µs`. The same blog reports
 * ≈ 4× (107 tok/s) once torch.compile fuses kernels and replays CUDA graphs; this ladder gives
 * 3.7× (tests/core/fleet/ladder.test.ts).
 */
export const EAGER_LAUNCH_S = 30.7e-6;

/** The rungs. */
export const RUNGS = [
  "flash-attention",
  "kernel-fusion",
  "cuda-graphs",
  "fp8",
  "comm-overlap",
] as const;
/** One rung id. */
export type RungId = typeof RUNGS[number];

/** Human names of the rungs. */
export const RUNG_NAMES: Record<RungId, string> = {
  "flash-attention": "FlashAttention-style fusion",
  "kernel-fusion": "Kernel fusion (norm, rotary, SwiGLU)",
  "cuda-graphs": "CUDA graphs (launch overhead)",
  "fp8": "FP8 weights and GEMMs",
  "comm-overlap": "Communication overlap",
};

/** A step's time split, seconds. */
export interface Breakdown {
  computeS: number;
  memoryS: number;
  /** Communication on the critical path. */
  commS: number;
  overheadS: number;
  timeS: number;
  bound: StepBound;
}

/** One climbed rung. */
export interface Rung {
  id: RungId;
  name: string;
  /** Breakdown after applying it (and every rung before it). */
  after: Breakdown;
  speedup: number;
  /** Amdahl bound on this rung's speedup, from the breakdown before it. */
  amdahlLimit: number;
  /** False when the rung changed nothing on the critical path (overlap at tp 1, a hidden term). */
  changed: boolean;
}

/** Input of {@link optimizationLadder}. */
export interface LadderInput {
  phase: "decode" | "prefill";
  /** Sequences in the step. */
  batch: number;
  /** Decode: mean cached context; prefill: prompt tokens per sequence. */
  tokens: number;
  /** Rung order (default {@link RUNGS}). */
  order?: readonly RungId[];
  /** Stop when no rung can gain more than this (default 0.05). */
  minGain?: number;
}

/** Result of {@link optimizationLadder}. */
export interface Ladder {
  baseline: Breakdown;
  rungs: Rung[];
  /** Index into `rungs` where the stop rule fires (rungs.length when it never does). */
  stopAt: number;
  /** Why it stopped, or null. */
  stopReason: string | null;
  totalSpeedup: number;
}

interface State {
  flash: boolean;
  fused: boolean;
  graphs: boolean;
  fp8: boolean;
  overlap: boolean;
}

function penalties(p: Prepared, o: LadderInput) {
  const m = p.model;
  const tokens = o.phase === "decode" ? o.batch : o.batch * o.tokens;
  const scoresPerSeq = o.phase === "decode" ? o.tokens : o.tokens * o.tokens;
  const scoreBytes = m.layers * (m.heads / p.tp) * o.batch * scoresPerSeq * SCORE_ACCESSES *
    SCORE_BYTES;
  const inter = m.moe
    ? m.moe.expertIntermediate * (m.moe.topK + m.moe.sharedExperts)
    : m.intermediate;
  const qkv = (m.heads + 2 * m.kvHeads) * m.headDim;
  const elems = 10 * m.hidden + 10 * qkv / p.tp + 2 * inter / p.tp;
  const elemBytes = m.layers * tokens * elems * 2;
  const bw = p.bandwidth * ETA_KV;
  return { scoreS: scoreBytes / bw, elemS: elemBytes / bw };
}

function breakdown(p: Prepared, o: LadderInput, s: State): Breakdown {
  const q = s.fp8 ? prepare(p.model, p.gpu, p.tp, "fp8", p.kvPrecision) : p;
  const step = o.phase === "decode"
    ? decodeStepTime(q, o.batch, o.tokens)
    : prefillTime(q, o.batch, o.tokens);
  const pen = penalties(p, o);
  const memoryS = step.memory + (s.flash ? 0 : pen.scoreS) + (s.fused ? 0 : pen.elemS);
  const computeS = step.compute;
  const perLayer = s.graphs
    ? LAYER_OVERHEAD_S * (s.fused ? 1 : KERNELS_UNFUSED / KERNELS_FUSED)
    : EAGER_LAUNCH_S * (s.fused ? KERNELS_FUSED : KERNELS_UNFUSED);
  const overheadS = STEP_OVERHEAD_S + p.layers * perLayer;
  const core = Math.max(computeS, memoryS);
  const commS = s.overlap ? Math.max(0, step.comm - core) : step.comm;
  let bound: StepBound = computeS > memoryS ? "compute" : "bandwidth";
  let top = core;
  if (commS > top) {
    bound = "communication";
    top = commS;
  }
  if (overheadS > top) bound = "overhead";
  return { computeS, memoryS, commS, overheadS, timeS: core + commS + overheadS, bound };
}

/** Amdahl: `1 / (1 − f + f/s)`. */
export function amdahl(f: number, s: number): number {
  return 1 / (1 - f + f / s);
}

/** Critical-path share `f` and local speedup `s` of rung `id` on breakdown `b`. */
function target(
  id: RungId,
  b: Breakdown,
  p: Prepared,
  o: LadderInput,
  st: State,
): [number, number] {
  const pen = penalties(p, o);
  const slack = Math.max(0, b.memoryS - b.computeS); // memory time on the critical path
  switch (id) {
    case "flash-attention":
      return [st.flash ? 0 : Math.min(pen.scoreS, slack) / b.timeS, Infinity];
    case "kernel-fusion": {
      // The launch time fusion removes: eager launches, or (under CUDA graphs) the replayed
      // graph's per-kernel gaps, LAYER_OVERHEAD_S per 9 kernels (the breakdown's own rule).
      const launch = st.graphs
        ? LAYER_OVERHEAD_S * (KERNELS_UNFUSED / KERNELS_FUSED - 1) * p.layers
        : EAGER_LAUNCH_S * (KERNELS_UNFUSED - KERNELS_FUSED) * p.layers;
      const bytes = st.fused ? 0 : Math.min(pen.elemS, slack);
      return [st.fused ? 0 : (launch + bytes) / b.timeS, Infinity];
    }
    case "cuda-graphs":
      return [st.graphs ? 0 : (b.overheadS - STEP_OVERHEAD_S) / b.timeS, Infinity];
    case "fp8": {
      // Weights shrink by the byte ratio, GEMMs speed up by the peak ratio: at most the larger.
      const s = Math.max(
        bytesPerElement(p.precision) / bytesPerElement("fp8"),
        peakFlops(p.gpu, "fp8") / p.peak,
        1,
      );
      return [st.fp8 ? 0 : Math.max(b.computeS, b.memoryS) / b.timeS, s];
    }
    case "comm-overlap":
      return [
        st.overlap ? 0 : Math.min(b.commS, Math.max(b.computeS, b.memoryS)) / b.timeS,
        Infinity,
      ];
  }
}

const FLAG: Record<RungId, keyof State> = {
  "flash-attention": "flash",
  "kernel-fusion": "fused",
  "cuda-graphs": "graphs",
  "fp8": "fp8",
  "comm-overlap": "overlap",
};

/** Climb the ladder from the eager baseline (model in the module doc). */
export function optimizationLadder(p: Prepared, o: LadderInput): Ladder {
  const st: State = { flash: false, fused: false, graphs: false, fp8: false, overlap: false };
  const minGain = o.minGain ?? 0.05;
  const baseline = breakdown(p, o, st);
  let prev = baseline;
  const rungs: Rung[] = [];
  let stopAt = -1, stopReason: string | null = null;
  const order = o.order ?? RUNGS;
  for (let i = 0; i < order.length; i++) {
    const id = order[i];
    const [f, s] = target(id, prev, p, o, st);
    const limit = amdahl(f, s);
    if (stopAt < 0) {
      // The stop rule looks at every rung still to climb, not just the next one.
      let best = 0;
      const bestFor = (r: RungId) => amdahl(...target(r, prev, p, o, st));
      for (const r of order.slice(i)) best = Math.max(best, bestFor(r));
      if (best < 1 + minGain) {
        stopAt = i;
        stopReason = `no remaining optimization can gain more than ${
          ((best - 1) * 100).toFixed(1)
        } %: the step is ${prev.bound}-bound`;
      }
    }
    st[FLAG[id]] = true;
    const after = breakdown(p, o, st);
    rungs.push({
      id,
      name: RUNG_NAMES[id],
      after,
      speedup: prev.timeS / after.timeS,
      amdahlLimit: limit,
      changed: after.timeS < prev.timeS * (1 - 1e-12),
    });
    prev = after;
  }
  return {
    baseline,
    rungs,
    stopAt: stopAt < 0 ? rungs.length : stopAt,
    stopReason,
    totalSpeedup: baseline.timeS / prev.timeS,
  };
}
