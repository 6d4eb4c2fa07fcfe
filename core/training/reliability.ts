/**
 * Reliability of a training job: job MTBF, the chance of an interruption, the checkpoint
 * interval and the goodput it buys. Times in seconds; rates per GPU-hour as published.
 *
 * - **Job MTBF** with N GPUs failing independently at λ per GPU-hour (exponential):
 *   M = 1 / (N·λ) hours. Failure is the first of N clocks, so M ∝ 1/N (`failures.ts` fits λ).
 * - **P(at least one failure within T)** = 1 − e^{−T/M}; expected failures T/M. (Not T/M:
 *   that passes 1 at T = M, where the exponential gives 63 %.)
 * - **Young** (1974): τ = √(2δM), δ the checkpoint stall (S24).
 * - **Daly** (2006) higher order: τ = √(2δM)·[1 + ⅓√(δ/2M) + ⅑(δ/2M)] − δ for δ < 2M, else
 *   τ = M. It reproduces Daly's own points (M = 24 h / 6 h / 15 min, δ = 5 min: 116.7 / 56.7 /
 *   9.1 min; reference/training.md §1.7).
 * - **Goodput** G = useful compute ÷ wall time, with interval τ (compute between checkpoints),
 *   stall δ, restart R (detect, reschedule, reload, warm up) and M:
 *   - exact, for exponential failures that may also strike during checkpoints and restarts
 *     (Daly 2006's model; its minimum is what his τ approximates): the expected wall time
 *     of a segment is M·e^{R/M}·(e^{(τ+δ)/M} − 1), so **G = τ / (M·e^{R/M}·(e^{(τ+δ)/M} − 1))**;
 *   - to first order in 1/M: **waste = 1 − G ≈ δ/τ + (τ/2 + R)/M** — the checkpoint tax δ/τ
 *     plus, per failure, half an interval of lost work and a restart. Minimising over τ gives
 *     Young's τ. mlsysim's solver (S27) keeps δ/τ + R/M and drops the τ/2M rework term, so its
 *     goodput does not fall as the interval grows.
 * - **Asynchronous** checkpoints (`checkpoint.ts`): stall s + max(0, W − τ) per checkpoint,
 *   and W more lost per failure, taken as R + W in the formulas above (first order in W/M).
 *
 * Checks (tests/core/training/reliability.test.ts): Llama 3's 3.09 h job MTBF and > 90 %
 * effective training time (K1); BLOOM's 40 s checkpoint every 3 h = 0.37 % overhead and
 * Young's 1.93 h (K5); Daly's three points.
 *
 * Not modelled: Weibull/infant-mortality hazards, correlated failures, silent data corruption
 * found late (rollback beyond the last checkpoint), spare-node pools, the time to notice a hang.
 *
 * @module
 */
import { LLAMA3_FAILURES_PER_GPU_HOUR } from "./failures.ts";

const HOUR = 3600;

/** Job MTBF, seconds: M = 1 / (N·λ), λ per GPU-hour (default Llama 3's, K1). */
export function jobMtbf(gpus: number, failuresPerGpuHour = LLAMA3_FAILURES_PER_GPU_HOUR): number {
  return HOUR / (gpus * failuresPerGpuHour);
}

/** P(at least one failure within `seconds`) = 1 − e^{−T/M}. */
export function failureProbability(seconds: number, mtbf: number): number {
  return -Math.expm1(-seconds / mtbf);
}

/** Expected failures within `seconds`: T / M. */
export function expectedFailures(seconds: number, mtbf: number): number {
  return seconds / mtbf;
}

/** Young's first-order interval √(2δM) (S24). */
export function youngInterval(stall: number, mtbf: number): number {
  return Math.sqrt(2 * stall * mtbf);
}

/** Daly's higher-order interval (module doc); M when δ ≥ 2M. */
export function dalyInterval(stall: number, mtbf: number): number {
  if (stall >= 2 * mtbf) return mtbf;
  const x = stall / (2 * mtbf);
  return Math.sqrt(2 * stall * mtbf) * (1 + Math.sqrt(x) / 3 + x / 9) - stall;
}

/** What a checkpoint costs the job. */
export interface CheckpointCost {
  /** Stall per checkpoint δ, s. */
  stall: number;
  /** Restart after a failure R (plus, async, the write in flight), s. */
  restart: number;
}

/** Exact goodput τ / (M·e^{R/M}·(e^{(τ+δ)/M} − 1)) (Daly 2006's exponential model). */
export function goodput(interval: number, cost: CheckpointCost, mtbf: number): number {
  const seg = mtbf * Math.exp(cost.restart / mtbf) * Math.expm1((interval + cost.stall) / mtbf);
  return seg > 0 ? interval / seg : 0;
}

/** First-order waste δ/τ + (τ/2 + R)/M, split into its parts. */
export function wasteFirstOrder(
  interval: number,
  cost: CheckpointCost,
  mtbf: number,
): { checkpoint: number; rework: number; restart: number; total: number } {
  const checkpoint = cost.stall / interval;
  const rework = interval / 2 / mtbf;
  const restart = cost.restart / mtbf;
  return { checkpoint, rework, restart, total: checkpoint + rework + restart };
}

