/** The one import of @observablehq/runtime, with the declarations it lacks. */
// @ts-types="./types/observablehq-runtime.d.ts"
export { Runtime, RuntimeError } from "@observablehq/runtime";
export type { Module, Observer, Variable } from "./types/observablehq-runtime.d.ts";
