/**
 * Node / cluster / fabric registry for training. Link rates are one direction, bytes/s;
 * `nicBytesPerS` is the scale-out rate per GPU (one NIC per GPU on every system here).
 * `collective` names the fitted collective system (`core/training/collective-fits.ts`).
 *
 * @module
 */
import { GB } from "../units.ts";
import type { CollectiveSystem } from "../training/collective-fits.ts";

/** A network fabric. */
export interface FabricSpec {
  id: string;
  name: string;
  kind: "nvlink" | "infinity-fabric" | "infiniband" | "roce" | "efa" | "omni-path";
  /** Per-GPU (or per-port) rate, one direction, bytes/s. */
  bytesPerS: number;
  source: string;
}

/** A training node type, and how nodes connect. */
export interface ClusterSpec {
  id: string;
  name: string;
  aliases: readonly string[];
  /** Accelerator id in the GPU registry. */
  gpu: string;
  gpusPerNode: number;
  /** Scale-up fabric id. */
  intra: string;
  /** Scale-out fabric id. */
  inter: string;
  /** Scale-out bytes/s per GPU, one direction. */
  nicBytesPerS: number;
  collective: CollectiveSystem;
  /** Compute (scale-out) NIC ports per node, when published; storage NICs not counted. */
  nicsPerNode?: number;
  /** Aggregate checkpoint write bandwidth of the storage system, if published (bytes/s). */
  storageWriteBytesPerS?: number;
  source: string;
}

const Gb = GB / 8;

/** Every fabric. */
export const FABRICS: readonly FabricSpec[] = [
  {
    id: "nvlink3",
    name: "NVLink3 + NVSwitch (A100)",
    kind: "nvlink",
    bytesPerS: 300 * GB,
    source: "NVIDIA A100 datasheet: 600 GB/s bidirectional per GPU",
  },
  {
    id: "nvlink4",
    name: "NVLink4 + NVSwitch (H100/H200)",
    kind: "nvlink",
    bytesPerS: 450 * GB,
    source: "NVIDIA H100 datasheet: 900 GB/s bidirectional per GPU",
  },
  {
    id: "nvlink5",
    name: "NVLink5 + NVSwitch (B200)",
    kind: "nvlink",
    bytesPerS: 900 * GB,
    source: "NVIDIA HGX B200 datasheet: 1.8 TB/s bidirectional per GPU",
  },
  {
    id: "infinity-fabric-mi300x",
    name: "AMD Infinity Fabric (7 point-to-point links)",
    kind: "infinity-fabric",
    bytesPerS: 448 * GB,
    source: "AMD MI300X data sheet: 7 × 128 GB/s bidirectional",
  },
  {
    id: "ib-hdr",
    name: "InfiniBand HDR 200 Gb/s (ConnectX-6)",
    kind: "infiniband",
    bytesPerS: 200 * Gb,
    source: "Narayanan et al. 2021 §5: Selene, 8 × 200 Gb/s HDR per DGX A100",
  },
  {
    id: "ib-ndr",
    name: "InfiniBand NDR 400 Gb/s (ConnectX-7)",
    kind: "infiniband",
    bytesPerS: 400 * Gb,
    source: "NVIDIA DGX H100 user guide: 8 × 400 Gb/s ConnectX-7 compute ports",
  },
  {
    id: "roce-400",
    name: "RoCE 400 Gb/s",
    kind: "roce",
    bytesPerS: 400 * Gb,
    source: "Llama 3 Herd of Models §3.3.1: RoCE fabric, 400 Gb/s per GPU",
  },
  {
    id: "efa-v4",
    name: "AWS EFA v4 400 Gb/s",
    kind: "efa",
    bytesPerS: 400 * Gb,
    source: "ml-engineering network/benchmarks: p6-b200, 8 × 400 Gb/s EFA v4 per node (J6)",
  },
  {
    id: "omni-path-100",
    name: "Intel Omni-Path 100 Gb/s",
    kind: "omni-path",
    bytesPerS: 100 * Gb,
    source: "bigscience tr11-176B README: Jean Zay A100 nodes on Omni-Path; 4 × 100 Gb/s links " +
      "per node (Le Scao et al. 2022 §3.4.1), one port per GPU pair",
  },
];

