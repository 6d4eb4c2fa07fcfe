/**
 * The scenario and the physics of lab v2-05 (The Parallelism Puzzle), all from core/training:
 * one training step of a DP × TP × PP job (`trainStep`: GEMMs, elementwise work, tensor-parallel
 * all-reduces, the 1F1B bubble, point-to-point, the data-parallel collective, the optimizer) and
 * its per-GPU memory stack (`trainingMemory`: weights, gradients, master, optimizer,
 * activations against the GPU's runtime memory).
 *
 * Kept next to the lab so its test can import the same functions the lab grades with.
 *
 * @module
 */
import {
  bubbleRatio,
  lookupCluster,
  ParallelConfigError,
  type Recompute,
  type TrainingMemory,
  trainingMemory,
  trainStep,
  type TrainStepResult,
  type ZeroStage,
} from "../../core/training/mod.ts";
import { lookupGpu, lookupTransformer, paramCounts } from "../../core/mod.ts";
import { PTDP_VS_ZERO3 } from "../../core/data/training-rows.ts";
import { FABRICS } from "../../core/data/clusters.ts";
import type { OptionModel } from "../../cells/mod.ts";

/** The two deployment contexts. */
export type Context = "selene" | "h100";

/** A parallel layout chosen by the student (DP follows from the GPU count). */
export interface Layout {
  tp: number;
  pp: number;
  microBatch: number;
  zeroStage: ZeroStage;
  recompute: Recompute;
  /** Interleaved chunks per GPU (default 1). */
  vpp?: number;
}

/** One of Act II's four candidate layouts, with the belief behind it. */
export interface Candidate {
  text: string;
  why: string;
  layout: Layout;
}

/** A context's fixed scenario (module constants; sources in the comments). */
export interface Scenario {
  modelId: string;
  clusterId: string;
  /** GPUs in the job. */
  gpus: number;
  /** Sequences per step at full batch. */
  globalBatch: number;
  seq: number;
  /** Act I: the layout whose batch ramps up, and the ramp's starting global batch. */
  act1: { tp: number; pp: number; rampBatch: number };
  /** Act I's microbatch slider (multiples of pp, so interleaving is legal) and interleave steps. */
  mSteps: readonly number[];
  vppSteps: readonly number[];
  /** Act II's pipeline-depth slider. */
  ppSteps: readonly number[];
  candidates: readonly Candidate[];
  persona: string;
  role: string;
}

/** Every layout of the candidates and the default design: distributed optimizer, SP + selective. */
const MEGATRON = { microBatch: 1, zeroStage: 1, recompute: "selective" } as const;

/**
 * Scenario choices. Selene: GPT-3 175B (Korthikanti's 96-layer shape) on 768 A100s (96 DGX A100
 * nodes) at global batch 1536, the setting of Narayanan et al. 2021 Table 2 (rows B2 and B8);
 * Act I's layout is B8's TP 8 × PP 12. H100: the 39.1B model of Narayanan Table 1 (row A5, global
 * batch 1536) on 256 H100s (32 DGX H100 nodes). Sequence length 2048 in both (the rows').
 */
