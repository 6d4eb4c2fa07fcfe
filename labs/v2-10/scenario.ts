/**
 * Lab v2-10's scenario and its prediction options. Every option's number is computed from core/
 * (each option is a mental model a student might hold, applied to the scenario), and which option
 * is correct is the one whose range holds the calculator's answer — never typed in.
 */
import type { OptionModel } from "../../cells/acts/mod.ts";
import {
  kvWall,
  type KvWallResult,
  lookupTransformer,
  servingConfig,
  type ServingConfigResult,
  type ServingMode,
  type TransformerSpec,
} from "../../core/mod.ts";

/** The course's serving targets (seed lab v2-10, from the book's inference chapter). */
export const SLO_TTFT_S = 0.2;
/** Minimum throughput for the overnight document pipeline, tokens/s (seed lab v2-10). */
export const TPUT_TARGET = 1000;

/** The stakeholders' cluster: one tensor-parallel replica of Llama-3.1-70B on 8× H100 SXM. */
export const SCENARIO = {
  model: "llama-3.1-70b",
  gpu: "h100-sxm",
  gpus: 8,
  /** Context per user in each deployment context (seed: 4,096 chat / 8,192 documents). */
  tokens: { latency: 4096, throughput: 8192 },
  /** Peak arrivals at the real-time assistant, requests/s (our choice: a busy product API). */
  arrivalsPerS: 4,
  /** Overnight documents: 4,096 tokens each (seed); the queue keeps the replica 95 % busy. */
  documentTokens: 4096,
  backlogLoad: 0.95,
} as const;

/** The calculator's models: GQA (Llama-3.1) next to MHA (Llama-2, GPT-3) of similar sizes. */
export const MODELS = ["llama-3.1-8b", "llama-2-7b", "llama-2-13b", "llama-3.1-70b", "gpt-3-175b"];
/** The calculator's clusters, as `gpu:count`. */
export const CLUSTERS = ["h100-sxm:1", "h100-sxm:8", "h200:8", "mi300x:8"];

/** A deployment context of the lab. */
export type Context = "latency" | "throughput";

/** The scenario's calculator answer (vLLM-style accounting, GQA-exact KV). */
export function act1Actual(context: Context): KvWallResult {
  return kvWall({ ...SCENARIO, seqLen: SCENARIO.tokens[context] });
}

/**
 * Act I's four options, each a mental model applied to the scenario with core's numbers: every
 * query head caches K and V (the seed's 64-head arithmetic, 8× too much); a 2×-weights activation
 * reserve (the seed script's rule); the real GQA cache under vLLM's budget; and a cache that holds
 * only keys (half the bytes). The framework letters them and computes which is correct.
 */
export function act1Options(context: Context): OptionModel[] {
  const seqLen = SCENARIO.tokens[context];
  const spec = lookupTransformer(SCENARIO.model);
  const real = kvWall({ ...SCENARIO, seqLen });
  const mha: TransformerSpec = { ...spec, kvHeads: spec.heads };
  return [
    {
      predicted: kvWall({ ...SCENARIO, model: mha, seqLen }).maxUsers,
      text: `every one of the ${spec.heads} query heads keeps its own key and value`,
      why:
        `Every query head caching its own key and value is the multi-head (MHA) formula the original lab used. Llama-3.1-70B uses grouped-query attention: ${spec.heads} query heads share ${spec.kvHeads} key/value heads, so it caches ${
          spec.heads / spec.kvHeads
        }× less.`,
    },
    {
      predicted: kvWall({ ...SCENARIO, seqLen, accounting: "seed" }).maxUsers,
      text: "activations need twice the weights, so the cache gets what is left",
      why:
        "A 2×-weights activation reserve is a rule of thumb from the course's analysis script. A serving engine profiles the real peak instead (vLLM: about one forward pass of a full token budget), which is far smaller for a 70B model.",
    },
    {
      predicted: real.maxUsers,
      text:
        `each user's cache is ${spec.layers} layers × ${spec.kvHeads} KV heads of keys and values`,
      why:
        "Every token keeps one key and one value per KV head per layer, and the engine budgets memory the way vLLM does: this is the calculator's model.",
    },
    {
      predicted: Math.floor(real.availableBytes / (real.kvPerUserBytes / 2)),
      text: "attention caches the keys; values are recomputed from them",
      why:
        "Values are not recomputed: each layer stores both the key and the value of every token (the factor 2 in the formula), so a keys-only budget fits twice the users it should.",
    },
  ];
}

