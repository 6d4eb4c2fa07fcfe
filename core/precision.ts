/**
 * Numeric precisions and their storage size.
 *
 * @module
 */

/** Precisions the solvers accept for weights, KV cache and compute. */
export type Precision = "fp32" | "bf16" | "fp16" | "fp8" | "int8" | "int4";

/** Every precision, widest first (monotone decreasing bytes per element). */
export const PRECISIONS: readonly Precision[] = ["fp32", "bf16", "fp16", "fp8", "int8", "int4"];

/**
 * Bytes per element. int4 is 0.5 B (two weights per byte); the scales of group-wise int4 (AWQ/GPTQ,
 * one fp16 scale per 128 weights ≈ +3 %) are not counted. Source: IEEE 754 / OCP FP8 widths.
 */
export function bytesPerElement(p: Precision): number {
  switch (p) {
    case "fp32":
      return 4;
    case "bf16":
    case "fp16":
      return 2;
    case "fp8":
    case "int8":
      return 1;
    case "int4":
      return 0.5;
  }
}

/** Peak-table key a precision's matrix math runs at. */
export type ComputeKey = "fp32" | "bf16" | "fp8" | "int8";

/**
 * Which tensor-core peak a weight precision computes at:
 * fp8 → FP8 GEMMs (W8A8), int8 → INT8 GEMMs (W8A8, SmoothQuant-style), int4 → weight-only
 * (W4A16: weights are dequantised, math runs at BF16), fp16/bf16 → BF16, fp32 → FP32.
 */
export function computeKey(p: Precision): ComputeKey {
  switch (p) {
    case "fp32":
      return "fp32";
    case "fp8":
      return "fp8";
    case "int8":
      return "int8";
    default:
      return "bf16";
  }
}

/** True if `s` is one of {@link PRECISIONS}. */
export function isPrecision(s: string): s is Precision {
  return (PRECISIONS as readonly string[]).includes(s);
}
