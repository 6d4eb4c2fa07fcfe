/**
 * The scenario and the physics of lab v2-09 (The Optimization Trap), all from core/fleet's
 * optimization ladder: one step of an eager (unoptimized) implementation, its time split into
 * compute, memory, communication and launch overhead (`optimizationLadder`), the speed-up of each
 * rung alone and in any order, and the Amdahl stop rule over the rungs left (`nextRungs`).
 *
 * Kept next to the lab so its test can import the same functions the lab grades with.
 *
 * @module
 */
import {
  type Breakdown,
  EAGER_LAUNCH_S,
  formatNumber,
  type Ladder,
  type LadderInput,
  lookupGpu,
  lookupTransformer,
  type NextRungs,
  nextRungs,
  optimizationLadder,
  prepare,
  type Prepared,
  type RungId,
  RUNGS,
} from "../../core/mod.ts";
import type { OptionModel } from "../../cells/mod.ts";

/** The two deployment contexts. */
export type Context = "chat" | "longdoc";

/** A context's fixed scenario (module constants; sources in the comments). */
export interface Scenario {
  gpuId: string;
  modelId: string;
  /** GPUs per replica (tensor parallel). */
  tp: number;
  phase: "decode" | "prefill";
  /** Act I's default workload: decode batch, or prefill prompt tokens. */
  workload: number;
  /** The other workload number: decode context, or prefill batch. */
  fixed: number;
  /** Act I's workload slider steps. */
  workloadSteps: readonly number[];
  /** Act II: the step-time target, s. */
  targetS: number;
  persona: string;
  role: string;
}

/**
 * Scenario choices. Chat: one user's reply from an eager PyTorch port of Llama-3.1-8B on one
 * H100 (batch 1, a 1,024-token context); the product wants 200 tokens/s per user, a 5 ms step.
 * Long documents: a 32,768-token contract prefilled by Llama-3.1-70B on 8 H100s (tensor parallel
 * 8); the product wants the first token within 0.6 s.
 */
export const SCENARIOS: Readonly<Record<Context, Scenario>> = {
  chat: {
    gpuId: "h100-sxm",
    modelId: "llama-3.1-8b",
    tp: 1,
    phase: "decode",
    workload: 1,
    fixed: 1024,
    workloadSteps: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    targetS: 5e-3,
    persona: "Maya, inference lead",
    role: "Chat assistant",
  },
  longdoc: {
    gpuId: "h100-sxm",
    modelId: "llama-3.1-70b",
    tp: 8,
    phase: "prefill",
    workload: 32768,
    fixed: 1,
    workloadSteps: [1024, 2048, 4096, 8192, 16384, 32768, 65536],
    targetS: 0.6,
    persona: "Tomás, document-AI lead",
    role: "Contract review",
  },
};

/** The prepared model × GPU of a context (one per context, cached). */
const prepared = new Map<Context, Prepared>();
export function preparedFor(context: Context): Prepared {
  let p = prepared.get(context);
  if (!p) {
    const s = SCENARIOS[context];
    p = prepare(lookupTransformer(s.modelId), lookupGpu(s.gpuId), s.tp);
    prepared.set(context, p);
  }
  return p;
}

/** The ladder's workload of a context at `workload` (decode batch or prompt tokens). */
export function workloadOf(context: Context, workload: number): Omit<LadderInput, "order"> {
  const s = SCENARIOS[context];
  return s.phase === "decode"
    ? { phase: "decode", batch: workload, tokens: s.fixed }
    : { phase: "prefill", batch: s.fixed, tokens: workload };
}

/** Climb `order` from the eager step at `workload` (default: the scenario's). */
export function climb(
  context: Context,
  order: readonly RungId[],
  workload = SCENARIOS[context].workload,
): Ladder {
  return optimizationLadder(preparedFor(context), { ...workloadOf(context, workload), order });
}

/** The eager step's breakdown. */
export function eagerStep(context: Context, workload = SCENARIOS[context].workload): Breakdown {
  return climb(context, [], workload).baseline;
}

/** The step after climbing `order` (the eager step when it is empty). */
export function stepAfter(
  context: Context,
  order: readonly RungId[],
  workload = SCENARIOS[context].workload,
): Breakdown {
  const l = climb(context, order, workload);
  return l.rungs.length ? l.rungs[l.rungs.length - 1].after : l.baseline;
}

/** Each rung's speed-up applied alone to the eager step, and its Amdahl bound there. */
export function singleRungs(
  context: Context,
  workload = SCENARIOS[context].workload,
): { id: RungId; speedup: number; amdahlLimit: number }[] {
  return RUNGS.map((id) => {
    const r = climb(context, [id], workload).rungs[0];
    return { id, speedup: r.speedup, amdahlLimit: r.amdahlLimit };
  });
}

/** The rungs left after `order`, and the stop rule over them (core/fleet/ladder_next.ts). */
export function leftAfter(context: Context, order: readonly RungId[]): NextRungs {
  const s = SCENARIOS[context];
  return nextRungs(preparedFor(context), workloadOf(context, s.workload), order);
}

// ---- Act I -------------------------------------------------------------------------------------

/** The four rungs Act I asks about: one per bound (kernel fusion, which cuts two, is Act II's). */
export const ACT1_RUNGS: readonly RungId[] = [
  "fp8",
  "flash-attention",
  "cuda-graphs",
  "comm-overlap",
];

/** Act I's physics: the rung among {@link ACT1_RUNGS} with the largest speed-up alone. */
export function act1Best(context: Context): RungId {
  const s = singleRungs(context).filter((r) => ACT1_RUNGS.includes(r.id));
  return s.reduce((a, b) => b.speedup > a.speedup ? b : a).id;
}

