/**
 * Serving at fleet scale: queueing with service-time variability, a continuous-batching
 * simulation, replica counts, cold start, cost, chunked prefill, prefix caching and the
 * optimization ladder. DOM-free and zod-free like the rest of core/.
 *
 * @module
 */
export * from "./random.ts";
export * from "./mgc.ts";
export * from "./sojourn.ts";
export * from "./stats.ts";
export * from "./step.ts";
export * from "./des.ts";
export * from "./replica.ts";
export * from "./replicas.ts";
export * from "./coldstart.ts";
export * from "./cost.ts";
export * from "./chunked.ts";
export * from "./prefix.ts";
export * from "./ladder.ts";
export * from "./ladder_next.ts";
export * from "./ttft_law.ts";
