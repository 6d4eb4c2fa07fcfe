/**
 * zod schemas and validated entry points for the training half (`sim train`, `sim collective`,
 * lab widgets taking outside input): field names match the solver inputs, so a ZodError's path
 * names the offending field. Unknown model / GPU / cluster ids throw `UnknownIdError` listing the
 * near matches before anything is solved; layouts that cannot run (batch not divisible, TP not
 * dividing the heads) throw the solvers' `ParallelConfigError` with the fix in the message.
 *
 * @module
 */
import { z } from "zod";
import { type Precision, PRECISIONS } from "../precision.ts";
import { lookupGpu, lookupTransformer } from "../registry.ts";
import { type TrainingMemory, trainingMemory } from "../training/budget.ts";
import { fitOf, lookupCluster } from "../training/clusters.ts";
import {
  COLLECTIVE_ALGORITHMS,
  COLLECTIVE_OPS,
  type CollectiveResult,
  collectiveTime,
} from "../training/collectives.ts";
import { CONVENTION_NAMES } from "../training/states.ts";
import { trainStep, type TrainStepResult } from "../training/step.ts";
import { type TimeToTrain, timeToTrain, timeToTrainFromStep } from "../training/time-to-train.ts";

const id = z.string().min(1);
/** A positive whole count with a sane ceiling (2²⁷ ≈ 134 M: any real batch, sequence, layout). */
const count = z.number().int().positive().max(2 ** 27);
const precision = z.enum(PRECISIONS as unknown as [Precision, ...Precision[]]);
const fraction = z.number().gt(0).lte(1);
const bytes = z.number().positive().finite().max(2 ** 50);

const dtypes = z.object({
  params: precision,
  grads: precision,
  master: z.union([precision, z.literal("none")]),
  optimizer: z.enum(["adam", "adamw", "adam-8bit", "sgd-momentum", "sgd", "none"]),
  mainGradCopy: z.union([precision, z.literal("none")]).optional(),
});
const convention = z.union([
  z.enum(CONVENTION_NAMES as unknown as [string, ...string[]]),
  dtypes,
]).default("megatron-bf16-18");
const recompute = z.enum(["none", "selective", "full"]);
const zeroStage = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(0);

const layout = {
  tp: count.default(1),
  pp: count.default(1),
  dp: count.default(1),
  vpp: count.default(1),
  sp: z.boolean().default(false),
  seq: count,
  microBatch: count.default(1),
  zeroStage,
  convention,
};

/** `trainingMemory` inputs (`sim train` memory stack). */
export const TrainingMemoryInputSchema = z.object({
  model: id,
  gpu: id.optional(),
  cluster: id.optional(),
  capacityBytes: bytes.optional(),
  params: z.number().positive().finite().max(1e15).optional(),
  ...layout,
  globalBatch: count.optional(),
  gradAccum: count.optional(),
  recompute: recompute.default("none"),
  shardGroup: count.optional(),
  lora: z.object({
    rank: count,
    targets: z.enum(["qv", "attention", "all-linear"]).default("qv"),
    frozenBytesPerParam: z.number().positive().max(8).optional(),
  }).optional(),
  activationBytes: z.number().positive().max(8).optional(),
  reserveBytes: z.number().nonnegative().finite().max(2 ** 50).default(0),
}).refine((x) => x.gpu !== undefined || x.cluster !== undefined, {
  message: "give a gpu or a cluster",
  path: ["gpu"],
});

/** `trainStep` inputs. */
export const TrainStepInputSchema = z.object({
  model: id,
  cluster: id,
  ...layout,
  globalBatch: count,
  recompute: recompute.default("selective"),
  overlap: z.object({ tp: z.number().min(0).max(1).optional(), dp: z.number().min(0).max(1) })
    .partial().optional(),
  causal: z.boolean().default(false),
});

/** `collectiveTime` inputs, on a cluster's fitted collective. */
export const CollectiveInputSchema = z.object({
  op: z.enum(COLLECTIVE_OPS as unknown as [string, ...string[]]),
  algorithm: z.enum(COLLECTIVE_ALGORITHMS as unknown as [string, ...string[]]).default("auto"),
  bytes,
  ranks: z.number().int().min(1).max(2 ** 20),
  ranksPerNode: z.number().int().min(1).max(1024).optional(),
  cluster: id,
});

/** `timeToTrain` inputs (a utilisation on n GPUs). */
export const TimeToTrainInputSchema = z.object({
  model: id,
  tokens: z.number().positive().finite().max(1e17),
  seq: count,
  gpus: z.number().int().min(1).max(2 ** 24),
  gpu: id,
  mfu: fraction.optional(),
  hfu: fraction.optional(),
  recompute: recompute.default("none"),
  causal: z.boolean().default(false),
  pricePerGpuHour: z.number().nonnegative().finite().max(1e4).optional(),
}).refine((x) => (x.mfu === undefined) !== (x.hfu === undefined), {
  message: "give exactly one of mfu or hfu",
  path: ["mfu"],
});

/** `timeToTrainFromStep` inputs (a layout whose step `trainStep` predicts). */
export const TimeToTrainFromStepInputSchema = z.object({
  step: TrainStepInputSchema,
  tokens: z.number().positive().finite().max(1e17),
  pricePerGpuHour: z.number().nonnegative().finite().max(1e4).optional(),
});

/** Parsed types. */
export type TrainingMemoryArgs = z.infer<typeof TrainingMemoryInputSchema>;
export type TrainStepArgs = z.infer<typeof TrainStepInputSchema>;
export type CollectiveArgs = z.infer<typeof CollectiveInputSchema>;
export type TimeToTrainArgs = z.infer<typeof TimeToTrainInputSchema>;

function ids(a: { model?: string; gpu?: string; cluster?: string }): void {
  if (a.model !== undefined) lookupTransformer(a.model);
  if (a.gpu !== undefined) lookupGpu(a.gpu);
  if (a.cluster !== undefined) lookupCluster(a.cluster);
}

/** `trainingMemory` with validation. */
export function checkedTrainingMemory(input: unknown): TrainingMemory {
  const a = TrainingMemoryInputSchema.parse(input);
  ids(a);
  return trainingMemory(a as Parameters<typeof trainingMemory>[0]);
}

/** `trainStep` with validation. */
export function checkedTrainStep(input: unknown): TrainStepResult {
  const a = TrainStepInputSchema.parse(input);
  ids(a);
  return trainStep(a as Parameters<typeof trainStep>[0]);
}

/** `collectiveTime` on a cluster's fit, with validation. */
export function checkedCollective(input: unknown): CollectiveResult {
  const a = CollectiveInputSchema.parse(input);
  const cl = lookupCluster(a.cluster);
  return collectiveTime({
    ...(a as Omit<Parameters<typeof collectiveTime>[0], "fit">),
    ranksPerNode: a.ranksPerNode ?? Math.min(a.ranks, cl.gpusPerNode),
    fit: fitOf(cl),
  });
}

/** `timeToTrain` with validation. */
export function checkedTimeToTrain(input: unknown): TimeToTrain {
  const a = TimeToTrainInputSchema.parse(input);
  ids(a);
  return timeToTrain(a);
}

/** `timeToTrainFromStep` with validation. */
export function checkedTimeToTrainFromStep(input: unknown): TimeToTrain {
  const a = TimeToTrainFromStepInputSchema.parse(input);
  ids(a.step);
  return timeToTrainFromStep(a as Parameters<typeof timeToTrainFromStep>[0]);
}
