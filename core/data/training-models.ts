/**
 * Training-run models, config-exact: the GPT-style sizes of Narayanan et al. 2021 Table 1 (and
 * Korthikanti et al. 2022's 22B/175B/530B/1T) by heads / hidden / layers, and BLOOM-176B.
 * Megatron's GPT: LayerNorm, biases on every linear, plain GeLU MLP of 4h, learned positions
 * (s = 2048), embeddings tied to the output layer, vocab 51,200 (GPT-2 BPE padded). With these,
 * `paramCounts` gives Narayanan's Eq. 2, P = 12lh²(1 + 13/(12h) + (V + s)/(12lh)) (+ 2h for the
 * final LayerNorm, which Eq. 2 omits). Training configs of Llama-2/3 runs are in
 * `training-runs.ts`; their model shapes are the serving registry's entries.
 *
 * @module
 */
import type { TransformerSpec } from "../types.ts";

type GptShape = { id: string; params: string; heads: number; hidden: number; layers: number };

const NARAYANAN =
  "Narayanan et al. 2021 (arXiv:2104.04473) Table 1: heads / hidden / layers; V = 51,200, s = 2048";
const KORTHIKANTI = "Korthikanti et al. 2022 (arXiv:2205.05198) Table 3 via calculon " +
  "validation (h/L/a); V = 51,200, s = 2048";

function gpt(x: GptShape, source: string): TransformerSpec {
  return {
    kind: "transformer",
    id: x.id,
    name: `GPT ${x.params} (Megatron)`,
    aliases: [],
    source,
    layers: x.layers,
    hidden: x.hidden,
    heads: x.heads,
    kvHeads: x.heads,
    headDim: x.hidden / x.heads,
    intermediate: 4 * x.hidden,
    vocab: 51200,
    maxContext: 2048,
    tiedEmbeddings: true,
    qkvBias: true,
    linearBias: true,
    norm: "layernorm",
    normsPerLayer: 2,
    mlp: "plain",
    positionEmbeddings: 2048,
    nativePrecision: "fp16",
  };
}

/** The weak-scaling models of Narayanan Table 1 (rows A1–A10). */
export const MEGATRON_GPT: readonly TransformerSpec[] = [
  { id: "megatron-gpt-1.7b", params: "1.7B", heads: 24, hidden: 2304, layers: 24 },
  { id: "megatron-gpt-3.6b", params: "3.6B", heads: 32, hidden: 3072, layers: 30 },
  { id: "megatron-gpt-7.5b", params: "7.5B", heads: 32, hidden: 4096, layers: 36 },
  { id: "megatron-gpt-18.4b", params: "18.4B", heads: 48, hidden: 6144, layers: 40 },
  { id: "megatron-gpt-39.1b", params: "39.1B", heads: 64, hidden: 8192, layers: 48 },
  { id: "megatron-gpt-76.1b", params: "76.1B", heads: 80, hidden: 10240, layers: 60 },
  { id: "megatron-gpt-145.6b", params: "145.6B", heads: 96, hidden: 12288, layers: 80 },
  { id: "megatron-gpt-310.1b", params: "310.1B", heads: 128, hidden: 16384, layers: 96 },
  { id: "megatron-gpt-529.6b", params: "529.6B", heads: 128, hidden: 20480, layers: 105 },
  { id: "megatron-gpt-1008b", params: "1008.0B", heads: 160, hidden: 25600, layers: 128 },
].map((x) => gpt(x, NARAYANAN));

/** Korthikanti's Table 3 models (rows C1–C4; 530B and 1T share Narayanan's shapes). */
export const KORTHIKANTI_GPT: readonly TransformerSpec[] = [
  { id: "megatron-gpt-22b", params: "22B", heads: 64, hidden: 6144, layers: 48 },
  { id: "megatron-gpt-175b", params: "175B", heads: 96, hidden: 12288, layers: 96 },
].map((x) => gpt(x, KORTHIKANTI));

/** BLOOM-176B: huggingface.co/bigscience/bloom config.json; ALiBi, embedding LayerNorm. */
export const BLOOM_176B: TransformerSpec = {
  kind: "transformer",
  id: "bloom-176b",
  name: "BLOOM-176B",
  aliases: ["BLOOM", "bigscience/bloom"],
  source: "huggingface.co/bigscience/bloom config.json (n_layer 70, n_head 112, hidden 14336, " +
    "vocab 250880; training.md prints 250,680); bigscience tr11-176B-ml README. The embedding " +
    "LayerNorm (2h = 28,672 params) has no field here and is not counted",
  layers: 70,
  hidden: 14336,
  heads: 112,
  kvHeads: 112,
  headDim: 128,
  intermediate: 4 * 14336,
  vocab: 250880,
  maxContext: 2048,
  tiedEmbeddings: true,
  qkvBias: true,
  linearBias: true,
  norm: "layernorm",
  normsPerLayer: 2,
  mlp: "plain",
  positionEmbeddings: 0,
  nativePrecision: "bf16",
  publishedParams: 176_247_271_424,
};

/** Every training-only model (looked up by id like the serving registry). */
export const TRAINING_TRANSFORMERS: readonly TransformerSpec[] = [
  ...MEGATRON_GPT,
  ...KORTHIKANTI_GPT,
  BLOOM_176B,
];