export const SCENARIOS: Readonly<Record<Context, Scenario>> = {
  selene: {
    modelId: "megatron-gpt-175b",
    clusterId: "dgx-a100",
    gpus: 768,
    globalBatch: 1536,
    seq: 2048,
    act1: { tp: 8, pp: 12, rampBatch: 96 },
    mSteps: [12, 24, 48, 96, 192],
    vppSteps: [1, 2, 4, 8],
    ppSteps: [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64, 96],
    candidates: [
      {
        text: "Megatron's layout for this model: TP 8 inside each node, PP 8, DP 12",
        why:
          "Tensor parallelism stays on NVLink; eight stages split the model's states eight ways and still leave 128 microbatches per pipeline, a bubble of 7/128; data parallelism takes the rest.",
        layout: { tp: 8, pp: 8, ...MEGATRON },
      },
      {
        text: "Data parallel first: TP 8 × DP 96, no pipeline, so no bubble",
        why:
          "With no pipeline every GPU holds all 96 layers' activations and 1/8 of the model's states: it does not fit.",
        layout: { tp: 8, pp: 1, ...MEGATRON },
      },
      {
        text: "Pipeline instead of tensor parallelism: PP 96 × DP 8, one layer per GPU",
        why:
          "No per-layer all-reduce, but the first stage holds 96 microbatches in flight of a whole un-split layer each, and the model's states are split only 96 ways.",
        layout: { tp: 1, pp: 96, ...MEGATRON },
      },
      {
        text: "Model parallel only: TP 8 × PP 96, DP 1, no gradient all-reduce at all",
        why:
          "It fits easily, but one layer per stage leaves tiny GEMMs per GPU between many point-to-point hops, and the distributed optimizer has nothing to shard over.",
        layout: { tp: 8, pp: 96, ...MEGATRON },
      },
    ],
    persona: "Mo, training lead",
    role: "GPT-3 175B pre-training · 96 DGX A100 nodes",
  },
  h100: {
    modelId: "megatron-gpt-39.1b",
    clusterId: "dgx-h100",
    gpus: 256,
    globalBatch: 1536,
    seq: 2048,
    act1: { tp: 4, pp: 8, rampBatch: 64 },
    mSteps: [8, 16, 32, 64, 192],
    vppSteps: [1, 2, 3, 6],
    ppSteps: [1, 2, 3, 4, 6, 8, 12, 16, 24, 48],
    candidates: [
      {
        text: "Megatron's rule: TP 8 inside each node, no pipeline (it fits), DP 32",
        why:
          "TP 8 is the rule for the largest models; this one fits with far less, and every layer still pays four all-reduces across 8 GPUs.",
        layout: { tp: 8, pp: 1, ...MEGATRON },
      },
      {
        text: "Data parallel first: DP 256, no model parallelism",
        why:
          "Every GPU would hold the whole model's weights and gradients plus all 48 layers' activations: far beyond one GPU.",
        layout: { tp: 1, pp: 1, ...MEGATRON },
      },
      {
        text: "Narrow TP and a short pipeline: TP 2 × PP 4 × DP 32",
        why:
          "Little model parallelism: two-way all-reduces are cheap, and four stages at 48 microbatches leave a small bubble, 3/48.",
        layout: { tp: 2, pp: 4, ...MEGATRON },
      },
      {
        text: "Model parallel only: TP 8 × PP 16 × DP 2",
        why:
          "Three layers per stage at TP 8 make each GPU's GEMMs small, so communication and overheads take a larger share of every step.",
        layout: { tp: 8, pp: 16, ...MEGATRON },
      },
    ],
    persona: "Ana, research engineer",
    role: "39B pre-training run · 32 DGX H100 nodes",
  },
};

/** Registry objects of a context. */
export function partsOf(context: Context) {
  const s = SCENARIOS[context];
  const model = lookupTransformer(s.modelId);
  const cluster = lookupCluster(s.clusterId);
  const gpu = lookupGpu(cluster.gpu);
  return { model, cluster, gpu, params: paramCounts(model).total };
}

/** Why a layout cannot run at all (before any memory question). */
export type Problem =
  | { kind: "node"; message: string }
  | { kind: "divide"; message: string }
  | { kind: "batch"; message: string }
  | { kind: "other"; message: string };

/** A layout evaluated by core: its step and memory, or the reason it cannot run. */
export type Evaluation =
  | { ok: true; dp: number; step: TrainStepResult; memory: TrainingMemory }
  | { ok: false; dp: number; problem: Problem };

/** The GPU count's divisors that a pipeline depth can take (for the failure banner's hint). */
export function validPp(context: Context, tp: number): number[] {
  const s = SCENARIOS[context];
  return s.ppSteps.filter((p) => s.gpus % (tp * p) === 0);
}

