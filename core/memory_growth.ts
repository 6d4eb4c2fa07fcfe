/**
 * The report of seed 003 (`memory-growth` analysis script), recomputed with config-exact
 * parameters, GQA-aware KV, decimal GB vs binary GiB labelled, and the max-context table under
 * both vLLM's budget and the seed's own "2 × weights" activation reserve.
 *
 * @module
 */
import { formatBytes, formatCount, formatGB, formatPercent } from "./format.ts";
import { kvBytesPerSequence, kvBytesPerTokenPerLayer } from "./kv.ts";
import { maxContext } from "./memory.ts";
import { paramCounts } from "./params.ts";
import { bytesPerElement } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import type { GpuSpec, ModelSpec, TransformerSpec } from "./types.ts";

/** Sequence lengths of the seed's "Detailed Growth" table. */
export const GROWTH_SEQ_LENS = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768] as const;
/** Batch sizes of the seed's "Batch Size Impact" table. */
export const GROWTH_BATCHES = [1, 2, 4, 8, 16, 32] as const;
/** GPUs of the max-context table (the seed's RTX 4090 24 GB is replaced by the 24 GB L4). */
export const GROWTH_GPUS = ["l4", "a100-40gb", "a100-80gb", "h100-sxm", "h200"] as const;
/** Models of the seed's comparison table (its hypothetical "GPT-4-class" is left out). */
export const GROWTH_MODELS = [
  "llama-2-7b",
  "llama-2-13b",
  "llama-2-70b",
  "llama-3-8b",
  "mistral-7b",
] as const;

/**
 * The seed's parameter formula: `L·(4d² + 2·d·⌊4d/3⌋ + 2d) + V·d` (non-gated MLP of 4/3·d, MHA,
 * tied embedding). Kept to show how far it is from the config-exact count.
 */
export function seedParamFormula(m: TransformerSpec): number {
  const d = m.hidden;
  return m.layers * (4 * d * d + 2 * d * Math.floor(d * 4 / 3) + 2 * d) + 32000 * d;
}

/** One row of the max-context table. */
export interface MaxContextRow {
  gpu: string;
  /** Context limit per sequence, vLLM budget (batch 1 / batch 4). */
  vllmBs1: number;
  vllmBs4: number;
  /** Same with the seed's reserve of 2 × weights on nominal memory. */
  seedBs1: number;
  seedBs4: number;
}

/** The full report. Sizes in bytes. */
export interface MemoryGrowthReport {
  model: string;
  params: number;
  seedFormulaParams: number;
  weightsBytes: number;
  kvBytesPerToken: number;
  kvBytesPerTokenPerLayer: number;
  growth: { seqLen: number; kvBytes: number; totalBytes: number; kvFraction: number }[];
  batchImpact: { batch: number; kvBytes: number; growthBytesPerStep: number }[];
  maxContext: MaxContextRow[];
  comparison: {
    model: string;
    weightsBytes: number;
    kv1k: number;
    kv8k: number;
    kv32k: number;
    maxContextH100: number;
  }[];
}

function ctx(
  model: TransformerSpec,
  gpu: GpuSpec,
  batch: number,
  reserve: "vllm" | "seed",
): number {
  return maxContext({ model, gpu, batch, reserve }).memoryLimitTokens;
}

/** Build the report for `model` (and only `gpu` in the max-context table, if given). */
export function memoryGrowth(
  model: ModelSpec | string,
  gpu?: GpuSpec | string,
): MemoryGrowthReport {
  const m = asTransformer(model);
  const weights = paramCounts(m).total * bytesPerElement("bf16");
  const perTok = kvBytesPerTokenPerLayer(m) * m.layers;
  const gpus = gpu ? [asGpu(gpu)] : GROWTH_GPUS.map((g) => asGpu(g));
  return {
    model: m.id,
    params: paramCounts(m).total,
    seedFormulaParams: seedParamFormula(m),
    weightsBytes: weights,
    kvBytesPerToken: perTok,
    kvBytesPerTokenPerLayer: kvBytesPerTokenPerLayer(m),
    growth: GROWTH_SEQ_LENS.map((s) => {
      const kv = kvBytesPerSequence(m, s);
      return { seqLen: s, kvBytes: kv, totalBytes: kv + weights, kvFraction: kv / (kv + weights) };
    }),
    batchImpact: GROWTH_BATCHES.map((b) => ({
      batch: b,
      kvBytes: b * kvBytesPerSequence(m, 4096),
      growthBytesPerStep: b * perTok,
    })),
    maxContext: gpus.map((g) => ({
      gpu: g.id,
      vllmBs1: ctx(m, g, 1, "vllm"),
      vllmBs4: ctx(m, g, 4, "vllm"),
      seedBs1: ctx(m, g, 1, "seed"),
      seedBs4: ctx(m, g, 4, "seed"),
    })),
    comparison: GROWTH_MODELS.map((id) => {
      const c = asTransformer(id);
      return {
        model: id,
        weightsBytes: paramCounts(c).total * 2,
        kv1k: kvBytesPerSequence(c, 1024),
        kv8k: kvBytesPerSequence(c, 8192),
        kv32k: kvBytesPerSequence(c, 32768),
        maxContextH100: ctx(c, asGpu("h100-sxm"), 1, "vllm"),
      };
    }),
  };
}