/**
 * The interval that maximises {@link goodput}, by golden-section search on log τ over
 * [lo, hi] (default 1 s … 10 M). G is unimodal in τ: δ/τ falls and the rework rises.
 */
export function optimalInterval(
  cost: CheckpointCost,
  mtbf: number,
  lo = 1,
  hi = 10 * mtbf,
): { interval: number; goodput: number } {
  return maxOnLog((tau) => goodput(tau, cost, mtbf), lo, hi);
}

/** Golden-section maximum of a unimodal `f(τ)` on log τ ∈ [lo, hi]. */
function maxOnLog(
  f: (tau: number) => number,
  lo: number,
  hi: number,
): { interval: number; goodput: number } {
  const h = (u: number) => f(Math.exp(u));
  let a = Math.log(lo), b = Math.log(Math.max(hi, lo * 1.0001));
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = h(c), fd = h(d);
  for (let k = 0; k < 120; k++) {
    if (fc >= fd) {
      b = d, d = c, fd = fc;
      c = b - g * (b - a), fc = h(c);
    } else {
      a = c, c = d, fc = fd;
      d = a + g * (b - a), fd = h(d);
    }
  }
  const interval = Math.exp((a + b) / 2);
  return { interval, goodput: f(interval) };
}

/** How checkpoints are taken. */
export interface CheckpointPolicy {
  mode: "sync" | "async";
  /** Interval τ (compute between checkpoints), s. */
  interval: number;
  /** Time to write one checkpoint to storage (δ sync, W async), s. */
  writeSeconds: number;
  /** Async only: host-copy stall per checkpoint, s. */
  snapshotSeconds?: number;
  /** Restart after a failure, s. */
  restartSeconds: number;
}

/**
 * The stall and restart a policy costs (module doc): sync δ = W, R; async
 * s + max(0, W − τ), R + W.
 */
export function policyCost(p: CheckpointPolicy): CheckpointCost {
  if (p.mode === "sync") return { stall: p.writeSeconds, restart: p.restartSeconds };
  return {
    stall: (p.snapshotSeconds ?? 0) + Math.max(0, p.writeSeconds - p.interval),
    restart: p.restartSeconds + p.writeSeconds,
  };
}

/** Goodput, waste and optimum of one job under a checkpoint policy. */
export interface ReliabilityReport {
  gpus: number;
  failuresPerGpuHour: number;
  mtbf: number;
  /** P(≥ 1 failure) and expected failures over `jobSeconds` (when given). */
  jobSeconds?: number;
  failureProbability?: number;
  expectedFailures?: number;
  cost: CheckpointCost;
  young: number;
  daly: number;
  /** Numerical optimum of the exact goodput. */
  optimum: { interval: number; goodput: number };
  /** At the policy's interval. */
  goodput: number;
  waste: ReturnType<typeof wasteFirstOrder>;
  /** The checkpoint takes longer to write than the interval it protects. */
  writeExceedsInterval: boolean;
}

/** Everything above for one job (the validated entry point is core/schema/reliability.ts). */
export function reliabilityReport(i: {
  gpus: number;
  failuresPerGpuHour?: number;
  jobSeconds?: number;
  policy: CheckpointPolicy;
}): ReliabilityReport {
  const lambda = i.failuresPerGpuHour ?? LLAMA3_FAILURES_PER_GPU_HOUR;
  const mtbf = jobMtbf(i.gpus, lambda);
  const cost = policyCost(i.policy);
  // The optimum of the policy: for async the write in flight sets its own stall at each τ.
  const at = (tau: number) => goodput(tau, policyCost({ ...i.policy, interval: tau }), mtbf);
  const optimum = maxOnLog(at, 1, 10 * mtbf);
  return {
    gpus: i.gpus,
    failuresPerGpuHour: lambda,
    mtbf,
    ...(i.jobSeconds !== undefined
      ? {
        jobSeconds: i.jobSeconds,
        failureProbability: failureProbability(i.jobSeconds, mtbf),
        expectedFailures: expectedFailures(i.jobSeconds, mtbf),
      }
      : {}),
    cost,
    young: youngInterval(cost.stall, mtbf),
    daly: dalyInterval(cost.stall, mtbf),
    optimum,
    goodput: goodput(i.policy.interval, cost, mtbf),
    waste: wasteFirstOrder(i.policy.interval, cost, mtbf),
    writeExceedsInterval: i.policy.writeSeconds > i.policy.interval,
  };
}

/**
 * Fleet-size effects at a fixed checkpoint cost: rows of M ∝ 1/N, Young's τ ∝ 1/√N and the
 * optimal goodput (whose waste grows ≈ √(2δ/M) + R/M, i.e. ∝ √N at first).
 */
export function fleetSweep(
  gpuCounts: readonly number[],
  cost: CheckpointCost,
  failuresPerGpuHour = LLAMA3_FAILURES_PER_GPU_HOUR,
): { gpus: number; mtbf: number; young: number; optimal: number; goodput: number }[] {
  return gpuCounts.map((gpus) => {
    const mtbf = jobMtbf(gpus, failuresPerGpuHour);
    const o = optimalInterval(cost, mtbf);
    return {
      gpus,
      mtbf,
      young: youngInterval(cost.stall, mtbf),
      optimal: o.interval,
      goodput: o.goodput,
    };
  });
}
