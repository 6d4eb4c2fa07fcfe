/**
 * The validated entry points: parse the input with its zod schema, then solve. Bad numbers
 * (negative, NaN, fractional counts, absurd sizes) throw a ZodError whose path names the field;
 * unknown model or GPU ids throw `UnknownIdError` listing the near matches. Never a wrong number.
 * The CLI and anything taking input from outside use these; labs call the solvers directly
 * with inputs their widgets already bound.
 *
 * @module
 */
import type { z } from "zod";
import { kvCache, type KvCacheResult } from "../kv.ts";
import { serve, type ServeResult } from "../serve.ts";
import { type CapacityResult, vllmCapacity } from "../capacity.ts";
import { servingConfig, type ServingConfigResult } from "../cluster.ts";
import { lookupGpu, lookupModel } from "../registry.ts";
import {
  CapacityInputSchema,
  KvInputSchema,
  ServeInputSchema,
  ServingConfigInputSchema,
} from "./inputs.ts";

/** Parses `input` with `schema` and checks its ids before `solve` sees it. */
function checked<S extends z.ZodType, R>(
  schema: S,
  solve: (args: z.output<S>) => R,
): (input: unknown) => R {
  return (input) => {
    const args = schema.parse(input) as z.output<S> & { model?: string; gpu?: string };
    if (args.model !== undefined) lookupModel(args.model);
    if (args.gpu !== undefined) lookupGpu(args.gpu);
    return solve(args);
  };
}

/** `kvCache` with validation. */
export const checkedKv: (input: unknown) => KvCacheResult = checked(KvInputSchema, kvCache);
/** `serve` with validation. */
export const checkedServe: (input: unknown) => ServeResult = checked(ServeInputSchema, serve);
/** `vllmCapacity` with validation. */
export const checkedCapacity: (input: unknown) => CapacityResult = checked(
  CapacityInputSchema,
  vllmCapacity,
);
/** `servingConfig` (lab v2-10 Act II) with validation. */
export const checkedServingConfig: (input: unknown) => ServingConfigResult = checked(
  ServingConfigInputSchema,
  servingConfig,
);
