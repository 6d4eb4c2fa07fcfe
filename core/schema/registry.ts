/**
 * zod schemas for the registries. Used by tests and the CLI at load time, never by the solver hot
 * path (labs running in a browser need not bundle zod).
 *
 * @module
 */
import { z } from "zod";
import { PRECISIONS } from "../precision.ts";

const pos = z.number().positive().finite();
const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const precision = z.enum(PRECISIONS as unknown as [string, ...string[]]);
const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.\-]*$/, "ids are lower-case, dash-separated"),
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)),
  source: z.string().min(10),
};

/** Schema of a registry transformer. */
export const TransformerSchema = z.object({
  kind: z.literal("transformer"),
  ...common,
  layers: posInt,
  hidden: posInt,
  heads: posInt,
  kvHeads: posInt,
  headDim: posInt,
  intermediate: posInt,
  vocab: posInt,
  maxContext: posInt,
  tiedEmbeddings: z.boolean(),
  qkvBias: z.boolean(),
  linearBias: z.boolean(),
  norm: z.enum(["rmsnorm", "layernorm"]),
  normsPerLayer: posInt,
  mlp: z.enum(["gated", "plain"]),
  positionEmbeddings: nonNegInt,
  moe: z.object({
    experts: posInt,
    topK: posInt,
    expertIntermediate: posInt,
    sharedExperts: nonNegInt,
    denseLayers: nonNegInt,
    routerBias: z.boolean(),
  }).refine((m) => m.topK <= m.experts, { message: "topK must be ≤ experts", path: ["topK"] })
    .optional(),
  mla: z.object({
    qLoraRank: posInt,
    kvLoraRank: posInt,
    qkNopeHeadDim: posInt,
    qkRopeHeadDim: posInt,
    vHeadDim: posInt,
  }).optional(),
  slidingWindow: z.object({ window: posInt, layers: z.enum(["all", "alternate"]) }).optional(),
  nativePrecision: precision,
  publishedParams: pos.optional(),
}).refine((m) => m.kvHeads <= m.heads && m.heads % m.kvHeads === 0, {
  message: "kvHeads must divide heads",
  path: ["kvHeads"],
});

/** Schema of a registry CNN. */
export const CnnSchema = z.object({
  kind: z.literal("cnn"),
  ...common,
  params: posInt,
  flopsPerInference: pos,
  layers: posInt,
  inputResolution: posInt,
  nativePrecision: precision,
});

/** Schema of any registry model. */
export const ModelSchema = z.discriminatedUnion("kind", [TransformerSchema, CnnSchema]);

const peak = z.object({
  fp32: pos.optional(),
  bf16: pos,
  fp8: pos.optional(),
  int8: pos.optional(),
});

/** Schema of a registry accelerator. */
export const GpuSchema = z.object({
  ...common,
  vendor: z.string().min(1),
  tier: z.enum(["cloud", "edge", "mobile", "tiny"]),
  peak,
  sparsePeak: peak.optional(),
  memoryBytes: pos,
  memoryLabel: z.string().min(1),
  runtimeMemoryBytes: pos,
  runtimeMemorySource: z.string().min(1),
  bandwidth: pos,
  tdpW: pos.nullable(),
  linkBandwidth: z.number().nonnegative().finite(),
  linkLabel: z.string().min(1),
  memoryType: z.string().min(1),
  source: z.string().min(10),
  unverified: z.boolean().optional(),
}).refine((g) => !g.sparsePeak || g.sparsePeak.bf16 >= g.peak.bf16, {
  message: "sparse peak below dense peak",
  path: ["sparsePeak"],
});

/** Validate every registry entry; throws a ZodError naming the entry and field. */
export function validateRegistries(models: readonly unknown[], gpus: readonly unknown[]): void {
  z.array(ModelSchema).parse(models);
  z.array(GpuSchema).parse(gpus);
  const ids = new Set<string>();
  for (const e of [...models, ...gpus] as { id: string }[]) {
    if (ids.has(e.id)) throw new Error(`duplicate registry id ${e.id}`);
    ids.add(e.id);
  }
}