function pad(s: string, n: number, left = false): string {
  return left ? s.padEnd(n) : s.padStart(n);
}

function tokens(n: number): string {
  return Number.isFinite(n) ? formatCount(n) : "unbounded";
}

/** Render the report as the seed's plain-text layout. */
export function renderMemoryGrowth(r: MemoryGrowthReport): string {
  const out: string[] = [];
  const rule = "=".repeat(80);
  out.push(rule, `KV-CACHE MEMORY GROWTH ANALYSIS — ${r.model} (BF16 weights, BF16 KV)`, rule);
  out.push("\n--- Model Size Comparison (bf16; GB = 1e9 B) ---\n");
  out.push(
    `${pad("Model", 14, true)} ${pad("Weights", 10)} ${pad("KV@1K", 10)} ${pad("KV@8K", 10)} ` +
      `${pad("KV@32K", 10)} ${pad("MaxCtx(H100)", 13)}`,
  );
  for (const c of r.comparison) {
    out.push(
      `${pad(c.model, 14, true)} ${pad(formatGB(c.weightsBytes), 10)} ${
        pad(formatGB(c.kv1k), 10)
      } ` +
        `${pad(formatGB(c.kv8k), 10)} ${pad(formatGB(c.kv32k), 10)} ${
          pad(tokens(c.maxContextH100), 13)
        }`,
    );
  }
  out.push(
    `\nParameters: ${formatCount(r.params)} (config-exact); the seed's formula gives ` +
      `${formatCount(r.seedFormulaParams)}.`,
  );
  out.push(`\n\n--- Detailed Growth: ${r.model} (batch=1) ---\n`);
  out.push(
    `${pad("Seq Len", 10)} ${pad("KV Cache", 12)} ${pad("Total", 12)} ${pad("KV Fraction", 12)}`,
  );
  for (const g of r.growth) {
    out.push(
      `${pad(formatCount(g.seqLen), 10)} ${pad(formatGB(g.kvBytes), 12)} ${
        pad(formatGB(g.totalBytes), 12)
      } ` +
        `${pad(formatPercent(g.kvFraction), 12)}`,
    );
  }
  out.push(`\n\n--- Batch Size Impact (seq_len=4096) ---\n`);
  out.push(`${pad("Batch", 6)} ${pad("KV Cache", 12)} ${pad("Growth/step", 14)}`);
  for (const b of r.batchImpact) {
    out.push(
      `${pad(String(b.batch), 6)} ${pad(formatGB(b.kvBytes), 12)} ` +
        `${pad(formatBytes(b.growthBytesPerStep, { unit: "MiB", digits: 3 }), 14)}`,
    );
  }
  out.push(`\n\n--- Per-Token Memory Cost ---\n`);
  out.push(
    `  Per token (all layers): ${formatCount(r.kvBytesPerToken)} bytes = ` +
      `${formatBytes(r.kvBytesPerToken, { unit: "KiB", digits: 1 })}`,
  );
  out.push(`  Per token per layer:    ${formatCount(r.kvBytesPerTokenPerLayer)} bytes`);
  out.push(
    `  At 32K context:         ${formatGB(r.kvBytesPerToken * 32768)} ` +
      `(${formatBytes(r.kvBytesPerToken * 32768, { unit: "GiB" })})`,
  );
  out.push(`\n\n--- Maximum Context Lengths by GPU (memory limit, tokens per sequence) ---\n`);
  out.push(
    `${pad("GPU", 12, true)} ${pad("vLLM bs=1", 12)} ${pad("vLLM bs=4", 12)} ` +
      `${pad("seed bs=1", 12)} ${pad("seed bs=4", 12)}`,
  );
  for (const row of r.maxContext) {
    out.push(
      `${pad(row.gpu, 12, true)} ${pad(tokens(row.vllmBs1), 12)} ${pad(tokens(row.vllmBs4), 12)} ` +
        `${pad(tokens(row.seedBs1), 12)} ${pad(tokens(row.seedBs4), 12)}`,
    );
  }
  out.push(
    "\nvLLM = runtime memory × 0.90 − weights − activation peak − non-torch; seed = nominal " +
      "memory − 3 × weights.",
  );
  out.push("\n" + rule);
  return out.join("\n");
}