/**
 * core's step and memory for `layout` on the context's GPUs at `globalBatch` (default the
 * context's). DP = GPUs ÷ (TP · PP); a layout that does not multiply to the GPU count, spans
 * nodes with TP, or whose batch does not split into microbatches is reported, not computed.
 */
export function evaluate(context: Context, layout: Layout, globalBatch?: number): Evaluation {
  const s = SCENARIOS[context];
  const { model, cluster } = partsOf(context);
  const dp = s.gpus / (layout.tp * layout.pp);
  if (layout.tp > cluster.gpusPerNode) {
    return {
      ok: false,
      dp,
      problem: {
        kind: "node",
        message: `TP ${layout.tp} spans more than one node of ${cluster.gpusPerNode} GPUs`,
      },
    };
  }
  if (!Number.isInteger(dp)) {
    return {
      ok: false,
      dp,
      problem: {
        kind: "divide",
        message: `TP ${layout.tp} × PP ${layout.pp} = ${
          layout.tp * layout.pp
        } does not divide ${s.gpus} GPUs`,
      },
    };
  }
  const config = {
    model,
    cluster,
    tp: layout.tp,
    pp: layout.pp,
    dp,
    vpp: layout.vpp ?? 1,
    sp: layout.tp > 1,
    seq: s.seq,
    microBatch: layout.microBatch,
    globalBatch: globalBatch ?? s.globalBatch,
    recompute: layout.recompute,
    zeroStage: layout.zeroStage,
  };
  try {
    return { ok: true, dp, step: trainStep(config), memory: trainingMemory(config) };
  } catch (e) {
    if (!(e instanceof ParallelConfigError)) throw e;
    const kind = /global batch/.test(e.message) ? "batch" : "other";
    return { ok: false, dp, problem: { kind, message: e.message } };
  }
}

/** The scale-up and scale-out fabrics of a context's nodes (registry). */
export function fabricsOf(context: Context) {
  const { cluster } = partsOf(context);
  const intra = FABRICS.find((f) => f.id === cluster.intra)!;
  const inter = FABRICS.find((f) => f.id === cluster.inter)!;
  return { intra, inter, perGpuInter: cluster.nicBytesPerS };
}

/** A layout as text: "TP 8 × PP 8 × DP 12". */
export function layoutName(l: Layout, dp: number): string {
  const d = Number.isInteger(dp) ? String(dp) : "—";
  return `TP ${l.tp} × PP ${l.pp} × DP ${d}`;
}

// ---- Act I -------------------------------------------------------------------------------------

/** Act I's layout at `m` microbatches per pipeline and `vpp` chunks (batch = m · b · DP). */
export function act1Layout(context: Context, vpp = 1): Layout {
  const a = SCENARIOS[context].act1;
  return { tp: a.tp, pp: a.pp, vpp, ...MEGATRON };
}

/** Act I's global batch for m microbatches per pipeline. */
export function act1Batch(context: Context, m: number): number {
  const s = SCENARIOS[context];
  const dp = s.gpus / (s.act1.tp * s.act1.pp);
  return m * MEGATRON.microBatch * dp;
}

/** Microbatches per pipeline at the ramp's starting batch. */
export function act1RampM(context: Context): number {
  const s = SCENARIOS[context];
  return s.act1.rampBatch / act1Batch(context, 1);
}

function mustRun(e: Evaluation): { step: TrainStepResult; memory: TrainingMemory; dp: number } {
  if (!e.ok) throw new Error(`scenario layout cannot run: ${e.problem.message}`);
  return e;
}

/** Act I at `m` microbatches and `vpp` chunks: core's step and memory. */
export function act1At(context: Context, m: number, vpp = 1) {
  return mustRun(evaluate(context, act1Layout(context, vpp), act1Batch(context, m)));
}

