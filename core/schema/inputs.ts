/**
 * zod schemas for solver inputs, for the API boundary (CLI, lab widgets). Field names match the
 * solver inputs, so a ZodError's path names the offending field (`batch`, `gmu`, …).
 *
 * @module
 */
import { z } from "zod";
import { type Precision, PRECISIONS } from "../precision.ts";

const id = z.string().min(1);
/**
 * A positive whole count with a sane ceiling: absurd sizes (a batch of 10¹², a context of 10¹⁵
 * tokens) are input errors, not numbers to compute. 2²⁷ ≈ 134 M covers any real context or batch.
 */
const count = z.number().int().positive().max(2 ** 27);
const precision = z.enum(PRECISIONS as unknown as [Precision, ...Precision[]]);

/** `kv` inputs. */
export const KvInputSchema = z.object({
  model: id,
  seqLen: count,
  batch: count.default(1),
  kvPrecision: precision.default("bf16"),
});

/** `serve` inputs. */
export const ServeInputSchema = z.object({
  model: id,
  gpu: id,
  tp: count.default(1),
  batch: count.default(1),
  prompt: count.default(512),
  output: count.default(128),
  precision: precision.optional(),
  kvPrecision: precision.default("bf16"),
  gmu: z.number().gt(0).lte(1).default(0.9),
  /** Open loop: Poisson arrivals, requests/s (`sim serve --qps`). */
  qps: z.number().positive().max(1e6).optional(),
  /** Closed loop: users each keeping one request in flight (`sim serve --concurrency`). */
  concurrency: count.optional(),
});

/** `capacity` inputs. */
export const CapacityInputSchema = z.object({
  model: id,
  gpu: id,
  tp: count.default(1),
  gmu: z.number().gt(0).lte(1).default(0.9),
  maxModelLen: count.optional(),
  maxNumBatchedTokens: count.optional(),
  blockSize: count.default(16),
  precision: precision.optional(),
  kvPrecision: precision.default("bf16"),
});

/** `memory-growth` inputs. */
export const MemoryGrowthInputSchema = z.object({ model: id, gpu: id.optional() });

/** Lab v2-10 Act II inputs. */
export const ServingConfigInputSchema = z.object({
  model: id,
  gpu: id,
  gpus: count,
  maxBatch: count,
  maxSeqLen: z.number().int().min(2),
  mode: z.enum(["static", "continuous", "speculative"]),
  load: z.number().gt(0).lt(1).default(0.8),
  alpha: z.number().min(0).max(1).default(0.7),
  draftLength: count.default(4),
});

/** Parsed types. */
export type ServeArgs = z.infer<typeof ServeInputSchema>;
export type CapacityArgs = z.infer<typeof CapacityInputSchema>;
export type KvArgs = z.infer<typeof KvInputSchema>;
