/**
 * Public surface of the training half of the core.
 *
 * @module
 */
export * from "./states.ts";
export * from "./zero.ts";
export * from "./lora.ts";
export * from "./activations.ts";
export * from "./flops.ts";
export * from "./collectives.ts";
export * from "./collective-fits.ts";
export * from "./pipeline.ts";
export * from "./clusters.ts";
export * from "./step.ts";
export { ETA_GEMM, K_ELEMENTWISE, OPTIMIZER_BW_EFFICIENCY } from "./calibration.ts";
export * from "./budget.ts";
export * from "./time-to-train.ts";
export * from "./failures.ts";
export * from "./checkpoint.ts";
export * from "./reliability.ts";
export * from "./single-gpu.ts";
export * from "./crossover.ts";
export * from "./overlap.ts";
export * from "./fabrics.ts";
