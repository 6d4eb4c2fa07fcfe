/**
 * Measured collective bandwidths (reference/training.md §2-J; stas00/ml-engineering
 * `network/benchmarks/README.md` @ 744d01e1, nccl-tests / all_reduce_bench, V1). Sizes in bytes,
 * bus bandwidth in bytes/s (nccl-tests convention: busbw = algbw · 2(n − 1)/n for all-reduce).
 * The fits in `core/training/collective-fits.ts` are re-derived from these rows by
 * tests/core/training/collective-fits.test.ts.
 *
 * @module
 */
import { GB, GiB, KiB, MiB } from "../units.ts";

/** One measured point: an all-reduce of `bytes` over `ranks` GPUs on `nodes` nodes. */
export interface BusBwRow {
  /** Row key in training.md (J1, J2, …). */
  row: string;
  /** Collective system (a key of `COLLECTIVE_FITS`). */
  system: string;
  ranks: number;
  nodes: number;
  bytes: number;
  busBw: number;
  /** Algorithm NCCL ran, when the row says ("ring", "nvls"). */
  algorithm?: "ring" | "nvls";
}

function rows(
  row: string,
  system: string,
  ranks: number,
  nodes: number,
  points: [number, number][],
  algorithm?: "ring" | "nvls",
): BusBwRow[] {
  return points.map(([bytes, bw]) => ({
    row,
    system,
    ranks,
    nodes,
    bytes,
    busBw: bw * GB,
    algorithm,
  }));
}

/** Every measured all-reduce row. */
export const BUSBW_ROWS: readonly BusBwRow[] = [
  // J1: 8 × A100 NVLink3, nccl-tests all_reduce_perf -g 8.
  ...rows("J1", "a100-nvlink3", 8, 1, [
    [32 * KiB, 1.31],
    [1 * MiB, 18.0],
    [8 * MiB, 109.93],
    [128 * MiB, 176.92],
    [512 * MiB, 222.72],
    [1 * GiB, 229.04],
    [16 * GiB, 234.89],
  ]),
  // J2: 8 × H200, all_reduce_bench (NVLS on: RING/LL ≤ 1 MiB, NVLS/SIMPLE from 2 MiB).
  ...rows("J2", "h200-nvlink4", 8, 1, [[32 * KiB, 1.44], [1 * MiB, 39.93]], "ring"),
  ...rows("J2", "h200-nvlink4", 8, 1, [
    [8 * MiB, 155.53],
    [128 * MiB, 401.93],
    [512 * MiB, 450.29],
    [16 * GiB, 482.26],
  ], "nvls"),
  // J3: 8 × H200 at 16 GiB with NVLS off (ring).
  ...rows("J3", "h200-nvlink4", 8, 1, [[16 * GiB, 367.61]], "ring"),
  // J4: H200 at 8 GiB vs GPU count, NVLS on / off.
  ...rows("J4", "h200-nvlink4", 4, 1, [[8 * GiB, 363.3]], "ring"),
  ...rows("J4", "h200-nvlink4", 5, 1, [[8 * GiB, 414.2]], "nvls"),
  ...rows("J4", "h200-nvlink4", 6, 1, [[8 * GiB, 435.6]], "nvls"),
  ...rows("J4", "h200-nvlink4", 7, 1, [[8 * GiB, 460.0]], "nvls"),
  ...rows("J4", "h200-nvlink4", 8, 1, [[8 * GiB, 473.1]], "nvls"),
  ...rows("J4", "h200-nvlink4", 5, 1, [[8 * GiB, 364.4]], "ring"),
  ...rows("J4", "h200-nvlink4", 6, 1, [[8 * GiB, 365.1]], "ring"),
  ...rows("J4", "h200-nvlink4", 7, 1, [[8 * GiB, 365.7]], "ring"),
  ...rows("J4", "h200-nvlink4", 8, 1, [[8 * GiB, 365.6]], "ring"),
  // J5: 8 × B200 (p6-b200) at 8 GiB vs GPU count (NVLS from 6 GPUs).
  ...rows("J5", "b200-nvlink5", 4, 1, [[8 * GiB, 673.2]], "ring"),
  ...rows("J5", "b200-nvlink5", 5, 1, [[8 * GiB, 677.8]], "ring"),
  ...rows("J5", "b200-nvlink5", 6, 1, [[8 * GiB, 778.2]], "nvls"),
  ...rows("J5", "b200-nvlink5", 8, 1, [[8 * GiB, 838.0]], "nvls"),
  ...rows("J5", "b200-nvlink5", 6, 1, [[8 * GiB, 677.8]], "ring"),
  ...rows("J5", "b200-nvlink5", 8, 1, [[8 * GiB, 682.2]], "ring"),
  // J6: B200, 1 node (NVLS) and 4 nodes × 8 (8 × 400 Gb/s EFA v4 per node), all_reduce_bench.
  ...rows("J6", "b200-nvlink5", 8, 1, [[32 * KiB, 1.2], [1 * MiB, 36.06]], "ring"),
  ...rows("J6", "b200-nvlink5", 8, 1, [
    [16 * MiB, 254.96],
    [128 * MiB, 568.38],
    [1 * GiB, 723.34],
    [4 * GiB, 740.64],
    [16 * GiB, 845.67],
  ], "nvls"),
  ...rows("J6", "b200-efa4", 32, 4, [
    [32 * KiB, 0.01],
    [1 * MiB, 5.37],
    [16 * MiB, 64.43],
    [128 * MiB, 197.94],
    [1 * GiB, 361.99],
    [4 * GiB, 377.34],
    [16 * GiB, 381.8],
  ], "ring"),
  // J10: MI300X node, 4 GiB all-reduce (point-to-point Infinity Fabric).
  ...rows("J10", "mi300x-if", 2, 1, [[4 * GiB, 47.671]], "ring"),
  ...rows("J10", "mi300x-if", 8, 1, [[4 * GiB, 312.912]], "ring"),
];
