/**
 * Collective communication for tensor parallelism.
 *
 * Ring all-reduce moves `2(N−1)/N × bytes` over each GPU's link (Patarasuk & Yuan 2009; NCCL
 * docs "bus bandwidth"), plus a latency term of `log2(N)` hops (NCCL's tree/LL protocols for small
 * messages: ≈ 5 µs for 2 GPUs, 15 µs for 8 on NVLink).
 *
 * @module
 */
import { ALLREDUCE_HOP_LATENCY_S, ETA_LINK } from "./calibration.ts";

/**
 * Time of one all-reduce of `bytes` across `n` GPUs whose link moves `linkBandwidth` bytes/s in
 * one direction: `2(n−1)/n · bytes / (linkBandwidth · η_link) + log2(n) · α`. Zero for n ≤ 1.
 * A GPU with no link (linkBandwidth 0) cannot do tensor parallelism: returns Infinity.
 */
export function allReduceTime(bytes: number, n: number, linkBandwidth: number): number {
  if (n <= 1) return 0;
  if (!(linkBandwidth > 0)) return Infinity;
  return (2 * (n - 1) / n) * bytes / (linkBandwidth * ETA_LINK) +
    Math.log2(n) * ALLREDUCE_HOP_LATENCY_S;
}
