/**
 * The scenario and the physics of lab v1-08 (The Training Gauntlet), all from core/: the
 * per-GPU memory stack of full fine-tuning (`trainingMemory`: model states by dtype, activations
 * kept for backward by recomputation policy, fp32 logits) against the memory the runtime sees,
 * and the time of one optimizer step with gradient accumulation (`singleGpuStep`).
 *
 * Kept next to the lab so its test can import the same functions the lab grades with.
 *
 * @module
 */
import {
  bytesPerElement,
  lookupGpu,
  lookupTransformer,
  paramCounts,
  type Precision,
} from "../../core/mod.ts";
import {
  type Recompute,
  singleGpuStep,
  type SingleGpuStepResult,
  type StateDtypes,
  trainingMemory,
} from "../../core/training/mod.ts";
import type { OptionModel } from "../../cells/mod.ts";

/** The two deployment contexts. */
export type Context = "cloud" | "workstation";

/** A context's fixed scenario (module constants; sources in the comments). */
export interface Scenario {
  gpuId: string;
  modelId: string;
  /** Tokens per training sequence. */
  seq: number;
  /** Act I: sequences per micro-batch in the run that failed. */
  act1MicroBatch: number;
  /** Sequences per optimizer step the recipe asks for (the effective batch). */
  effectiveBatch: number;
  persona: string;
  role: string;
}

/**
 * Scenario choices. Cloud: full fine-tuning of Llama-2-7B on one H100 SXM, 2,048-token
 * sequences, an effective batch of 64 sequences (131k tokens per step, the size of common
 * instruction-tuning recipes). Workstation: Llama-3.2-1B on one 24 GB L4, 2,048-token
 * sequences, an effective batch of 32. Both start at micro-batch 4.
 */
export const SCENARIOS: Readonly<Record<Context, Scenario>> = {
  cloud: {
    gpuId: "h100-sxm",
    modelId: "llama-2-7b",
    seq: 2048,
    act1MicroBatch: 4,
    effectiveBatch: 64,
    persona: "Ravi, ML engineer",
    role: "Fine-tuning team",
  },
  workstation: {
    gpuId: "l4",
    modelId: "llama-3.2-1b",
    seq: 2048,
    act1MicroBatch: 4,
    effectiveBatch: 32,
    persona: "Mei, graduate student",
    role: "University lab",
  },
};

/** Precision and optimizer setups a student can pick. */
export type Setup = "mixed" | "fp32" | "adam8bit";

/** A setup's state dtypes and the precision its GEMMs and activations run in. */
export interface SetupSpec {
  label: string;
  short: string;
  dtypes: StateDtypes;
  compute: Precision;
}

/**
 * Mixed precision is ZeRO's 16-byte convention with bf16 working weights (Rajbhandari et al.
 * Fig. 1, K = 12); fp32 is plain fp32 AdamW (no master copy); 8-bit AdamW keeps the fp32
 * master weights and 1-byte moments (bitsandbytes; the 10-byte row of reference/training.md
 * §1.1).
 */
export const SETUPS: Readonly<Record<Setup, SetupSpec>> = {
  mixed: {
    label: "bf16 mixed precision, AdamW (fp32 master + moments)",
    short: "bf16 mixed · AdamW",
    dtypes: { params: "bf16", grads: "bf16", master: "fp32", optimizer: "adamw" },
    compute: "bf16",
  },
  fp32: {
    label: "fp32 throughout, AdamW",
    short: "fp32 · AdamW",
    dtypes: { params: "fp32", grads: "fp32", master: "none", optimizer: "adamw" },
    compute: "fp32",
  },
  adam8bit: {
    label: "bf16 mixed precision, 8-bit AdamW (fp32 master, 1-byte moments)",
    short: "bf16 mixed · 8-bit AdamW",
    dtypes: { params: "bf16", grads: "bf16", master: "fp32", optimizer: "adam-8bit" },
    compute: "bf16",
  },
};

/** Human names of the recomputation policies. */
export const RECOMPUTE_LABEL: Readonly<Record<Recompute, string>> = {
  none: "none (eager attention keeps the s×s scores)",
  selective: "selective (attention scores recomputed, as FlashAttention does)",
  full: "full (keep each layer's input, re-run its forward)",
};

/** One training design on one GPU. */
export interface Design {
  setup: Setup;
  recompute: Recompute;
  microBatch: number;
}