/** Act I's layout at the context's full batch (no interleaving): the MFU the team knows. */
export function act1Full(context: Context) {
  return mustRun(evaluate(context, act1Layout(context), SCENARIOS[context].globalBatch));
}

/** Act I's physics: core's MFU at the ramp's starting batch. */
export function act1Answer(context: Context): number {
  return act1At(context, act1RampM(context)).step.mfu;
}

/**
 * The beliefs about MFU at a small batch. Each starts from the MFU the team knows (full batch,
 * M microbatches, which already carries its own bubble) and rescales it by the belief's bubble,
 * with core's bubble ratio `(p − 1)/(v·m)` (`bubbleRatio`): MFU(m) = MFU(M) · f(M)/f(m), where
 * f = 1 (linear), 1/(1 + (p − 1)/(p·m)), 1/(1 + (p − 1)/m) or 1 − (p − 1)/m. At m = M every
 * belief gives the known MFU.
 */
export function act1Beliefs(context: Context, m: number) {
  const p = SCENARIOS[context].act1.pp;
  const known = act1Full(context).step;
  const full = known.mfu, M = known.microbatches;
  const subtracted = (k: number) => Math.max(0, 1 - bubbleRatio(p, k));
  return {
    linear: full,
    spread: full * (1 + bubbleRatio(p, p * M)) / (1 + bubbleRatio(p, p * m)),
    bubble: full * (1 + bubbleRatio(p, M)) / (1 + bubbleRatio(p, m)),
    subtract: full * subtracted(m) / subtracted(M),
  };
}

/** Act I's four mental models, each applied with core's numbers. */
export function act1Options(context: Context): OptionModel[] {
  const b = act1Beliefs(context, act1RampM(context));
  return [
    {
      text:
        "Linear scaling: the same MFU as at full batch, since every GPU does the same work per microbatch",
      predicted: b.linear,
      why:
        "The work per microbatch is the same, but a pipeline of p stages needs p − 1 microbatch-times to fill and drain, whatever m is.",
    },
    {
      text: "A bubble of (p − 1)/(p·m): the fill-and-drain time is shared across the p stages",
      predicted: b.spread,
      why:
        "Each stage idles for p − 1 microbatch-times per step, not (p − 1)/p: dividing by p again understates the bubble p-fold (the course's version of this lab does).",
    },
    {
      text:
        "A bubble of (p − 1)/m: every stage idles p − 1 microbatch-times per step of m microbatches",
      predicted: b.bubble,
      why:
        "That is the 1F1B schedule's bubble (Narayanan et al. 2021): the step is (m + p − 1) microbatch-times of which m do work.",
    },
    {
      text: "The bubble is lost from the busy time: MFU scales with 1 − (p − 1)/m",
      predicted: b.subtract,
      why:
        "The bubble adds idle time to the step; it does not remove work from it. Subtracting (p − 1)/m treats idle time as if the busy time shrank.",
    },
  ];
}

/** Act I's MFU curves against microbatches per pipeline (core and the beliefs). */
export function act1Curve(
  context: Context,
  vpp: number,
): { m: number; mfu: number; model: string }[] {
  const p = SCENARIOS[context].act1.pp;
  const rows: { m: number; mfu: number; model: string }[] = [];
  for (let m = p; m <= 16 * p; m += p) {
    const b = act1Beliefs(context, m);
    rows.push({ m, mfu: act1At(context, m, vpp).step.mfu, model: "core (this layout)" });
    rows.push({ m, mfu: b.linear, model: "Linear scaling" });
    rows.push({ m, mfu: b.spread, model: "(p − 1)/(p·m)" });
    rows.push({ m, mfu: b.bubble, model: "(p − 1)/m" });
  }
  return rows;
}

// ---- Act II ------------------------------------------------------------------------------------

/** Act II's four candidates with core's evaluation. */
export function act2Candidates(context: Context): (Candidate & { eval: Evaluation })[] {
  return SCENARIOS[context].candidates.map((c) => ({ ...c, eval: evaluate(context, c.layout) }));
}

