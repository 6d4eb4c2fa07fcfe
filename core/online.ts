/**
 * Mean latency of a continuous-batching server under Poisson load `qps` (what online-serving
 * benchmarks such as TensorRT-LLM's perf-overview report).
 *
 * - Concurrency by Little's law: `N = qps · (TTFT + (output − 1)·ITL)`, solved by fixed point.
 * - Prefills steal whole steps from decoding: over one second `qps · t_prefill` goes to prefill,
 *   so a sequence sees `ITL = t_step(N) / (1 − qps · t_prefill)`.
 * - `TTFT = ½ t_step` (mean residual of the step in flight, when others are decoding)
 *   `+ t_prefill + t_step` (streaming servers emit a step's tokens while the next step runs —
 *   vLLM's async output processing; we assume the same for Triton + TensorRT-LLM).
 *
 * @module
 */
import { decodeStepTime, newStep, prefillTime, prepare, type StepBound } from "./engine.ts";
import type { Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Input of {@link onlineServe}. */
export interface OnlineInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  tp?: number;
  /** Poisson arrival rate, requests per second. */
  qps: number;
  prompt: number;
  output: number;
  precision?: Precision;
  kvPrecision?: Precision;
  /** Engine's max concurrent sequences (default 256, vLLM's max_num_seqs). */
  maxBatch?: number;
}

/** Result of {@link onlineServe}. Times in seconds. */
export interface OnlineResult {
  /** Mean concurrent sequences (Little's law). */
  concurrency: number;
  ttftS: number;
  itlS: number;
  prefillS: number;
  decodeStepS: number;
  /** Fraction of time spent in prefill steps. */
  prefillShare: number;
  /** False when prefills alone exceed the GPU's time or concurrency exceeds maxBatch. */
  stable: boolean;
  /** Decode bound, or "queueing" if unstable. */
  bound: StepBound | "queueing";
}

/** Mean TTFT and ITL at load `qps` (model in the module doc). */
export function onlineServe(input: OnlineInput): OnlineResult {
  const m = asTransformer(input.model);
  const p = prepare(
    m,
    asGpu(input.gpu),
    input.tp ?? 1,
    input.precision ?? m.nativePrecision,
    input.kvPrecision,
  );
  const maxBatch = input.maxBatch ?? 256;
  const pf = prefillTime(p, 1, input.prompt);
  const share = input.qps * pf.time;
  const step = newStep();
  let n = 1, ttft = 0, itl = 0;
  let stable = share < 1;
  for (let i = 0; i < 100 && stable; i++) {
    decodeStepTime(p, Math.max(1, n), input.prompt + input.output / 2, step);
    itl = step.time / (1 - share);
    ttft = 0.5 * step.time * Math.min(1, n) + pf.time + step.time;
    const next = input.qps * (ttft + (input.output - 1) * itl);
    if (next > maxBatch) {
      stable = false;
      break;
    }
    if (Math.abs(next - n) < 1e-9) break;
    n = next;
  }
  return {
    concurrency: n,
    ttftS: stable ? ttft : Infinity,
    itlS: stable ? itl : Infinity,
    prefillS: pf.time,
    decodeStepS: step.time,
    prefillShare: share,
    stable,
    bound: stable ? step.bound : "queueing",
  };
}
