/**
 * The public surface of the analytical core: registries, solvers, units and formatting.
 * Imports no zod (validation lives in `core/schema/`), no DOM, nothing from runtime/ or cells/,
 * so labs can bundle it for the browser. The training half is its own surface,
 * `core/training/mod.ts` (its module-level fits would otherwise ride along in every lab's page).
 *
 * @module
 */
export * from "./units.ts";
export * from "./format.ts";
export * from "./precision.ts";
export type * from "./types.ts";
export {
  asGpu,
  asModel,
  asTransformer,
  editDistance,
  listGpus,
  listModels,
  listTransformers,
  lookupGpu,
  lookupModel,
  lookupTransformer,
  nearMatches,
  UnknownIdError,
} from "./registry.ts";
export * from "./params.ts";
export * from "./weights.ts";
export * from "./kv.ts";
export * from "./calibration.ts";
export * from "./comm.ts";
export * from "./activation.ts";
export * from "./engine.ts";
export * from "./roofline.ts";
export * from "./serve.ts";
export * from "./online.ts";
export * from "./capacity.ts";
export * from "./memory.ts";
export * from "./batching.ts";
export * from "./speculative.ts";
export * from "./queueing.ts";
export * from "./slo.ts";
export * from "./cluster.ts";
export * from "./tp.ts";
export * from "./limits.ts";
export * from "./memory_growth.ts";
export * from "./fleet/mod.ts";
export * from "./format-span.ts";