/** The mental model behind each of Act I's options. */
const ACT1_TEXT: Record<string, { text: string; why: string }> = {
  "fp8": {
    text:
      "FP8: the step is matrix multiplies; FP8 doubles the tensor-core peak and halves the weight bytes",
    why:
      "FP8 speeds up only the kernels' own time, compute or weight reads, and only the part of it on the critical path.",
  },
  "flash-attention": {
    text:
      "FlashAttention: the step is memory-bound on attention scores; fused attention keeps them on chip",
    why:
      "Unfused attention writes and re-reads every score through HBM: that costs with the square of the prompt, and is negligible for one decoded token.",
  },
  "cuda-graphs": {
    text:
      "CUDA graphs: the GPU waits on the CPU launching hundreds of small kernels; replay them as one graph",
    why: `Eager PyTorch launches every kernel from Python, ≈ ${
      formatNumber(EAGER_LAUNCH_S * 1e6, 0)
    } µs each (fitted to gpt-fast's eager measurement); when the kernels are shorter than that, the GPU idles between them.`,
  },
  "comm-overlap": {
    text:
      "Communication overlap: the GPUs wait on their all-reduces; run them under the next layer's compute",
    why:
      "Overlap hides the all-reduces of tensor parallelism under the kernels, at best the smaller of the two.",
  },
};

/** What the communication option's reveal adds on one GPU. */
const ONE_GPU = " On one GPU there are no all-reduces to hide.";

/** Act I's four options, one per bound; the correct one is {@link act1Best} (computed). */
export function act1Options(context: Context): OptionModel[] {
  const best = act1Best(context);
  const oneGpu = SCENARIOS[context].tp === 1;
  return ACT1_RUNGS.map((id) => ({
    text: ACT1_TEXT[id].text,
    why: ACT1_TEXT[id].why + (id === "comm-overlap" && oneGpu ? ONE_GPU : ""),
    correct: id === best,
  }));
}

// ---- Act II ------------------------------------------------------------------------------------

/** Act II's physics: the speed-up of the whole ladder, every rung climbed. */
export function act2Answer(context: Context): number {
  return climb(context, RUNGS).totalSpeedup;
}

/** Act II's four beliefs about how rungs combine, each applied to core's single-rung gains. */
export function act2Options(context: Context): OptionModel[] {
  const alone = singleRungs(context).map((r) => r.speedup);
  return [
    {
      text: "The gains multiply: the product of each rung's speed-up measured alone",
      predicted: alone.reduce((a, b) => a * b, 1),
      why:
        "A rung's gain alone was measured on the eager step; once another rung has moved the bound, it cuts a different share of a different step.",
    },
    {
      text: "The gains add: one plus the sum of each rung's extra speed (gain − 1) alone",
      predicted: 1 + alone.reduce((a, b) => a + (b - 1), 0),
      why:
        "Adding percentages treats every rung as if it cut the same eager step; the shares change after every rung.",
    },
    {
      text: "Only the best rung counts: after it, the others fix what is already fixed",
      predicted: Math.max(...alone),
      why:
        "Other rungs cut other components: once the biggest one is gone, what was hidden behind it binds, and a rung that did nothing before now pays.",
    },
    {
      text: "Re-diagnose after every rung: each gains its Amdahl share of the step as it is then",
      predicted: act2Answer(context),
      why:
        "Each rung is measured on the step the rungs before it left: that is the ladder, and where the bound moves, the next rung's share moves with it.",
    },
  ];
}

/** The rung choices of Act II's order dropdowns ("none" leaves a step empty). */
export type RungChoice = RungId | "none";

/** The climbed order from the five dropdowns: empty steps dropped. */
export function orderOf(choices: readonly RungChoice[]): RungId[] {
  return choices.filter((c): c is RungId => c !== "none");
}

/** Act II's default plan: the obvious rung first, FP8 ("half the bytes, twice the FLOPs"). */
export const ACT2_DEFAULT: readonly RungChoice[] = ["fp8", "none", "none", "none", "none"];

/** The verdict of an Act II plan. */
export interface PlanVerdict {
  ladder: Ladder;
  final: Breakdown;
  /** Time over the target (≤ 1 meets it). */
  overTarget: number;
  met: boolean;
  /** Indexes of climbed rungs that changed nothing on the critical path (or repeated one). */
  idle: number[];
  /** Indexes of rungs climbed after the stop rule (over every rung not yet climbed) fired. */
  pastStop: number[];
  /** Indexes of rungs that gained less than `minGain` (wasted sprints; includes the two above). */
  wasted: number[];
  /** The stop rule after the whole plan. */
  left: NextRungs;
}

/** The plan's ladder, whether it meets the target, and which rungs were wasted. */
export function planVerdict(
  context: Context,
  order: readonly RungId[],
  minGain = 0.05,
): PlanVerdict {
  const ladder = climb(context, order);
  const final = ladder.rungs.length ? ladder.rungs[ladder.rungs.length - 1].after : ladder.baseline;
  const overTarget = final.timeS / SCENARIOS[context].targetS;
  const idle: number[] = [];
  const pastStop: number[] = [];
  const wasted: number[] = [];
  ladder.rungs.forEach((r, i) => {
    if (!r.changed || order.indexOf(r.id) < i) idle.push(i);
    if (leftAfter(context, order.slice(0, i)).stop) pastStop.push(i);
    if (r.speedup < 1 + minGain) wasted.push(i);
  });
  return {
    ladder,
    final,
    overTarget,
    met: overTarget <= 1,
    idle,
    pastStop,
    wasted,
    left: leftAfter(context, order),
  };
}
