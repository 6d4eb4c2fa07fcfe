/**
 * The scenario and the physics of lab v1-13 (The Tail Latency Trap), all from core/:
 * one continuous-batching replica of Llama-3.1-8B (core/fleet: the analytical replica model
 * `replicaLatency` and the seeded simulation `simulateServer`), the replica count for a P99
 * target (`replicasFor`) and its cost (`planCost`, `gpuHourPrice`).
 *
 * Kept next to the lab so its test can import the same functions the lab grades with.
 *
 * @module
 */
import {
  gpuHourPrice,
  lookupGpu,
  lookupTransformer,
  prepare,
  type Prepared,
  type ReplicaLatency,
  replicaLatency,
  type ReplicaLoad,
  replicasFor,
  type ReplicasResult,
  type ServerSimResult,
  simulateServer,
  usdPerMillionTokens,
} from "../../core/mod.ts";
import type { OptionModel } from "../../cells/mod.ts";

/** The two deployment contexts. */
export type Context = "chat" | "batch";

/** A context's fixed scenario (module constants; sources in the comments). */
export interface Scenario {
  gpuId: string;
  modelId: string;
  /** Prompt tokens per request. */
  prompt: number;
  /** Mean output tokens per request. */
  output: number;
  /** CV of the output length. */
  outputCv: number;
  /** Act I: offered load as a share of the replica's largest stable rate. */
  act1LoadShare: number;
  /** Act II: total traffic, requests/s. */
  act2Qps: number;
  /** Act II: the P99 end-to-end latency target, s. */
  sloP99S: number;
  /** Upper edge of the latency histogram, s (fixed so bars move against a still axis). */
  histMaxS: number;
  /** Who asks, for the stakeholder cards. */
  persona: string;
  role: string;
}

/**
 * Scenario choices. Chat: ShareGPT-like turns (≈ 500-token prompt with history, ≈ 250-token
 * reply, replies vary ±50 %), a 10 s P99 for a whole reply. Batch: document summarisation
 * (2,048-token chunks, 512-token summaries), a 35 s P99 per chunk so the pipeline keeps its hourly window.
 */
export const SCENARIOS: Readonly<Record<Context, Scenario>> = {
  chat: {
    gpuId: "h100-sxm",
    modelId: "llama-3.1-8b",
    prompt: 512,
    output: 256,
    outputCv: 0.5,
    act1LoadShare: 0.8,
    act2Qps: 150,
    sloP99S: 10,
    histMaxS: 40,
    persona: "Dana, Head of Platform",
    role: "Chat API",
  },
  batch: {
    gpuId: "a100-80gb",
    modelId: "llama-3.1-8b",
    prompt: 2048,
    output: 512,
    outputCv: 0.5,
    act1LoadShare: 0.8,
    act2Qps: 12,
    sloP99S: 35,
    histMaxS: 200,
    persona: "Priya, Data Platform lead",
    role: "Document batch pipeline",
  },
};

/**
 * Requests per simulation in the page: 20,000 (after a 5 % warm-up, ≈ 19,000 measured, so the
 * P99 rests on ≈ 190 requests above it) keeps one run near 0.1 s in the page.
 */
export const SIM_REQUESTS = 20_000;
/** The simulation's seed: the same sliders always draw the same histogram. */
export const SIM_SEED = 13;
/** Histogram bins. */
export const SIM_BINS = 40;

/** The prepared model × GPU of a context (one per context, cached). */
const prepared = new Map<Context, Prepared>();
export function preparedFor(context: Context): Prepared {
  let p = prepared.get(context);
  if (!p) {
    const s = SCENARIOS[context];
    p = prepare(lookupTransformer(s.modelId), lookupGpu(s.gpuId));
    prepared.set(context, p);
  }
  return p;
}

/** The workload of a context at `qps` requests/s per replica. */
export function loadAt(context: Context, qps: number): ReplicaLoad {
  const s = SCENARIOS[context];
  return { qps, prompt: s.prompt, output: s.output, outputCv: s.outputCv };
}

/** core's analytical replica at `qps` requests/s. */
export function replicaAt(context: Context, qps: number): ReplicaLatency {
  return replicaLatency(preparedFor(context), loadAt(context, qps));
}

const maxStable = new Map<Context, number>();
/**
 * The largest request rate one replica sustains (the λ where core's replica model turns
 * unstable, ρ → 1), by bisection on `replicaLatency(...).stable` — 60 halvings of a bracket
 * found by doubling. core/fleet has no such function (gap noted in the lab's report).
 */
export function maxStableQps(context: Context): number {
  const cached = maxStable.get(context);
  if (cached !== undefined) return cached;
  let lo = 0, hi = 1;
  while (replicaAt(context, hi).stable) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 60; i++) {
    const m = 0.5 * (lo + hi);
    if (replicaAt(context, m).stable) lo = m;
    else hi = m;
  }
  maxStable.set(context, lo);
  return lo;
}

/** A request alone on the replica (load 10⁻⁶ of the maximum): the unloaded latency. */
export function aloneOf(context: Context): ReplicaLatency {
  return replicaAt(context, maxStableQps(context) * 1e-6);
}

