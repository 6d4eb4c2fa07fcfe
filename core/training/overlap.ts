/**
 * Gradient all-reduce in buckets, overlapped with the backward pass (PyTorch DDP's scheme: Li et
 * al., "PyTorch Distributed: Experiences on Accelerating Data Parallel Training", VLDB 2020,
 * §3.2.3 and §4; `bucket_cap_mb` defaults to 25 MB in `torch.nn.parallel.DistributedDataParallel`).
 *
 * Gradients of G bytes become ready at a uniform rate during a backward pass of T seconds
 * (an approximation: real layers differ in size, and the input embedding's gradient comes last).
 * They are cut into k = ⌈G/b⌉ buckets of b bytes (the last one holds the rest). Bucket i is
 * ready at `r_i = T · (bytes up to and including i) / G` and is all-reduced on one communication
 * stream, in order:
 *
 *   start_i = max(r_i, end_{i−1}),   end_i = start_i + t_coll(size_i),   t_coll from collectiveTime,
 *   exposed = max(0, end_k − T)      (the time the step waits after its backward pass).
 *
 * Without overlap every bucket starts after the backward pass: exposed = Σ t_coll(size_i).
 * Small buckets pay the latency α once per bucket (k·α grows); large buckets start late, so the
 * last one's transfer sticks out past the backward pass. Communication kernels slowing the
 * compute they overlap (SM and memory-bandwidth contention) is not modelled.
 *
 * @module
 */
import { type CollectiveInput, type CollectiveResult, collectiveTime } from "./collectives.ts";

/** Input of {@link bucketedAllReduce}. */
export interface BucketedAllReduceInput extends Omit<CollectiveInput, "bytes" | "op"> {
  /** G: gradient bytes all-reduced per step (per GPU, the full replica's gradients). */
  gradBytes: number;
  /** b: bucket capacity in bytes (≥ gradBytes: one bucket). */
  bucketBytes: number;
  /** T: backward compute time the buckets can hide behind (s). */
  backwardS: number;
  /** Launch each bucket as soon as it is ready (default true); false = all after backward. */
  overlap?: boolean;
  /** Busy intervals of the stream closer than this (s) are merged in `busy` (default 0). */
  mergeGapS?: number;
}

/** One bucket's place on the timeline (seconds from the start of the backward pass). */
export interface BucketSlot {
  bytes: number;
  readyS: number;
  startS: number;
  endS: number;
}

/** Result of {@link bucketedAllReduce}. */
export interface BucketedAllReduceResult {
  buckets: number;
  /** Σ t_coll over the buckets (s): what the communication stream is busy for. */
  commS: number;
  /** Communication the step waits for after backward (s). */
  exposedS: number;
  /** commS − exposedS: communication hidden behind backward (s). */
  hiddenS: number;
  /** Latency paid: buckets × the collective's time at zero bytes (s). */
  latencyS: number;
  /** The algorithm collectiveTime ran for a full bucket. */
  algorithm: CollectiveResult["algorithm"];
  /** The first and last few buckets: at most 2 × 64. */
  slots: BucketSlot[];
  /** When the communication stream is busy (s from the start of backward), gaps ≤ mergeGapS merged. */
  busy: { startS: number; endS: number }[];
}

/**
 * Share of a training step's compute spent in the backward pass, the window gradient buckets can
 * hide behind: backward is 4 of the 6 FLOPs per parameter per token (forward 2PD, backward 4PD;
 * Kaplan et al. 2020 / EleutherAI "Transformer Math 101", reference/training.md §1.4), so 2/3;
 * with full recomputation the backward phase also re-runs the forward, 6 of 8, so 3/4. Selective
 * recomputation (≈ 3 % extra FLOPs) is counted as none.
 */
export function backwardShare(recompute: "none" | "selective" | "full"): number {
  return recompute === "full" ? 3 / 4 : 2 / 3;
}

/** At most this many bucket slots are returned from each end of the timeline. */
const MAX_SLOTS = 64;

/** Bucketed, overlapped all-reduce of a step's gradients (formulas in the module doc). */
export function bucketedAllReduce(input: BucketedAllReduceInput): BucketedAllReduceResult {
  const G = input.gradBytes, T = input.backwardS;
  if (!(G >= 0) || !(input.bucketBytes > 0) || !(T >= 0)) {
    throw new RangeError(
      `bucketedAllReduce needs gradBytes ≥ 0, bucketBytes > 0 and backwardS ≥ 0 (got ${G}, ` +
        `${input.bucketBytes}, ${T})`,
    );
  }
  const b = Math.min(input.bucketBytes, Math.max(G, 1));
  const k = G > 0 ? Math.ceil(G / b - 1e-9) : 0;
  const base = { ...input, op: "all-reduce" as const };
  const full = collectiveTime({ ...base, bytes: b });
  const lastBytes = G - (k - 1) * b;
  const tFull = full.timeS, tLast = collectiveTime({ ...base, bytes: lastBytes }).timeS;
  const overlap = input.overlap ?? true;
  const slots: BucketSlot[] = [];
  const busy: { startS: number; endS: number }[] = [];
  const gap = input.mergeGapS ?? 0;
  let end = overlap ? 0 : T;
  for (let i = 1; i <= k; i++) {
    const bytes = i === k ? lastBytes : b;
    const ready = overlap ? T * Math.min(1, (i === k ? G : i * b) / G) : T;
    const start = Math.max(ready, end);
    end = start + (i === k ? tLast : tFull);
    const last = busy[busy.length - 1];
    if (last && start - last.endS <= gap) last.endS = end;
    else busy.push({ startS: start, endS: end });
    if (i <= MAX_SLOTS || i > k - MAX_SLOTS) {
      slots.push({ bytes, readyS: ready, startS: start, endS: end });
    }
  }
  const commS = k > 0 ? (k - 1) * tFull + tLast : 0;
  const exposedS = k > 0 ? Math.max(0, end - T) : 0;
  const alpha = collectiveTime({ ...base, bytes: 1 }).timeS;
  return {
    buckets: k,
    commS,
    exposedS,
    hiddenS: commS - exposedS,
    latencyS: k * alpha,
    algorithm: full.algorithm,
    slots,
    busy,
  };
}
