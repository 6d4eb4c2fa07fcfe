/**
 * Published pre-training runs: the model (a registry id, config-exact shape), the training
 * sequence length, tokens trained, global batch, hardware, and GPU-hours where the authors
 * published them. Used to check `time-to-train.ts` (implied MFU = FLOPs ÷ (GPU-hours · 3600 ·
 * peak)) and by the labs as deployment contexts. Where a run used several sequence lengths, `seq`
 * is the one most tokens were trained at and `notes` says what else ran.
 *
 * @module
 */

/** One published training run. */
export interface TrainingRun {
  id: string;
  aliases: readonly string[];
  name: string;
  /** Model id in the registry (serving registry or `training-models.ts`). */
  model: string;
  /** Training sequence length (tokens). */
  seq: number;
  /** Pre-training tokens (D). */
  tokens: number;
  /** Global batch in tokens, when published. */
  globalBatchTokens?: number;
  /** Accelerator id in the GPU registry (absent when the GPU is not in it: GPT-3's V100). */
  gpu?: string;
  /** GPUs the run used, when published. */
  gpus?: number;
  /** Published GPU-hours of pre-training. */
  gpuHours?: number;
  /** Published total training FLOPs. */
  flops?: number;
  /** Reported model FLOPs utilisation, when published. */
  mfu?: number;
  notes?: string;
  source: string;
}

const LLAMA2 = "meta-llama/llama MODEL_CARD.md @0e3444bc (Llama 2): context 4k, 2.0T tokens, " +
  "global batch 4M tokens, A100-80GB; GPU hours 7B 184,320 / 13B 368,640 / 70B 1,720,320 " +
  "(the card's total 3,311,616 also counts the unreleased 34B: 3,311,616 − 2,273,280 = " +
  "1,038,336); Touvron et al. 2023 (arXiv:2307.09288) Tables 1–2";
const LLAMA3 = "meta-llama/llama3 MODEL_CARD.md @13e795f9 (Llama 3): context 8k, 15T+ tokens, " +
  "H100-80GB; GPU hours 8B 1.3M / 70B 6.4M (total 7.7M)";
const LLAMA31 = "meta-llama/llama-models models/llama3_1/MODEL_CARD.md @1b28708f (S15): ~15T " +
  "tokens, H100-80GB; GPU hours 8B 1.46M / 70B 7.0M / 405B 30.84M (total 39.3M)";

