/**
 * Cold start of a replica: the time from "process started" to "weights resident in HBM", the
 * part of scale-out latency the model's size decides.
 *
 * The weights stream from storage into host memory and over each GPU's host link into HBM; the
 * two stages pipeline, so the slower one sets the pace:
 * ```
 * t_load = max( W_total / BW_storage , (W_total / tp) / (BW_host · η_host) ) + t_init
 * ```
 * Storage is shared by the TP group (one node reads the whole checkpoint once); each GPU has its
 * own host link and receives its 1/tp shard. With the checkpoint already in the page cache
 * (a warm host), storage drops out. `t_init` (CUDA context, allocator warm-up, CUDA-graph
 * capture, engine start) is an input, 0 by default: it depends on the engine, not on physics.
 *
 * @module
 */
import { paramCounts } from "../params.ts";
import { bytesPerElement, type Precision } from "../precision.ts";
import { asTransformer } from "../registry.ts";
import type { ModelSpec } from "../types.ts";
import { GBps } from "../units.ts";

/** A storage tier's sustained sequential read bandwidth. */
export interface StorageSpec {
  id: string;
  name: string;
  /** Bytes/s. */
  bandwidth: number;
  source: string;
}

/** Storage tiers (datasheet sequential-read figures; a real checkpoint load reaches less). */
export const STORAGE: readonly StorageSpec[] = [
  {
    id: "nvme-gen4",
    name: "one PCIe 4.0 NVMe SSD",
    bandwidth: 7.45 * GBps,
    source: "Samsung 990 PRO datasheet: sequential read up to 7,450 MB/s",
  },
  {
    id: "nvme-gen5",
    name: "one PCIe 5.0 NVMe SSD",
    bandwidth: 14.8 * GBps,
    source: "Samsung 9100 PRO datasheet: sequential read up to 14,800 MB/s",
  },
  {
    id: "network-100g",
    name: "network storage over one 100 Gb/s NIC",
    bandwidth: 12.5 * GBps,
    source: "line rate 100 Gb/s = 12.5 GB/s (an upper bound; object stores deliver less)",
  },
  {
    id: "page-cache",
    name: "host page cache (warm host)",
    bandwidth: Infinity,
    source: "checkpoint already in host RAM: the host link alone sets the pace",
  },
];

/** A host link between CPU memory and one GPU. */
export interface HostLinkSpec {
  id: string;
  name: string;
  /** Bytes/s, one direction. */
  bandwidth: number;
  source: string;
}

/** Host links: PCIe x16 one-direction data rate after 128b/130b encoding. */
export const HOST_LINKS: readonly HostLinkSpec[] = [
  {
    id: "pcie4-x16",
    name: "PCIe 4.0 x16",
    bandwidth: 16 * 16 * (128 / 130) / 8 * GBps,
    source: "PCI-SIG PCIe 4.0: 16 GT/s per lane, 128b/130b → 31.5 GB/s for x16",
  },
  {
    id: "pcie5-x16",
    name: "PCIe 5.0 x16",
    bandwidth: 32 * 16 * (128 / 130) / 8 * GBps,
    source: "PCI-SIG PCIe 5.0: 32 GT/s per lane, 128b/130b → 63.0 GB/s for x16",
  },
];

/**
 * Share of a host link's data rate a pinned host→device copy reaches (TLP headers and flow
 * control cost ~20 %; CUDA `bandwidthTest` on PCIe 4.0 x16 typically reports ~25 GB/s of 31.5).
 * Our assumption, from that typical figure.
 */
export const ETA_HOST_LINK = 0.8;

/** Unknown storage or host-link id. */
export class UnknownTierError extends Error {
  constructor(kind: string, id: string, known: readonly { id: string }[]) {
    super(`unknown ${kind} "${id}"; expected one of ${known.map((k) => k.id).join(", ")}`);
    this.name = "UnknownTierError";
  }
}

function pick<T extends { id: string }>(kind: string, list: readonly T[], x: T | string): T {
  if (typeof x !== "string") return x;
  const hit = list.find((s) => s.id === x);
  if (!hit) throw new UnknownTierError(kind, x, list);
  return hit;
}

/** Input of {@link coldStart}. */
export interface ColdStartInput {
  model: ModelSpec | string;
  tp?: number;
  precision?: Precision;
  /** Default "nvme-gen4". */
  storage?: StorageSpec | string;
  /** Default "pcie5-x16" (H100/H200 hosts). */
  hostLink?: HostLinkSpec | string;
  /** Engine start-up added to the load, s (default 0). */
  initS?: number;
}

/** Result of {@link coldStart}. Seconds and bytes. */
export interface ColdStartResult {
  weightsBytes: number;
  storageS: number;
  hostLinkS: number;
  initS: number;
  totalS: number;
  bound: "storage" | "host-link";
}

/** Weights load time of one replica (formula in the module doc). */
export function coldStart(input: ColdStartInput): ColdStartResult {
  const m = asTransformer(input.model);
  const tp = input.tp ?? 1;
  const storage = pick("storage", STORAGE, input.storage ?? "nvme-gen4");
  const link = pick("host link", HOST_LINKS, input.hostLink ?? "pcie5-x16");
  const bytes = paramCounts(m).total * bytesPerElement(input.precision ?? m.nativePrecision);
  const storageS = bytes / storage.bandwidth;
  const hostLinkS = bytes / tp / (link.bandwidth * ETA_HOST_LINK);
  const initS = input.initS ?? 0;
  return {
    weightsBytes: bytes,
    storageS,
    hostLinkS,
    initS,
    totalS: Math.max(storageS, hostLinkS) + initS,
    bound: storageS >= hostLinkS ? "storage" : "host-link",
  };
}
