/**
 * Single-node roofline (Williams, Waterman & Patterson 2009): attainable FLOP/s =
 * min(peak, bandwidth × arithmetic intensity); ridge point = peak / bandwidth. This is mlsysim's
 * `Engine.solve` job, with FLOPs counted as 2 × multiply-adds.
 *
 * @module
 */
import { peakFlops } from "./engine.ts";
import { paramCounts } from "./params.ts";
import { bytesPerElement, type Precision } from "./precision.ts";
import { asGpu, asModel } from "./registry.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Which resource binds a roofline evaluation. */
export type RooflineBound = "compute" | "bandwidth" | "overhead";

/** Input of {@link roofline}. */
export interface RooflineInput {
  flops: number;
  bytes: number;
  gpu: GpuSpec | string;
  /** Compute precision (default bf16). */
  precision?: Precision;
  /** Achieved fraction of peak FLOP/s (default 1: the pure roofline). */
  computeEfficiency?: number;
  /** Achieved fraction of peak bandwidth (default 1). */
  bandwidthEfficiency?: number;
  /** Fixed overhead added to the latency, s (default 0). */
  overheadS?: number;
}

/** Result of {@link roofline}. */
export interface RooflineResult {
  latencyS: number;
  computeS: number;
  memoryS: number;
  overheadS: number;
  bound: RooflineBound;
  /** FLOPs per byte moved. */
  arithmeticIntensity: number;
  /** FLOPs per byte where the roofs meet: peak / bandwidth. */
  ridgePoint: number;
  /** min(peak, bandwidth × intensity), FLOP/s. */
  attainableFlopsPerS: number;
  peakFlopsPerS: number;
  bandwidth: number;
  /** Achieved FLOP/s ÷ peak (model FLOPs utilisation). */
  mfu: number;
}

/** Ridge point of `gpu` at `precision`: peak FLOP/s ÷ bandwidth (FLOP/byte). */
export function ridgePoint(gpu: GpuSpec | string, precision: Precision = "bf16"): number {
  const g = asGpu(gpu);
  return peakFlops(g, precision) / g.bandwidth;
}

/**
 * Roofline time for `flops` FLOPs moving `bytes` bytes:
 * `latency = max(flops / (peak·η_c), bytes / (BW·η_bw)) + overhead`.
 */
export function roofline(input: RooflineInput): RooflineResult {
  const g = asGpu(input.gpu);
  const peak = peakFlops(g, input.precision ?? "bf16");
  const ec = input.computeEfficiency ?? 1;
  const eb = input.bandwidthEfficiency ?? 1;
  const oh = input.overheadS ?? 0;
  const computeS = input.flops / (peak * ec);
  const memoryS = input.bytes / (g.bandwidth * eb);
  const core = Math.max(computeS, memoryS);
  const latency = core + oh;
  const ai = input.bytes > 0 ? input.flops / input.bytes : Infinity;
  const bound: RooflineBound = oh > core
    ? "overhead"
    : computeS >= memoryS
    ? "compute"
    : "bandwidth";
  return {
    latencyS: latency,
    computeS,
    memoryS,
    overheadS: oh,
    bound,
    arithmeticIntensity: ai,
    ridgePoint: peak / g.bandwidth,
    attainableFlopsPerS: Math.min(peak, g.bandwidth * ai),
    peakFlopsPerS: peak,
    bandwidth: g.bandwidth,
    mfu: latency > 0 ? input.flops / latency / peak : 0,
  };
}

/** FLOPs, bytes and intensity of an N×N×N GEMM: `2N³` FLOPs over `3N²·bpe` bytes. */
export function squareGemm(
  n: number,
  precision: Precision = "bf16",
): { flops: number; bytes: number; intensity: number } {
  const flops = 2 * n ** 3;
  const bytes = 3 * n * n * bytesPerElement(precision);
  return { flops, bytes, intensity: flops / bytes };
}

/** Input of {@link modelRoofline}. */
export interface ModelRooflineInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  /** Samples (images, or sequences for a transformer) per forward pass (default 1). */
  batch?: number;
  /** Tokens per sequence for a transformer forward (default 1: one decode step). */
  tokens?: number;
  precision?: Precision;
  computeEfficiency?: number;
  bandwidthEfficiency?: number;
  overheadS?: number;
}

/** Result of {@link modelRoofline}: the roofline plus samples per second. */
export interface ModelRooflineResult extends RooflineResult {
  flops: number;
  bytes: number;
  /** batch / latency. */
  throughputPerS: number;
  weightsBytes: number;
  /** Weights fit in the device's runtime memory. */
  feasible: boolean;
}

/**
 * One forward pass of a registry model: FLOPs = batch × FLOPs per sample (CNN: published count;
 * transformer: 2 · P_active · tokens), bytes = weights read once. Activation traffic is not
 * counted, so small-batch CNN results are an optimistic (weight-streaming) bound.
 */
export function modelRoofline(input: ModelRooflineInput): ModelRooflineResult {
  const m = asModel(input.model);
  const g = asGpu(input.gpu);
  const precision = input.precision ?? "bf16";
  const batch = input.batch ?? 1;
  const bpe = bytesPerElement(precision);
  let flops: number, weights: number;
  if (m.kind === "cnn") {
    flops = batch * m.flopsPerInference;
    weights = m.params * bpe;
  } else {
    const pc = paramCounts(m);
    flops = batch * (input.tokens ?? 1) * 2 * (pc.active - pc.embedding);
    weights = pc.total * bpe;
  }
  const r = roofline({
    flops,
    bytes: weights,
    gpu: g,
    precision,
    computeEfficiency: input.computeEfficiency,
    bandwidthEfficiency: input.bandwidthEfficiency,
    overheadS: input.overheadS,
  });
  return {
    ...r,
    flops,
    bytes: weights,
    throughputPerS: batch / r.latencyS,
    weightsBytes: weights,
    feasible: weights <= g.runtimeMemoryBytes,
  };
}
