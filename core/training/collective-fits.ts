/**
 * Fitted collective constants per scale-up / scale-out system, each from the rows of
 * `core/data/nccl-rows.ts` (reference/training.md §2-J). Every line is `fitAlphaBeta` (least
 * squares on relative time) over the rows named; `tests/core/training/training.test.ts`
 * checks every row ≥ 128 MiB against these lines; `tests/core/training/collective-fits.test.ts`
 * re-runs the fits on the rows and pins the constants that are not fits;
 * `tests/core/training/collective-rows.test.ts` pins `auto`'s error on every covered row.
 *
 * | fit | rows | α | bandwidth |
 * |---|---|---|---|
 * | A100 NVLink3 LL | J1 32 KiB, 1 MiB | 41.9 µs | busbw 30.6 GB/s |
 * | A100 NVLink3 LL128 | J1 1 MiB, 8 MiB, 128 MiB | 82.2 µs | busbw 206.4 GB/s |
 * | A100 NVLink3 Simple | J1 128 MiB … 16 GiB | 336 µs (least squares) | busbw 238.3 GB/s |
 * | H200 NVLink4 LL | J2 32 KiB, 1 MiB (ring) | 39.6 µs | busbw 289.8 GB/s |
 * | H200 NVLink4 Simple (ring) | J3 16 GiB + J4 8-GPU 8 GiB ring | 336 µs (A100's, assumed) | busbw 366.6 GB/s |
 * | H200 NVLS | J2 ≥ 128 MiB + J4 8-GPU NVLS | 93.7 µs | algbw 272.5 GB/s, NCCL from 5 GPUs (J4) |
 * | B200 NVLink5 LL | J6 1-node 32 KiB, 1 MiB | 47.7 µs | busbw 573.3 GB/s |
 * | B200 NVLink5 Simple (ring) | J5 ring rows, 8 GiB, n = 4–8 (median) | 336 µs (A100's, assumed) | busbw 677.8 GB/s |
 * | B200 NVLS | J6 1-node ≥ 128 MiB + J5 8-GPU NVLS | 125.8 µs | algbw 460.5 GB/s, from 6 GPUs (J5) |
 * | B200 4 × 8 over EFA v4 (8 × 400 Gb/s) | J6 4-node ≥ 128 MiB | 642 µs | r = 37.97 GB/s per GPU (76 % of 50 GB/s) |
 * | tree across nodes, per level and pass | J6 4-node 1 MiB, 16 MiB (slope fixed at 2/(8r)) | 83.0 µs (tree α 380 µs at 4 × 8) | — |
 * | MI300X Infinity Fabric | J10 2 and 8 GPUs, 4 GiB | A100's α (assumed) | 46.2 GB/s per link × (n − 1) |
 *
 * LL128: the three mid-size J1 rows are not on one line that a min over lines can follow (their
 * time is convex between 1 and 128 MiB), so the fit leaves 1 MiB +12 %, 8 MiB −13 %, 128 MiB
 * +9 % in busbw; no other system has mid-size ring rows (their mid rows are NVLS), so only A100
 * has an LL128 line. The tree's level latency assumes NCCL ran its tree at J6 1 and 16 MiB (the
 * rows do not say; NCCL's tuner prefers the tree for small and mid sizes across nodes); it
 * encodes EFA's software latency, and is reused, like α_inter, for every cluster.
 *
 * Systems with no measured busbw rows reuse a measured one (assumptions, labelled in `source`):
 * DGX H100 uses the H200 fits (same NVLink4/NVSwitch generation; H200 differs in HBM only);
 * inter-node rates of InfiniBand/RoCE clusters are NIC rate × 0.76 (the EFA efficiency above).
 *
 * @module
 */
import type { CollectiveFit } from "./collectives.ts";

const US = 1e-6, GBs = 1e9;

/** Inter-node per-GPU efficiency measured on B200 × 4 nodes over EFA (J6): 37.97 / 50 GB/s. */
export const NIC_EFFICIENCY = 37.97 / 50;

/**
 * Simple-protocol α of the A100 fit (least squares on J1 ≥ 128 MiB; the minimax value is ≈ 326
 * µs), reused where only large messages were measured.
 */
const SIMPLE_ALPHA = 336 * US;

/** Intra-node fits by system key (rows in the module doc). */
export const COLLECTIVE_FITS = {
  "a100-nvlink3": {
    ranks: 8,
    ll: { alpha: 41.9 * US, busBw: 30.6 * GBs },
    ll128: { alpha: 82.2 * US, busBw: 206.4 * GBs },
    simple: { alpha: SIMPLE_ALPHA, busBw: 238.3 * GBs },
    source: "J1: 8 × A100 NVLink3 nccl-tests all_reduce_perf (ml-engineering @744d01e1)",
  },
  "h200-nvlink4": {
    ranks: 8,
    ll: { alpha: 39.6 * US, busBw: 289.8 * GBs },
    simple: { alpha: SIMPLE_ALPHA, busBw: 366.6 * GBs },
    nvls: { alpha: 93.7 * US, algBw: 272.5 * GBs, minRanks: 5 },
    source: "J2–J4: 8 × H200 all_reduce_bench / nccl-tests, NVLS on and off",
  },
  "b200-nvlink5": {
    ranks: 8,
    ll: { alpha: 47.7 * US, busBw: 573.3 * GBs },
    simple: { alpha: SIMPLE_ALPHA, busBw: 677.8 * GBs },
    nvls: { alpha: 125.8 * US, algBw: 460.5 * GBs, minRanks: 6 },
    source: "J5–J6: 8 × B200 p6-b200 all_reduce_bench, NVLS on and off",
  },
  "mi300x-if": {
    ranks: 8,
    ll: { alpha: 41.9 * US, busBw: 30.6 * GBs / 7 },
    simple: { alpha: SIMPLE_ALPHA, busBw: 46.2 * GBs },
    fullMesh: true,
    source: "J10: MI300X node, 4 GiB all-reduce at 2 and 8 GPUs; α from the A100 fit (assumed)",
  },
} as const satisfies Record<string, CollectiveFit>;

/** A key of {@link COLLECTIVE_FITS}. */
export type CollectiveSystem = keyof typeof COLLECTIVE_FITS;

/**
 * Scale-out α and per-GPU rate of the B200 × 4-node EFA fit (J6 4-node rows ≥ 128 MiB), and the
 * tree's latency per inter-node level and pass (J6 4-node 1 MiB and 16 MiB, see module doc).
 */
export const EFA_FIT = { alpha: 642 * US, perGpuBw: 37.97 * GBs, treeLevelLatency: 83.0 * US };

/**
 * Per-hop inter-node latency of a point-to-point transfer (pipeline sends): IB/RoCE/EFA one-way
 * ≈ 5 µs incl. software (assumed). The tree uses `EFA_FIT.treeLevelLatency` instead.
 */
export const INTER_HOP_LATENCY_S = 5 * US;

/**
 * The full fit of a node of `system` whose GPUs each drive a NIC of `nicBytesPerS` (one
 * direction): the inter-node rate is `nicBytesPerS × NIC_EFFICIENCY`, α from the EFA fit.
 */
export function clusterFit(system: CollectiveSystem, nicBytesPerS: number): CollectiveFit {
  return {
    ...COLLECTIVE_FITS[system],
    inter: {
      alpha: EFA_FIT.alpha,
      perGpuBw: nicBytesPerS * NIC_EFFICIENCY,
      hopLatency: INTER_HOP_LATENCY_S,
      treeLevelLatency: EFA_FIT.treeLevelLatency,
    },
  };
}
