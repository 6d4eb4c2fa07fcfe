/**
 * Checkpoint size and write time.
 *
 * **Size.** A restartable checkpoint holds the working weights, the fp32 master copy and the
 * optimizer moments — not the gradients (recomputed by the next step) and not the activations:
 * `bytes/param = params + master + optimizer` of {@link stateBytes}. Mixed-precision Adam
 * (bf16 weights, fp32 master, two fp32 moments) gives 2 + 4 + 8 = **14**, BigScience's figure
 * ("8 bytes for fp32 optim, 4+2 bytes for weights … 176·10⁹·14/2³⁰ = 2294.77 GB", S17); the
 * 1T-parameter Megatron checkpoint measured 13.8 TB = 13.7 B/param (K6, S5 §5.10).
 *
 * **Write time** (synchronous, training stalled): δ = S ÷ B with
 * B = min(aggregate storage write bandwidth, nodes × per-node link to storage). Rows: BLOOM
 * 2.3 TB in 40 s by 384 processes = 57.5 GB/s (K5); Megatron 1T 13.8 TB at 273 GB/s = 50.5 s
 * (K6); Llama 3's Tectonic 2 TB/s sustained, 7 TB/s peak (K3).
 *
 * **Asynchronous** checkpointing copies each GPU's shard to host memory (the stall,
 * `shard ÷ host-copy bandwidth`, PCIe Gen5 ≈ 55 GB/s, J8) and writes it in the background
 * (`W = S ÷ B`). The next checkpoint cannot start before the last one is durable, so an
 * interval τ < W stalls for W − τ; and a failure loses the work since the last *durable*
 * checkpoint, W more than synchronously. Shards are taken as S ÷ N (a distributed optimizer
 * saving distinct shards from every rank).
 *
 * @module
 */
import { stateBytes, type StateDtypes } from "./states.ts";

/** PCIe Gen5 x16 device→host, H200 (nvbandwidth, J8): 55.06 GB/s of 63. */
export const PCIE_GEN5_D2H_BYTES_PER_S = 55.06e9;

/** Bytes per parameter a restartable checkpoint holds: weights + master + optimizer moments. */
export function checkpointBytesPerParam(d: StateDtypes): number {
  const b = stateBytes(d);
  return b.params + b.master + b.optimizer;
}

/** Checkpoint bytes of a model with `params` parameters under dtypes `d`. */
export function checkpointBytes(params: number, d: StateDtypes): number {
  return params * checkpointBytesPerParam(d);
}

/** Input of {@link checkpointWrite}. */
export interface CheckpointWriteInput {
  /** Checkpoint size S, bytes. */
  bytes: number;
  /** Aggregate write bandwidth of the storage system, bytes/s. */
  storageBytesPerS: number;
  /** Nodes writing in parallel (with `perNodeBytesPerS`). */
  nodes?: number;
  /** Each node's link to storage, bytes/s; omitted = not a limit. */
  perNodeBytesPerS?: number;
}

/** Result of {@link checkpointWrite}. */
export interface CheckpointWrite {
  /** δ (or W when asynchronous): S ÷ effective bandwidth, s. */
  seconds: number;
  /** min(storage, nodes × per-node), bytes/s. */
  effectiveBytesPerS: number;
  /** Which limit binds. */
  bound: "storage" | "node-links";
}

/** Write time of one checkpoint: S ÷ min(storage, nodes × per-node link) (module doc). */
export function checkpointWrite(i: CheckpointWriteInput): CheckpointWrite {
  const links = i.perNodeBytesPerS !== undefined && i.nodes !== undefined
    ? i.nodes * i.perNodeBytesPerS
    : Infinity;
  const bound = links < i.storageBytesPerS ? "node-links" : "storage";
  const effectiveBytesPerS = Math.min(links, i.storageBytesPerS);
  return { seconds: i.bytes / effectiveBytesPerS, effectiveBytesPerS, bound };
}

/**
 * Training stall of one asynchronous checkpoint: each of `gpus` ranks copies its S ÷ N shard
 * to host memory at `hostCopyBytesPerS` (default PCIe Gen5, J8).
 */
export function asyncSnapshotStall(
  bytes: number,
  gpus: number,
  hostCopyBytesPerS = PCIE_GEN5_D2H_BYTES_PER_S,
): number {
  return bytes / Math.max(1, gpus) / hostCopyBytesPerS;
}
