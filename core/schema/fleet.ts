/**
 * zod schemas and validated entry points for the fleet solvers (`sim tail`, `sim replicas`):
 * field names match the solver inputs, so a ZodError's path names the offending field.
 * Unknown model / GPU ids throw `UnknownIdError` with near matches before anything is solved.
 *
 * @module
 */
import { z } from "zod";
import { prepare, type Prepared } from "../engine.ts";
import { type ServerSimResult, simulateServer } from "../fleet/des.ts";
import { type ReplicaLatency, replicaLatency } from "../fleet/replica.ts";
import { replicasFor, type ReplicasResult } from "../fleet/replicas.ts";
import { type Precision, PRECISIONS } from "../precision.ts";
import { lookupGpu, lookupTransformer } from "../registry.ts";

const id = z.string().min(1);
const count = z.number().int().positive().max(2 ** 27);
const precision = z.enum(PRECISIONS as unknown as [Precision, ...Precision[]]);
const rate = z.number().positive().finite().max(1e6);

const deployment = {
  model: id,
  gpu: id,
  tp: count.default(1),
  precision: precision.optional(),
  kvPrecision: precision.default("bf16"),
};

const workload = {
  prompt: count.default(512),
  output: count.default(128),
  outputCv: z.number().min(0).max(4).default(0),
  maxBatch: count.default(256),
  kvTokens: count.optional(),
  prefixHitRate: z.number().min(0).lt(1).default(0),
};

/** `sim tail` inputs: one replica under Poisson load, simulated and analytical. */
export const TailInputSchema = z.object({
  ...deployment,
  ...workload,
  qps: rate,
  requests: z.number().int().min(100).max(2_000_000).default(100_000),
  seed: z.number().int().default(1),
  chunkedPrefill: z.boolean().default(false),
  maxBatchedTokens: count.optional(),
  bins: z.number().int().min(1).max(200).default(20),
});

/** `sim replicas` inputs: replicas for a total QPS and a P99 target. */
export const ReplicasInputSchema = z.object({
  ...deployment,
  ...workload,
  qps: rate,
  sloP99Ms: z.number().positive().finite(),
  metric: z.enum(["e2e", "ttft"]).default("e2e"),
  usdPerGpuHour: z.number().positive().finite().optional(),
});

/** Parsed types. */
export type TailArgs = z.infer<typeof TailInputSchema>;
export type ReplicasArgs = z.infer<typeof ReplicasInputSchema>;

function prepared(
  a: { model: string; gpu: string; tp: number; precision?: Precision; kvPrecision: Precision },
): Prepared {
  const m = lookupTransformer(a.model);
  return prepare(m, lookupGpu(a.gpu), a.tp, a.precision ?? m.nativePrecision, a.kvPrecision);
}

/** Result of {@link checkedTail}. */
export interface TailResult {
  args: TailArgs;
  simulation: ServerSimResult;
  analytic: ReplicaLatency;
}

/** Validate, then simulate one replica and evaluate its analytical twin. */
export function checkedTail(input: unknown): TailResult {
  const args = TailInputSchema.parse(input);
  const p = prepared(args);
  return {
    args,
    simulation: simulateServer(p, args),
    analytic: replicaLatency(p, args),
  };
}

/** Result of {@link checkedReplicas}. */
export interface ReplicasCheckedResult {
  args: ReplicasArgs;
  prepared: Prepared;
  plan: ReplicasResult;
}

/** Validate, then size the fleet. */
export function checkedReplicas(input: unknown): ReplicasCheckedResult {
  const args = ReplicasInputSchema.parse(input);
  const p = prepared(args);
  return { args, prepared: p, plan: replicasFor(p, { ...args, sloP99S: args.sloP99Ms / 1e3 }) };
}
