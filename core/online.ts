/**
 * Mean latency of a continuous-batching server under load, the way online-serving benchmarks
 * measure it: an open loop (Poisson arrivals at `qps`, TensorRT-LLM's perf-overview "Online
 * Serving") or a closed loop (`concurrency` users, each sending its next request the moment the
 * last one finishes — genai-perf / NIM benchmarks' `--concurrency`).
 *
 * - Concurrency by Little's law: open loop `N = qps · (TTFT + (output − 1)·ITL)`, solved by
 *   fixed point; closed loop `N = min(C, slots)`, and `qps = N / (TTFT + (output − 1)·ITL)`.
 * - Prefills steal whole steps from decoding: other requests' prefills take a share
 *   `qps · t_prefill` of the GPU's time (closed loop: `qps · t_prefill · (N − 1)/N`, a lone user's
 *   own prefill is already in its TTFT), so a sequence sees `ITL = t_step(N) / (1 − share)`.
 * - `TTFT = ½ t_step` (mean residual of the step in flight, when others are decoding)
 *   `+ t_prefill + t_step` (streaming servers emit a step's tokens while the next step runs —
 *   vLLM's async output processing; we assume the same for Triton + TensorRT-LLM). A closed loop
 *   with more users than slots adds the wait for a slot: cycle `C / qps` minus the service time.
 * - Slots: the engine's max_num_seqs (default 256) and the KV cache, whichever is smaller: the
 *   KV budget is capacity.ts's one reserve convention (`maxUsers` at prompt + output).
 *
 * @module
 */
import { decodeStepTime, newStep, prefillTime, prepare, type StepBound } from "./engine.ts";
import { maxUsers } from "./memory.ts";
import type { Precision } from "./precision.ts";
import { asGpu, asTransformer } from "./registry.ts";
import type { GpuSpec, ModelSpec } from "./types.ts";

/** Input of {@link onlineServe}. Exactly one of `qps` (open loop) or `concurrency` (closed). */
export interface OnlineInput {
  model: ModelSpec | string;
  gpu: GpuSpec | string;
  tp?: number;
  /** Poisson arrival rate, requests per second (open loop). */
  qps?: number;
  /** Users who each keep one request in flight (closed loop). */
  concurrency?: number;
  prompt: number;
  output: number;
  precision?: Precision;
  kvPrecision?: Precision;
  /** Engine's max concurrent sequences (default 256, vLLM's max_num_seqs). */
  maxBatch?: number;
  /** gpu_memory_utilization of the KV budget (default 0.90). */
  gmu?: number;
}

/** Result of {@link onlineServe}. Times in seconds. */
export interface OnlineResult {
  loop: "open" | "closed";
  /** Mean sequences in the engine (Little's law). */
  concurrency: number;
  /** Request rate served, requests/s (open loop: the arrival rate). */
  qps: number;
  ttftS: number;
  itlS: number;
  /** TTFT + (output − 1) · ITL. */
  e2eS: number;
  /** qps × output. */
  throughputTokensPerS: number;
  prefillS: number;
  decodeStepS: number;
  /** Fraction of time spent in other requests' prefill steps. */
  prefillShare: number;
  /** Sequences the engine can hold: min(max_num_seqs, KV cache users at prompt + output). */
  slots: number;
  /** KV cache users at prompt + output (capacity.ts's reserve convention). */
  kvSlots: number;
  /** Closed loop only: mean wait for a slot when users outnumber slots (else 0). */
  queueWaitS: number;
  /** False when no request fits in memory, prefills alone fill the GPU, or N exceeds slots. */
  stable: boolean;
  /** Decode bound; "queueing" if unstable; "capacity" if not one request fits. */
  bound: StepBound | "queueing" | "capacity";
  /** Why the configuration is unstable or infeasible (empty when stable). */
  reason: string;
}

/** Mean TTFT and ITL of an open loop at `qps` or a closed loop of `concurrency` users. */
export function onlineServe(input: OnlineInput): OnlineResult {
  const m = asTransformer(input.model);
  const g = asGpu(input.gpu);
  const tp = input.tp ?? 1;
  const p = prepare(m, g, tp, input.precision ?? m.nativePrecision, input.kvPrecision);
  const closed = input.concurrency !== undefined;
  const kvSlots = maxUsers({
    model: m,
    gpu: g,
    gpus: tp,
    seqLen: input.prompt + input.output,
    precision: input.precision,
    kvPrecision: input.kvPrecision,
    gmu: input.gmu,
  }).maxUsers;
  const slots = Math.min(input.maxBatch ?? 256, kvSlots);
  const pf = prefillTime(p, 1, input.prompt);
  const step = newStep();
  const ctx = input.prompt + input.output / 2;
  const out = input.output;
  let n = closed ? Math.min(input.concurrency!, slots) : 1;
  let qps = closed ? 0 : input.qps!;
  let ttft = 0, itl = 0, share = 0, reason = "";
  let stable = slots >= 1;
  if (!stable) {
    reason = `not one request of ${input.prompt + out} tokens fits in the KV cache`;
  }
  for (let i = 0; i < 200 && stable; i++) {
    decodeStepTime(p, Math.max(1, n), ctx, step);
    if (closed) {
      // qps from the previous iterate; others' prefills only.
      share = qps * pf.time * (n - 1) / n;
    } else share = qps * pf.time;
    if (share >= 1) {
      stable = false;
      reason = `prefills alone need ${(share * 100).toFixed(0)} % of the GPU's time`;
      break;
    }
    itl = step.time / (1 - share);
    const others = closed ? n - 1 : n;
    ttft = 0.5 * step.time * Math.min(1, others) + pf.time + step.time;
    const e2e = ttft + (out - 1) * itl;
    if (closed) {
      const next = n / e2e;
      if (Math.abs(next - qps) <= 1e-12 * next) break;
      qps = next;
      continue;
    }
    const next = qps * e2e;
    if (next > slots) {
      stable = false;
      reason = `${qps} req/s keeps ${next.toFixed(0)} requests in flight, more than the ` +
        `${slots} the engine can hold (${
          slots === kvSlots ? "KV cache" : "max_num_seqs"
        }): the queue grows without bound`;
      break;
    }
    if (Math.abs(next - n) < 1e-9) break;
    n = next;
  }
  const e2e = ttft + (out - 1) * itl;
  const wait = closed && stable ? Math.max(0, input.concurrency! / qps - e2e) : 0;
  const inf = !stable;
  return {
    loop: closed ? "closed" : "open",
    concurrency: n,
    qps: inf && closed ? NaN : qps,
    ttftS: inf ? Infinity : ttft + wait,
    itlS: inf ? Infinity : itl,
    e2eS: inf ? Infinity : e2e + wait,
    throughputTokensPerS: inf ? 0 : qps * out,
    prefillS: pf.time,
    decodeStepS: step.time,
    prefillShare: share,
    slots,
    kvSlots,
    queueWaitS: wait,
    stable,
    bound: slots < 1 ? "capacity" : stable ? step.bound : "queueing",
    reason,
  };
}