/** The stack's components, bottom to top. */
export const COMPONENTS = [
  "Weights",
  "Gradients",
  "fp32 master weights",
  "Optimizer moments",
  "Activations",
  "Logits (fp32)",
  "Headroom (guess)",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** The per-GPU memory of a design, in bytes. */
export interface Stack {
  parts: Record<Component, number>;
  /** Weights + gradients + master + moments. */
  states: number;
  /** Activations + logits. */
  activations: number;
  total: number;
  /** What the runtime can allocate on the GPU. */
  usable: number;
  fits: boolean;
  /** How far over the usable memory (0 when it fits). */
  oomBy: number;
  /** How much is left (0 when it does not fit). */
  headroom: number;
}

/** The model's parameter count (all trained: full fine-tuning). */
export function paramsOf(context: Context): number {
  return paramCounts(lookupTransformer(SCENARIOS[context].modelId)).total;
}

/** The memory the runtime sees on the context's GPU. */
export function usableOf(context: Context): number {
  return lookupGpu(SCENARIOS[context].gpuId).runtimeMemoryBytes;
}

/**
 * The memory stack of `design` in `context`: core's `trainingMemory` on one GPU (no sharding),
 * at the context's effective batch; activations and logits split for the chart.
 */
export function stackOf(context: Context, design: Design, seq = SCENARIOS[context].seq): Stack {
  const s = SCENARIOS[context], spec = SETUPS[design.setup];
  const r = trainingMemory({
    model: s.modelId,
    gpu: s.gpuId,
    seq,
    microBatch: design.microBatch,
    gradAccum: accumulationOf(context, design.microBatch),
    recompute: design.recompute,
    convention: spec.dtypes,
    activationBytes: bytesPerElement(spec.compute),
  });
  const parts: Record<Component, number> = {
    "Weights": r.parts.weights,
    "Gradients": r.parts.gradients,
    "fp32 master weights": r.parts.master,
    "Optimizer moments": r.parts.optimizer,
    "Activations": r.activation.layers,
    "Logits (fp32)": r.activation.logits,
    "Headroom (guess)": 0,
  };
  return {
    parts,
    states: r.modelStates,
    activations: r.parts.activations,
    total: r.total,
    usable: r.capacity,
    fits: r.fits,
    oomBy: r.oomBy,
    headroom: r.headroom,
  };
}

/** The time of one optimizer step of `design` at the context's effective batch. */
export function stepOf(context: Context, design: Design): SingleGpuStepResult {
  const s = SCENARIOS[context], spec = SETUPS[design.setup];
  return singleGpuStep({
    model: s.modelId,
    gpu: s.gpuId,
    seq: s.seq,
    microBatch: design.microBatch,
    accumulation: accumulationOf(context, design.microBatch),
    recompute: design.recompute,
    convention: spec.dtypes,
    compute: spec.compute,
  });
}

/** Micro-batches per optimizer step that keep the effective batch: B_eff ÷ b. */
export function accumulationOf(context: Context, microBatch: number): number {
  return Math.max(1, Math.round(SCENARIOS[context].effectiveBatch / microBatch));
}

/** Micro-batch sizes that divide the context's effective batch (the Act II slider's steps). */
export function microBatchSteps(context: Context): number[] {
  const e = SCENARIOS[context].effectiveBatch;
  const out: number[] = [];
  for (let b = 1; b <= e; b *= 2) if (e % b === 0) out.push(b);
  return out;
}

// ---- Act I -------------------------------------------------------------------------------------

/** The run that failed: bf16 mixed AdamW, selective recomputation, the scenario's micro-batch. */
export function act1Design(context: Context): Design {
  return { setup: "mixed", recompute: "selective", microBatch: SCENARIOS[context].act1MicroBatch };
}

/** Act I's physics: the peak memory of the failed run, bytes. */
export function act1Answer(context: Context): number {
  return stackOf(context, act1Design(context)).total;
}

/** One bar of Act I's chart: what a mental model counts, by component. */
export interface ModelRow {
  model: string;
  parts: Partial<Record<Component, number>>;
}

/** What each of Act I's four mental models counts for `context` at micro-batch `b`, seq `seq`. */
export function act1Models(
  context: Context,
  microBatch = SCENARIOS[context].act1MicroBatch,
  seq = SCENARIOS[context].seq,
): ModelRow[] {
  const psi = paramsOf(context);
  const bf16 = psi * 2; // the bf16 model the student downloaded
  const full = stackOf(context, { ...act1Design(context), microBatch }, seq);
  const p = full.parts;
  return [
    { model: "Inference sizing", parts: { "Weights": bf16, "Headroom (guess)": bf16 } },
    {
      model: "4 × model size",
      parts: { "Weights": bf16, "Gradients": bf16, "Optimizer moments": 2 * bf16 },
    },
    {
      model: "16 B/param only",
      parts: {
        "Weights": p["Weights"],
        "Gradients": p["Gradients"],
        "fp32 master weights": p["fp32 master weights"],
        "Optimizer moments": p["Optimizer moments"],
      },
    },
    { model: "Full stack", parts: { ...p } },
  ];
}

/** The total a mental model counts. */
export const rowTotal = (r: ModelRow): number =>
  Object.values(r.parts).reduce((a, b) => a + (b ?? 0), 0);

/** Act I's four mental models, each applied with core's numbers. */
export function act1Options(context: Context): OptionModel[] {
  const [inference, four, states, full] = act1Models(context).map(rowTotal);
  const b = SCENARIOS[context].act1MicroBatch;
  return [
    {
      text: "Size it like inference: the bf16 weights, doubled for headroom",
      predicted: inference,
      why:
        "Inference keeps only the weights (and a KV cache). Training also keeps a gradient per weight, an fp32 master copy and two optimizer moments, and every activation backward will need.",
    },
    {
      text: "The 4× rule: weights, gradients and two Adam moments, each the size of the bf16 model",
      predicted: four,
      why:
        "This is HF accelerate's 'training with Adam' estimate. In mixed precision the master weights and both moments are fp32 (4 bytes, not 2): it misses half the model states, and all the activations.",
    },
    {
      text:
        "16 bytes per parameter: bf16 weights and gradients, fp32 master weights, two fp32 moments",
      predicted: states,
      why:
        "The model states are right (ZeRO's 2 + 2 + 12), but backward also needs what the forward pass computed: the activations of every layer for every sequence in flight, and the fp32 logits.",
    },
    {
      text:
        `16 bytes per parameter, plus the activations and fp32 logits of ${b} sequences kept for backward`,
      predicted: full,
      why:
        "Backward needs each layer's inputs and intermediates; with selective recomputation that is 34·s·b·h bytes per layer (Korthikanti et al. 2022), plus 4·s·b·V bytes of fp32 logits for the loss.",
    },
  ];
}

// ---- Act II ------------------------------------------------------------------------------------

/** A plan of Act II's prediction: a design and why someone would try it. */
export interface Plan {
  text: string;
  design: Design;
  why: string;
}

/** Act II's four plans per context: each a real way to cut memory, at the effective batch. */
export function act2Plans(context: Context): Plan[] {
  const e = SCENARIOS[context].effectiveBatch;
  const b0 = SCENARIOS[context].act1MicroBatch;
  const k = (b: number) => `${b} × ${e / b}`;
  if (context === "cloud") {
    return [
      {
        text: `Keep AdamW; micro-batch ${k(1)} accumulation steps, selective recomputation`,
        design: { setup: "mixed", recompute: "selective", microBatch: 1 },
        why:
          "Accumulation shrinks only the activations. Here the model states alone, 16 bytes per parameter, exceed the GPU.",
      },
      {
        text: `Keep AdamW; full recomputation, micro-batch ${k(8)}`,
        design: { setup: "mixed", recompute: "full", microBatch: 8 },
        why:
          "Recomputation shrinks only the activations, and pays a third more FLOPs for it; the model states still do not fit.",
      },
      {
        text: `8-bit AdamW; micro-batch ${k(1)}, selective recomputation`,
        design: { setup: "adam8bit", recompute: "selective", microBatch: 1 },
        why:
          "1-byte moments take 6 bytes per parameter off the states; one sequence per micro-batch with selective recomputation then fits, and accumulation keeps the effective batch at no extra FLOPs.",
      },
      {
        text: `8-bit AdamW; full recomputation, micro-batch ${k(8)}`,
        design: { setup: "adam8bit", recompute: "full", microBatch: 8 },
        why:
          "It fits, but full recomputation re-runs every layer's forward: about a third more work per step than selective, for memory the plan did not need.",
      },
    ];
  }
  return [
    {
      text: `Keep the failed run's micro-batch ${k(b0)}, selective recomputation`,
      design: { setup: "mixed", recompute: "selective", microBatch: b0 },
      why:
        "The states fit here; the activations of four 2,048-token sequences and their 128k-entry fp32 logits do not.",
    },
    {
      text: `Micro-batch ${k(1)} accumulation steps, selective recomputation`,
      design: { setup: "mixed", recompute: "selective", microBatch: 1 },
      why:
        "Activations scale with the micro-batch, not the effective batch: one sequence at a time fits, and accumulating 32 of them costs no extra FLOPs.",
    },
    {
      text: `Full recomputation, micro-batch ${k(b0)}`,
      design: { setup: "mixed", recompute: "full", microBatch: b0 },
      why:
        "It fits, but it re-runs every layer's forward: about a third more GEMM work per step than selective recomputation at micro-batch 1, which also fits.",
    },
    {
      text: `No recomputation (eager attention), micro-batch ${k(1)}`,
      design: { setup: "mixed", recompute: "none", microBatch: 1 },
      why:
        "Eager attention stores the s×s score and softmax tensors of every head in every layer: 5·a·s/h more bytes per s·b·h than the rest of the layer together, too much even for one sequence.",
    },
  ];
}

/** The plan core grades best: among the plans that fit, the one with the shortest step. */
export function act2Best(context: Context): number {
  const plans = act2Plans(context);
  let best = -1, t = Infinity;
  plans.forEach((p, i) => {
    if (!stackOf(context, p.design).fits) return;
    const s = stepOf(context, p.design).stepTimeS;
    if (s < t) [best, t] = [i, s];
  });
  return best;
}

/** Act II's options: each plan, correct when core grades it best. */
export function act2Options(context: Context): OptionModel[] {
  const best = act2Best(context);
  return act2Plans(context).map((p, i) => ({ text: p.text, why: p.why, correct: i === best }));
}