/** The seeded simulation of one replica at `qps` requests/s. */
export function simulate(context: Context, qps: number): ServerSimResult {
  const s = SCENARIOS[context];
  return simulateServer(preparedFor(context), {
    ...loadAt(context, qps),
    requests: SIM_REQUESTS,
    seed: SIM_SEED,
    bins: SIM_BINS,
    e2eHistMaxS: s.histMaxS,
  });
}

// ---- Act I -------------------------------------------------------------------------------------

/** Act I's load: a share of the replica's largest stable rate. */
export function act1Qps(context: Context): number {
  return SCENARIOS[context].act1LoadShare * maxStableQps(context);
}

/** Act I's physics: the simulated P99 end-to-end latency at Act I's load. */
export function act1Answer(context: Context): number {
  return simulate(context, act1Qps(context)).e2e.p99S;
}

/** The M/M/1 tail: `P99 = ln(100) · S₀ / (1 − ρ)`, S₀ the unloaded mean. */
export function mm1P99(s0: number, rho: number): number {
  return rho < 1 ? Math.log(100) * s0 / (1 - rho) : Infinity;
}

/** Act I's four mental models, each applied with core's numbers. */
export function act1Options(context: Context): OptionModel[] {
  const share = SCENARIOS[context].act1LoadShare;
  const s0 = aloneOf(context).e2e.meanS;
  return [
    {
      text: "The tail tracks the average: P99 ≈ the mean latency of a request alone",
      predicted: s0,
      why:
        "A P99 is set by the slowest 1 %: long replies and the batch they share, never the mean.",
    },
    {
      text: "Latency grows linearly with load: P99 ≈ mean alone × (1 + ρ)",
      predicted: s0 * (1 + share),
      why:
        "Neither the batching tax nor the queue is linear; and the spread of reply lengths is missing.",
    },
    {
      text: "One M/M/1 queue: P99 = ln(100) × mean alone ÷ (1 − ρ)",
      predicted: mm1P99(s0, share),
      why:
        "A batching server is not one server: it runs up to hundreds of requests at once, so no request waits for another to finish until its slots are full.",
    },
    {
      text: "A continuous-batching replica: every decode step slows as the batch grows",
      predicted: replicaAt(context, act1Qps(context)).e2e.p99S,
      why:
        "Each step reads the weights once for the whole batch and the KV cache of every sequence: more load, a bigger batch, a slower step for everyone.",
    },
  ];
}

// ---- Act II ------------------------------------------------------------------------------------

/** Act II's physics: core's replica count for the traffic and the P99 target. */
export function act2Plan(context: Context): ReplicasResult {
  const s = SCENARIOS[context];
  return replicasFor(preparedFor(context), {
    ...loadAt(context, s.act2Qps),
    sloP99S: s.sloP99S,
  });
}

/** Act II's four sizing rules, as replica counts. */
export function act2Options(context: Context): OptionModel[] {
  const s = SCENARIOS[context];
  const alone = aloneOf(context);
  const lmax = maxStableQps(context);
  // Little's law with the unloaded latency: L = λ·S₀ requests in flight, `slots` per replica.
  const little = Math.max(1, Math.ceil(s.act2Qps * alone.serviceS / alone.slots));
  const capacity = Math.ceil(s.act2Qps / lmax);
  return [
    {
      text: "Little's law with the latency measured alone: ⌈λ·S₀ ÷ slots per replica⌉",
      predicted: little,
      why:
        "Under load each request holds its slot far longer than S₀ (every step is slower), so L = λW needs the loaded W.",
    },
    {
      text: "Enough replicas to keep up: ⌈λ ÷ the most one replica sustains⌉",
      predicted: capacity,
      why: "At ρ just under 1 the queue is stable but its tail is not: the P99 target is missed.",
    },
    {
      text: "Run every replica at half its capacity: ⌈2λ ÷ the most one replica sustains⌉",
      predicted: Math.ceil(2 * s.act2Qps / lmax),
      why:
        "A rule of thumb, not a plan: headroom is worth what the P99 curve says at that load, and this pays for GPUs the target does not need.",
    },
    {
      text: "Find the highest load per replica whose P99 meets the target, then divide",
      predicted: act2Plan(context).replicas,
      why: "P99 rises with load, so the largest load that meets the target fixes the count.",
    },
  ];
}

/** Act II's physics as a number: the replica count. */
export function act2Answer(context: Context): number {
  return act2Plan(context).replicas;
}

/** The cost of `replicas` one-GPU replicas at the context's default $/GPU-hour (core/fleet/cost.ts). */
export function costOf(
  context: Context,
  replicas: number,
  qps: number,
): { usdPerHour: number; usdPerMillionTokens: number; usdPerGpuHour: number } {
  const s = SCENARIOS[context];
  const price = gpuHourPrice(s.gpuId).usdPerGpuHour;
  return {
    usdPerGpuHour: price,
    usdPerHour: replicas * price,
    usdPerMillionTokens: usdPerMillionTokens(price, replicas, qps * s.output),
  };
}
