/**
 * Analytical latency distribution of one continuous-batching replica under Poisson load — the
 * closed-form twin of the simulation in des.ts (whole-prompt prefill mode).
 *
 * - Prefill of one prompt `t_pf` ({@link mixedStepTime}, prefix-cache hits skipped); prefills
 *   take `share = λ·t_pf` of the GPU's time and stall decoding (core/online.ts).
 * - Mean running sequences `n` by Little's law, solved by fixed point:
 *   `n = λ·S`, `S = TTFT₀ + (E[o] − 1)·ITL`, `ITL = t_step(min(n, c), ctx̄) / (1 − share)`,
 *   where `ctx̄ = prompt + E[o²]/(2E[o])` is the token-weighted mean context.
 * - `TTFT₀ = u·t_step/2 + share·t_pf / (2(1 − share)) + t_pf + t_step`: the residual of a decode
 *   iteration in flight (`u` = share of time decoding), the Pollaczek–Khinchine wait behind other
 *   prefills (M/D/1), the own prefill, and one iteration until the token is emitted.
 * - Admission: `c = min(maxBatch, ⌊kvTokens / (prompt + E[o] + 8)⌋)` slots (8: mean 16-token
 *   block rounding); a request holds a slot for `S`, so the wait for a slot is M/G/c with service
 *   CV `ITL·σ_o / S` (Allen–Cunneen, mgc.ts).
 * - TTFT = W + TTFT₀ in the mean; its percentiles spread the wait behind other prefills and the
 *   decode step in flight (ttft_law.ts). End-to-end = W + (TTFT₀ − ITL) + ITL·o, distribution in
 *   sojourn.ts.
 *
 * It omits what the simulation resolves: iteration-to-iteration variability of TTFT, prefill
 * batching, and the batch size's fluctuation around its mean.
 *
 * @module
 */
import { vllmCapacity } from "../capacity.ts";
import { decodeStepTime, newStep, type Prepared, type StepBound } from "../engine.ts";
import { type MgcWait, mgcWait } from "./mgc.ts";
import { type TtftLaw, ttftQuantile } from "./ttft_law.ts";
import { sojourn, sojournMean, sojournQuantile } from "./sojourn.ts";
import { chunkKeys, mixedStepTime } from "./step.ts";

/** Options of {@link replicaLatency} (per replica). */
export interface ReplicaLoad {
  /** Poisson arrival rate at this replica, requests/s. */
  qps: number;
  prompt: number;
  /** Mean output tokens. */
  output: number;
  /** CV of output length (default 0). */
  outputCv?: number;
  /** Default 256. */
  maxBatch?: number;
  /** Default: vLLM's budget (core/capacity.ts). */
  kvTokens?: number;
  /** Default 0. */
  prefixHitRate?: number;
}

/** Mean and percentiles, seconds. */
export interface Percentiles {
  meanS: number;
  p50S: number;
  p95S: number;
  p99S: number;
}

/** Result of {@link replicaLatency}. */
export interface ReplicaLatency {
  ttft: Percentiles;
  e2e: Percentiles;
  itlS: number;
  prefillS: number;
  decodeStepS: number;
  prefillShare: number;
  /** Mean running sequences. */
  concurrency: number;
  /** Admission slots (batch and KV limit). */
  slots: number;
  /** Mean slot holding time S and its CV. */
  serviceS: number;
  serviceCv: number;
  /** Wait for a slot. */
  wait: MgcWait;
  /** ρ = λS / slots. */
  utilization: number;
  stable: boolean;
  /** "queueing" when unstable, else the decode step's bound. */
  bound: StepBound | "queueing";
}

const INF: Percentiles = { meanS: Infinity, p50S: Infinity, p95S: Infinity, p99S: Infinity };

/** KV tokens of `p`'s vLLM budget (the default of the replica model and the simulation). */
export function defaultKvTokens(p: Prepared): number {
  return vllmCapacity({
    model: p.model,
    gpu: p.gpu,
    tp: p.tp,
    precision: p.precision,
    kvPrecision: p.kvPrecision,
  }).kvCacheTokens;
}

/** Prefill time of one prompt with a share `hit` of it in the prefix cache. */
export function prefillWithCache(p: Prepared, prompt: number, hit: number): number {
  const cached = Math.min(prompt - 1, Math.round(prompt * hit));
  const fresh = prompt - cached;
  return mixedStepTime(p, 0, 0, {
    tokens: fresh,
    keys: chunkKeys(fresh, cached),
    prefixTokens: cached,
    finishing: 1,
  }).time;
}

/** Latency distribution of one replica at load `o.qps` (model in the module doc). */
export function replicaLatency(p: Prepared, o: ReplicaLoad): ReplicaLatency {
  const cv = o.outputCv ?? 0;
  const kvTokens = o.kvTokens ?? defaultKvTokens(p);
  const slots = Math.max(
    0,
    Math.min(o.maxBatch ?? 256, Math.floor(kvTokens / (o.prompt + o.output + 8))),
  );
  const tpf = prefillWithCache(p, o.prompt, o.prefixHitRate ?? 0);
  const share = o.qps * tpf;
  const ctx = o.prompt + 1 + o.output * (1 + cv * cv) / 2;
  const step = newStep();
  let n = 1, itl = 0, ttft0 = 0, s = 0, u = 0;
  const stableShare = share < 1 && slots >= 1;
  for (let i = 0; i < 200 && stableShare; i++) {
    const b = Math.max(1, Math.min(n, slots));
    decodeStepTime(p, b, ctx, step);
    itl = step.time / (1 - share);
    u = Math.min(1, n) * (1 - share);
    ttft0 = u * step.time / 2 + share * tpf / (2 * (1 - share)) + tpf + step.time;
    s = ttft0 + (o.output - 1) * itl;
    const next = Math.min(o.qps * s, slots);
    if (Math.abs(next - n) < 1e-9 * n) break;
    n = next;
  }
  const serviceCv = s > 0 ? itl * o.output * cv / s : 0;
  const wait = stableShare ? mgcWait(o.qps, s, slots, serviceCv) : mgcWait(1, 1, 1, 0);
  const stable = stableShare && wait.stable;
  const base = {
    itlS: itl,
    prefillS: tpf,
    decodeStepS: step.time,
    prefillShare: share,
    concurrency: n,
    slots,
    serviceS: s,
    serviceCv,
    wait,
    utilization: stableShare ? o.qps * s / slots : Infinity,
  };
  if (!stable) return { ...base, ttft: INF, e2e: INF, stable: false, bound: "queueing" };
  // TTFT's spread, not only its mean: the waits behind other prompts and the decode step in
  // flight (ttft_law.ts); its mean is ttft0 + E[W].
  const tl: TtftLaw = {
    slot: wait,
    prefillQueue: mgcWait(o.qps, tpf, 1, 0),
    decodingShare: u,
    stepS: step.time,
    fixedS: tpf + step.time,
  };
  const ttft: Percentiles = {
    meanS: ttft0 + wait.meanS,
    p50S: ttftQuantile(tl, 0.5),
    p95S: ttftQuantile(tl, 0.95),
    p99S: ttftQuantile(tl, 0.99),
  };
  const law = sojourn(wait, { shiftS: ttft0 - itl, meanYS: itl * o.output, cvY: cv });
  const e2e: Percentiles = {
    meanS: sojournMean(law),
    p50S: sojournQuantile(law, 0.5),
    p95S: sojournQuantile(law, 0.95),
    p99S: sojournQuantile(law, 0.99),
  };
  return { ...base, ttft, e2e, stable: true, bound: step.bound };
}