/** Every cluster node type. */
export const CLUSTERS: readonly ClusterSpec[] = [
  {
    id: "dgx-a100",
    name: "DGX A100 80GB (Selene SuperPOD)",
    aliases: ["selene", "DGX_A100"],
    gpu: "a100-80gb",
    gpusPerNode: 8,
    intra: "nvlink3",
    inter: "ib-hdr",
    nicBytesPerS: 200 * Gb,
    collective: "a100-nvlink3",
    nicsPerNode: 8,
    source: "Narayanan et al. 2021 §5 (Selene: 8 × A100-80GB, NVLink3/NVSwitch, 8 × HDR IB); " +
      "NVIDIA DGX A100 user guide: 8 × single-port ConnectX-6 200 Gb/s HDR compute NICs " +
      "(+ 2 dual-port storage NICs), 6 NVSwitches, 600 GB/s NVLink per GPU bidirectional",
  },
  {
    id: "dgx-h100",
    name: "DGX H100",
    aliases: ["DGX_H100", "h100-cluster"],
    gpu: "h100-sxm",
    gpusPerNode: 8,
    intra: "nvlink4",
    inter: "ib-ndr",
    nicBytesPerS: 400 * Gb,
    collective: "h200-nvlink4",
    nicsPerNode: 8,
    source: "NVIDIA DGX H100 user guide (8 × H100 SXM, NVLink4 900 GB/s per GPU bidirectional " +
      "over 4 NVSwitches, 8 × 400 Gb/s ConnectX-7 NDR compute ports); collective " +
      "fit from the H200 rows (same NVLink4/NVSwitch)",
  },
  {
    id: "hgx-h200",
    name: "HGX H200",
    aliases: ["H200_node"],
    gpu: "h200",
    gpusPerNode: 8,
    intra: "nvlink4",
    inter: "ib-ndr",
    nicBytesPerS: 400 * Gb,
    collective: "h200-nvlink4",
    source: "ml-engineering network/benchmarks (J2–J4); NIC assumed 400 Gb/s per GPU",
  },
  {
    id: "p6-b200",
    name: "AWS p6-b200 (8 × B200, EFA v4)",
    aliases: ["b200-node"],
    gpu: "b200",
    gpusPerNode: 8,
    intra: "nvlink5",
    inter: "efa-v4",
    nicBytesPerS: 400 * Gb,
    collective: "b200-nvlink5",
    nicsPerNode: 8,
    source: "ml-engineering network/benchmarks (J5, J6): 8 × 400 Gb/s EFA v4 per node",
  },
  {
    id: "mi300x-node",
    name: "8 × MI300X (Infinity Fabric)",
    aliases: ["MI300X_node"],
    gpu: "mi300x",
    gpusPerNode: 8,
    intra: "infinity-fabric-mi300x",
    inter: "roce-400",
    nicBytesPerS: 400 * Gb,
    collective: "mi300x-if",
    source: "AMD MI300X platform (8 GPUs, full mesh); ml-engineering J10; NIC assumed 400 Gb/s",
  },
  {
    id: "llama3-h100",
    name: "Meta 24K H100 RoCE cluster (Llama 3)",
    aliases: ["meta-rsc-h100"],
    gpu: "h100-sxm",
    gpusPerNode: 8,
    intra: "nvlink4",
    inter: "roce-400",
    nicBytesPerS: 400 * Gb,
    collective: "h200-nvlink4",
    storageWriteBytesPerS: 2e12,
    nicsPerNode: 8,
    source: "Llama 3 Herd §3.3.1: H100 80GB, 8 per server, RoCE 400 Gb/s; Tectonic 2 TB/s " +
      "sustained (7 TB/s peak) (K3)",
  },
  {
    id: "jean-zay-a100",
    name: "Jean Zay A100 80GB (BLOOM-176B)",
    aliases: ["jean-zay"],
    gpu: "a100-80gb",
    gpusPerNode: 8,
    intra: "nvlink3",
    inter: "omni-path-100",
    nicBytesPerS: 50 * Gb,
    collective: "a100-nvlink3",
    storageWriteBytesPerS: 2.3e12 / 40,
    nicsPerNode: 4,
    source: "bigscience tr11-176B README and chronicles: 48 nodes × 8 A100-80GB, Omni-Path; " +
      "2.3 TB checkpoint written in 40 s (57.5 GB/s, K5); 4 Omni-Path 100 Gb/s links per node " +
      "(Le Scao et al. 2022, arXiv:2211.05100 §3.4.1), i.e. 50 Gb/s per GPU",
  },
];