/** Every published run. */
export const TRAINING_RUNS: readonly TrainingRun[] = [
  {
    id: "gpt-3-175b-run",
    aliases: ["gpt-3-training"],
    name: "GPT-3 175B (OpenAI, 2020)",
    model: "gpt-3-175b",
    seq: 2048,
    tokens: 300e9,
    globalBatchTokens: 3.2e6,
    flops: 3.14e23,
    notes: "V100 cluster (V100 is not in the GPU registry); GPU-hours not published",
    source: "Brown et al. 2020 (arXiv:2005.14165) Table 2.1 (n_ctx 2048, batch 3.2M tokens), " +
      "§2.2 (300B tokens), Table D.1 (3.14E+23 FLOPs = 3.64E+03 PF-days)",
  },
  {
    id: "bloom-176b-run",
    aliases: ["bloom-training", "tr11-176b"],
    name: "BLOOM-176B (BigScience, 2022)",
    model: "bloom-176b",
    seq: 2048,
    tokens: 366e9,
    globalBatchTokens: 2048 * 2048,
    gpu: "a100-80gb",
    gpus: 384,
    gpuHours: 1_082_990,
    notes: "TP 4 × PP 12 × DP 8, ZeRO-1, MBS 2, GBS ramped 16 → 2048 (row H1); 118 days",
    source: "Le Scao et al. 2022 (arXiv:2211.05100) §3.4.1 p. 18 (48 nodes × 8 A100-80GB, " +
      "'consumed 1,082,990 compute hours', 366B tokens); Luccioni et al. 2022 Table 1; " +
      "bigscience tr11-176B-ml README (S17)",
  },
  {
    id: "llama-2-7b-run",
    aliases: ["llama2-7b-training"],
    name: "Llama 2 7B pre-training",
    model: "llama-2-7b",
    seq: 4096,
    tokens: 2.0e12,
    globalBatchTokens: 4e6,
    gpu: "a100-80gb",
    gpuHours: 184_320,
    source: LLAMA2,
  },
  {
    id: "llama-2-13b-run",
    aliases: ["llama2-13b-training"],
    name: "Llama 2 13B pre-training",
    model: "llama-2-13b",
    seq: 4096,
    tokens: 2.0e12,
    globalBatchTokens: 4e6,
    gpu: "a100-80gb",
    gpuHours: 368_640,
    source: LLAMA2,
  },
  {
    id: "llama-2-70b-run",
    aliases: ["llama2-70b-training"],
    name: "Llama 2 70B pre-training",
    model: "llama-2-70b",
    seq: 4096,
    tokens: 2.0e12,
    globalBatchTokens: 4e6,
    gpu: "a100-80gb",
    gpuHours: 1_720_320,
    source: LLAMA2,
  },
  {
    id: "llama-3-8b-run",
    aliases: ["llama3-8b-training"],
    name: "Llama 3 8B pre-training",
    model: "llama-3-8b",
    seq: 8192,
    tokens: 15e12,
    gpu: "h100-sxm",
    gpuHours: 1.3e6,
    notes: "tokens published as '15T+'",
    source: LLAMA3,
  },
  {
    id: "llama-3-70b-run",
    aliases: ["llama3-70b-training"],
    name: "Llama 3 70B pre-training",
    model: "llama-3.1-70b",
    seq: 8192,
    tokens: 15e12,
    gpu: "h100-sxm",
    gpuHours: 6.4e6,
    notes: "Llama 3 70B has Llama 3.1 70B's shape (config.json differs in rope scaling and " +
      "max_position_embeddings 8192 only); tokens '15T+'",
    source: LLAMA3,
  },
  {
    id: "llama-3.1-8b-run",
    aliases: ["llama3.1-8b-training"],
    name: "Llama 3.1 8B pre-training",
    model: "llama-3.1-8b",
    seq: 8192,
    tokens: 15e12,
    gpu: "h100-sxm",
    gpuHours: 1.46e6,
    notes: "tokens '~15T'; GPU-hours include the 128K long-context stage",
    source: LLAMA31,
  },
  {
    id: "llama-3.1-70b-run",
    aliases: ["llama3.1-70b-training"],
    name: "Llama 3.1 70B pre-training",
    model: "llama-3.1-70b",
    seq: 8192,
    tokens: 15e12,
    gpu: "h100-sxm",
    gpuHours: 7.0e6,
    notes: "tokens '~15T'; GPU-hours include the 128K long-context stage",
    source: LLAMA31,
  },
  {
    id: "llama-3.1-405b-run",
    aliases: ["llama3-405b-training", "llama-3-405b-run"],
    name: "Llama 3 405B pre-training (16K H100)",
    model: "llama-3.1-405b",
    seq: 8192,
    tokens: 15.6e12,
    globalBatchTokens: 16e6,
    gpu: "h100-sxm",
    gpus: 16384,
    gpuHours: 30.84e6,
    flops: 3.8e25,
    mfu: 0.41,
    notes: "batch 4M tokens at seq 4096, then 8M at 8192, then 16M; a final long-context stage " +
      "to 128K; MFU 43 % at 8K GPUs, 41 % at 16K (reference/training.md lesson (c))",
    source: "Llama 3 Herd of Models (arXiv:2407.21783, S14) §3.2.1 (3.8e25 FLOPs, 405B on " +
      "15.6T tokens), §3.3 (16K H100), §3.4.1 (batch schedule); " + LLAMA31,
  },
];