/** A serving configuration the student (or an option) chooses. */
export interface ServeChoice {
  mode: ServingMode;
  maxBatch: number;
  maxSeqLen: number;
}

/** Config A serves the chat API at a fixed arrival rate: its P99 TTFT is what the SLO checks. */
export function latencyConfig(c: ServeChoice, arrivalsPerS: number): ServingConfigResult {
  return servingConfig({ ...SCENARIO, ...c, arrivalRatePerS: arrivalsPerS });
}

/** Config B drains the document backlog: the queue keeps it `backlogLoad` busy. */
export function throughputConfig(c: ServeChoice): ServingConfigResult {
  return servingConfig({ ...SCENARIO, ...c, load: SCENARIO.backlogLoad });
}

/** Whether a latency config meets its SLO (and fits in memory). */
export function meetsLatency(r: ServingConfigResult): boolean {
  return !r.oom && r.ttftP99S <= SLO_TTFT_S;
}

/** Whether a throughput config meets its target, fits, and holds whole documents. */
export function meetsThroughput(r: ServingConfigResult, c: ServeChoice): boolean {
  return !r.oom && r.throughputTokensPerS >= TPUT_TARGET && c.maxSeqLen >= SCENARIO.documentTokens;
}

/** One Act II plan: a pair of configurations, evaluated on the scenario. */
export interface Act2Plan {
  text: string;
  latency: ServeChoice;
  throughput: ServeChoice;
  latencyResult: ServingConfigResult;
  throughputResult: ServingConfigResult;
  meetsBoth: boolean;
}

const PAIRS: Array<[string, ServeChoice, ServeChoice]> = [
  [
    "One configuration for both: continuous batching, batch 32, 2,048-token requests",
    { mode: "continuous", maxBatch: 32, maxSeqLen: 2048 },
    { mode: "continuous", maxBatch: 32, maxSeqLen: 2048 },
  ],
  [
    "Latency: continuous, batch 16, 512-token cap · Throughput: continuous, batch 128, 4,096 tokens",
    { mode: "continuous", maxBatch: 16, maxSeqLen: 512 },
    { mode: "continuous", maxBatch: 128, maxSeqLen: 4096 },
  ],
  [
    "Latency: no batching (batch 1) · Throughput: static batching, batch 128, 4,096 tokens",
    { mode: "continuous", maxBatch: 1, maxSeqLen: 512 },
    { mode: "static", maxBatch: 128, maxSeqLen: 4096 },
  ],
  [
    "Both identical to keep operations simple: static batching, batch 16, 1,024 tokens",
    { mode: "static", maxBatch: 16, maxSeqLen: 1024 },
    { mode: "static", maxBatch: 16, maxSeqLen: 1024 },
  ],
];

/** Act II's plans, each evaluated with core's serving solver on the scenario's workloads. */
export function act2Plans(): Act2Plan[] {
  return PAIRS.map(([text, lat, tput]) => {
    const latencyResult = latencyConfig(lat, SCENARIO.arrivalsPerS);
    const throughputResult = throughputConfig(tput);
    return {
      text,
      latency: lat,
      throughput: tput,
      latencyResult,
      throughputResult,
      meetsBoth: meetsLatency(latencyResult) && meetsThroughput(throughputResult, tput),
    };
  });
}

/** The right Act II plan: meets both targets; among several, the most throughput. */
export function act2Best(plans: readonly Act2Plan[]): Act2Plan | null {
  const ok = plans.filter((o) => o.meetsBoth);
  if (!ok.length) return null;
  return ok.reduce((a, b) =>
    b.throughputResult.throughputTokensPerS > a.throughputResult.throughputTokensPerS ? b : a
  );
}
