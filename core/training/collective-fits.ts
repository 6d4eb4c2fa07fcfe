/**
 * Fitted collective constants per scale-up / scale-out system, each from the rows of
 * `core/data/nccl-rows.ts` (reference/training.md §2-J). Every line is `fitAlphaBeta` (least
 * squares on relative time) over the rows named; `tests/core/training/training.test.ts`
 * checks every row ≥ 128 MiB against these lines; `tests/core/training/collective-fits.test.ts`
 * re-runs the fits on the rows and pins the constants that are not fits.
 *
 * | fit | rows | α | bandwidth |
 * |---|---|---|---|
 * | A100 NVLink3 LL | J1 32 KiB, 1 MiB | 41.9 µs | busbw 30.6 GB/s |
 * | A100 NVLink3 Simple | J1 128 MiB … 16 GiB | 400 µs (least squares gives 336 µs, which leaves J1 128 MiB at +16 %; raised to the minimax value) | busbw 238.3 GB/s |
 * | H200 NVLink4 LL | J2 32 KiB, 1 MiB (ring) | 39.6 µs | busbw 289.8 GB/s |
 * | H200 NVLink4 Simple (ring) | J3 16 GiB + J4 8-GPU 8 GiB ring | 400 µs (A100's, assumed) | busbw 366.6 GB/s |
 * | H200 NVLS | J2 ≥ 128 MiB + J4 8-GPU NVLS | 93.7 µs | algbw 272.5 GB/s, NCCL from 5 GPUs (J4) |
 * | B200 NVLink5 LL | J6 1-node 32 KiB, 1 MiB | 47.7 µs | busbw 573.3 GB/s |
 * | B200 NVLink5 Simple (ring) | J5 ring rows, 8 GiB, n = 4–8 (median) | 400 µs (assumed) | busbw 677.8 GB/s |
 * | B200 NVLS | J6 1-node ≥ 128 MiB + J5 8-GPU NVLS | 125.8 µs | algbw 460.5 GB/s, from 6 GPUs (J5) |
 * | B200 4 × 8 over EFA v4 (8 × 400 Gb/s) | J6 4-node ≥ 128 MiB | 642 µs | r = 37.97 GB/s per GPU (76 % of 50 GB/s) |
 * | MI300X Infinity Fabric | J10 2 and 8 GPUs, 4 GiB | A100's α (assumed) | 46.2 GB/s per link × (n − 1) |
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

/** Simple-protocol α of the A100 fit, reused where only large messages were measured. */
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

/** Per-hop latency of an inter-node tree: IB/RoCE/EFA one-way ≈ 5 µs incl. software (assumed). */
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
