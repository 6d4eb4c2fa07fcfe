/**
 * Weight memory per precision: bytes = parameters × bytes per element. MoE models keep every
 * expert resident (total), but one token reads only its active experts.
 *
 * @module
 */
import { bytesPerElement, type Precision } from "./precision.ts";
import { paramCounts, totalParams } from "./params.ts";
import { asModel } from "./registry.ts";
import type { ModelSpec } from "./types.ts";

/** Result of {@link weightsMemory}. */
export interface WeightsMemory {
  precision: Precision;
  bytesPerParam: number;
  params: number;
  activeParams: number;
  /** Resident weight bytes (all experts). */
  totalBytes: number;
  /** Bytes one token's forward pass reads (active experts only). */
  activeBytes: number;
  /** Always "capacity": weights are a memory-capacity quantity. */
  bound: "capacity";
}

/**
 * Weight bytes of `model` at `precision` (default: the checkpoint's native precision).
 * bytes = params × bytesPerElement(precision); uniform quantisation of every tensor.
 */
export function weightsMemory(model: ModelSpec | string, precision?: Precision): WeightsMemory {
  const m = asModel(model);
  const p = precision ?? m.nativePrecision;
  const bpe = bytesPerElement(p);
  const params = totalParams(m);
  const activeParams = m.kind === "cnn" ? m.params : paramCounts(m).active;
  return {
    precision: p,
    bytesPerParam: bpe,
    params,
    activeParams,
    totalBytes: params * bpe,
    activeBytes: activeParams * bpe,
    bound: "capacity",
  };
}