/** The fitting candidate with the highest MFU (Act II's physics); OOM never wins. */
export function act2Best(context: Context): number {
  let best = -1, mfu = -Infinity;
  act2Candidates(context).forEach((c, i) => {
    if (c.eval.ok && c.eval.memory.fits && c.eval.step.mfu > mfu) {
      [best, mfu] = [i, c.eval.step.mfu];
    }
  });
  if (best < 0) throw new Error(`${context}: no candidate layout fits`);
  return best;
}

/** Act II's options: the candidates, the best fitting one marked correct (computed). */
export function act2Options(context: Context): OptionModel[] {
  const best = act2Best(context);
  return SCENARIOS[context].candidates.map((c, i) => ({
    text: c.text,
    why: c.why,
    correct: i === best,
  }));
}

/** The design space the frontier draws: TP within a node, every legal PP, b, ZeRO and recompute. */
export const FRONTIER_TP = [1, 2, 4, 8] as const;
export const FRONTIER_MB = [1, 2, 4] as const;
export const ZERO_STAGES: readonly ZeroStage[] = [0, 1, 2, 3];
export const RECOMPUTES: readonly Recompute[] = ["none", "selective", "full"];

/** One legal layout of the frontier. */
export type FrontierPoint = {
  layout: string;
  memGiB: number;
  mfu: number;
  fits: boolean;
  zero: string;
  status: string;
};

const frontiers = new Map<Context, FrontierPoint[]>();

/** Every legal layout of the design space with core's memory and MFU (cached per context). */
export function frontier(context: Context): FrontierPoint[] {
  const cached = frontiers.get(context);
  if (cached) return cached;
  const rows: FrontierPoint[] = [];
  for (const tp of FRONTIER_TP) {
    for (const pp of SCENARIOS[context].ppSteps) {
      for (const microBatch of FRONTIER_MB) {
        for (const zeroStage of ZERO_STAGES) {
          for (const recompute of RECOMPUTES) {
            const l: Layout = { tp, pp, microBatch, zeroStage, recompute };
            const e = evaluate(context, l);
            if (!e.ok) continue;
            rows.push({
              layout: `${
                layoutName(l, e.dp)
              }, b ${microBatch}, ZeRO-${zeroStage}, ${recompute} recompute`,
              memGiB: e.memory.total / 2 ** 30,
              mfu: e.step.mfu,
              fits: e.memory.fits,
              zero: `ZeRO-${zeroStage}`,
              status: e.memory.fits ? "fits" : "OOM",
            });
          }
        }
      }
    }
  }
  frontiers.set(context, rows);
  return rows;
}

/** The best fitting point of the frontier. */
export function frontierBest(context: Context): FrontierPoint {
  return frontier(context).filter((r) => r.fits).reduce((a, b) => (b.mfu > a.mfu ? b : a));
}

/**
 * The measured anchors of the Selene context (Narayanan Table 2): PTD-P TP 8 × PP 12 on 768 A100s
 * (B8) and ZeRO-3 without model parallelism on the same GPUs (B2), TFLOP/s per GPU with full
 * recomputation; with core's prediction of the same row.
 */
export function measuredAnchors() {
  const pick = (row: string) => PTDP_VS_ZERO3.find((r) => r.row === row)!;
  return [pick("B8"), pick("B2")].map((r) => {
    const pred = trainStep({ ...r, overlap: r.zeroStage === 3 ? { dp: 1 } : undefined });
    return {
      row: r.row,
      label: r.zeroStage === 3 ? "ZeRO-3, DP 768" : `PTD-P TP ${r.tp} × PP ${r.pp} × DP ${r.dp}`,
      measuredTflops: r.tflopsPerGpu!,
      coreTflops: pred.hardwareFlopsPerStep / pred.stepTimeS / pred.gpus / 1e12,
    };
  });
}
